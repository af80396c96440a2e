"""Downloads in the browser: a coordinator narrows the employer list and the program search, the
Excel/CSV links follow the filters (also after in-place updates), and the files open with the
Japanese headers and exactly the rows on screen. axe: 0 violations on both pages."""

import csv
import io
import re

from openpyxl import load_workbook
from playwright.sync_api import expect

from registry.models import Role
from sheets.programs.models import ProgramStatus, SharingScope
from tests.e2e.conftest import assert_accessible, log_in
from tests.factories import EmployerFactory, MembershipFactory
from tests.sheets.search_factories import SearchableProgramFactory


def _download(page, link_name: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name, exact=True).click()
    path = info.value.path()
    with open(path, "rb") as handle:
        return handle.read()


def test_coordinator_downloads_the_filtered_lists(page, transactional_db):
    coordinator = MembershipFactory(role=Role.COORDINATOR, agency__name="伊丹市社会福祉協議会").user
    agency = coordinator.memberships.get().agency
    midori = EmployerFactory(owner=agency, region=agency.region, name="有限会社みどり紙工", name_kana="みどりしこう")
    EmployerFactory(owner=agency, region=agency.region, name="川辺の農園", name_kana="かわべののうえん")
    for title in ("部品の袋詰め体験", "館内の清掃体験"):
        SearchableProgramFactory(
            employer=midori, title=title, status=ProgramStatus.PUBLISHED, sharing_scope=SharingScope.REGION
        )

    log_in(page, coordinator)
    page.goto("/employers/")
    page.get_by_label("キーワード").fill("みどり")
    expect(page.get_by_role("link", name="Excel", exact=True)).to_have_attribute("href", re.compile(r"\?q=%E3%81%BF"))
    assert_accessible(page, "employer-list-exports")
    sheet = load_workbook(io.BytesIO(_download(page, "Excel"))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["事業所ID", "事業所管理番号", "事業所名"]
    assert [row[2] for row in rows[1:]] == ["有限会社みどり紙工"]

    page.goto("/programs/")
    page.get_by_role("searchbox", name="キーワード").fill("袋詰め")
    expect(page.locator("#result-count")).to_have_text("1 件のプログラム")
    expect(page.get_by_role("link", name="CSV", exact=True)).to_have_attribute("href", re.compile(r"q=%E8%A2%8B"))
    assert_accessible(page, "program-search-exports")
    body = _download(page, "CSV")
    assert body.startswith(b"\xef\xbb\xbf") and b"\r\n" in body
    table = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    titles = [row[table[0].index("プログラム名")] for row in table[1:]]
    assert titles == ["部品の袋詰め体験"]
