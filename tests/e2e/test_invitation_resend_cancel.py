"""An agency admin sees an open invitation (招待中, sent, valid until), sends it again and cancels
it after the confirmation page, with the keyboard-usable buttons' own names (axe: 0 violations)."""

from django.core import mail
from playwright.sync_api import expect

from registry.models import Membership, Role, User
from tests.e2e.conftest import ONE_LINE, assert_accessible, log_in
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


def test_the_members_table_is_usable_on_a_phone(page, transactional_db):
    """At 375 px the e-mail column was squeezed to a letter a line and 状態 / 利用停止 were off the
    screen: the table scrolls in its own box, reached by the keyboard, and an address is one line."""
    admin = MembershipFactory(role=Role.AGENCY_ADMIN, user__email="itami.counselor.long@example.jp").user
    log_in(page, admin)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/agency/staff/")
    box = page.get_by_role("region", name="所属している職員")
    assert box.evaluate("e => e.tabIndex") == 0 and box.evaluate("e => e.scrollWidth > e.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    address = box.get_by_role("cell", name="itami.counselor.long@example.jp")
    assert address.evaluate(ONE_LINE)
    box.focus()
    page.keyboard.press("ArrowRight")
    for _attempt in range(30):  # the browser may scroll smoothly
        if box.evaluate("e => e.scrollLeft") > 0:
            break
        page.wait_for_timeout(100)
    assert box.evaluate("e => e.scrollLeft") > 0
    expect(box.get_by_role("button", name="利用停止")).to_be_attached()
