"""Spreadsheet import: reading Excel/CSV quirks, the dry-run preview (every bad row reported by
row and column, nothing written), confirmation in one transaction, re-import updates."""

import datetime
import io
import random

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from registry.models import AuditEntry, Employer, Role
from sheets.interop.imports import services as import_services
from sheets.interop.imports.models import ImportBatch, ImportStatus
from sheets.interop.imports.reader import COLUMNS, HELP_SHEET_NAME, SHEET_NAME, ImportFileError, check_rows, parse_file
from sheets.programs.models import Program, ProgramStatus
from tests.factories import MembershipFactory
from tests.sheets.import_files import HEADERS, csv_text, employer_cells, program_cells, rows_for, upload, xlsx_bytes

pytestmark = pytest.mark.django_db


def _preview(client, name: str, data: bytes):
    return client.post(reverse("import_start"), {"file": upload(name, data)})


def _batch_from(response) -> ImportBatch:
    assert response.status_code == 302, response.content.decode()[:2000]
    return ImportBatch.objects.get(uuid=response.url.rstrip("/").split("/")[-1])


def _problems(batch: ImportBatch) -> set[tuple[int, str]]:
    return {(row["line"], error["column"]) for row in batch.rows for error in row["errors"]}


# --- Reading ---------------------------------------------------------------------------------------


def test_excel_quirks_are_read_as_meant():
    """Floats for whole numbers, times and datetimes from Excel, full-width digits and spaces,
    blank trailing rows, header aliases, several choices in one cell."""
    headers = ["事業所管理番号", "事業所名", "事業所名ふりがな", "種別", "業種", "所在地", "従業員数"]
    headers += ["プログラム管理番号", "体験のタイトル", "形態", "定員", "開始時刻", "終了時刻", "曜日", "有償"]
    headers += ["確認できる力", "求められる力：体力・持久力", "メモ（独自の列）"]
    row = {
        "事业": None,
        "事業所管理番号": "　Ｅ－００１　",
        "事業所名": "　みどり紙工　",
        "事業所名ふりがな": "みどりしこう",
        "種別": "企業",
        "業種": "E",
        "所在地": "伊丹市",
        "従業員数": 12.0,
        "プログラム管理番号": 7.0,
        "体験のタイトル": "袋詰め",
        "形態": "短期／短時間アルバイト",
        "定員": "３",
        "開始時刻": datetime.time(9, 30),
        "終了時刻": datetime.datetime(1899, 12, 30, 12, 0),
        "曜日": "月・水、金曜日",
        "有償": "○",
        "確認できる力": "正確性・ていねいさ・手先の器用さ",
        "求められる力：体力・持久力": 1.0,
        "メモ（独自の列）": "読まない",
    }
    data = xlsx_bytes([row, {}, {}], headers)
    parsed = parse_file(data, "quirks.xlsx")
    assert len(parsed.rows) == 1  # the blank rows are skipped
    assert parsed.ignored == ["メモ（独自の列）"]
    only = parsed.rows[0]
    assert only.errors == []
    assert only.employer["external_id"] == "E-001"
    assert only.employer["name"] == "みどり紙工"
    assert only.employer["industry"] == "E"
    assert only.employer["staff_count"] == 12
    assert only.program == {
        "external_id": "7",
        "title": "袋詰め",
        "engagement_type": "part_time",
        "capacity": 3,
        "start_time": "09:30",
        "end_time": "12:00",
        "days": ["mon", "wed", "fri"],
        "is_paid": True,
        "confirmable": ["accuracy", "dexterity"],
        "demands.stamina": 1,
    }


def test_conversion_problems_name_the_row_and_column():
    row = employer_cells(1) | program_cells(1) | {"定員": "たくさん", "開始時刻": "25:00", "参加形態": "研修"}
    parsed = parse_file(xlsx_bytes([row]), "bad.xlsx")
    errors = {(e["column"], e["letter"]) for e in parsed.rows[0].errors}
    letter = {h: parsed.columns[h] for h in ("定員", "開始時刻", "参加形態")}
    assert errors == {(h, letter[h]) for h in ("定員", "開始時刻", "参加形態")}
    assert parsed.rows[0].line == 2


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("photo.png", b"\x89PNG\r\n\x1a\n"),
        ("fake.xlsx", "事業所管理番号,事業所名\n".encode()),
        ("broken.xlsx", b"PK\x03\x04 not really a zip"),
        ("empty.csv", b""),
        ("bom-but-not-utf8.csv", b"\xef\xbb\xbf\x82\xa0\xff\xfe"),
        ("neither.csv", b"\xff\xfe\xfd\x80\x81"),
        ("header-only.csv", ",".join(HEADERS).encode()),
        ("missing-columns.csv", "事業所管理番号,事業所名\nE-1,a\n".encode()),
    ],
)
def test_unreadable_files_are_refused(name, data):
    with pytest.raises(ImportFileError):
        parse_file(data, name)


def test_csv_in_shift_jis_and_utf8_with_bom(world):
    rows = rows_for(2)
    for data, encoding in (
        (csv_text(rows).encode("cp932"), "Shift_JIS"),
        (csv_text(rows).encode("utf-8-sig"), "UTF-8 (BOM)"),
    ):
        parsed = parse_file(data, "しごと.csv")
        assert parsed.encoding == encoding
        assert [r.employer["name"] for r in parsed.rows] == ["株式会社テスト工業1", ""]
        assert all(not r.errors for r in parsed.rows)


def test_a_mistyped_heading_is_named_with_the_column_it_likely_means(world):
    """作業の内容 for 作業内容 dropped the column with only 「読み込みません」 (walking the product)."""
    rows = rows_for(1)
    headers = [("作業の内容" if h == "作業内容" else h) for h in HEADERS]
    rows[0]["作業の内容"] = rows[0].pop("作業内容", "袋詰め")
    parsed = parse_file(csv_text(rows, headers).encode("utf-8-sig"), "しごと.csv")
    assert parsed.ignored == ["作業の内容（「作業内容」のことなら、見出しをそう直してください）"]


def test_quotes_in_a_cell_far_down_a_csv_are_read_as_excel_writes_them(world):
    """The sniffer looked at the first 4 KB only: with no "" there it switched quoting off, and
    a program name with quotes further down (the registry's own export) split into shifted
    columns (walking the product)."""
    rows = rows_for(40)
    rows[-1]["プログラム名"] = '「いらっしゃいませ」の"あいさつ"体験'
    text = csv_text(rows)
    assert text.index('""') > 4096
    parsed = parse_file(text.encode("utf-8-sig"), "しごと.csv")
    assert parsed.rows[-1].program["title"] == '「いらっしゃいませ」の"あいさつ"体験'
    assert all(not r.errors for r in parsed.rows)


def _with_saved_results(data: bytes, results: dict[str, str]) -> bytes:
    """The workbook as Excel saves it: each formula cell keeps its last result (<v>)."""
    import re
    import zipfile

    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            if name.startswith("xl/worksheets/"):
                text = content.decode()
                for cell, result in results.items():
                    text = re.sub(
                        rf'<c r="{cell}"><f>(.*?)</f><v ?/>', rf'<c r="{cell}" t="str"><f>\1</f><v>{result}</v>', text
                    )
                content = text.encode()
            target.writestr(name, content)
    return out.getvalue()


def test_formulas_are_read_as_the_results_excel_shows_and_without_one_are_said(world):
    rows = rows_for(2)
    rows[1]["プログラム名"] = '=R2&"（午後）"'
    rows[1]["定員"] = "=1+2"
    data = xlsx_bytes(rows, formulas=True)
    letters = {h: get_column_letter(i + 1) for i, h in enumerate(HEADERS)}
    saved = _with_saved_results(
        data, {f"{letters['プログラム名']}3": "部品の袋詰め体験1（午後）", f"{letters['定員']}3": "3"}
    )
    row = parse_file(saved, "しごと.xlsx").rows[1]
    assert row.program["title"] == "部品の袋詰め体験1（午後）" and row.program["capacity"] == 3 and not row.errors
    # Written by a program, never saved by Excel: no result kept — said at the cell, not read as the formula.
    row = parse_file(data, "しごと.xlsx").rows[1]
    assert "title" not in row.program or row.program["title"] != '=R2&"（午後）"'
    assert {error["column"] for error in row.errors} >= {"プログラム名", "定員"}
    assert any("数式" in error["message"] for error in row.errors)


def test_merged_cells_give_their_value_to_every_row_they_span(world):
    from openpyxl import load_workbook as open_workbook

    rows = rows_for(2)
    rows[1] |= {key: None for key in ("曜日", "開始時刻")}
    workbook = open_workbook(io.BytesIO(xlsx_bytes(rows)))
    sheet = workbook[SHEET_NAME]
    for header in ("事業所管理番号", "曜日", "開始時刻"):
        letter = get_column_letter(HEADERS.index(header) + 1)
        sheet.merge_cells(f"{letter}2:{letter}3")
    out = io.BytesIO()
    workbook.save(out)
    first, second = parse_file(out.getvalue(), "しごと.xlsx").rows
    assert second.employer["external_id"] == first.employer["external_id"] == "E-001"
    assert second.program["days"] == first.program["days"] and second.program["start_time"] == "10:00"
    assert not second.errors


def test_a_cell_longer_than_pythons_csv_limit_is_said_by_its_length_rule(world):
    rows = rows_for(1)
    rows[0]["作業内容"] = "あ" * 200_000
    parsed = parse_file(csv_text(rows).encode("utf-8-sig"), "しごと.csv")
    check_rows(parsed.rows, world.agency_a)
    (row,) = parsed.rows
    assert [error["column"] for error in row.errors] == ["作業内容"]
    assert "文字までにしてください" in row.errors[0]["message"]


def test_an_export_saved_again_as_shift_jis_by_excel_is_no_change(world, client):
    """Excel writes 〜 as 0x8160, which reads back as ～: the choice still matches, the text is unchanged."""
    client.force_login(world.coordinator_a)
    rows = rows_for(1)
    rows[0]["期間"] = "1〜2日（要相談）"
    rows[0]["作業の変化"] = "1日に2〜3の作業（前もって伝える）"
    first = _batch_from(_preview(client, "しごと.csv", csv_text(rows).encode("utf-8-sig")))
    client.post(reverse("import_confirm", args=[first.uuid]))
    program = Program.objects.get(external_id="P-0001")
    resaved = csv_text(rows).replace("〜", "～").encode("cp932")
    assert resaved.decode("cp932").count("～") == 2
    second = _batch_from(_preview(client, "しごと.csv", resaved))
    assert not _problems(second)
    assert second.counts["programs_unchanged"] == 1 and second.counts.get("programs_update", 0) == 0
    program.refresh_from_db()
    assert program.period == "1〜2日（要相談）"


# --- Preview and confirmation through the screens ---------------------------------------------------


def test_template_round_trip_xlsx(world, client):
    client.force_login(world.coordinator_a)
    response = client.get(reverse("import_template", args=["xlsx"]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [SHEET_NAME, HELP_SHEET_NAME]
    sheet = workbook[SHEET_NAME]
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert str(sheet["A2"].value).startswith("#")  # the example row is never imported
    guide = [[cell.value for cell in row] for row in workbook[HELP_SHEET_NAME].iter_rows()]
    assert guide[[r[0] for r in guide].index("事業所管理番号")][:2] == ["事業所管理番号", "必須（IDの列がなければ）"]
    assert any(r[0] == "参加形態" and "見学" in (r[3] or "") for r in guide)
    # Fill it in like a coordinator: two programs of one employer, below the example.
    for row in rows_for(2):
        sheet.append([row.get(header) for header in HEADERS])
    filled = io.BytesIO()
    workbook.save(filled)
    before = (Employer.objects.count(), Program.objects.count())

    batch = _batch_from(_preview(client, "しごと情報.xlsx", filled.getvalue()))
    assert batch.status == ImportStatus.READY
    assert [row["line"] for row in batch.rows] == [3, 4]
    page = client.get(reverse("import_preview", args=[batch.uuid]))
    assert page.status_code == 200
    assert "株式会社テスト工業1" in page.content.decode()
    assert (Employer.objects.count(), Program.objects.count()) == before  # nothing written yet

    response = client.post(reverse("import_confirm", args=[batch.uuid]))
    assert response.status_code == 302
    result = client.get(response["Location"]).content.decode()
    assert "取り込みの結果：しごと情報.xlsx" in result and "取り込みの確認" not in result
    assert f'href="{reverse("program_list")}?status=draft"' in result  # on to the drafts to publish
    employer = Employer.objects.get(owner=world.agency_a, external_id="E-001")
    assert employer.region == world.agency_a.region  # blank 市区町村: the agency's own
    programs = Program.objects.filter(employer=employer).order_by("external_id")
    assert [(p.external_id, p.status, p.owner_id) for p in programs] == [
        ("P-0001", ProgramStatus.DRAFT, world.agency_a.pk),
        ("P-0002", ProgramStatus.DRAFT, world.agency_a.pk),
    ]
    first = programs[0]
    assert first.days == ["tue", "thu"] and first.start_time == datetime.time(10)
    assert first.demands == {"dexterity": 2} and first.has_insurance is True  # 体験's usual flags
    assert first.created_by == world.coordinator_a
    assert "袋詰め" in first.search_text  # the search fields are filled as for any new program
    entries = AuditEntry.objects.filter(action="import.apply")
    assert entries.count() == 1
    assert entries.get().detail["programs_create"] == 2 and entries.get().detail["employers_create"] == 1


def test_template_round_trip_csv(world, client):
    client.force_login(world.agency_admin_a)
    response = client.get(reverse("import_template", args=["csv"]))
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    assert ",".join(HEADERS) in text
    filled = text + csv_text(rows_for(3)).split("\r\n", 1)[1]  # the rows below the template's
    batch = _batch_from(_preview(client, "しごと情報.csv", filled.encode("utf-8-sig")))
    assert batch.status == ImportStatus.READY and batch.row_count == 3
    client.post(reverse("import_confirm", args=[batch.uuid]))
    assert Program.objects.filter(owner=world.agency_a, external_id__startswith="P-").count() == 3


BAD_CELLS = [
    ("参加形態", "研修"),
    ("定員", "たくさん"),
    ("開始時刻", "25:00"),
    ("求められる力：手先の器用さ", 5),
    ("プログラム名", ""),
    ("曜日", "月・祝"),
    ("有償", "たぶん"),
    ("定員", 0),
    ("プログラム名", "あ" * 51),
    ("共有範囲", "全国"),
]


@pytest.fixture
def in_the_request(settings):
    """Confirm large files in the request (above the threshold they go to the job runner,
    which has its own tests): what is checked here is the import itself."""
    settings.IMPORT_BACKGROUND_THRESHOLD = 10_000


def test_1000_rows_with_20_bad_rows_reports_exactly_those(world, client, in_the_request):
    rows = rows_for(1000)
    bad_indexes = sorted(random.Random(8).sample(range(1000), 20))  # noqa: S311 (test data, not secrets)
    expected = set()
    for n, index in enumerate(bad_indexes):
        column, value = BAD_CELLS[n % len(BAD_CELLS)]
        rows[index][column] = value
        expected.add((index + 2, column))  # row 1 is the header
    client.force_login(world.coordinator_a)
    before = (Employer.objects.count(), Program.objects.count())

    batch = _batch_from(_preview(client, "1000行.xlsx", xlsx_bytes(rows)))
    assert batch.row_count == 1000
    assert batch.error_count == 20
    assert _problems(batch) == expected
    assert batch.status == ImportStatus.HAS_ERRORS
    page = client.get(reverse("import_preview", args=[batch.uuid]) + "?show=errors").content.decode()
    assert page.count('class="table-danger"') == 20
    assert (Employer.objects.count(), Program.objects.count()) == before

    # It cannot be confirmed while it has errors: nothing is written.
    response = client.post(reverse("import_confirm", args=[batch.uuid]), follow=True)
    assert response.status_code == 200
    assert (Employer.objects.count(), Program.objects.count()) == before
    assert not AuditEntry.objects.filter(action="import.apply").exists()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.HAS_ERRORS


def test_clean_1000_rows_import_in_one_go_and_reimport_updates(world, client, settings):
    settings.IMPORT_BACKGROUND_THRESHOLD = 5000  # confirmed in the request (background: test_import_background.py)
    rows = rows_for(1000)
    data = csv_text(rows).encode("utf-8-sig")
    client.force_login(world.coordinator_a)
    batch = _batch_from(_preview(client, "1000行.csv", data))
    assert batch.status == ImportStatus.READY and batch.error_count == 0
    assert batch.counts["programs_create"] == 1000 and batch.counts["employers_create"] == 50
    client.post(reverse("import_confirm", args=[batch.uuid]))
    assert Employer.objects.filter(owner=world.agency_a, external_id__startswith="E-").count() == 50
    imported = Program.objects.filter(owner=world.agency_a, external_id__startswith="P-")
    assert imported.count() == 1000
    assert set(imported.values_list("status", flat=True)) == {ProgramStatus.DRAFT}

    # The same file again: everything is "no change", nothing is added.
    again = _batch_from(_preview(client, "1000行.csv", data))
    assert again.counts["programs_unchanged"] == 1000 and again.counts["employers_unchanged"] == 50
    assert any(n["kind"] == "same_file" for n in again.notices)
    client.post(reverse("import_confirm", args=[again.uuid]))
    assert imported.count() == 1000

    # Three changed rows and a changed employer name: updated, not duplicated.
    rows[0]["事業所名"] = "株式会社テスト工業1（新社名）"
    for index in (5, 500, 999):
        rows[index]["プログラム名"] = f"変更した体験{index}"
    changed = _batch_from(_preview(client, "1000行_修正.csv", csv_text(rows).encode("utf-8-sig")))
    assert changed.counts["programs_update"] == 3 and changed.counts["programs_unchanged"] == 997
    assert changed.counts["employers_update"] == 1
    client.post(reverse("import_confirm", args=[changed.uuid]))
    assert imported.count() == 1000
    assert Employer.objects.filter(owner=world.agency_a, external_id__startswith="E-").count() == 50
    program = Program.objects.get(owner=world.agency_a, external_id="P-0501")
    assert program.title == "変更した体験500" and program.version == 2
    assert "新社名" in Program.objects.get(external_id="P-0002").search_text  # employer name is searchable
    assert AuditEntry.objects.filter(action="import.apply").count() == 3


def test_a_batch_is_confirmed_once(world, client):
    client.force_login(world.coordinator_a)
    batch = _batch_from(_preview(client, "a.csv", csv_text(rows_for(2)).encode()))
    client.post(reverse("import_confirm", args=[batch.uuid]))
    client.post(reverse("import_confirm", args=[batch.uuid]))
    assert AuditEntry.objects.filter(action="import.apply").count() == 1
    with pytest.raises(import_services.ImportRejected):
        import_services.import_apply(batch, by=world.coordinator_a)


def test_another_agency_gets_404_and_counselors_403(world, client):
    client.force_login(world.coordinator_a)
    batch = _batch_from(_preview(client, "a.csv", csv_text(rows_for(2)).encode()))
    coordinator_b = MembershipFactory(agency=world.agency_b, role=Role.COORDINATOR).user
    client.force_login(coordinator_b)
    assert client.get(reverse("import_preview", args=[batch.uuid])).status_code == 404
    assert client.post(reverse("import_confirm", args=[batch.uuid])).status_code == 404
    assert "a.csv" not in client.get(reverse("import_start")).content.decode()
    client.force_login(world.counselor_a)
    assert client.get(reverse("import_start")).status_code == 403
    assert client.get(reverse("import_preview", args=[batch.uuid])).status_code == 403
    assert client.post(reverse("import_confirm", args=[batch.uuid])).status_code == 403
    assert Program.objects.filter(external_id__startswith="P-").count() == 0


def test_formula_like_cells_are_stored_as_text(world, client):
    formulas = {
        "作業内容": '=HYPERLINK("http://example.com","押して")',
        "注意事項": "@SUM(1+1)",
        "持ち物": "+81 90 0000",
        "休憩": "-1",
    }
    rows = [employer_cells(1) | program_cells(1) | formulas]
    client.force_login(world.coordinator_a)
    for name, data in (("f.xlsx", xlsx_bytes(rows)), ("f.csv", csv_text(rows).encode())):
        batch = _batch_from(_preview(client, name, data))
        assert batch.status == ImportStatus.READY, batch.rows[0]["errors"]
        client.post(reverse("import_confirm", args=[batch.uuid]))
        program = Program.objects.get(owner=world.agency_a, external_id="P-0001")
        assert program.what_you_do == formulas["作業内容"]
        assert program.cautions == "@SUM(1+1)"
        assert program.belongings == "+81 90 0000" and program.breaks == "-1"


def test_exported_formula_guard_is_taken_off():
    rows = [employer_cells(1) | program_cells(1) | {"作業内容": "'=1+2"}]
    parsed = parse_file(csv_text(rows).encode(), "export.csv")
    assert parsed.rows[0].program["what_you_do"] == "=1+2"


def test_wrong_file_type_and_size_are_refused_next_to_the_field(world, client, settings):
    client.force_login(world.coordinator_a)
    response = _preview(client, "photo.png", b"\x89PNG\r\n\x1a\n")
    assert response.status_code == 200 and response.context["form"].errors["file"]
    response = _preview(client, "fake.xlsx", b"just text")
    assert response.status_code == 200 and response.context["form"].errors["file"]
    settings.SHEETS_IMPORT_MAX_MB = 1
    response = _preview(client, "big.csv", b"a" * (1024 * 1024 + 1))
    assert response.status_code == 200 and response.context["form"].errors["file"]
    assert ImportBatch.objects.count() == 0


# --- Rules of matching --------------------------------------------------------------------------


def test_employer_columns_repeated_differently_are_an_error(world):
    rows = rows_for(2)
    rows[1] |= {"事業所名": "別の名前"}
    parsed = parse_file(xlsx_bytes(rows), "x.xlsx")
    plan = check_rows(parsed.rows, world.agency_a)
    assert _plan_problems(plan) == {(3, "事業所名")}


def test_same_program_id_twice_and_program_of_another_employer(world):
    rows = [*rows_for(2), employer_cells(2) | program_cells(1)]
    parsed = parse_file(xlsx_bytes(rows), "x.xlsx")
    plan = check_rows(parsed.rows, world.agency_a)
    assert _plan_problems(plan) == {(4, "プログラム管理番号")}


def test_ids_are_per_agency(world, client):
    """Agency C may use the same 管理番号: its import creates its own records."""
    client.force_login(world.coordinator_a)
    batch = _batch_from(_preview(client, "a.csv", csv_text(rows_for(1)).encode()))
    client.post(reverse("import_confirm", args=[batch.uuid]))
    coordinator_c = MembershipFactory(agency=world.agency_c, role=Role.COORDINATOR).user
    rows = rows_for(1)
    rows[0]["市区町村"] = world.region_y.name
    client.force_login(coordinator_c)
    batch_c = _batch_from(_preview(client, "c.csv", csv_text(rows).encode()))
    assert batch_c.counts["programs_create"] == 1
    client.post(reverse("import_confirm", args=[batch_c.uuid]))
    assert Program.objects.filter(external_id="P-0001").count() == 2
    assert Employer.objects.get(owner=world.agency_c, external_id="E-001").region == world.region_y


def test_region_outside_the_prefecture_is_an_error(world):
    rows = rows_for(1)
    rows[0]["市区町村"] = world.region_y.code
    plan = check_rows(parse_file(xlsx_bytes(rows), "x.xlsx").rows, world.agency_a)
    assert _plan_problems(plan) == {(2, "市区町村")}


def _plan_problems(plan) -> set[tuple[int, str]]:
    return {(row.line, error["column"]) for row in plan.rows for error in row.errors}


# --- Applying: all or nothing, progress -----------------------------------------------------


def test_any_error_while_writing_leaves_nothing_written(world, monkeypatch):
    batch = import_services.import_batch_create(
        agency=world.agency_a, by=world.coordinator_a, upload=upload("a.csv", csv_text(rows_for(30)).encode())
    )
    original = import_services._bulk_create

    def failing(model, objs, *, by):
        if model is Program:  # the employers are written by then
            raise RuntimeError("disk full")
        original(model, objs, by=by)

    monkeypatch.setattr(import_services, "_bulk_create", failing)
    before = (Employer.objects.count(), Program.objects.count())
    with pytest.raises(RuntimeError):
        import_services.import_apply(batch, by=world.coordinator_a)
    assert (Employer.objects.count(), Program.objects.count()) == before
    batch.refresh_from_db()
    assert batch.status == ImportStatus.READY and not AuditEntry.objects.filter(action="import.apply").exists()


def test_data_changed_since_the_preview_rejects_the_import(world):
    batch = import_services.import_batch_create(
        agency=world.agency_a, by=world.coordinator_a, upload=upload("a.csv", csv_text(rows_for(2)).encode())
    )
    # Meanwhile P-0002 was given to a program of another employer of the agency.
    from tests.sheets.factories import ProgramFactory

    ProgramFactory(employer=world.employer_a, external_id="P-0002")
    before = Program.objects.count()
    with pytest.raises(import_services.ImportRejected) as rejected:
        import_services.import_apply(batch, by=world.coordinator_a)
    assert Program.objects.count() == before
    line = next(row["line"] for row in batch.rows if row["program"].get("external_id") == "P-0002")
    assert f"{line}" in str(rejected.value.message) and "プログラム管理番号" in str(rejected.value.message)
    assert not Employer.objects.filter(external_id="E-001").exists()


def test_progress_is_reported(world):
    batch = import_services.import_batch_create(
        agency=world.agency_a, by=world.coordinator_a, upload=upload("a.csv", csv_text(rows_for(5)).encode())
    )
    seen = []
    counts = import_services.import_apply(batch, by=world.coordinator_a, progress=lambda d, t: seen.append((d, t)))
    assert seen[0] == (0, 6) and seen[-1] == (6, 6)  # one employer and five programs
    assert [d for d, _t in seen] == sorted(d for d, _t in seen)
    assert counts["programs_create"] == 5


def test_every_column_has_a_distinct_header():
    headers = [c.header for c in COLUMNS] + [a for c in COLUMNS for a in c.aliases]
    assert len(headers) == len(set(headers))


CELL = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["=1+1", "'=A1", "９：００", "　", "月・祝", "E", "0.375", "２", "E-001", "P-001", "#"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(cells=st.lists(st.tuples(st.sampled_from(HEADERS), CELL), min_size=1, max_size=12))
def test_any_cell_content_gives_row_errors_not_crashes(world, cells):
    """Hostile or odd cells: every problem is a row error with a column, never an exception."""
    row = employer_cells(1) | program_cells(1) | {header: value for header, value in cells}
    storable = {k: ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for k, v in row.items()}
    for name, data in (("fuzz.xlsx", xlsx_bytes([storable])), ("fuzz.csv", csv_text([row]).encode())):
        try:
            parsed = parse_file(data, name)
        except ImportFileError:
            continue  # e.g. a NUL byte: not a text file, refused as a whole
        plan = check_rows(parsed.rows, world.agency_a)
        for parsed_row in plan.rows:
            assert all(error["message"] for error in parsed_row.errors)


def test_the_ids_show_on_the_employer_and_program_pages(world, client):
    client.force_login(world.coordinator_a)
    batch = _batch_from(_preview(client, "a.csv", csv_text(rows_for(1)).encode()))
    client.post(reverse("import_confirm", args=[batch.uuid]))
    program = Program.objects.get(owner=world.agency_a, external_id="P-0001")
    assert "E-001" in client.get(reverse("employer_detail", args=[program.employer.uuid])).content.decode()
    assert "P-0001" in client.get(reverse("program_detail", args=[program.uuid])).content.decode()


def _big_xlsx(rows: int) -> bytes:
    """A real .xlsx of `rows` data rows, written as XML directly (openpyxl takes minutes)."""
    import zipfile as zf

    base = io.BytesIO(xlsx_bytes(rows_for(1), HEADERS[:8]))
    out = io.BytesIO()
    header = "".join(
        f'<c r="{letter}1" t="inlineStr"><is><t>{name}</t></is></c>'
        for letter, name in zip(
            "ABCDEF", ["事業所管理番号", "事業所名", "ふりがな", "種別", "業種", "所在地"], strict=True
        )
    )
    cells = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>E-{n}</t></is></c><c r="B{n}" t="inlineStr">'
        f"<is><t>事業所{n}</t></is></c></row>"
        for n in range(2, rows + 2)
    )
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main"><dimension ref="A1:B{rows + 1}"/><sheetData>'
        f'<row r="1">{header}</row>{cells}</sheetData></worksheet>'
    )
    with zf.ZipFile(base) as source, zf.ZipFile(out, "w", zf.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, sheet if item.filename == "xl/worksheets/sheet1.xml" else data)
    return out.getvalue()


def test_an_excel_file_of_200000_rows_is_refused_before_reading(monkeypatch):
    import time

    from sheets.interop.imports import reader

    data = _big_xlsx(200_000)
    opened = []
    monkeypatch.setattr(reader, "load_workbook", lambda *a, **k: opened.append(1) or pytest.fail("read"))
    started = time.monotonic()
    with pytest.raises(ImportFileError, match="5,000"):
        parse_file(data, "big.xlsx")
    assert time.monotonic() - started < 2 and not opened


def test_an_excel_file_without_its_size_is_stopped_at_the_limit(monkeypatch):
    from sheets.interop.imports import reader

    data = _big_xlsx(6_000)
    monkeypatch.setattr(reader, "_refuse_too_many_rows", lambda data: None)
    read = []
    original = reader._parse_row

    def counting(*args, **kwargs):
        read.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(reader, "_parse_row", counting)
    with pytest.raises(ImportFileError, match="5,000"):
        parse_file(data, "big.xlsx")
    assert len(read) == reader.MAX_ROWS


def test_a_utf16_csv_gets_a_message_that_says_so():
    text = "事業所管理番号,事業所名\r\nE-1,みどり\r\n"
    for data in (text.encode("utf-16"), text.encode("utf-16-le"), ("a,b\r\n" * 50).encode("utf-16-be")):
        with pytest.raises(ImportFileError, match="UTF-16"):
            parse_file(data, "unicode.csv")
