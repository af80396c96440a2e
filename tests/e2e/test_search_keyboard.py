"""The program search by keyboard and on a phone (issue 21 items 20–21): a skip link reaches the
filters before the results' tab stops, removing a chip keeps the focus on the chip list, after a
filter is tapped on a phone the count is shown and announced beside the filters; axe's
best-practice rules find no heading-order or unfocusable scrolling region (search page, audit log)."""

import datetime
import re

from playwright.sync_api import expect

from registry.models import Role
from registry.services import audit
from sheets.programs.models import ProgramStatus, SharingScope
from tests.e2e.conftest import axe_violations, log_in
from tests.factories import EmployerFactory, MembershipFactory
from tests.sheets.factories import TaskRowFactory
from tests.sheets.search_factories import SearchableProgramFactory

RULES = {"heading-order", "scrollable-region-focusable"}


def _programs():
    counselor = MembershipFactory(role=Role.COUNSELOR, agency__name="伊丹市自立相談支援センター").user
    agency = counselor.memberships.get().agency
    employer = EmployerFactory(owner=agency, region=agency.region, name="有限会社みどり紙工")
    inside = TaskRowFactory(breakdown__employer=employer, task="部品の袋詰め", place="indoor_ac")
    outside = TaskRowFactory(breakdown__employer=employer, task="野菜の袋詰め", place="outdoor")
    for title, row in (("部品の袋詰め体験", inside), ("野菜の袋詰め体験", outside)):
        SearchableProgramFactory(
            employer=employer,
            title=title,
            rows=[row],
            status=ProgramStatus.PUBLISHED,
            sharing_scope=SharingScope.REGION,
            start_time=datetime.time(10),
            end_time=datetime.time(12),
        )
    return counselor


def _focused_id(page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.className")


def test_skip_link_and_chip_removal_keep_the_keyboard_in_place(page, transactional_db):
    log_in(page, _programs())
    page.goto("/programs/?q=%E8%A2%8B%E8%A9%B0%E3%82%81&place=indoor")
    expect(page.locator("#result-count")).to_have_text("1 件のプログラム")
    # The skip link comes right after the search form, before the results.
    skip = page.get_by_role("link", name="絞り込みへ移動")
    skip.focus()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    assert _focused_id(page) == "facets"
    # Remove the filter chip by keyboard: the focus stays on the chip list, not the page top.
    chip = page.locator("#filter-chips .filter-chip", has_text="屋内")
    chip.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#result-count")).to_have_text("2 件のプログラム")
    # The keyword chip is left: it has the focus.
    expect(page.locator("#filter-chips .filter-chip").first).to_be_focused()
    violations = [v for v in axe_violations(page, tags=("wcag2a", "wcag2aa", "best-practice")) if v["id"] in RULES]
    assert violations == []


def test_on_a_phone_the_count_is_shown_beside_the_filters(page, transactional_db):
    log_in(page, _programs())
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/programs/?q=%E8%A2%8B%E8%A9%B0%E3%82%81")
    page.locator("summary", has_text="屋内・屋外").click()
    page.get_by_label("屋内・屋外").select_option("indoor")
    count = page.locator("#facet-count .facet-count-text")
    expect(count).to_have_text("1 件のプログラム")
    expect(count).to_be_in_viewport()
    # Read out once, by the page's status line (not a second live region beside the filters).
    expect(page.locator("[role=status][data-status-of='#results']")).to_have_text("1件見つかりました")
    expect(page.get_by_role("link", name="結果を見る")).to_be_visible()


def test_the_audit_table_scrolls_by_keyboard(page, transactional_db, world):
    for n in range(3):
        audit(
            by=world.agency_admin_a, agency=world.agency_a, action="employer.export", rows=150, note="x" * 80 + str(n)
        )
    log_in(page, world.agency_admin_a)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/agency/audit/")
    violations = [v for v in axe_violations(page, tags=("wcag2a", "wcag2aa", "best-practice")) if v["id"] in RULES]
    assert violations == []


def test_a_form_sent_back_with_errors_puts_the_keyboard_on_the_first_marked_field(page, transactional_db):
    """Not at the top of the page, the whole menu to Tab through again (walking the product)."""
    coordinator = MembershipFactory(role=Role.COORDINATOR).user
    log_in(page, coordinator)
    page.goto("/employers/new/")
    page.locator("#id_name").fill("有限会社みどり紙工")
    page.get_by_role("button", name="保存").press("Enter")
    expect(page.get_by_role("alert").first).to_contain_text("下の印のついた項目を直してください。")
    expect(page.locator("#id_name_kana")).to_be_focused()  # the first field with a message
    expect(page.locator("#id_name_kana")).to_have_class(re.compile("is-invalid"))
    expect(page.locator("#id_name")).to_have_value("有限会社みどり紙工")


def test_a_link_in_the_page_has_the_same_focus_ring_as_a_button(page, transactional_db):
    """Tab onto a result's title or a breadcrumb: a 3 px dark-blue ring, not the browser's thin
    default one (easy to miss on an old screen)."""
    log_in(page, _programs())
    page.goto("/programs/?q=%E8%A2%8B%E8%A9%B0%E3%82%81")
    title = page.get_by_role("link", name="部品の袋詰め体験").first
    title.focus()
    page.keyboard.press("Shift+Tab")  # focus by keyboard: :focus-visible
    page.keyboard.press("Tab")
    style = "getComputedStyle(document.activeElement)"
    ring = page.evaluate(f"[{style}.outlineStyle, {style}.outlineWidth, {style}.outlineColor]")
    assert ring == ["solid", "3px", "rgb(11, 79, 138)"]


def test_the_address_of_a_search_holds_only_what_was_chosen(page, transactional_db):
    """The address a counselor bookmarks or shares: no empty filters (…&prefecture=&region=…)."""
    log_in(page, _programs())
    page.goto("/programs/")
    page.get_by_role("searchbox").first.fill("袋詰め")
    page.get_by_role("searchbox").first.press("Enter")
    expect(page.locator("#result-count")).to_have_text("2 件のプログラム")
    expect(page).to_have_url(re.compile(r"/programs/\?q=%E8%A2%8B%E8%A9%B0%E3%82%81$"))
    page.locator("summary", has_text="屋内・屋外").click()
    page.get_by_label("屋内・屋外").select_option("indoor")
    expect(page.locator("#result-count")).to_have_text("1 件のプログラム")
    query = page.url.split("?", 1)[1]
    assert sorted(part.split("=")[0] for part in query.split("&")) == ["place", "q"], query
    # Another order than the default is a choice, and stays in the address.
    page.get_by_label("並べ替え").select_option("newest")
    expect(page).to_have_url(re.compile(r"sort=newest"))
