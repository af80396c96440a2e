"""An agency admin sees an open invitation (招待中, sent, valid until), sends it again and cancels
it after the confirmation page, with the keyboard-usable buttons' own names (axe: 0 violations)."""

from django.core import mail

from registry.models import Membership, Role, User
from tests.e2e.conftest import assert_accessible, log_in
from tests.factories import MembershipFactory

EMAIL = "shinjin@example.jp"


def test_resend_then_cancel(page, transactional_db, settings):
    admin = MembershipFactory(role=Role.AGENCY_ADMIN).user
    log_in(page, admin)
    page.goto("/agency/staff/invite/")
    page.get_by_label("メールアドレス").fill(EMAIL)
    page.locator("input[name=name]").fill("伊丹 新人")
    page.get_by_role("button", name="招待を送る").click()
    page.wait_for_url("**/agency/staff/")
    invitation = page.locator(".list-group-item", has_text=EMAIL)
    assert invitation.get_by_text("招待中").is_visible() and invitation.get_by_text("有効期限").is_visible()
    assert_accessible(page, "staff_list_invitations")

    page.get_by_role("button", name=f"{EMAIL} に招待を再送").click()
    page.wait_for_url("**/agency/staff/")
    assert page.get_by_text("前のメールのリンクは使えなくなりました").is_visible()
    assert len(mail.outbox) == 2

    page.get_by_role("button", name=f"{EMAIL} への招待を取り消す").click()
    page.get_by_role("heading", name=f"{EMAIL} への招待を取り消しますか？").wait_for()
    assert_accessible(page, "invitation_cancel_confirm")
    page.get_by_role("button", name="招待を取り消す", exact=True).click()
    page.wait_for_url("**/agency/staff/")
    assert page.get_by_text(f"{EMAIL} への招待を取り消しました。").is_visible()
    assert page.locator(".list-group-item", has_text=EMAIL).count() == 0
    assert not User.objects.get(email=EMAIL).is_active
    assert not Membership.objects.filter(user__email=EMAIL).exists()
