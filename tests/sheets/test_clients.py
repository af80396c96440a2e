"""Clients and self-introduction forms: minimal data, one agency only, health notes only with
consent, audit of every view, and nothing of a client ever shown to another agency."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from registry.models import AuditEntry
from sheets.clients import services
from sheets.clients.models import Client, SelfIntroduction
from sheets.programs.models import ProgramStatus, SharingScope
from tests.factories import AgencyFactory, EmployerFactory, RegionFactory
from tests.sheets.client_factories import (
    ClientFactory,
    ReferralFactory,
    SelfIntroductionFactory,
    SharingConsentFactory,
)
from tests.sheets.factories import ProgramFactory

SECRET_NAME = "あおぞらミツキさん"
HEALTH = "通院のため月1回午後休み"

INTRODUCTION_POST = {
    "preferred_name": "ミツキさん",
    "age_band": "20s",
    "counselor_name": "伊藤",
    "interests": "料理、猫",
    "interest_tags": ["realistic"],
    "strengths": "ていねいに作業できる",
    "conf_stamina": "0",
    "conf_accuracy": "2",
    "confirm_accuracy": "on",
    "accom_stamina": "on",
    "experience": "",
    "goals": "",
    "worries": "",
    "coping": "",
    "accommodations": ["extra_breaks"],
    "requests": "",
    "days": ["tue", "thu"],
    "available_from": "09:00",
    "available_until": "12:00",
    "commute": ["bicycle"],
    "commute_notes": "",
    "engagement_types": ["experience"],
    "health_notes": "",
}


@pytest.fixture
def client_a(world):
    client = ClientFactory(agency=world.agency_a, preferred_name=SECRET_NAME)
    world.client_a = client
    return client


# --- Codes and visibility ---------------------------------------------------------------------


def test_codes_are_generated_per_agency_and_year(world):
    first = services.client_create(agency=world.agency_a, by=world.counselor_a, preferred_name="はるさん")
    second = services.client_create(agency=world.agency_a, by=world.counselor_a, preferred_name="なつさん")
    other = services.client_create(agency=world.agency_b, by=world.counselor_b, preferred_name="あきさん")
    year = datetime.date.today().year
    assert (first.code, second.code, other.code) == (f"C-{year}-0001", f"C-{year}-0002", f"C-{year}-0001")
    assert AuditEntry.objects.filter(action="client.create", target_id=str(first.uuid)).exists()


def test_a_counselor_cannot_create_a_client_for_another_agency(world):
    with pytest.raises(PermissionDenied):
        services.client_create(agency=world.agency_b, by=world.counselor_a, preferred_name="はるさん")
    assert not Client.objects.exists()


def test_for_user_is_own_agency_only(world, client_a):
    ClientFactory(agency=world.agency_b)
    assert list(Client.objects.for_user(world.counselor_a)) == [client_a]
    assert list(Client.objects.for_user(world.coordinator_a)) == [client_a]
    assert client_a not in Client.objects.for_user(world.counselor_b)
    assert not Client.objects.for_user(world.counselor_c).exists()
    # Personal data is the agency's: the platform operator sees none by default.
    assert not Client.objects.for_user(world.platform_admin).exists()


def test_create_page_registers_and_goes_to_the_form(world, login):
    response = login(world.counselor_a).post(reverse("client_create"), {"preferred_name": "はるさん"})
    client = Client.objects.get()
    assert client.agency == world.agency_a
    assert response.url == reverse("introduction_create", args=[client.uuid])


def test_create_page_requires_a_name(world, login):
    response = login(world.counselor_a).post(reverse("client_create"), {"preferred_name": ""})
    assert response.status_code == 400
    assert "この項目は必須です。" in response.content.decode()
    assert not Client.objects.exists()


@pytest.mark.parametrize("blank", ["\u200b\u200b", "\u3000\ufeff", "\u2060\u200d\u3164"])
def test_a_name_of_invisible_characters_is_refused_next_to_the_field(world, login, blank):
    response = login(world.counselor_a).post(reverse("client_create"), {"preferred_name": blank})
    assert response.status_code == 400
    assert response.context["form"].errors["preferred_name"] == ["この項目は必須です。"]
    assert not Client.objects.exists()


def test_invisible_characters_around_a_name_are_not_kept(world, client_a, login):
    http = login(world.counselor_a)
    http.post(reverse("client_create"), {"preferred_name": "\u200bはるさん\u200b"})
    assert Client.objects.filter(preferred_name="はるさん").exists()
    # The same on every form with a name: the client page's rename, the self-introduction.
    url = reverse("client_detail", args=[client_a.uuid])
    response = http.post(url, {"client-preferred_name": "\u200b\u200b"})
    assert response.status_code == 400 and response.context["form"].errors["preferred_name"]
    client_a.refresh_from_db()
    assert client_a.preferred_name == SECRET_NAME
    post = INTRODUCTION_POST | {"preferred_name": "\u2060\u200b"}
    response = http.post(reverse("introduction_create", args=[client_a.uuid]), post)
    assert response.status_code == 400 and response.context["form"].errors["preferred_name"]
    assert not client_a.introductions.exists()


def test_list_shows_own_clients_only(world, client_a, login):
    ClientFactory(agency=world.agency_b, preferred_name="べつのきかんさん")
    body = login(world.counselor_a).get(reverse("client_list")).content.decode()
    assert SECRET_NAME in body and "べつのきかんさん" not in body


def test_client_pages_are_private_and_audited(world, client_a, login):
    response = login(world.counselor_a).get(reverse("client_detail", args=[client_a.uuid]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.get(action="client.view")
    assert (entry.actor, entry.agency, entry.target_id) == (world.counselor_a, world.agency_a, str(client_a.uuid))
    assert SECRET_NAME not in str(entry.detail)


# --- Nothing leaks to other agencies ---------------------------------------------------------------


@pytest.mark.parametrize("persona", ["counselor_b", "counselor_c"])
def test_another_agency_never_sees_the_client(world, client_a, login, persona):
    """Every page another agency can open: the client's name and code never appear."""
    introduction = SelfIntroductionFactory(client=client_a, preferred_name=SECRET_NAME)
    consent = SharingConsentFactory(introduction=introduction, employer=world.employer_a)
    program = ProgramFactory(
        employer=world.employer_a, status=ProgramStatus.PUBLISHED, sharing_scope=SharingScope.PREFECTURE
    )
    referral = ReferralFactory(client=client_a, program=program)
    http = login(getattr(world, persona))
    private_urls = [
        reverse("client_detail", args=[client_a.uuid]),
        reverse("introduction_detail", args=[client_a.uuid, introduction.uuid]),
        reverse("introduction_edit", args=[client_a.uuid, introduction.uuid]),
        reverse("introduction_pdf", args=[client_a.uuid, introduction.uuid]) + f"?consent={consent.uuid}",
        reverse("client_matches", args=[client_a.uuid]),
        reverse("referral_detail", args=[referral.uuid]),
    ]
    for url in private_urls:
        assert http.get(url).status_code == 404, url
    public_urls = [
        reverse("dashboard"),
        reverse("client_list"),
        reverse("program_list"),
        reverse("program_list") + "?q=ミツキ",  # part of the name: the query itself is echoed
        reverse("client_list") + "?q=C-20",
        reverse("audit_list"),
    ]
    if persona == "counselor_b":
        public_urls.append(reverse("program_detail", args=[program.uuid]))
    for url in public_urls:
        body = http.get(url).content.decode()
        assert SECRET_NAME not in body, url
        assert client_a.code not in body, url
    assert not AuditEntry.objects.filter(action__startswith="client.view").exists()


# --- Self-introduction form and health notes ------------------------------------------------------


def test_form_saves_every_part(world, client_a, login):
    url = reverse("introduction_create", args=[client_a.uuid])
    response = login(world.counselor_a).post(url, INTRODUCTION_POST | {"regions": [world.region_x.pk]})
    introduction = SelfIntroduction.objects.get()
    assert response.status_code == 302
    assert introduction.confidence == {"accuracy": 2, "stamina": 0}
    assert introduction.want_to_confirm == ["accuracy"]
    assert introduction.wants_accommodation == ["stamina"]
    assert list(introduction.regions.all()) == [world.region_x]
    assert introduction.days == ["tue", "thu"]
    assert introduction.available_from == datetime.time(9, 0)
    assert AuditEntry.objects.filter(action="introduction.create").exists()


def test_health_notes_are_refused_without_sensitive_data_consent(world, client_a, login):
    url = reverse("introduction_create", args=[client_a.uuid])
    response = login(world.counselor_a).post(url, INTRODUCTION_POST | {"health_notes": HEALTH})
    assert response.status_code == 400
    assert "要配慮個人情報" in response.content.decode()
    assert "同意" in response.content.decode()
    assert not SelfIntroduction.objects.exists()


def test_health_notes_are_kept_with_consent_and_erased_on_withdrawal(world, client_a, login):
    http = login(world.counselor_a)
    http.post(reverse("client_sensitive_consent", args=[client_a.uuid]), {"given_on": "2026-11-01"})
    client_a.refresh_from_db()
    assert client_a.sensitive_consent_on == datetime.date(2026, 11, 1)
    assert client_a.sensitive_consent_by == world.counselor_a
    url = reverse("introduction_create", args=[client_a.uuid])
    assert http.post(url, INTRODUCTION_POST | {"health_notes": HEALTH}).status_code == 302
    assert SelfIntroduction.objects.get().health_notes == HEALTH
    # Withdrawing asks first and says the notes will be erased (issue 21 item 17).
    asked = http.post(reverse("client_sensitive_consent", args=[client_a.uuid]), {"withdraw": "1"})
    assert asked.status_code == 200 and asked["Cache-Control"] == "private, no-store"
    assert "1 件の記録（自己紹介書・就労ニーズの把握）の健康に関するメモを完全に消去します" in asked.content.decode()
    assert SelfIntroduction.objects.get().health_notes == HEALTH
    http.post(reverse("client_sensitive_consent", args=[client_a.uuid]), {"withdraw": "1", "confirmed": "1"})
    assert SelfIntroduction.objects.get().health_notes == ""
    entry = AuditEntry.objects.get(action="client.sensitive_consent_withdrawn")
    assert HEALTH not in str(entry.detail)


def test_withdrawing_a_sharing_consent_asks_first_and_says_what_follows(world, client_a, login):
    introduction = SelfIntroductionFactory(client=client_a)
    consent = SharingConsentFactory(introduction=introduction, employer=world.employer_a)
    url = reverse("consent_withdraw", args=[client_a.uuid, introduction.uuid, consent.uuid])
    http = login(world.counselor_a)
    asked = http.post(url)
    page = asked.content.decode()
    assert asked.status_code == 200
    assert f"今日から、{world.employer_a.name} 向けに自己紹介書を印刷できなくなります。" in page
    assert reverse("introduction_detail", args=[client_a.uuid, introduction.uuid]) in page  # やめて戻る
    consent.refresh_from_db()
    assert consent.withdrawn_on is None
    assert http.post(url, {"confirmed": "1"}).status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on is not None


def test_editing_is_audited_with_field_names_only(world, client_a, login):
    introduction = SelfIntroductionFactory(client=client_a)
    url = reverse("introduction_edit", args=[client_a.uuid, introduction.uuid])
    data = INTRODUCTION_POST | {"version": introduction.version, "worries": "人前で話すのが苦手"}
    assert login(world.counselor_a).post(url, data).status_code == 302
    entry = AuditEntry.objects.get(action="introduction.update")
    assert "worries" in entry.detail["fields"]
    assert "人前" not in str(entry.detail)


def test_a_stale_edit_is_refused(world, client_a, login):
    introduction = SelfIntroductionFactory(client=client_a)
    url = reverse("introduction_edit", args=[client_a.uuid, introduction.uuid])
    response = login(world.counselor_a).post(url, INTRODUCTION_POST | {"version": introduction.version - 1})
    assert response.status_code == 400
    introduction.refresh_from_db()
    assert introduction.version == 1


def test_end_of_availability_must_follow_its_start(world, client_a, login):
    url = reverse("introduction_create", args=[client_a.uuid])
    data = INTRODUCTION_POST | {"available_from": "13:00", "available_until": "09:00"}
    response = login(world.counselor_a).post(url, data)
    assert response.status_code == 400
    assert not SelfIntroduction.objects.exists()


def test_an_introduction_of_another_client_is_404(world, client_a, login):
    other = SelfIntroductionFactory(client=ClientFactory(agency=world.agency_a))
    url = reverse("introduction_detail", args=[client_a.uuid, other.uuid])
    assert login(world.counselor_a).get(url).status_code == 404


def test_the_sharing_consent_form_starts_with_nothing_ticked(world, client_a, login):
    """Opt-in (issue 18 item 6): saving the form as it opens shares nothing — it is refused."""
    client_a.sensitive_consent_on = datetime.date(2026, 11, 1)
    client_a.save()
    introduction = SelfIntroductionFactory(client=client_a)
    http = login(world.counselor_a)
    url = reverse("consent_create", args=[client_a.uuid, introduction.uuid])
    page = http.get(url).content.decode()
    assert 'name="sections"' in page
    assert "checked" not in page.split('name="sections"', 1)[1].split("</fieldset>", 1)[0]
    response = http.post(
        url, {"employer": world.employer_a.pk, "valid_from": "2026-11-01", "valid_until": "2026-12-01"}
    )
    assert response.status_code == 400
    assert not introduction.consents.exists()


def test_consent_can_name_the_employer_of_a_program_shared_from_another_city(world, client_a, login):
    """A program shared prefecture-wide by an agency of another city is proposed like any other,
    so the consent to show its employer the self-introduction can name that employer; an
    employer whose programs are not shared with the agency is still not offered."""
    other_city = AgencyFactory(region=RegionFactory(prefecture=world.region_x.prefecture, name="川西市"))
    shared = ProgramFactory(
        employer=EmployerFactory(owner=other_city, name="ミナミ印刷"),
        status=ProgramStatus.PUBLISHED,
        sharing_scope=SharingScope.PREFECTURE,
    )
    ProgramFactory(
        employer=EmployerFactory(owner=other_city, name="自機関だけの工房"),
        status=ProgramStatus.PUBLISHED,
        sharing_scope=SharingScope.OWN_AGENCY,
    )
    introduction = SelfIntroductionFactory(client=client_a)
    http = login(world.counselor_a)
    url = reverse("consent_create", args=[client_a.uuid, introduction.uuid])
    form = http.get(url, {"program": shared.uuid}).context["form"]
    offered = {employer.name for employer in form.fields["employer"].queryset}
    assert "ミナミ印刷" in offered and "自機関だけの工房" not in offered
    assert form.initial == {"program": shared.pk, "employer": shared.employer_id}
    response = http.post(
        url,
        {
            "employer": shared.employer_id,
            "program": shared.pk,
            "sections": ["strengths"],
            "valid_from": timezone.localdate().isoformat(),
            "valid_until": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert introduction.consents.get().employer == shared.employer


def test_a_consent_to_share_with_an_employer_lasts_at_most_a_year(world, client_a, login):
    introduction = SelfIntroductionFactory(client=client_a)
    url = reverse("consent_create", args=[client_a.uuid, introduction.uuid])
    today = timezone.localdate()
    data = {"employer": world.employer_a.pk, "sections": ["strengths"], "valid_from": today.isoformat()}
    response = login(world.counselor_a).post(url, data | {"valid_until": "2099-12-31"})
    assert response.status_code == 400
    assert "同意の有効期間は、始まりから1年までです。" in str(response.context["form"].errors["valid_until"])
    assert 'value="2099-12-31"' in response.content.decode()
    assert not introduction.consents.exists()
    a_year = today.replace(year=today.year + 1) if not (today.month == 2 and today.day == 29) else today
    assert login(world.counselor_a).post(url, data | {"valid_until": a_year.isoformat()}).status_code == 302


def test_every_error_of_the_sharing_consent_form_is_said_at_once(world, client_a, login):
    introduction = SelfIntroductionFactory(client=client_a)
    url = reverse("consent_create", args=[client_a.uuid, introduction.uuid])
    data = {
        "employer": world.employer_a.pk,
        "valid_from": timezone.localdate().isoformat(),
        "valid_until": "2099-12-31",
    }
    response = login(world.counselor_a).post(url, data)  # no section ticked, and a period of 73 years
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["sections"] and "同意の有効期間は、始まりから1年までです。" in errors["valid_until"][0]
    assert not introduction.consents.exists()


def test_the_client_list_searches_a_query_with_a_nul_character_without_it(world, client_a, login):
    # PostgreSQL refuses NUL in a query (a 500 before): the list is searched without it.
    page = login(world.counselor_a).get(reverse("client_list"), {"q": client_a.code[:4] + "\x00"})
    assert page.status_code == 200
    assert client_a.code in page.content.decode()


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("ユウヒ", {"ゆうひ三号さん"}),  # katakana for a hiragana name
        ("００４６", {"ゆうひ三号さん"}),  # full-width digits of the code
        ("ｺﾞｳ", {"ごうだミナトさん"}),  # half-width kana
        ("ゆうひ\u3000三号", {"ゆうひ三号さん"}),  # a full-width space between two words: both are needed
        ("ゆうひ 四号", set()),
        ("みなと", {"ごうだミナトさん"}),
    ],
)
def test_the_client_list_finds_names_and_codes_whatever_the_kana_and_width(world, login, query, found):
    ClientFactory(agency=world.agency_a, code="C-2026-0046", preferred_name="ゆうひ三号さん")
    ClientFactory(agency=world.agency_a, code="C-2026-0047", preferred_name="ごうだミナトさん")
    ClientFactory(agency=world.agency_b, code="C-2026-0046", preferred_name="ゆうひ三号さん（機関B）")
    page = login(world.counselor_a).get(reverse("client_list"), {"q": query})
    assert page.status_code == 200
    assert {client.preferred_name for client in page.context["page"]} == found  # never another agency's


@pytest.mark.parametrize(
    ("given_on", "error"),
    [
        (lambda today: today + datetime.timedelta(days=1), "未来の日付は入力できません。"),
        (lambda today: datetime.date(1900, 1, 1), "2017年5月30日"),
        (lambda today: datetime.date(2017, 5, 29), "2017年5月30日"),
    ],
)
def test_a_health_consent_date_out_of_range_is_said_next_to_the_field_and_kept(world, client_a, login, given_on, error):
    http = login(world.counselor_a)
    typed = given_on(timezone.localdate()).isoformat()
    response = http.post(reverse("client_sensitive_consent", args=[client_a.uuid]), {"given_on": typed})
    assert response.status_code == 400
    assert error in response.context["consent_form"].errors["given_on"][0]
    page = response.content.decode()
    assert f'value="{typed}"' in page  # what was typed is kept, next to its message
    client_a.refresh_from_db()
    assert client_a.sensitive_consent_on is None


def test_the_health_consent_date_offers_only_days_from_the_law_to_today(world, client_a, login):
    page = login(world.counselor_a).get(reverse("client_detail", args=[client_a.uuid])).content.decode()
    field = re.search(r'<input type="date" name="given_on"[^>]*>', page).group(0)
    assert 'min="2017-05-30"' in field and f'max="{timezone.localdate().isoformat()}"' in field
    # A consent signed before the client was registered here (entered later) is recorded as given.
    response = login(world.counselor_a).post(
        reverse("client_sensitive_consent", args=[client_a.uuid]), {"given_on": "2017-05-30"}
    )
    assert response.status_code == 302
    client_a.refresh_from_db()
    assert client_a.sensitive_consent_on == datetime.date(2017, 5, 30)


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


def test_each_page_of_a_self_introduction_has_its_own_title(world, client_a, login):
    """WCAG 2.4.2: the new, view and edit pages once all said 「自己紹介書 C-… | …」."""
    http = login(world.counselor_a)
    new = _title(http.get(reverse("introduction_create", args=[client_a.uuid])).content.decode())
    introduction = SelfIntroductionFactory(client=client_a)
    args = [client_a.uuid, introduction.uuid]
    view = _title(http.get(reverse("introduction_detail", args=args)).content.decode())
    edit = _title(http.get(reverse("introduction_edit", args=args)).content.decode())
    assert new.startswith(f"自己紹介書 {client_a.code}（新規作成）")
    assert edit.startswith(f"自己紹介書 {client_a.code}（編集）")
    assert len({new, view, edit}) == 3


def test_the_dimension_table_reads_each_select_with_its_purpose_question_and_error(world, client_a, login):
    http = login(world.counselor_a)
    html = http.get(reverse("introduction_create", args=[client_a.uuid])).content.decode()
    # h1 → h2 (axe heading-order): the table's heading is not an h3 after the page's h1.
    assert re.search(r'<h2 [^>]*id="dimensions-title"', html)
    assert '<p class="visually-hidden" id="dimension-confidence-purpose">いまの自信</p>' in html
    select = re.search(r'<select name="conf_accuracy"[^>]*>', html).group(0)
    assert 'aria-describedby="dimension-confidence-purpose id_conf_accuracy-question"' in select
    assert 'id="id_conf_accuracy-question"' in html
    assert "aria-invalid" not in select
    refused = http.post(
        reverse("introduction_create", args=[client_a.uuid]), INTRODUCTION_POST | {"conf_accuracy": "9"}
    )
    html = refused.content.decode()
    select = re.search(r'<select name="conf_accuracy"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in select
    assert "id_conf_accuracy-question id_conf_accuracy-error" in select
    assert re.search(r'<div class="invalid-feedback d-block" id="id_conf_accuracy-error">', html)
