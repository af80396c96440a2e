"""One-click destructive actions ask first and say what will happen (issue 21 item 17): withdrawing
a sharing consent, withdrawing the health-note consent (which erases the notes) and deactivating a
staff member. The confirmation page passes axe; "やめて戻る" changes nothing."""

from django.urls import reverse
from playwright.sync_api import expect

from registry.models import Membership
from tests.e2e.conftest import assert_accessible, log_in
from tests.sheets.client_factories import ClientFactory, SelfIntroductionFactory, SharingConsentFactory

HEALTH = "腰痛のため長時間の立ち作業は控える"


def test_withdrawing_the_health_note_consent_asks_first(page, transactional_db, world):
    client = ClientFactory(agency=world.agency_a, preferred_name="たしかめさん")
    client.sensitive_consent_on = client.created_at.date()
    client.save()
    introduction = SelfIntroductionFactory(client=client, health_notes=HEALTH)
    log_in(page, world.counselor_a)
    page.goto(reverse("client_detail", args=[client.uuid]))
    page.locator("button[name=withdraw]").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(client.code)
    expect(page.locator("main")).to_contain_text("1 件の記録（自己紹介書・就労ニーズの把握）の健康に関するメモ")
    assert_accessible(page, "confirm_health_consent_withdraw")
    page.get_by_role("link", name="やめて戻る").click()
    page.wait_for_url(f"**{reverse('client_detail', args=[client.uuid])}")
    introduction.refresh_from_db()
    assert introduction.health_notes == HEALTH
    page.locator("button[name=withdraw]").click()
    page.get_by_role("button", name="同意を撤回してメモを消去する").click()
    page.wait_for_url(f"**{reverse('client_detail', args=[client.uuid])}")
    introduction.refresh_from_db()
    assert introduction.health_notes == ""


def test_withdrawing_a_sharing_consent_asks_first(page, transactional_db, world):
    client = ClientFactory(agency=world.agency_a)
    introduction = SelfIntroductionFactory(client=client)
    consent = SharingConsentFactory(introduction=introduction, employer=world.employer_a)
    log_in(page, world.counselor_a)
    page.goto(reverse("introduction_detail", args=[client.uuid, introduction.uuid]))
    page.get_by_role("button", name="撤回").click()
    expect(page.locator("main")).to_contain_text(f"{world.employer_a.name} 向けに自己紹介書を印刷できなくなります")
    page.get_by_role("button", name="同意を撤回する").click()
    page.wait_for_url(f"**{reverse('introduction_detail', args=[client.uuid, introduction.uuid])}")
    consent.refresh_from_db()
    assert consent.withdrawn_on is not None


def test_deactivating_a_staff_member_asks_first(page, transactional_db, world):
    membership = world.counselor_a.memberships.get()
    log_in(page, world.agency_admin_a)
    page.goto(reverse("staff_list"))
    page.locator(f"form[action='{reverse('staff_active', args=[membership.uuid])}'] button").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("利用を停止しますか")
    assert_accessible(page, "confirm_staff_deactivate")
    assert Membership.objects.get(pk=membership.pk).is_active
    page.get_by_role("button", name=f"{world.counselor_a.name} さんの利用を停止する").click()
    page.wait_for_url(f"**{reverse('staff_list')}")
    assert not Membership.objects.get(pk=membership.pk).is_active
