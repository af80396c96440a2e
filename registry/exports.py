"""Spreadsheet exports (CSV and Excel) of the lists a user sees on screen.

One writer for every list, and ONE rule — `safe_cell` — that keeps a cell from being read as a
formula when the file is opened in a spreadsheet (CSV/formula injection, OWASP): every cell of
every CSV export passes through it; Excel cells are typed as text instead. The columns come
from the column tables (registry/columns.py, sheets/programs/columns.py).

- CSV: UTF-8 with a BOM and CRLF line ends, every cell quoted: Excel on Windows opens it by
  double-click with the Japanese intact.
- Excel (.xlsx, openpyxl): text cells are typed as strings (never formulas), so they hold the
  text as it is, without the CSV's apostrophe.
- Every export is one audit entry (what was exported, in which format, how many rows, with which
  filters) under the acting agency, also for lists without personal data.
"""

import csv
import datetime
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from registry.columns import EMPLOYER_FIELDS, Field
from registry.models import Employer, User, acting_membership
from registry.services import audit

# A cell beginning with one of these is a formula (or becomes one) in Excel, LibreOffice and
# Google Sheets: = + - @ and tab / carriage return (OWASP "CSV Injection"), and their
# full-width forms ＝ ＋ － ＠, which a Japanese spreadsheet (IME input, "convert to half-width")
# may turn into the half-width ones.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")
DATE_FORMAT = "yyyy-mm-dd"


type Cell = str | int | float | Decimal | datetime.date


def cell_value(value: object) -> Cell:
    """A value as a spreadsheet cell holds it: None is empty, a boolean ○ or nothing, numbers
    and dates as they are, anything else text (unchanged)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "○" if value else ""
    if isinstance(value, (int, float, Decimal, datetime.date)):
        return value
    return str(value)


def safe_cell(value: object) -> Cell:
    """The value as it may go into a CSV cell: text that a spreadsheet would read as a formula
    gets a leading apostrophe; numbers and dates stay as they are (they cannot be formulas).
    Only for files meant for spreadsheets (CSV): HSDS files carry the data unchanged, and
    Excel cells are typed as text instead (`xlsx_bytes`)."""
    value = cell_value(value)
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


@dataclass(frozen=True)
class Column:
    """One column of an export: its Japanese header and how to read the value from a row."""

    header: str
    value: Callable[[Any], object]


def export_columns(fields: Iterable[Field], of: Callable[[Any], Any] | None = None) -> list[Column]:
    """The exported rows of a column table (`registry/columns.py`) as export columns; `of`
    goes from the exported row to the table's record (a program → its employer)."""
    columns = []
    for spec in fields:
        if spec.write is None:
            continue
        columns.append(Column(spec.header, spec.write if of is None else _through(of, spec.write)))
    return columns


def _through(of: Callable[[Any], Any], write: Callable[[Any], object]) -> Callable[[Any], object]:
    """A column of another record: `write` applied to what `of` finds from the row."""
    return lambda row: write(of(row))


def _cells(columns: list[Column], row: Any) -> list[Cell]:
    return [safe_cell(column.value(row)) for column in columns]


def csv_bytes(columns: list[Column], rows: Iterable[Any]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([safe_cell(column.header) for column in columns])
    for row in rows:
        writer.writerow(
            [cell.isoformat() if isinstance(cell, datetime.date) else cell for cell in _cells(columns, row)]
        )
    return out.getvalue().encode("utf-8-sig")  # utf-8-sig writes the BOM Excel looks for


def xlsx_bytes(columns: list[Column], rows: Iterable[Any], *, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]  # Excel's limit for sheet names
    sheet.append([cell_value(column.header) for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_xlsx_value(cell_value(column.value(row))) for column in columns])
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                # A text cell (shared string): Excel shows `=1+2` as written and never
                # evaluates it, so no apostrophe is needed (nor shown).
                cell.data_type = "s"
            elif isinstance(cell.value, datetime.date):
                cell.number_format = DATE_FORMAT
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_value(cell: Cell) -> Cell:
    # Control characters (other than tab/newline) are not allowed in .xlsx: dropped, not refused.
    return ILLEGAL_CHARACTERS_RE.sub("", cell) if isinstance(cell, str) else cell


def export_response(*, fmt: str, columns: list[Column], rows: Iterable[Any], basename: str) -> HttpResponse:
    """The file in the asked format; an unknown format is 404 (the URL pattern allows only two)."""
    if fmt not in FORMATS:
        raise Http404
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "csv":
        response = HttpResponse(csv_bytes(columns, rows), content_type=CSV_TYPE)
    else:
        response = HttpResponse(xlsx_bytes(columns, rows, title=basename), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{basename}_{stamp}.{fmt}")
    response["Cache-Control"] = "private, no-store"
    return response


def record_export(*, by: User, action: str, fmt: str, rows: int, query: str = "", **detail: Any) -> None:
    """One audit entry per export: what, which format, how many rows, which filters (the query
    string of the screen; it carries no personal data)."""
    membership = acting_membership(by)
    audit(
        by=by,
        agency=membership.agency if membership else None,
        action=action,
        format=fmt,
        rows=rows,
        query=query[:500],
        **detail,
    )


# --- Employers: the columns of the employer list export -------------------------------------


EMPLOYER_COLUMNS: list[Column] = export_columns(EMPLOYER_FIELDS)
EMPLOYER_EXPORT_NAME = "事業所一覧"


def employer_rows(queryset: QuerySet[Employer]) -> list[Employer]:
    return list(queryset.select_related("region__prefecture", "owner"))
