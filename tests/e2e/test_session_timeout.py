"""The idle timeout is said before it ends (WCAG 2.2.1): a counselor typing in a form is warned
five minutes before the session can end, stays logged in with one button, and is told plainly
when it has ended — without the page being left (what was typed stays on screen to copy)."""

from playwright.sync_api import expect

from registry.models import Role
from tests.e2e.conftest import log_in
from tests.factories import MembershipFactory


def test_a_counselor_is_warned_before_the_idle_timeout_and_can_stay_logged_in(page, transactional_db, settings):
    settings.SESSION_COOKIE_AGE = 30 * 60
    counselor = MembershipFactory(role=Role.COUNSELOR).user
    page.clock.install()
    log_in(page, counselor)
    page.goto("/clients/new/")
    page.get_by_label("呼ばれたい名前").fill("面談中に入力しているところ")
    warning = page.get_by_text("何も操作がないと、安全のため約5分後にログアウトします", exact=False)
    expect(warning).to_be_hidden()

    page.clock.run_for("23:30")  # 30 minutes − 1 (renewal step) − 5 (warning) = 24 minutes
    expect(warning).to_be_hidden()
    page.clock.run_for("01:00")
    expect(warning).to_be_visible()
    expect(page.get_by_label("呼ばれたい名前")).to_have_value("面談中に入力しているところ")  # nothing left the page

    with page.expect_response(lambda response: "/keep-alive/" in response.url) as answer:
        page.get_by_role("button", name="ログインを続ける").click()
    assert answer.value.status == 204
    expect(warning).to_be_hidden()

    page.clock.run_for("35:00")  # past even the latest the session could last
    ended = page.get_by_text("しばらく操作がなかったため、ログアウトしました", exact=False)
    expect(ended).to_be_visible()
    expect(page.get_by_role("link", name="もう一度ログイン")).to_have_attribute(
        "href", "/accounts/login/?next=/clients/new/"
    )
    expect(page.get_by_label("呼ばれたい名前")).to_have_value("面談中に入力しているところ")
