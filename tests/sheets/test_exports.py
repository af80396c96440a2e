"""CSV and Excel downloads of the employer list and the program search: Japanese columns, the
BOM and CRLF that Excel needs, the screen's filters, other agencies' drafts never included, one
audit entry per download, and formula injection neutralised in every cell."""

import csv
import io
import json
import zipfile

import pytest
from django.db import models
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from registry.exports import EMPLOYER_COLUMNS, FORMULA_TRIGGERS, safe_cell
from registry.models import AuditEntry, Employer, Industry
from sheets.interop.exports import program_columns
from sheets.programs.models import Program, ProgramStatus, SharingScope
from sheets.vocabulary import Weekday
from tests.factories import EmployerFactory
from tests.figures import count
from tests.sheets.factories import ProgramFactory, TaskBreakdownFactory, TaskRowFactory
from tests.sheets.search_factories import SearchableProgramFactory

BOM = b"\xef\xbb\xbf"


def csv_rows(response) -> list[list[str]]:
    body = response.content
    assert body.startswith(BOM)
    text = body[len(BOM) :].decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline="")))


def xlsx_rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def export(client, name, fmt, query=""):
    response = client.get(reverse(name, args=[fmt]) + (f"?{query}" if query else ""))
    assert response.status_code == 200
    return response


def column(rows, header) -> list:
    index = rows[0].index(header)
    return [row[index] for row in rows[1:]]


# --- Employers -----------------------------------------------------------------------------


def test_employer_csv_has_bom_crlf_and_japanese_headers(world, login):
    response = export(login(world.counselor_a), "employer_export", "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"] and ".csv" in response["Content-Disposition"]
    body = response.content
    assert body.startswith(BOM)
    assert body.count(b"\r\n") == body.count(b"\n") == 2  # header + one employer, CRLF only
    rows = csv_rows(response)
    assert rows[0] == [c.header for c in EMPLOYER_COLUMNS]
    assert {"事業所名", "ふりがな", "所在地", "業種", "担当機関"} <= set(rows[0])
    assert column(rows, "事業所名") == ["有限会社みどり紙工"]  # active only, own region only


def test_employer_export_uses_the_screens_filters(world, login):
    EmployerFactory(owner=world.agency_b, name="川辺の農園", industry=Industry.A)
    client = login(world.counselor_a)
    everything = column(csv_rows(export(client, "employer_export", "csv")), "事業所名")
    assert sorted(everything) == sorted(["有限会社みどり紙工", "川辺の農園"])
    assert column(csv_rows(export(client, "employer_export", "csv", "q=みどり")), "事業所名") == ["有限会社みどり紙工"]
    assert column(csv_rows(export(client, "employer_export", "csv", "industry=A")), "事業所名") == ["川辺の農園"]
    with_archived = column(csv_rows(export(client, "employer_export", "csv", "archived=on")), "事業所名")
    assert "閉店した商店" in with_archived
    # Agency C (another prefecture) never sees region X's employers, whatever the filters say.
    other = column(csv_rows(export(login(world.counselor_c), "employer_export", "csv", "archived=on")), "事業所名")
    assert other == ["玖珠ねぎ生産組合"]


def test_employer_xlsx_has_japanese_headers_and_values_whatever_the_ui_language(world, login):
    client = login(world.counselor_a)
    response = client.get(reverse("employer_export", args=["xlsx"]), headers={"Accept-Language": "en"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = xlsx_rows(response)
    assert rows[0] == [c.header for c in EMPLOYER_COLUMNS]
    with translation.override("ja"):
        industry = str(world.employer_a.get_industry_display())
    assert column(rows, "業種") == [industry]
    assert column(rows, "事業所名") == ["有限会社みどり紙工"]


def test_every_export_is_one_audit_entry(world, login):
    client = login(world.counselor_a)
    export(client, "employer_export", "xlsx", "q=みどり")
    entry = AuditEntry.objects.get(action="employer.export")
    assert (entry.actor, entry.agency) == (world.counselor_a, world.agency_a)
    assert entry.detail == {"format": "xlsx", "rows": 1, "query": "q=%E3%81%BF%E3%81%A9%E3%82%8A"}
    export(client, "program_export", "csv")
    assert AuditEntry.objects.filter(action="program.export").count() == 1


def test_unknown_format_and_post_are_refused(world, login):
    client = login(world.counselor_a)
    assert client.get("/employers/export.pdf").status_code == 404
    assert client.post(reverse("program_export", args=["csv"])).status_code == 405
    assert not AuditEntry.objects.filter(action__endswith=".export").exists()


# --- Programs ------------------------------------------------------------------------------


@pytest.fixture
def programs(world):
    """A's published and draft programs, B's published one (region scope), C's draft."""
    return {
        "a_published": SearchableProgramFactory(
            employer=world.employer_a, title="袋詰め体験", status=ProgramStatus.PUBLISHED, days=["tue"]
        ),
        "a_draft": SearchableProgramFactory(employer=world.employer_a, title="検品の下書き"),
        "b_published": SearchableProgramFactory(
            employer=EmployerFactory(owner=world.agency_b, name="川辺の農園"),
            title="ねぎの出荷調整",
            status=ProgramStatus.PUBLISHED,
            sharing_scope=SharingScope.REGION,
        ),
        "c_draft": SearchableProgramFactory(employer=world.employer_c, title="玖珠の下書き"),
    }


def test_program_export_has_the_search_pages_rows_in_its_order(world, login, programs):
    client = login(world.coordinator_a)
    queries = ("", "q=袋詰め", "status=draft", "days=tue", "sort=newest", "engagement_type=visit", "max_hours=x&days=y")
    for query in queries:
        page = client.get(reverse("program_list") + f"?{query}")
        on_screen = [str(p.uuid) for p in page.context["page"].paginator.object_list]
        exported = column(csv_rows(export(client, "program_export", "csv", query)), "プログラムID")
        assert exported == on_screen, query
    assert column(csv_rows(export(client, "program_export", "csv", "q=袋詰め")), "プログラム名") == ["袋詰め体験"]


def test_program_export_never_holds_another_agencys_drafts(world, login, programs):
    for persona, expected in (
        ("counselor_a", {"袋詰め体験", "検品の下書き", "ねぎの出荷調整"}),
        ("counselor_b", {"袋詰め体験", "ねぎの出荷調整"}),
        ("counselor_c", {"玖珠の下書き"}),
    ):
        client = login(getattr(world, persona))
        for fmt, read in (("csv", csv_rows), ("xlsx", xlsx_rows)):
            titles = set(column(read(export(client, "program_export", fmt, "status=draft")), "プログラム名"))
            assert titles == {t for t in expected if "下書き" in t}, (persona, fmt)
            titles = set(column(read(export(client, "program_export", fmt, "status=all")), "プログラム名"))
            assert titles == expected, (persona, fmt)
            # Like the search page, the export is of published programs unless asked otherwise.
            titles = set(column(read(export(client, "program_export", fmt)), "プログラム名"))
            assert titles == {t for t in expected if "下書き" not in t}, (persona, fmt)


def test_program_export_columns(world, login, programs):
    rows = xlsx_rows(export(login(world.counselor_a), "program_export", "xlsx", "q=袋詰め"))
    with translation.override("ja"):
        headers = [c.header for c in program_columns()]
        expected_type = str(programs["a_published"].get_engagement_type_display())
        expected_status = str(programs["a_published"].get_status_display())
        tuesday = str(Weekday.TUE.label)
    assert rows[0] == headers
    expected = {"プログラム名", "参加形態", "事業所管理番号", "プログラム管理番号", "種別", "郵便番号", "事業所名"}
    assert expected | {"ふりがな", "所在地", "公開状態", "最終確認日"} <= set(headers)
    (row,) = rows[1:]
    record = dict(zip(headers, row, strict=True))
    assert record["参加形態"] == expected_type
    assert record["公開状態"] == expected_status
    assert record["曜日"] == tuesday


# --- Formula injection ---------------------------------------------------------------------

PAYLOADS = [
    '=HYPERLINK("http://x","y")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "=1+1",
    "＝1+1",
    "＋1+1",
    "－2+3",
    "＠SUM(A1)",
]
SKIPPED_FIELDS = {"code", "password", "email", "contact_email"}  # identifiers and validated addresses


def _fill_with_payloads(obj, start: int = 0) -> int:
    """Every free-text field of `obj` gets a payload that fits the column; returns how many."""
    filled = 0
    for field in obj._meta.concrete_fields:
        if not isinstance(field, (models.CharField, models.TextField)) or field.choices or not field.editable:
            continue
        if field.name in SKIPPED_FIELDS:
            continue
        fitting = [p for p in PAYLOADS if field.max_length is None or len(p) <= field.max_length]
        if fitting:
            setattr(obj, field.name, fitting[(start + filled) % len(fitting)])
            filled += 1
    type(obj).objects.filter(pk=obj.pk).update(**{f.name: getattr(obj, f.name) for f in obj._meta.concrete_fields})
    return filled


def _raw_dangerous(columns, rows) -> int:
    """How many cells would start a formula without the escaping (so the test can fail)."""
    return sum(
        1
        for row in rows
        for c in columns
        if isinstance(c.value(row), str) and c.value(row).startswith(FORMULA_TRIGGERS)
    )


def _check_cells(cells: list) -> tuple[int, int]:
    """Returns (cells checked, cells neutralised); fails on any cell that would be a formula."""
    checked = neutralised = 0
    for value in cells:
        checked += 1
        if isinstance(value, str):
            assert not value.startswith(FORMULA_TRIGGERS), repr(value)
            neutralised += value.startswith("'")
    return checked, neutralised


def test_formula_injection_is_neutralised_in_every_cell(world, login):
    employer = world.employer_a
    breakdown = TaskBreakdownFactory(employer=employer)
    program = ProgramFactory(employer=employer, status=ProgramStatus.PUBLISHED, days=["mon"])
    program.source_rows.set([TaskRowFactory(breakdown=breakdown), TaskRowFactory(breakdown=breakdown)])
    filled = 0
    for i, obj in enumerate(
        [employer.region.prefecture, employer.region, employer.owner, employer, program, *program.source_rows.all()]
    ):
        filled += _fill_with_payloads(obj, start=i)
    assert filled >= 40
    client = login(world.coordinator_a)
    total = 0
    for name, columns, rows in (
        ("employer_export", EMPLOYER_COLUMNS, list(Employer.objects.filter(pk=employer.pk))),
        ("program_export", None, list(Program.objects.filter(pk=program.pk))),
    ):
        with translation.override("ja"):
            columns = columns or program_columns()
            dangerous = _raw_dangerous(columns, rows)
        assert dangerous >= 8, name  # every exported free-text field holds a payload
        for fmt in ("csv", "xlsx"):
            response = export(client, name, fmt)
            if fmt == "csv":
                cells = [cell for row in csv_rows(response) for cell in row]
                checked, neutralised = _check_cells(cells)
                assert neutralised == dangerous, (name, fmt)
            else:
                # Excel: every text cell is typed as text (never a formula) and holds the text
                # as it is, without the CSV's apostrophe.
                sheet = load_workbook(io.BytesIO(response.content)).active
                cells = [cell for row in sheet.iter_rows() for cell in row]
                assert all(cell.data_type != "f" for cell in cells), "formula cell"
                texts = [cell for cell in cells if isinstance(cell.value, str)]
                assert all(cell.data_type == "s" for cell in texts)
                assert not any(cell.value.startswith("'") for cell in texts)
                # (XML keeps no carriage return: "\r=1" reads back as "\n=1", still text.)
                kept = sum(cell.value.replace("\n", "\r", 1).startswith(FORMULA_TRIGGERS) for cell in texts)
                assert kept == dangerous, name
                checked = len(cells)
            total += checked
    # The HSDS data package is data, not a spreadsheet: its CSV tables carry the values
    # unchanged, the same as its JSON.
    package = client.get(reverse("hsds_datapackage"))
    with zipfile.ZipFile(io.BytesIO(package.content)) as archive:
        rows = list(csv.DictReader(io.StringIO(archive.read("services.csv").decode("utf-8"), newline="")))
        services = json.loads(archive.read("services.json"))
    assert [row["name"] for row in rows] == [service["name"] for service in services]
    assert rows[0]["name"].startswith(FORMULA_TRIGGERS)
    assert not any(cell.startswith("'") for row in rows for cell in row.values())
    count("formula-injection cells checked (CSV, Excel)", total)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_safe_cell_prefixes_every_trigger(payload):
    assert safe_cell(payload) == "'" + payload


@pytest.mark.parametrize("value", ["袋詰め", "2026-11-27", "a=b", " =1", "", None, 3, -2])
def test_safe_cell_leaves_harmless_values(value):
    expected = "" if value is None else value
    assert safe_cell(value) == expected
