"""A counselor logs in, opens the dashboard and the employer list: 0 axe violations."""

from playwright.sync_api import expect

from registry.models import Role
from tests.e2e.conftest import ARTIFACTS, assert_accessible, log_in
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


def _menu_bar_rows(page) -> int:
    """How many lines the menu bar's entries stand on (1: it fits): an entry that starts below
    the bottom of the one before it is on a new line; one taller than the bar's name is folded."""
    return page.evaluate(
        """() => {
            const entries = document.querySelectorAll('.app-navbar .navbar-brand, .app-navbar .navbar-nav > li');
            const boxes = Array.from(entries)
                .filter(e => e.offsetParent !== null)
                .map(e => e.getBoundingClientRect());
            const rows = 1 + boxes.filter((box, i) => i > 0 && box.top >= boxes[i - 1].bottom - 1).length;
            // An entry folded on itself (ガイド under its icon) is taller than the bar's name.
            const tallest = Math.max(...boxes.slice(1).map(box => box.height));
            return tallest > boxes[0].height + 2 ? rows + 1 : rows;
        }"""
    )


def test_the_menu_bar_is_one_line_at_1280_px_for_every_role(page, transactional_db):
    """An agency admin, a platform admin and someone acting for two agencies on an old 1280 px PC:
    the menu stays on one line, no word broken (it wrapped under 機関の管理 and the agency's name);
    the administration pages are one 管理 menu, opened by the keyboard."""
    admin = MembershipFactory(
        role=Role.AGENCY_ADMIN,
        agency__name="社会福祉法人伊丹市社会福祉協議会 伊丹市自立相談支援センター",
        user__name="長谷川 三千代子",
    ).user
    MembershipFactory(user=admin, role=Role.COUNSELOR, agency__name="NPO法人きつき就労ネット")
    admin.is_superuser = True
    admin.save()
    log_in(page, admin)  # the page's viewport is 1280 px wide
    page.screenshot(path=str(ARTIFACTS / "menu_bar_1280.png"))
    assert _menu_bar_rows(page) == 1, "the menu bar wraps at 1280 px"
    # Down to where the menu folds behind its button (1200 px): it wrapped under 1270 px.
    for width in range(1200, 1280, 10):
        page.set_viewport_size({"width": width, "height": 900})
        assert _menu_bar_rows(page) == 1, f"the menu bar wraps at {width} px"
    page.set_viewport_size({"width": 1280, "height": 900})
    menu = page.get_by_role("button", name="管理", exact=True)
    menu.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("link", name="職員", exact=True)).to_be_focused()
    expect(page.get_by_role("link", name="管理サイト")).to_be_visible()
    page.keyboard.press("Escape")
    page.get_by_role("button", name="操作する機関: 社会福祉法人伊丹市社会福祉協議会").click()
    page.get_by_role("button", name="NPO法人きつき就労ネット").click()
    expect(page.get_by_text("NPO法人きつき就労ネット として操作しています。")).to_be_visible()

    counselor = MembershipFactory(role=Role.COUNSELOR, agency__name="伊丹市自立相談支援センター").user
    page.context.clear_cookies()
    log_in(page, counselor)
    for width in (1280, 1200):
        page.set_viewport_size({"width": width, "height": 900})
        assert _menu_bar_rows(page) == 1, f"the menu bar wraps at {width} px"
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page, "menu_bar_phone")


def test_japanese_words_are_not_broken_across_lines_on_a_phone(page, transactional_db):
    """Lines break between phrases: 「相/談員」 under the welcome, at whatever phone width."""
    counselor = MembershipFactory(role=Role.COUNSELOR, agency__name="伊丹市自立相談支援センター").user
    log_in(page, counselor)
    split_at = []
    for width in range(320, 430, 2):
        page.set_viewport_size({"width": width, "height": 800})
        lines = page.get_by_text("・相談員").evaluate(
            """p => {
                const text = Array.from(p.childNodes).find(n => n.nodeType === 3 && n.data.includes('相談員'));
                const range = document.createRange();
                const at = text.data.lastIndexOf('相談員');
                range.setStart(text, at);
                range.setEnd(text, at + 3);
                return new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top))).size;
            }"""
        )
        if lines > 1:
            split_at.append(width)
    assert split_at == [], f"「相談員」 is split over two lines at {split_at} px"


def test_english_labels_and_column_heads_start_with_a_capital(page, transactional_db):
    """Switched to English in the footer: 「engagement type」, 「name」 were shown lower-case."""
    admin = MembershipFactory(role=Role.AGENCY_ADMIN).user
    log_in(page, admin)
    page.get_by_label("言語").select_option("en")
    page.get_by_role("button", name="変更").click()
    page.wait_for_url("**/")
    page.goto("/programs/")
    expect(page.locator("summary", has_text="Engagement type")).to_be_visible()
    page.goto("/agency/staff/")
    head = page.get_by_role("columnheader", name="name", exact=True)
    assert head.evaluate("e => getComputedStyle(e, '::first-letter').textTransform") == "uppercase"
