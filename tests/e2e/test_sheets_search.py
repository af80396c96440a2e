"""Program search in the browser: a counselor of another agency in the same region searches
袋詰め, narrows by a facet (results update in place, the URL follows), adds a result to the
印刷リスト, saves the search. axe: 0 violations on the search page, wide and on a phone."""

import datetime
import re

from playwright.sync_api import expect

from registry.models import Role
from sheets.programs.models import ProgramStatus, SharingScope
from tests.e2e.conftest import assert_accessible, log_in
from tests.factories import AgencyFactory, EmployerFactory, MembershipFactory
from tests.sheets.factories import TaskRowFactory
from tests.sheets.search_factories import SearchableProgramFactory


def _published(employer, title, **kwargs):
    return SearchableProgramFactory(
        employer=employer, title=title, status=ProgramStatus.PUBLISHED, sharing_scope=SharingScope.REGION, **kwargs
    )


def test_counselor_searches_narrows_and_adds_to_the_print_list(page, transactional_db):
    owner = MembershipFactory(role=Role.COORDINATOR, agency__name="伊丹市社会福祉協議会").user.memberships.get().agency
    employer = EmployerFactory(owner=owner, region=owner.region, name="有限会社みどり紙工")
    seated = TaskRowFactory(breakdown__employer=employer, task="部品の袋詰め", place="indoor_ac", postures=["sitting"])
    outdoors = TaskRowFactory(breakdown__employer=employer, task="野菜の袋詰め", place="outdoor", postures=["standing"])
    _published(
        employer,
        "部品の袋詰め体験",
        rows=[seated],
        days=["mon", "wed"],
        start_time=datetime.time(10),
        end_time=datetime.time(12),
    )
    _published(employer, "野菜の袋詰めアルバイト", rows=[outdoors], engagement_type="part_time", is_paid=True)
    _published(employer, "館内の清掃体験")
    SearchableProgramFactory(employer=employer, title="下書きの袋詰め")  # the owner's draft: never shown
    other = AgencyFactory(region=owner.region, name="伊丹市自立相談支援センター")
    counselor = MembershipFactory(role=Role.COUNSELOR, agency=other).user

    log_in(page, counselor)
    page.goto("/programs/")
    page.get_by_role("searchbox", name="キーワード").fill("袋詰め")
    expect(page.locator("#result-count")).to_have_text("2 件のプログラム")
    expect(page).to_have_url(re.compile(r"q=%E8%A2%8B%E8%A9%B0%E3%82%81"))
    expect(page.get_by_text("下書きの袋詰め")).to_have_count(0)

    # Narrow by a facet: results update in place (the search form stays as it was).
    page.locator("summary", has_text="屋内・屋外").click()
    page.get_by_label("屋内・屋外").select_option("indoor")
    expect(page.locator("#result-count")).to_have_text("1 件のプログラム")
    expect(page.get_by_role("link", name="部品の袋詰め体験")).to_be_visible()
    expect(page).to_have_url(re.compile(r"place=indoor"))
    expect(page.get_by_role("searchbox", name="キーワード")).to_have_value("袋詰め")
    assert_accessible(page, "sheets_search")

    page.get_by_role("button", name="印刷リストに追加").click()
    expect(page.get_by_role("button", name="「部品の袋詰め体験」を印刷リストから外す")).to_be_focused()

    # Save the narrowed search; it comes back from the dashboard.
    page.get_by_label("検索の名前").fill("伊丹 屋内の袋詰め")
    page.get_by_role("button", name="この検索を保存").click()
    expect(page.get_by_role("link", name="伊丹 屋内の袋詰め")).to_be_visible()
    page.goto("/")
    page.get_by_role("link", name="伊丹 屋内の袋詰め").click()
    expect(page.locator("#result-count")).to_have_text("1 件のプログラム")

    page.goto("/programs/print-list/")
    expect(page.get_by_role("link", name="部品の袋詰め体験")).to_be_visible()

    # A phone: the same page, no sideways scrolling, still accessible.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/programs/?q=%E8%A2%8B%E8%A9%B0%E3%82%81")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page, "sheets_search_phone")
