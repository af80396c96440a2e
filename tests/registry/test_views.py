"""The standard cases for the registry's screens (status codes are in the permission matrix)."""

import re

from django.contrib.admin import site
from django.core import mail
from django.forms.models import model_to_dict
from django.test import RequestFactory

from registry import services
from registry.models import Agency, AuditEntry, Employer, EmployerVisit, Membership, User

VALID_EMPLOYER = {
    "name": "株式会社かわにし物流",
    "name_kana": "かぶしきがいしゃかわにしぶつりゅう",
    "kind": "company",
    "industry": "H",
    "address": "川西市久代4-2-1",
    "access_notes": "",
    "contact_name": "",
    "contact_phone": "",
    "contact_email": "",
    "staff_count": "48",
    "description": "ピッキング、梱包、検品",
}


def test_login_page_is_japanese(client, db):
    response = client.get("/accounts/login/")
    html = response.content.decode()
    assert '<html lang="ja">' in html
    assert "ログイン" in html


def test_login_with_email_and_password(client, world):
    response = client.post("/accounts/login/", {"username": world.counselor_a.email, "password": "wrong"})
    assert response.status_code == 200
    assert "メールアドレスかパスワードが違います。大文字と小文字は区別されます。" in response.content.decode()
    response = client.post(
        "/accounts/login/", {"username": world.counselor_a.email, "password": "correct-horse-battery-42"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_english_is_available(client, world):
    client.force_login(world.counselor_a)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Employers you can see" in client.get("/").content.decode()


def test_dashboard_shows_role_specific_sections(client, world):
    client.force_login(world.coordinator_a)
    html = client.get("/").content.decode()
    assert "自機関が担当する事業所" in html
    assert "有効な職員" not in html
    client.force_login(world.agency_admin_a)
    assert "有効な職員" in client.get("/").content.decode()
    client.force_login(world.platform_admin)
    assert "都道府県別" in client.get("/").content.decode()


def test_the_admins_home_counts_staff_as_the_staff_page_does(client, world):
    """Someone invited is not yet staff: the home page's count and the staff page's list agree,
    and open invitations are counted on their own (a pending invitee was counted as active)."""
    from django.urls import reverse

    from registry.models import Role
    from registry.services import staff_invite

    client.force_login(world.agency_admin_a)
    staff = client.get(reverse("staff_list")).context["memberships"]
    before = client.get("/").context["staff_active_count"]
    assert before == len([m for m in staff if m.is_active])
    assert "招待中の人" not in client.get("/").content.decode()

    staff_invite(agency=world.agency_a, by=world.agency_admin_a, email="new.person@example.jp",
                 name="新井 花", name_kana="あらい はな", role=Role.COUNSELOR)  # fmt: skip
    staff_invite(agency=world.agency_a, by=world.agency_admin_a, email=world.counselor_b.email,
                 name="", name_kana="", role=Role.COUNSELOR)  # fmt: skip  # an existing account
    page = client.get("/")
    assert page.context["staff_active_count"] == before
    assert Membership.objects.filter(agency=world.agency_a, is_active=True).count() == before + 1
    assert "招待中の人 2人" in page.content.decode()


def test_employer_list_filters_and_htmx_fragment(client, world):
    client.force_login(world.coordinator_a)
    html = client.get("/employers/", {"q": "みどり"}).content.decode()
    assert "有限会社みどり紙工" in html and "閉店した商店" not in html
    html = client.get("/employers/", {"archived": "true"}).content.decode()
    assert "閉店した商店" in html
    fragment = client.get("/employers/", {"q": "存在しない"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment
    assert "条件に合う事業所がありません" in fragment


def test_employer_list_region_choices_are_narrowed(client, world):
    client.force_login(world.counselor_c)
    html = client.get("/employers/").content.decode()
    assert world.region_y.name in html
    assert world.region_x.name not in html


def test_coordinator_registers_an_employer(client, world):
    client.force_login(world.coordinator_a)
    response = client.post("/employers/new/", VALID_EMPLOYER | {"region": world.region_x.pk})
    employer = Employer.objects.get(name="株式会社かわにし物流")
    assert response.status_code == 302
    assert response["Location"] == f"/employers/{employer.uuid}/"
    assert employer.owner == world.agency_a
    assert employer.history.count() == 1


def test_bad_employer_input_shows_japanese_field_errors_and_saves_nothing(client, world):
    client.force_login(world.coordinator_a)
    bad = VALID_EMPLOYER | {"name": "", "name_kana": "Kabushiki!", "staff_count": "-3", "region": world.region_y.pk}
    response = client.post("/employers/new/", bad)
    html = response.content.decode()
    assert response.status_code == 200
    assert "この項目は必須です。" in html
    assert "読みをひらがなかカタカナで入力してください。" in html
    assert "正しく選択してください。" in html  # region of another prefecture is not offered
    assert not Employer.objects.filter(address=VALID_EMPLOYER["address"]).exists()


def test_edit_from_a_stale_form_is_refused_with_a_clear_message(client, world):
    client.force_login(world.coordinator_a)
    employer = world.employer_a
    stale = VALID_EMPLOYER | {"region": world.region_x.pk, "version": employer.version}
    services.employer_update(employer=employer, by=world.agency_admin_a, version=employer.version, description="先")
    response = client.post(f"/employers/{employer.uuid}/edit/", stale | {"description": "後"})
    assert response.status_code == 200
    assert "上書きはしていません" in response.content.decode()
    # Said once, in the summary above the form, not again in crispy's box of the whole form.
    assert response.content.decode().count("上書きはしていません") == 1
    employer.refresh_from_db()
    assert employer.description == "先"


def test_colleague_coordinator_edits_the_employer(client, world):
    client.force_login(world.agency_admin_a)
    employer = world.employer_a
    data = VALID_EMPLOYER | {
        "region": world.region_x.pk,
        "version": employer.version,
        "name": "有限会社みどり紙工 本社",
    }
    assert client.post(f"/employers/{employer.uuid}/edit/", data).status_code == 302
    employer.refresh_from_db()
    assert employer.name == "有限会社みどり紙工 本社"


def test_counselor_of_the_same_region_reads_but_cannot_edit(client, world):
    client.force_login(world.counselor_b)
    html = client.get(f"/employers/{world.employer_a.uuid}/").content.decode()
    assert "有限会社みどり紙工" in html
    assert "/edit/" not in html
    assert client.post(f"/employers/{world.employer_a.uuid}/archive/").status_code == 403
    assert Employer.objects.get(pk=world.employer_a.pk).is_active


def test_visit_is_recorded_and_bad_visit_input_saves_nothing(client, world):
    client.force_login(world.coordinator_a)
    url = f"/employers/{world.employer_a.uuid}/visits/new/"
    response = client.post(url, {"visited_on": "not a date", "visitors": ""})
    assert response.status_code == 400
    assert "日付を正しく入力してください。" in response.content.decode()
    assert not EmployerVisit.objects.exists()
    client.post(url, {"visited_on": "2026-11-20", "visitors": "伊藤", "notes": "袋詰めの作業を見学"})
    assert EmployerVisit.objects.get().recorded_by == world.coordinator_a


def test_agency_admin_invites_staff_who_sets_a_password(client, world):
    client.force_login(world.agency_admin_a)
    response = client.post(
        "/agency/staff/invite/",
        {"email": "new@example.jp", "name": "新人", "name_kana": "しんじん", "role": "coordinator"},
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/invite/\S+/)", mail.outbox[0].body).group(1)
    client.logout()
    assert client.get(link).status_code == 200
    response = client.post(link, {"new_password1": "kusu-negi-2026", "new_password2": "kusu-negi-2026"})
    assert response.status_code == 302
    response = client.post("/accounts/login/", {"username": "new@example.jp", "password": "kusu-negi-2026"})
    assert response.status_code == 302
    assert client.get(link).status_code == 404  # the link works once


def test_an_empty_invitation_says_to_correct_the_marked_fields_like_other_forms(client, world):
    client.force_login(world.agency_admin_a)
    response = client.post(
        "/agency/staff/invite/", {"email": "", "name": "", "name_kana": "", "role": "counselor"}
    )  # what a browser sends
    html = response.content.decode()
    assert response.status_code == 200
    assert '<p class="mb-1">下の印のついた項目を直してください。</p>' in html.split("error-summary", 1)[1]
    assert html.count("この項目は必須です。") >= 2  # and each field says what is missing


def test_invite_with_bad_input_keeps_data_unchanged(client, world):
    client.force_login(world.agency_admin_a)
    before = User.objects.count()
    response = client.post("/agency/staff/invite/", {"email": "not-an-email", "name": "", "role": "boss"})
    html = response.content.decode()
    assert "有効なメールアドレスを入力してください。" in html
    assert "正しく選択してください。" in html
    assert User.objects.count() == before


def test_agency_admin_changes_a_role_and_deactivates_staff(client, world):
    client.force_login(world.agency_admin_a)
    membership = world.counselor_a.memberships.get()
    client.post(f"/agency/staff/{membership.uuid}/role/", {"role": "coordinator"})
    assert Membership.objects.get(pk=membership.pk).role == "coordinator"
    # The button asks first, saying what will happen (issue 21 item 17); nothing changes yet.
    asked = client.post(f"/agency/staff/{membership.uuid}/active/", {"active": "0"})
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "利用を停止しますか" in page and "次にページを開いたときから" in page
    assert 'name="confirmed" value="1"' in page
    assert Membership.objects.get(pk=membership.pk).is_active
    client.post(f"/agency/staff/{membership.uuid}/active/", {"active": "0", "confirmed": "1"})
    assert not Membership.objects.get(pk=membership.pk).is_active
    assert AuditEntry.objects.filter(action="staff.deactivate", actor=world.agency_admin_a).exists()
    # The deactivated counselor loses access at once.
    client.force_login(world.counselor_a)
    assert client.get(f"/employers/{world.employer_a.uuid}/").status_code == 403


def test_a_stopped_member_is_told_their_account_is_stopped_not_that_their_role_falls_short(client, world):
    client.force_login(world.counselor_a)
    refused = client.get("/employers/new/").content.decode()  # a coordinator's page
    assert "この操作は今の役割ではできません" in refused and "利用停止" not in refused
    Membership.objects.filter(user=world.counselor_a).update(is_active=False)
    response = client.get(f"/employers/{world.employer_a.uuid}/")
    page = response.content.decode()
    assert response.status_code == 403
    assert '<h1 class="h3">利用停止中です</h1>' in page
    assert "機関管理者があなたのアカウントを利用停止にしたため" in page
    assert "役割" not in page.split("<main", 1)[-1]


def test_deactivating_the_last_agency_admin_is_refused_before_any_confirmation(client, world):
    client.force_login(world.agency_admin_a)
    own = world.agency_admin_a.memberships.get()
    response = client.post(f"/agency/staff/{own.uuid}/active/", {"active": "0"}, follow=True)
    page = response.content.decode()
    assert "機関には、ログインできる有効な機関管理者が少なくとも1人必要です。" in page
    assert "利用を停止しますか" not in page and response.redirect_chain[-1][0] == "/agency/staff/"
    assert Membership.objects.get(pk=own.pk).is_active


def test_staff_page_lists_only_own_agency(client, world):
    client.force_login(world.agency_admin_a)
    html = client.get("/agency/staff/").content.decode()
    assert world.counselor_a.email in html
    assert world.counselor_b.email not in html


def test_healthz_answers_ok(client, db):
    response = client.get("/healthz")
    assert response.content == b"ok"


def test_the_admin_site_offers_an_agencys_kinds_of_support_as_named_ticks(client, world):
    agency = world.agency_a
    agency.support_kinds = ["work_readiness"]
    agency.save()
    client.force_login(world.platform_admin)
    page = client.get(f"/admin/registry/agency/{agency.pk}/change/").content.decode()
    assert '<textarea name="support_kinds"' not in page
    assert 'type="checkbox" name="support_kinds" value="life_consultation"' in page and "生活相談" in page
    assert 'value="work_readiness" id="id_support_kinds_1" checked' in page

    request = RequestFactory().get("/admin/")
    request.user = world.platform_admin
    form_class = site._registry[Agency].get_form(request, agency)

    def form(kinds):
        return form_class(instance=agency, data={**model_to_dict(agency), "support_kinds": kinds})

    ticked = form(["youth", "free_placement"])
    assert ticked.is_valid(), ticked.errors
    ticked.save()
    agency.refresh_from_db()
    assert agency.support_kinds == ["youth", "free_placement"]
    assert not form(["生活相談"]).is_valid()


def test_the_error_summary_names_a_field_once_with_all_its_messages():
    from django import forms

    from registry.templatetags.registry_tags import error_summary

    class TwoProblems(forms.Form):
        kana = forms.CharField(label="ふりがな")
        place = forms.MultipleChoiceField(label="地域", choices=[("a", "A")], widget=forms.CheckboxSelectMultiple)

        def clean_kana(self):
            raise forms.ValidationError(["カタカナで書いてください。", "30文字までにしてください。"])

    summary = error_summary(TwoProblems(data={"kana": "x", "place": ["z"]}))
    assert [(e.label, e.anchor) for e in summary["fields"]] == [("ふりがな", "id_kana"), ("地域", "id_place_0")]
    assert summary["fields"][0].message == "カタカナで書いてください。 30文字までにしてください。"


def test_the_error_summary_lists_ten_fields_and_counts_the_rest():
    """The readings form of a long ② can send back a hundred fields: the box links the first
    ten and counts the others, each of which still has its message under it."""
    from django import forms
    from django.template import Context, Template

    from registry.templatetags.registry_tags import SUMMARY_LINES

    names = [f"r{n}" for n in range(SUMMARY_LINES + 3)]
    Readings = type("Readings", (forms.Form,), {name: forms.IntegerField(label=f"語{name}") for name in names})
    html = Template("{% load registry_tags %}{% error_summary form %}").render(
        Context({"form": Readings(data={name: "x" for name in names})})
    )
    assert html.count('class="alert-link"') == SUMMARY_LINES
    assert f'href="#id_r{SUMMARY_LINES - 1}"' in html and f'href="#id_r{SUMMARY_LINES}"' not in html
    assert "ほか3項目にも直すところがあります（項目の下に表示しています）。" in html
