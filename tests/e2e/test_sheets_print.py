"""A counselor of another agency in the same region opens a published program, previews ②,
adds it to the print list, downloads ③ and the binder. Previews and the print list have 0 axe
violations; a counselor of another prefecture gets 404."""

import io

from playwright.sync_api import expect
from pypdf import PdfReader

from registry.models import Role
from sheets.programs.models import ProgramStatus, SharingScope
from tests.e2e.conftest import assert_accessible, log_in
from tests.factories import AgencyFactory, EmployerFactory, MembershipFactory, PrefectureFactory, RegionFactory
from tests.sheets.factories import ProgramFactory, TaskRowFactory, TimetableRowFactory
from tests.sheets.print_factories import EmployerIntroFactory


def pdf_text(path) -> str:
    return "".join("".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(path.read_bytes())).pages)


def test_counselor_of_another_agency_prints_a_published_program(page, transactional_db, tmp_path):
    owner = MembershipFactory(role=Role.COORDINATOR, agency__name="伊丹市社会福祉協議会").user.memberships.get().agency
    employer = EmployerFactory(owner=owner, region=owner.region, name="有限会社みどり紙工")
    EmployerIntroFactory(employer=employer)
    row = TaskRowFactory(breakdown__employer=employer, postures=["sitting"], lifting_kg=2)
    program = ProgramFactory(
        employer=employer,
        title="部品の袋詰め体験",
        status=ProgramStatus.PUBLISHED,
        sharing_scope=SharingScope.REGION,
        demands={"comprehension": 1, "accuracy": 2, "dexterity": 2, "people": 0, "stamina": 0},
        confirmable=["accuracy", "dexterity"],
        what_you_do="小さな部品を数えて、袋に入れて、シールで封をします。",
        cautions="カッターは使いません。",
    )
    program.source_rows.set([row])
    TimetableRowFactory(program=program, time="9:00", activity="あいさつ・作業の説明")
    TimetableRowFactory(program=program, time="9:15", activity="袋詰め（途中で休けい）")
    other = AgencyFactory(region=owner.region, name="伊丹市自立相談支援センター")
    counselor = MembershipFactory(role=Role.COUNSELOR, agency=other).user

    log_in(page, counselor)
    page.goto(f"/programs/{program.uuid}/")
    page.get_by_role("link", name="相談者向け プログラム情報シート").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("部品の袋詰め体験")
    expect(page.get_by_text("すわってする仕事")).to_be_visible()
    assert_accessible(page, "sheets_preview_client")

    # The toolbar's print-list toggle (htmx) swaps itself.
    page.get_by_role("button", name="印刷リストに追加").click()
    expect(page.get_by_role("button", name="「部品の袋詰め体験」を印刷リストから外す")).to_be_focused()

    page.get_by_role("link", name="③ 支援員向け プログラム情報シート").click()
    expect(page.locator("svg.chart")).to_be_visible()
    assert_accessible(page, "sheets_preview_supporter")
    with page.expect_download() as download:
        page.get_by_role("link", name="PDFをダウンロード").click()
    path = tmp_path / "supporter.pdf"
    download.value.save_as(path)
    text = pdf_text(path)
    assert "部品の袋詰め体験" in text and "有限会社みどり紙工" in text and "第1版" in text

    page.goto("/programs/print-list/")
    expect(page.get_by_role("link", name="部品の袋詰め体験")).to_be_visible()
    assert_accessible(page, "sheets_print_list")
    with page.expect_download() as download:
        page.get_by_role("button", name="保存してバインダー（PDF）をダウンロード").click()
    binder = tmp_path / "binder.pdf"
    download.value.save_as(binder)
    assert "印刷バインダー" in pdf_text(binder)


def test_counselor_of_another_prefecture_cannot_open_the_sheets(page, transactional_db):
    program = ProgramFactory(status=ProgramStatus.PUBLISHED, sharing_scope=SharingScope.REGION)
    far = RegionFactory(prefecture=PrefectureFactory(code="44"), name="玖珠町")
    stranger = MembershipFactory(role=Role.COUNSELOR, agency=AgencyFactory(region=far)).user
    log_in(page, stranger)
    response = page.goto(f"/programs/{program.uuid}/sheets/client/")
    assert response.status == 404


def test_the_preview_marks_where_the_pdf_starts_page_two(page, transactional_db):
    """The preview is one long sheet; a dashed line shows where the PDF's page 2 begins: on the
    element whose text ends on page 2 of the PDF (its place found by the browser's own parse)."""
    from sheets.printing import sheets as printing
    from tests.sheets.print_fixtures import max_program

    owner = MembershipFactory(role=Role.COORDINATOR).user.memberships.get().agency
    program, _texts = max_program(owner)
    counselor = MembershipFactory(role=Role.COUNSELOR, agency=owner).user
    log_in(page, counselor)
    page.goto(f"/programs/{program.uuid}/sheets/supporter/")
    expect(page.get_by_text("2ページ（A4）")).to_be_visible()
    line = page.locator(".pt-page-break")
    expect(line).to_have_count(1)
    expect(line).to_have_text("ここから 2 ページ目")
    expect(line).to_have_attribute("aria-hidden", "true")

    (start,) = printing.sheet_pdf(program, "supporter").page_starts
    marked = page.locator("main.sheet-paper *").nth(start["element"])
    assert marked.evaluate("e => e.localName") == start["tag"]
    if start["lines"] == 0:  # the line lies on the top edge of the element that opens page 2
        assert abs(line.bounding_box()["y"] - marked.bounding_box()["y"]) <= 6
    printed = PdfReader(io.BytesIO(printing.sheet_pdf(program, "supporter").pdf)).pages
    text = "".join(marked.inner_text().split())
    assert text[-6:] in "".join(printed[1].extract_text().split())
    page.emulate_media(media="print")
    expect(line).to_be_hidden()


def test_the_supporter_sheet_fits_a_phone(page, transactional_db):
    """On a phone ③'s demand table stood beside its chart, squeezed to a letter a line and out of
    the paper (the page scrolled sideways): below the chart it fits; printed, it is beside it."""
    from tests.sheets.print_fixtures import max_program

    owner = MembershipFactory(role=Role.COORDINATOR).user.memberships.get().agency
    program, _texts = max_program(owner)
    log_in(page, MembershipFactory(role=Role.COUNSELOR, agency=owner).user)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"/programs/{program.uuid}/sheets/supporter/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    chart, table = page.locator(".demand .chart-wrap"), page.locator(".demand .dims-wrap")
    assert table.bounding_box()["y"] >= chart.bounding_box()["y"] + chart.bounding_box()["height"] - 1
    page.emulate_media(media="print")
    assert abs(table.bounding_box()["y"] - chart.bounding_box()["y"]) < 2
