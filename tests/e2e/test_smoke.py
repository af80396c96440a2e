"""A counselor logs in, opens the dashboard and the employer list: 0 axe violations."""

from registry.models import Role
from tests.e2e.conftest import assert_accessible, log_in
from tests.factories import EmployerFactory, MembershipFactory


def test_counselor_dashboard_and_employer_list(page, transactional_db):
    counselor = MembershipFactory(role=Role.COUNSELOR).user
    agency = counselor.memberships.get().agency
    EmployerFactory(owner=agency, name="玖珠ねぎ生産組合", description="ねぎの出荷調整")

    log_in(page, counselor)
    assert page.locator("html").get_attribute("lang") == "ja"
    assert page.get_by_role("heading", level=1).inner_text().startswith("ようこそ")
    assert_accessible(page, "dashboard")

    page.get_by_role("link", name="事業所", exact=True).click()
    page.wait_for_url("**/employers/")
    assert page.get_by_role("link", name="玖珠ねぎ生産組合").is_visible()
    assert_accessible(page, "employer_list")

    # The keyword search updates the results in place (htmx) and keeps the URL shareable.
    page.get_by_label("キーワード").fill("存在しない事業所")
    page.get_by_text("条件に合う事業所がありません").wait_for()
    assert "q=" in page.url
