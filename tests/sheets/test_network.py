"""つなぎ: needs checks and warm hand-offs between agencies, with the client's consent.

The receiver sees only the consented items; acceptance makes a client record in the receiving
agency holding exactly those items; a third agency sees nothing (404); every step is audited;
the e-mail notice carries no personal data."""

import datetime
import io
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.formats import date_format
from pypdf import PdfReader

from registry.models import AuditEntry
from sheets.clients.models import Client, SelfIntroduction
from sheets.dimensions import Dimension
from sheets.network.models import Handoff, HandoffStatus, NeedsCheck, WishToWork
from sheets.network.services import ITEM_FIELDS
from sheets.programs.models import ProgramStatus
from tests.sheets.client_factories import ClientFactory, ReferralFactory, SelfIntroductionFactory
from tests.sheets.factories import ProgramFactory
from tests.sheets.network_factories import HandoffFactory, NeedsCheckFactory

WORRY = "夜眠れない日がある（秘密）"
NAME = "あさひミナトさん"


@pytest.fixture
def client_a(world):
    client = ClientFactory(agency=world.agency_a, preferred_name=NAME)
    SelfIntroductionFactory(client=client, preferred_name=NAME, worries=WORRY, interests="園芸と料理")
    NeedsCheckFactory(client=client, past_work="倉庫の仕分け（2年）")
    return client


def _send(http, client, to_agency, items, **extra):
    data = {
        "to_agency": to_agency.pk,
        "items": items,
        "introduction": client.introductions.get().pk,
        "note": "午前の面談を希望",
        "consent_given_by": "client",
        "consent_on": datetime.date.today().isoformat(),
        "consent_method": "written",
        "consent_until": (datetime.date.today() + datetime.timedelta(days=30)).isoformat(),
        "confirmed": "on",
    } | extra
    return http.post(reverse("handoff_create", args=[client.uuid]), data)


def test_the_handoff_form_starts_with_nothing_ticked(world, client_a, login):
    page = login(world.counselor_a).get(reverse("handoff_create", args=[client_a.uuid])).content.decode()
    for name in ('name="items"', 'name="confirmed"'):
        assert name in page
        for chunk in page.split(name)[1:]:
            assert "checked" not in chunk.split(">", 1)[0], name
    # Only agencies of the same prefecture are offered (B, not C).
    assert world.agency_b.name in page and world.agency_c.name not in page


def test_send_then_accept_creates_exactly_the_consented_items(
    world, client_a, login, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "http://registry.example.jp"
    http = login(world.counselor_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = _send(http, client_a, world.agency_b, ["interests", "needs_check"])
    handoff = Handoff.objects.get()
    assert response.status_code == 302
    assert (handoff.from_agency, handoff.to_agency, handoff.status) == (world.agency_a, world.agency_b, "sent")
    assert handoff.items == ["needs_check", "interests"]
    # The notice names agencies, never the client.
    assert len(mail.outbox) == 1
    body = mail.outbox[0].subject + mail.outbox[0].body
    assert world.agency_a.name in body and NAME not in body and client_a.code not in body
    assert mail.outbox[0].to == [world.counselor_b.email]
    # A whole address, which a mail program makes a link of (settings.SITE_URL).
    link = f"http://registry.example.jp{reverse('handoff_detail', args=[handoff.uuid])}"
    assert mail.outbox[0].body.endswith(link)

    # The receiver sees the consented items only.
    receiver = login(world.counselor_b)
    page = receiver.get(reverse("handoff_detail", args=[handoff.uuid])).content.decode()
    assert "園芸と料理" in page and "倉庫の仕分け" in page
    assert WORRY not in page and NAME not in page
    inbox = receiver.get(reverse("handoff_list")).content.decode()
    assert world.agency_a.name in inbox

    assert receiver.post(reverse("handoff_accept", args=[handoff.uuid])).status_code == 302
    handoff.refresh_from_db()
    received = handoff.received_client
    assert handoff.status == HandoffStatus.ACCEPTED and handoff.accepted_on == datetime.date.today()
    assert received.agency == world.agency_b and received.preferred_name != NAME
    copy = received.introductions.get()
    assert copy.interests == "園芸と料理"
    assert (copy.worries, copy.experience, copy.goals, copy.requests) == ("", "", "", "")
    assert received.needs_checks.get().past_work == "倉庫の仕分け（2年）"
    # After acceptance the items live in B's own client record; the original stays A's.
    assert Client.objects.filter(agency=world.agency_a).count() == 1
    assert receiver.get(reverse("client_detail", args=[client_a.uuid])).status_code == 404

    # 初回面談済み, seen by the sender with its date.
    receiver.post(reverse("handoff_met", args=[handoff.uuid]), {"met_on": datetime.date.today().isoformat()})
    handoff.refresh_from_db()
    assert handoff.status == HandoffStatus.MET
    sender_page = http.get(reverse("handoff_list")).content.decode()
    assert "初回面談済み" in sender_page
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"handoff.send", "handoff.view", "handoff.accept", "handoff.met"} <= actions
    assert not any(NAME in str(e.detail) for e in AuditEntry.objects.all())


def test_a_client_received_without_their_name_is_asked_for_it_not_given_a_placeholder_name(world, client_a, login):
    http = login(world.counselor_a)
    _send(http, client_a, world.agency_b, ["interests"])
    receiver = login(world.counselor_b)
    handoff = Handoff.objects.get()
    receiver.post(reverse("handoff_accept", args=[handoff.uuid]))
    received = Client.objects.get(agency=world.agency_b)
    assert received.preferred_name == "（名前は共有されていません）"  # what lists say until it is known
    url = reverse("client_detail", args=[received.uuid])
    field = receiver.get(url).context["form"]["preferred_name"]
    assert field.value() == "" and 'placeholder="（名前は共有されていません）"' in str(field)
    # Saved as it opens, the form asks for the name instead of storing the placeholder as one.
    response = receiver.post(url, {"client-preferred_name": ""})
    assert response.status_code == 400 and "この項目は必須です。" in response.content.decode()
    receiver.post(url, {"client-preferred_name": "みなとさん"})
    received.refresh_from_db()
    assert received.preferred_name == "みなとさん"
    # A client with a name of their own shows it in the field, as before.
    assert (
        login(world.counselor_a)
        .get(reverse("client_detail", args=[client_a.uuid]))
        .context["form"]["preferred_name"]
        .value()
        == NAME
    )


def test_a_handoff_consent_lasts_at_most_a_year(world, client_a, login):
    http = login(world.counselor_a)
    too_long = (datetime.date.today() + datetime.timedelta(days=800)).isoformat()
    response = _send(http, client_a, world.agency_b, ["interests"], consent_until=too_long)
    assert response.status_code == 400
    assert response.context["form"].errors["consent_until"] == [
        "同意の有効期間は、始まりから1年までです。その後はあらためて本人に確認してください。"
    ]
    assert not Handoff.objects.exists()


def test_every_date_error_of_the_handoff_form_is_said_at_once_next_to_its_field(world, client_a, login):
    http = login(world.counselor_a)
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    response = _send(http, client_a, world.agency_b, ["interests"], consent_on=tomorrow, consent_until="2099-12-31")
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["consent_on"] == ["未来の日付は入力できません。"]
    assert errors["consent_until"] == [
        "同意の有効期間は、始まりから1年までです。その後はあらためて本人に確認してください。"
    ]
    page = response.content.decode()
    assert f'value="{tomorrow}"' in page and 'value="2099-12-31"' in page
    assert not Handoff.objects.exists()


def test_the_memo_and_an_end_date_before_the_consent_and_past_are_all_said_in_one_round(world, client_a, login):
    http = login(world.counselor_a)
    today = datetime.date.today()
    response = _send(
        http,
        client_a,
        world.agency_b,
        ["interests"],
        note="あ" * 660,
        consent_on=(today - datetime.timedelta(days=3)).isoformat(),
        consent_until=(today - datetime.timedelta(days=5)).isoformat(),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["note"] == ["500文字までにしてください（いま660文字）。"]
    # Both rules the end date breaks, the order of the dates said plainly first.
    assert errors["consent_until"] == [
        "同意の有効期限は、同意を得た日以降の日にしてください。",
        "同意の有効期限が過ぎています。",
    ]
    # A date is checked even when the other one is missing.
    response = _send(
        http,
        client_a,
        world.agency_b,
        ["interests"],
        consent_on="",
        consent_until=(today - datetime.timedelta(days=1)).isoformat(),
    )
    errors = response.context["form"].errors
    assert errors["consent_on"] and errors["consent_until"] == ["同意の有効期限が過ぎています。"]
    assert not Handoff.objects.exists()


def test_the_handoff_form_names_a_self_introduction_as_every_page_does_on_its_local_date(world, login):
    client = ClientFactory(agency=world.agency_a)
    introduction = SelfIntroductionFactory(client=client, preferred_name=NAME)
    # Saved at 8:30 on 8 December in Japan: still the 7th in UTC, as stored.
    saved = datetime.datetime(2026, 12, 7, 23, 30, tzinfo=datetime.UTC)
    SelfIntroduction.objects.filter(pk=introduction.pk).update(created_at=saved, updated_at=saved)
    http = login(world.counselor_a)
    form = http.get(reverse("handoff_create", args=[client.uuid])).content.decode()
    option = re.search(rf'<option value="{introduction.pk}"[^>]*>(.*?)</option>', form).group(1)
    assert option == "第1版（2026年12月8日）"
    assert option in http.get(reverse("client_detail", args=[client.uuid])).content.decode()
    introduction.refresh_from_db()
    assert str(introduction) == f"{client.code} 第1版（2026年12月8日）"


def test_a_third_agency_sees_nothing(world, client_a, login):
    handoff = HandoffFactory(client=client_a, to_agency=world.agency_b, introduction=client_a.introductions.get())
    http = login(world.counselor_c)
    for name in ("handoff_detail", "handoff_accept", "handoff_decline", "handoff_withdraw"):
        method = http.get if name == "handoff_detail" else http.post
        assert method(reverse(name, args=[handoff.uuid])).status_code == 404, name
    assert world.agency_a.name not in http.get(reverse("handoff_list")).content.decode()


def test_decline_needs_a_reason(world, client_a, login):
    handoff = HandoffFactory(client=client_a, to_agency=world.agency_b, introduction=client_a.introductions.get())
    http = login(world.counselor_b)
    http.post(reverse("handoff_decline", args=[handoff.uuid]), {"reason": ""})
    handoff.refresh_from_db()
    assert handoff.status == HandoffStatus.SENT
    http.post(reverse("handoff_decline", args=[handoff.uuid]), {"reason": "対象年齢外のため"})
    handoff.refresh_from_db()
    assert (handoff.status, handoff.decline_reason) == (HandoffStatus.DECLINED, "対象年齢外のため")
    page = login(world.counselor_a).get(reverse("handoff_detail", args=[handoff.uuid])).content.decode()
    assert "対象年齢外のため" in page and "辞退" in page


def test_answers_to_a_handoff_are_sent_back_with_the_message_next_to_the_field(world, client_a, login):
    handoff = HandoffFactory(client=client_a, to_agency=world.agency_b, introduction=client_a.introductions.get())
    http = login(world.counselor_b)
    response = http.post(reverse("handoff_decline", args=[handoff.uuid]), {"reason": ""})
    assert response.status_code == 400
    assert response.context["decline_form"].errors["reason"]
    http.post(reverse("handoff_accept", args=[handoff.uuid]))
    too_early = (datetime.date.today() - datetime.timedelta(days=400)).isoformat()
    response = http.post(reverse("handoff_met", args=[handoff.uuid]), {"met_on": too_early})
    assert response.status_code == 400
    form = response.context["met_form"]
    assert form.errors["met_on"] == ["受付日から今日までの日付を入れてください。"]
    assert f'value="{too_early}"' in response.content.decode()  # what was typed is kept
    handoff.refresh_from_db()
    assert handoff.status == HandoffStatus.ACCEPTED and handoff.met_on is None


def test_withdrawal_before_acceptance_cancels_and_hides_everything(world, client_a, login):
    handoff = HandoffFactory(client=client_a, to_agency=world.agency_b, introduction=client_a.introductions.get())
    http = login(world.counselor_a)
    asked = http.post(reverse("handoff_withdraw", args=[handoff.uuid]))
    assert asked.status_code == 200 and "受け付けることはできなくなり" in asked.content.decode()
    handoff.refresh_from_db()
    assert handoff.status == HandoffStatus.SENT  # nothing done before the confirmation
    http.post(reverse("handoff_withdraw", args=[handoff.uuid]), {"confirmed": "1"})
    handoff.refresh_from_db()
    assert handoff.status == HandoffStatus.CANCELLED and handoff.consent_withdrawn_on == datetime.date.today()
    receiver = login(world.counselor_b)
    assert "園芸と料理" not in receiver.get(reverse("handoff_detail", args=[handoff.uuid])).content.decode()
    assert receiver.post(reverse("handoff_accept", args=[handoff.uuid])).status_code == 302
    handoff.refresh_from_db()
    assert handoff.status == HandoffStatus.CANCELLED and handoff.received_client is None


def test_a_handoff_whose_consent_has_ended_cannot_be_accepted(world, client_a, login):
    handoff = HandoffFactory(client=client_a, to_agency=world.agency_b, introduction=client_a.introductions.get())
    Handoff.objects.filter(pk=handoff.pk).update(
        consent_on=datetime.date.today() - datetime.timedelta(days=40),
        consent_until=datetime.date.today() - datetime.timedelta(days=1),
    )
    receiver = login(world.counselor_b)
    page = receiver.get(reverse("handoff_detail", args=[handoff.uuid])).content.decode()
    assert 'id="consent-ended"' in page and reverse("handoff_accept", args=[handoff.uuid]) not in page
    assert "園芸と料理" not in page  # past the consent's end, the items are no longer shown
    clients_before = Client.objects.filter(agency=world.agency_b).count()
    answer = receiver.post(reverse("handoff_accept", args=[handoff.uuid]), follow=True)
    assert "同意の期限が過ぎている" in answer.content.decode()
    handoff.refresh_from_db()
    assert handoff.status == HandoffStatus.SENT and handoff.received_client is None
    assert Client.objects.filter(agency=world.agency_b).count() == clients_before
    # Declining stays possible; the sending agency still sees what it sent.
    assert reverse("handoff_decline", args=[handoff.uuid]) in page
    assert "園芸と料理" in login(world.counselor_a).get(reverse("handoff_detail", args=[handoff.uuid])).content.decode()


def test_withdrawal_after_acceptance_is_recorded_and_told(world, client_a, login, django_capture_on_commit_callbacks):
    handoff = HandoffFactory(client=client_a, to_agency=world.agency_b, introduction=client_a.introductions.get())
    login(world.counselor_b).post(reverse("handoff_accept", args=[handoff.uuid]))
    with django_capture_on_commit_callbacks(execute=True):
        login(world.counselor_a).post(reverse("handoff_withdraw", args=[handoff.uuid]), {"confirmed": "1"})
    handoff.refresh_from_db()
    assert handoff.status == HandoffStatus.ACCEPTED and handoff.consent_withdrawn_on is not None
    assert len(mail.outbox) == 1 and NAME not in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="handoff.consent_withdrawn").exists()


def test_the_receiver_sees_a_withdrawal_after_acceptance_in_its_list_and_on_the_client_it_received(
    world, client_a, login
):
    handoff = HandoffFactory(client=client_a, to_agency=world.agency_b, introduction=client_a.introductions.get())
    receiver = login(world.counselor_b)
    receiver.post(reverse("handoff_accept", args=[handoff.uuid]))
    handoff.refresh_from_db()
    record = reverse("client_detail", args=[handoff.received_client.uuid])
    assert "同意を撤回" not in receiver.get(record).content.decode()
    login(world.counselor_a).post(reverse("handoff_withdraw", args=[handoff.uuid]), {"confirmed": "1"})
    today = date_format(datetime.date.today())

    receiver = login(world.counselor_b)
    inbox = receiver.get(reverse("handoff_list")).content.decode()
    assert f"同意撤回（{today}）" in inbox
    page = receiver.get(record).content.decode()
    assert f"{today}、{world.agency_a.name}からのつなぎへの同意を本人が撤回しました" in page
    assert reverse("handoff_detail", args=[handoff.uuid]) in page
    # The sender's list says it too; a third agency sees nothing of it.
    assert f"同意撤回（{today}）" in login(world.counselor_a).get(reverse("handoff_list")).content.decode()
    assert world.agency_a.name not in login(world.counselor_c).get(reverse("handoff_list")).content.decode()


SECRET_NOTE = "川西太郎さん、住所は秘匿（DV）"


@pytest.mark.parametrize("ending", ["withdrawn", "consent_ended", "declined"])
def test_the_receiver_no_longer_sees_the_note_once_the_handoff_is_withdrawn_or_over(world, client_a, login, ending):
    handoff = HandoffFactory(
        client=client_a, to_agency=world.agency_b, introduction=client_a.introductions.get(), note=SECRET_NOTE
    )
    detail = reverse("handoff_detail", args=[handoff.uuid])
    assert SECRET_NOTE in login(world.counselor_b).get(detail).content.decode()
    if ending == "withdrawn":
        login(world.counselor_a).post(reverse("handoff_withdraw", args=[handoff.uuid]), {"confirmed": "1"})
    elif ending == "consent_ended":
        Handoff.objects.filter(pk=handoff.pk).update(
            consent_on=datetime.date.today() - datetime.timedelta(days=40),
            consent_until=datetime.date.today() - datetime.timedelta(days=1),
        )
    else:
        login(world.counselor_b).post(reverse("handoff_decline", args=[handoff.uuid]), {"reason": "定員のため"})
    handoff.refresh_from_db()
    assert handoff.status == {"withdrawn": "cancelled", "consent_ended": "sent", "declined": "declined"}[ending]
    assert SECRET_NOTE not in login(world.counselor_b).get(detail).content.decode()
    assert SECRET_NOTE in login(world.counselor_a).get(reverse("handoff_detail", args=[handoff.uuid])).content.decode()


def test_an_accepted_handoff_keeps_its_note_for_the_receiver(world, client_a, login):
    handoff = HandoffFactory(
        client=client_a, to_agency=world.agency_b, introduction=client_a.introductions.get(), note=SECRET_NOTE
    )
    receiver = login(world.counselor_b)
    receiver.post(reverse("handoff_accept", args=[handoff.uuid]))
    handoff.refresh_from_db()
    assert handoff.status == HandoffStatus.ACCEPTED
    assert SECRET_NOTE in receiver.get(reverse("handoff_detail", args=[handoff.uuid])).content.decode()


def test_erasing_a_client_cancels_their_unanswered_handoffs_and_blanks_every_note(
    world, client_a, login, django_capture_on_commit_callbacks
):
    introduction = client_a.introductions.get()
    pending = HandoffFactory(client=client_a, to_agency=world.agency_b, introduction=introduction, note=SECRET_NOTE)
    accepted = HandoffFactory(client=client_a, to_agency=world.agency_b, introduction=introduction, note=SECRET_NOTE)
    login(world.counselor_b).post(reverse("handoff_accept", args=[accepted.uuid]))
    eraser = login(world.coordinator_a)
    page = eraser.get(reverse("client_erase_confirm", args=[client_a.uuid])).content.decode()
    assert "2 件のつなぎを送っています" in page and "就労ニーズの把握 1 件" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = eraser.post(
            reverse("client_erase", args=[client_a.uuid]), {"reason": "client_request", "confirm": "on"}
        )
    assert response.status_code == 302
    pending.refresh_from_db()
    accepted.refresh_from_db()
    assert pending.status == HandoffStatus.CANCELLED and pending.cancelled_on == datetime.date.today()
    assert accepted.status == HandoffStatus.ACCEPTED and accepted.received_client is not None  # B's own record
    assert pending.note == accepted.note == "" and pending.client is None
    assert not NeedsCheck.objects.filter(client__agency=world.agency_a).exists()
    # The receiver can no longer accept it, and was told without a word about the client.
    receiver = login(world.counselor_b)
    receiver.post(reverse("handoff_accept", args=[pending.uuid]))
    pending.refresh_from_db()
    assert pending.status == HandoffStatus.CANCELLED and pending.received_client is None
    assert SECRET_NOTE not in receiver.get(reverse("handoff_detail", args=[pending.uuid])).content.decode()
    told = [m for m in mail.outbox if "取り消されました" in m.subject]
    assert len(told) == 1 and NAME not in told[0].body and SECRET_NOTE not in told[0].body
    entry = AuditEntry.objects.get(action="client.erase")
    assert entry.detail["handoffs"] == 2 and entry.detail["needs_checks"] == 1


def test_withdrawing_the_health_consent_erases_the_health_constraints_of_needs_checks(world, client_a, login):
    http = login(world.counselor_a)
    http.post(
        reverse("client_sensitive_consent", args=[client_a.uuid]), {"given_on": datetime.date.today().isoformat()}
    )
    check = client_a.needs_checks.get()
    NeedsCheck.objects.filter(pk=check.pk).update(health_constraints="服薬中（秘密）")
    asked = http.post(reverse("client_sensitive_consent", args=[client_a.uuid]), {"withdraw": "1"}).content.decode()
    assert "1 件の記録（自己紹介書・就労ニーズの把握）" in asked
    http.post(reverse("client_sensitive_consent", args=[client_a.uuid]), {"withdraw": "1", "confirmed": "1"})
    check.refresh_from_db()
    assert check.health_constraints == ""
    # Recording the consent again brings nothing back.
    http.post(
        reverse("client_sensitive_consent", args=[client_a.uuid]), {"given_on": datetime.date.today().isoformat()}
    )
    assert "服薬中（秘密）" not in http.get(reverse("client_detail", args=[client_a.uuid])).content.decode()
    check.refresh_from_db()
    assert check.health_constraints == ""


def test_health_notes_are_not_offered_without_the_consent_to_hold_them(world, client_a, login):
    http = login(world.counselor_a)
    response = _send(http, client_a, world.agency_b, ["health"])
    assert response.status_code == 400
    assert not Handoff.objects.exists()


def test_an_unanswered_handoff_is_flagged_on_both_home_pages(world, client_a, login, settings):
    settings.HANDOFF_REMIND_DAYS = 5
    old = datetime.date.today() - datetime.timedelta(days=6)
    HandoffFactory(client=client_a, to_agency=world.agency_b, introduction=client_a.introductions.get(), sent_on=old)
    for user in (world.counselor_a, world.counselor_b):
        page = login(user).get(reverse("dashboard")).content.decode()
        assert "待ち時間が長くなっています" in page, user
    assert "待ち時間が長くなっています" not in login(world.counselor_c).get(reverse("dashboard")).content.decode()


def test_needs_check_health_only_with_consent(world, client_a, login):
    http = login(world.counselor_a)
    url = reverse("needs_check_create", args=[client_a.uuid])
    assert 'name="health_constraints"' not in http.get(url).content.decode()
    response = http.post(url, {"checked_on": "2026-11-01", "wish_to_work": "now", "health_constraints": "腰痛"})
    check = NeedsCheck.objects.filter(client=client_a).order_by("-created_at").first()
    assert response.status_code == 302 and check.health_constraints == ""
    response = http.get(reverse("needs_check_detail", args=[client_a.uuid, check.uuid]))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"


def test_the_wish_to_work_is_answered_by_ticking_one_answer_not_a_placeholder(world, client_a, login):
    page = login(world.counselor_a).get(reverse("needs_check_create", args=[client_a.uuid]))
    radios = re.findall(r'<input type="radio"[^>]* name="wish_to_work" value="([^"]*)"', page.content.decode())
    assert radios == [value for value, _label in WishToWork.choices]  # no blank 「選んでください」 to tick


def test_a_needs_check_dated_in_the_future_is_said_next_to_the_date(world, client_a, login):
    http = login(world.counselor_a)
    url = reverse("needs_check_create", args=[client_a.uuid])
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    response = http.post(url, {"checked_on": tomorrow, "wish_to_work": "now", "past_work": "倉庫の検品"})
    assert response.status_code == 400
    assert response.context["form"].errors["checked_on"] == ["未来の日付は入力できません。"]
    assert "倉庫の検品" in response.content.decode()  # what was typed is kept
    assert client_a.needs_checks.count() == 1  # the fixture's only


# --- What both sides see before acceptance: exactly what acceptance copies ----------------------


def _full_introduction(client, region):
    """A self-introduction with every field filled, each free text its own words."""
    client.sensitive_consent_on = datetime.date.today()
    client.save()
    introduction = SelfIntroductionFactory(
        client=client,
        preferred_name=NAME,
        interests="切り絵と鉄道写真",
        strengths="数を数えるのが速い",
        confidence={"accuracy": 3, "stamina": 1},
        want_to_confirm=["pace"],
        wants_accommodation=["people"],
        experience="図書館で配架の手伝い",
        goals="午後まで集中できるか確かめたい",
        worries="大きな音が苦手",
        coping="耳栓を使うと落ち着く",
        accommodations=["quiet_place"],
        requests="作業の見本を一つ置いてほしい",
        commute_notes="雨の日はバスで",
        engagement_types=["visit"],
        health_notes="季節の変わり目に体調を崩しやすい",
    )
    introduction.regions.set([region])
    return introduction


def _dimension_row(page: str, key: str) -> list[str]:
    """The cells after a dimension's name in the confidence table, as text."""
    label = str(Dimension(key).label)
    row = re.search(rf"<th scope=\"row\"[^>]*>{re.escape(label)}</th>(.*?)</tr>", page, re.S)
    assert row, label
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row.group(1), re.S)]


def _expected_on_page(copy, name: str, page: str) -> None:
    """A copied field's value, written as a reader sees it, is on the page (the test's own words)."""
    field = SelfIntroduction._meta.get_field(name)
    value = getattr(copy, name)
    if name == "confidence":
        for key, level in value.items():
            assert _dimension_row(page, key)[0] == f"{level} / 3", key
    elif field.many_to_many:
        for each in value.all():
            assert each.name in page, name
    elif hasattr(field, "choice_labels"):
        for label in field.choice_labels(value):
            assert label in page, (name, label)
    elif field.choices:
        assert getattr(copy, f"get_{name}_display")() in page, name
    elif isinstance(value, datetime.time):
        assert value.strftime("%H:%M") in page, name
    else:
        assert value in page, name


def _texts(introduction, item: str) -> list[str]:
    return [
        getattr(introduction, name)
        for name in ITEM_FIELDS[item]
        if isinstance(getattr(introduction, name), str) and getattr(introduction, name)
    ]


@pytest.mark.parametrize("item", list(ITEM_FIELDS))
def test_before_acceptance_both_sides_see_every_value_acceptance_copies_and_nothing_else(world, login, item):
    client = ClientFactory(agency=world.agency_a, preferred_name=NAME)
    introduction = _full_introduction(client, world.region_x)
    handoff = HandoffFactory(client=client, to_agency=world.agency_b, introduction=introduction, items=[item])
    detail = reverse("handoff_detail", args=[handoff.uuid])
    receiver = login(world.counselor_b)
    before = receiver.get(detail).content.decode()
    sender_view = login(world.counselor_a).get(detail).content.decode()

    login(world.counselor_b).post(reverse("handoff_accept", args=[handoff.uuid]))
    handoff.refresh_from_db()
    copy = handoff.received_client.introductions.get()
    for name in ITEM_FIELDS[item]:
        copied = getattr(copy, name)
        assert copied.exists() if hasattr(copied, "exists") else copied not in ("", [], {}, None), name
        _expected_on_page(copy, name, before)
        _expected_on_page(copy, name, sender_view)
    for other in set(ITEM_FIELDS) - {item}:
        for text in _texts(introduction, other):
            if text not in _texts(introduction, item):
                assert text not in before, (other, text)


# The words that show each part of the per-dimension table on the hand-off page (its column or row).
DIMENSION_PARTS = {"confidence": "いまの自信", "want_to_confirm": "確かめたい", "wants_accommodation": "配慮"}


@pytest.mark.parametrize(
    ("item", "part"), [("strengths", "confidence"), ("goals", "want_to_confirm"), ("requests", "wants_accommodation")]
)
def test_each_part_of_the_dimension_table_goes_only_with_the_item_that_names_it(world, login, item, part):
    """「得意なことと、いまの自信」 alone carries the levels, not the 「確かめたい」 and 「配慮」 marks
    of each row: the client agreed to those with the items whose labels name them."""
    client = ClientFactory(agency=world.agency_a, preferred_name=NAME)
    introduction = _full_introduction(client, world.region_x)
    handoff = HandoffFactory(client=client, to_agency=world.agency_b, introduction=introduction, items=[item])
    receiver = login(world.counselor_b)
    before = receiver.get(reverse("handoff_detail", args=[handoff.uuid])).content.decode()
    for name, word in DIMENSION_PARTS.items():
        assert (word in before) == (name == part), (name, word)
    receiver.post(reverse("handoff_accept", args=[handoff.uuid]))
    handoff.refresh_from_db()
    copy = handoff.received_client.introductions.get()
    assert [name for name in DIMENSION_PARTS if getattr(copy, name)] == [part]


# --- The agency directory ------------------------------------------------------------------------


def test_directory_search_by_kind_and_area_and_pdf(world, login):

    world.agency_a.support_kinds = ["life_consultation", "work_readiness"]
    world.agency_a.save()
    world.agency_b.support_kinds = ["free_placement"]
    world.agency_b.service_area = "伊丹市・宝塚市"
    world.agency_b.save()
    http = login(world.counselor_b)

    def listed(params):
        page = http.get(reverse("agency_directory"), params).content.decode()
        return {a.name for a in (world.agency_a, world.agency_b, world.agency_c) if f"/agencies/{a.uuid}/" in page}

    assert listed({"kind": "work_readiness"}) == {world.agency_a.name}
    assert listed({"region": str(world.region_x.uuid)}) == {world.agency_a.name, world.agency_b.name}
    assert listed({}) == {world.agency_a.name, world.agency_b.name}  # C: another prefecture
    response = http.get(reverse("agency_directory_pdf"), {"kind": "free_placement"})
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert world.agency_b.name in text and world.agency_a.name not in text and "無料職業紹介" in text


def test_directory_entry_is_kept_by_the_agency_admin(world, login):
    http = login(world.agency_admin_a)
    response = http.post(
        reverse("agency_profile_edit"),
        {"support_kinds": ["job_retention"], "serves": "市内の方", "hours": "平日 9時〜17時", "contact_note": "電話で"},
    )
    assert response.status_code == 302
    world.agency_a.refresh_from_db()
    assert world.agency_a.support_kinds == ["job_retention"] and world.agency_a.accepts_handoffs is False
    assert AuditEntry.objects.filter(action="agency.profile_update").exists()
    page = login(world.counselor_b).get(reverse("agency_detail", args=[world.agency_a.uuid])).content.decode()
    assert "定着支援" in page and "平日 9時〜17時" in page
    # An agency that does not accept hand-offs is not offered as a receiver.
    client = ClientFactory(agency=world.agency_b)
    form = login(world.counselor_b).get(reverse("handoff_create", args=[client.uuid])).content.decode()
    assert world.agency_a.name not in form
    assert login(world.counselor_a).post(reverse("agency_profile_edit"), {}).status_code == 403


# --- Region figures ----------------------------------------------------------------------------


def test_region_figures_count_handoffs_per_quarter_with_small_counts_suppressed(world, client_a, login):
    introduction = client_a.introductions.get()
    for _n in range(4):
        HandoffFactory(client=client_a, to_agency=world.agency_b, introduction=introduction)
    other = ClientFactory(agency=world.agency_b)
    HandoffFactory(
        client=other, to_agency=world.agency_a, items=["needs_check"], needs_check=NeedsCheckFactory(client=other)
    )
    HandoffFactory(client=client_a, to_agency=world.agency_b, introduction=introduction, status=HandoffStatus.CANCELLED)
    page = login(world.counselor_a).get(reverse("workshops:region_progress", args=[world.region_x.uuid]))
    html = page.content.decode()
    assert page.status_code == 200
    section = html.split('id="region-handoffs"', 1)[1]
    row_ab = section.split(f"{world.agency_a.name} → {world.agency_b.name}", 1)[1].split("</tr>", 1)[0]
    assert ">4</td>" in row_ab  # the cancelled one is not counted
    assert "3件未満" in row_ab  # the other quarters
    # B → A had one hand-off: its row alone would say so to every agency of the region.
    assert f"{world.agency_b.name} → {world.agency_a.name}" not in section
    assert section.count("<line ") == 1  # one arrow, A → B
    assert "<svg" in section and NAME not in html


def test_region_figures_show_nothing_while_every_pair_is_under_3(world, client_a, login):
    introduction = client_a.introductions.get()
    for _n in range(2):
        HandoffFactory(client=client_a, to_agency=world.agency_b, introduction=introduction)
    html = login(world.counselor_b).get(reverse("workshops:region_progress", args=[world.region_x.uuid]))
    assert 'id="region-handoffs"' not in html.content.decode()
    HandoffFactory(client=client_a, to_agency=world.agency_b, introduction=introduction)
    html = login(world.counselor_b).get(reverse("workshops:region_progress", args=[world.region_x.uuid]))
    assert f"{world.agency_a.name} → {world.agency_b.name}" in html.content.decode()


def test_region_figures_give_no_total_that_would_give_a_hidden_quarter_back(world, client_a, login):
    # 1 hand-off three quarters ago and 4 now: a total of 5 beside 「3件未満」 would say the hidden one is 1.
    introduction = client_a.introductions.get()
    today = datetime.date.today()
    HandoffFactory(
        client=client_a,
        to_agency=world.agency_b,
        introduction=introduction,
        sent_on=today - datetime.timedelta(days=270),
    )
    for _n in range(4):
        HandoffFactory(client=client_a, to_agency=world.agency_b, introduction=introduction, sent_on=today)
    html = (
        login(world.counselor_a).get(reverse("workshops:region_progress", args=[world.region_x.uuid])).content.decode()
    )
    section = html.split('id="region-handoffs"', 1)[1].split("</section>", 1)[0]
    row = section.split(f"{world.agency_a.name} → {world.agency_b.name}", 1)[1].split("</tr>", 1)[0]
    assert row.count("<td") == 4 and ">4</td>" in row and "3件未満" in row
    assert ">5<" not in section and ">合計<" not in section


# --- Referral notices ------------------------------------------------------------------------


def test_the_programs_agency_sees_a_referral_without_client_data_and_confirms_the_date(world, login):
    program = ProgramFactory(employer=world.employer_a, status=ProgramStatus.PUBLISHED, sharing_scope="region")
    client_b = ClientFactory(agency=world.agency_b, preferred_name=NAME)
    referral = ReferralFactory(client=client_b, program=program, status="scheduled", starts_on=datetime.date.today())
    http = login(world.coordinator_a)
    home = http.get(reverse("dashboard")).content.decode()
    assert program.title in home and world.agency_b.name in home
    page = http.get(reverse("referral_notices")).content.decode()
    assert program.title in page and NAME not in page and client_b.code not in page
    assert http.post(reverse("referral_notice_confirm", args=[referral.uuid])).status_code == 302
    referral.refresh_from_db()
    assert referral.host_confirmed_on == datetime.date.today()
    detail = login(world.counselor_b).get(reverse("referral_detail", args=[referral.uuid])).content.decode()
    assert "日程を確認しました" in detail
    # Not the referring agency's own, nor a third agency's business.
    assert login(world.counselor_c).get(reverse("referral_notices")).content.decode().count(program.title) == 0


def test_the_needs_check_prints_for_the_clients_file(world, client_a, login):
    check = client_a.needs_checks.get()
    response = login(world.counselor_a).get(reverse("needs_check_pdf", args=[client_a.uuid, check.uuid]))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "倉庫の仕分け" in text and client_a.code in text
    assert AuditEntry.objects.filter(action="needs_check.print").exists()
    assert login(world.counselor_b).get(reverse("needs_check_pdf", args=[client_a.uuid, check.uuid])).status_code == 404


def test_the_new_view_and_edit_pages_of_a_needs_check_have_their_own_titles(world, client_a, login):
    """WCAG 2.4.2: all three once said 「就労ニーズの把握 C-… | …」."""
    http = login(world.counselor_a)
    check = client_a.needs_checks.get()
    title = re.compile(r"<title>(.*?)</title>", re.S)
    new = title.search(http.get(reverse("needs_check_create", args=[client_a.uuid])).content.decode()).group(1)
    args = [client_a.uuid, check.uuid]
    view = title.search(http.get(reverse("needs_check_detail", args=args)).content.decode()).group(1)
    edit = title.search(http.get(reverse("needs_check_edit", args=args)).content.decode()).group(1)
    assert "（新規作成）" in new and "（編集）" in edit and client_a.code in new + view + edit
    assert len({new, view, edit}) == 3
