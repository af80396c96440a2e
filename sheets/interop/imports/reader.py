"""Bulk import of employers and programs from a spreadsheet (.xlsx or .csv): the file shape,
reading it, and checking every row — without writing anything (the writes are in
sheets/import_services.py).

The shape (docs/decisions.md "Spreadsheet import"): ONE sheet, one row per program, with its
employer's columns on the same row. Rows with the same 事業所管理番号 belong to the same
employer: its columns are read from the first of those rows; later rows may leave them blank or
repeat them (a different value is an error). A row with employer columns only adds or updates
the employer. Both 管理番号 are chosen by the importing agency and are what makes a second
import of the same file update instead of duplicate.

Reading is pure (bytes in, `ParsedFile` out): values are converted to JSON-ready Python values
and conversion problems recorded per row and column. `check_rows()` then reads the database
(the agency's regions, employers and programs with those 管理番号) and validates every row with
the models' own `full_clean()` — the same rules as the forms — and says what would happen
(新規 / 更新 / 変更なし). Messages are rendered in the active language when they are made.

Column headers, choice labels and the 記入方法 sheet are Japanese whatever the UI language: the
file is a data format that regional offices fill in by hand (as the exports are)."""

import csv
import datetime
import difflib
import io
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from registry.columns import EMPLOYER, EMPLOYER_FIELDS, PROGRAM, Field
from registry.models import Agency, Employer, Industry, Region
from registry.postal import normalise_postal_code, validate_postal_code
from registry.printable import PRINTED_EMPLOYER_FIELDS, unprintable, unprintable_message
from sheets.dimensions import validate_ratings
from sheets.interop.columns import import_fields
from sheets.programs.columns import program_fields
from sheets.programs.models import Program, ProgramStatus
from sheets.vocabulary import Weekday

SHEET_NAME = "しごと情報"
HELP_SHEET_NAME = "記入方法"
COMMENT_MARK = "#"  # a row whose first cell starts with it is not read (explanations, 記入例)
MAX_ROWS = 5000  # data rows per file: a bigger file is refused before any checking
MAX_COLUMNS = 150  # cells read per row (the template has about 60)
FORMATS = ("xlsx", "csv")


class Action:
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    OTHER_AGENCY = "other_agency"  # another agency's record: never created or changed by an import


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong type, no header, too many rows)."""


# --- Columns ------------------------------------------------------------------------------------

# One column = one row of the column tables (registry/columns.py, sheets/programs/columns.py):
# header, aliases, how a cell is read (`kind`), choices, notes and examples of the template.
Column = Field
COLUMNS: tuple[Column, ...] = import_fields()

REQUIRED_HEADERS = tuple(c.header for c in COLUMNS if c.required and c.target == EMPLOYER)
PROGRAM_REQUIRED_HEADERS = tuple(c.header for c in COLUMNS if c.required and c.target == PROGRAM)
EMPLOYER_KEY = next(c for c in COLUMNS if c.target == EMPLOYER and c.field == "external_id")
PROGRAM_KEY = next(c for c in COLUMNS if c.target == PROGRAM and c.field == "external_id")
EMPLOYER_UUID = next(c for c in COLUMNS if c.target == EMPLOYER and c.field == "uuid")
PROGRAM_UUID = next(c for c in COLUMNS if c.target == PROGRAM and c.field == "uuid")
# Model fields that may be set from a file: everything the columns name, and nothing else.
IDENTITY = ("uuid",)
EMPLOYER_IMPORT_FIELDS = tuple(c.field for c in COLUMNS if c.target == EMPLOYER and c.field not in IDENTITY)
PROGRAM_IMPORT_FIELDS = tuple(
    c.field for c in COLUMNS if c.target == PROGRAM and not c.field.startswith("demands.") and c.field not in IDENTITY
)


def _header_key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or "")))


# Columns the exports write for people and an import does not read back (quietly skipped).
EXPORT_ONLY_HEADERS = {
    _header_key(f.header) for f in (*EMPLOYER_FIELDS, *program_fields()) if f.exported and not f.imported
}
HEADER_LOOKUP: dict[str, Column] = {
    _header_key(name): column for column in COLUMNS for name in (column.header, *column.aliases)
}


# --- Reading cells ------------------------------------------------------------------------------


class CellError(Exception):
    pass


def _fold(value: str) -> str:
    """Full-width digits/letters/colons to half-width, spaces (also full-width) trimmed."""
    return unicodedata.normalize("NFKC", value).strip()


# Characters that one Shift_JIS code stands for twice: Excel saves 〜 (U+301C) of a UTF-8 export as
# 0x8160, which reads back as ～ (U+FF5E); the same for − ‖ — ¢ £ ¬. A file saved as 「CSV」 from
# Excel says the same thing with the other one of each pair.
SHIFT_JIS_TWINS = str.maketrans("〜−‖—¢£¬", "～－∥―￠￡￢")


def same_in_shift_jis(a: str, b: str) -> bool:
    return a.translate(SHIFT_JIS_TWINS) == b.translate(SHIFT_JIS_TWINS)


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value) -> str:
    """Any cell as text: numbers Excel stored as floats lose their `.0`, dates their midnight.
    Text that an export protected from formula injection (a leading apostrophe before = + - @)
    gets its apostrophe back off; other text — formulas included — is kept as written."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time(0) else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat(timespec="minutes") if isinstance(value, datetime.time) else value.isoformat()
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@＝＋－＠":
        text = text[1:]
    return text


def _id(value) -> str:
    return _fold(_text(value))


def _int(value) -> int | None:
    if _is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("Enter a whole number."))
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(_("Enter a whole number."))
        return int(value)
    text = _fold(str(value)).replace(",", "")
    text = re.sub(r"(人|名)$", "", text)
    if not re.fullmatch(r"-?\d{1,9}", text):
        raise CellError(_("Enter a whole number."))
    return int(text)


YES = {"はい", "○", "〇", "◯", "有", "あり", "可", "1", "true", "yes", "y"}
NO = {"いいえ", "×", "✕", "無", "なし", "不可", "0", "false", "no", "n", "-", "ー"}


def _bool(value) -> bool | None:
    if _is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    text = _fold(_text(value)).lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise CellError(_("Write はい or いいえ."))


def _time(value) -> str | None:
    if _is_blank(value):
        return None
    if isinstance(value, datetime.datetime):
        value = value.time()
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < 1:
        minutes = round(value * 24 * 60)  # Excel keeps a time as a fraction of a day
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    match = re.fullmatch(r"(\d{1,2})(?::|時)(\d{1,2})?分?(?::00)?", _fold(_text(value)))
    if match:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if hour < 24 and minute < 60:
            return f"{hour:02d}:{minute:02d}"
    raise CellError(_("Write a time such as 9:00."))


def _choice_key(text: str) -> str:
    # ／・/ and spaces vary between hand-typed sheets (短期／短時間アルバイト, 短期・短時間…).
    return re.sub(r"[\s・/／,，、]", "", _fold(text.translate(SHIFT_JIS_TWINS)).lower())


def _choice_lookup(choices) -> dict[str, str]:
    """Value, Japanese label, English label and, where unambiguous, the label before its
    bracket (理解力 for 理解力（指示の理解）) → the stored value."""
    lookup: dict[str, str] = {}
    ambiguous: set[str] = set()

    def add(name: str, value: str, *, exact: bool) -> None:
        key = _choice_key(name)
        if not key:
            return
        if exact:
            lookup[key] = value
        elif key in lookup and lookup[key] != value:
            ambiguous.add(key)
        else:
            lookup.setdefault(key, value)

    for language in ("ja", "en"):
        with translation.override(language):
            for value, label in choices.choices:
                add(str(value), str(value), exact=True)
                add(str(label), str(value), exact=True)
                short = re.split(r"[（(]", _fold(str(label)))[0]
                add(short, str(value), exact=False)
                if choices is Weekday:
                    add(f"{label}曜", str(value), exact=True)
                    add(f"{label}曜日", str(value), exact=True)
    for key in ambiguous:
        lookup.pop(key, None)
    return lookup


_LOOKUPS: dict[type, dict[str, str]] = {}


def _lookup(choices) -> dict[str, str]:
    if choices not in _LOOKUPS:
        _LOOKUPS[choices] = _choice_lookup(choices)
    return _LOOKUPS[choices]


def _not_a_choice(text: str, choices) -> CellError:
    with translation.override("ja"):
        allowed = "、".join(str(label) for _value, label in choices.choices)
    return CellError(_("“%(value)s” is not one of: %(allowed)s.") % {"value": text, "allowed": allowed})


def _choice(value, choices) -> str:
    text = _text(value)
    if not text:
        return ""
    found = _lookup(choices).get(_choice_key(text))
    if found is None and choices is Industry:
        found = _lookup(choices).get(_choice_key(text[:1])) if re.match(r"^[A-Ta-t](?:\W|$)", _fold(text)) else None
    if found is None:
        raise _not_a_choice(text, choices)
    return found


def _choices(value, choices) -> list[str]:
    """Several choices in one cell, separated by 、 , ; line breaks or spaces; 「・」 separates
    too unless it is part of a label (正確性・ていねいさ). Returned in the choices' order."""
    text = _text(value)
    if not text:
        return []
    lookup = _lookup(choices)
    found: list[str] = []
    for token in re.split(r"[、,，;；\n\s/／]+", _fold(text)):
        if not token:
            continue
        values = _segment(token, lookup)
        if values is None:
            raise _not_a_choice(token, choices)
        found += values
    order = list(choices.values)
    return sorted(set(found), key=order.index)


def _segment(token: str, lookup: dict[str, str]) -> list[str] | None:
    """「・」-separated parts, longest known labels first: 正確性・ていねいさ・手先の器用さ →
    accuracy, dexterity. None when some part is not a choice."""
    parts = [part for part in token.split("・") if part]
    values, start = [], 0
    while start < len(parts):
        for end in range(len(parts), start, -1):
            value = lookup.get(_choice_key("・".join(parts[start:end])))
            if value is not None:
                values.append(value)
                start = end
                break
        else:
            return None
    return values


def _rating(value, key: str) -> int | None:
    level = _int(value)
    if level is None:
        return None
    try:
        validate_ratings({key: level})  # the one rule for ratings (0–3)
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from None
    return level


def _uuid(value) -> str:
    text = _id(value)
    if not text:
        return ""
    try:
        return str(uuid.UUID(text))
    except ValueError:
        raise CellError(_("This is not an ID written by this registry. Leave it blank for a new record.")) from None


def _postal(value) -> str:
    text = normalise_postal_code(_text(value))
    try:
        validate_postal_code(text)
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from None
    return text


def _printed_text(column: Column, text: str) -> str:
    """A text a sheet prints (every program text, the employer's on ①) refuses, as the forms do,
    characters that would print as □ (registry/printable.py)."""
    printed = column.target == PROGRAM or column.field in PRINTED_EMPLOYER_FIELDS
    if printed and (characters := unprintable(text)):
        raise CellError(unprintable_message(characters))
    return text


def convert(column: Column, value):
    """The cell as the JSON-ready value stored in the batch; CellError says why it cannot be."""
    if isinstance(value, FormulaWithoutValue):
        raise CellError(
            _(
                "This cell has a formula (%(formula)s) whose result the file does not keep. In Excel, "
                "paste the cells as values (not formulas) and save again."
            )
            % {"formula": value[:40]}
        )
    if column.kind == "text":
        return _printed_text(column, _text(value))
    if column.kind == "id":
        return _id(value)
    if column.kind == "region":
        return _id(value)
    if column.kind == "int":
        return _int(value)
    if column.kind == "bool":
        return _bool(value)
    if column.kind == "time":
        return _time(value)
    if column.kind == "uuid":
        return _uuid(value)
    if column.kind == "postal":
        return _postal(value)
    if column.kind == "choice":
        return _choice(value, column.choice_class)
    if column.kind == "choices":
        return _choices(value, column.choice_class)
    if column.kind == "rating":
        return _rating(value, column.field.split(".", 1)[1])
    raise ValueError(column.kind)


# --- Reading a file ----------------------------------------------------------------------------


@dataclass
class ParsedRow:
    """One data row: its values per target (only the file's columns), the problems found."""

    line: int
    employer: dict = field(default_factory=dict)
    program: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)  # {"column", "letter", "message"}
    notes: list = field(default_factory=list)  # the same shape: what the row does not do, possible duplicates
    employer_action: str = ""
    program_action: str = ""
    letters: dict = field(default_factory=dict)  # header -> column letter, for messages

    def error(self, column: Column | None, message: str) -> None:
        header = column.header if column else ""
        self.errors.append({"column": header, "letter": self.letters.get(header, ""), "message": str(message)})

    def note(self, column: Column | None, message: str) -> None:
        header = column.header if column else ""
        self.notes.append({"column": header, "letter": self.letters.get(header, ""), "message": str(message)})

    @property
    def has_program(self) -> bool:
        return any(value not in ("", None, []) for name, value in self.program.items() if name != "uuid")

    def as_json(self) -> dict:
        return {
            "line": self.line,
            "employer": self.employer,
            "program": self.program,
            "errors": self.errors,
            "notes": self.notes,
            "employer_action": self.employer_action,
            "program_action": self.program_action,
        }

    @classmethod
    def from_json(cls, data: dict, letters: dict | None = None) -> "ParsedRow":
        return cls(
            line=data["line"],
            employer=dict(data.get("employer", {})),
            program=dict(data.get("program", {})),
            letters=letters or {},
        )


@dataclass
class ParsedFile:
    file_format: str
    rows: list[ParsedRow]
    columns: dict[str, str]  # header -> letter, the columns read
    ignored: list[str]  # headers not read
    encoding: str = ""


def parse_file(data: bytes, file_name: str) -> ParsedFile:
    """Read the rows of an .xlsx or .csv file (chosen by its name, checked by its content)."""
    suffix = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if suffix not in FORMATS:
        raise ImportFileError(_("Choose an Excel file (.xlsx) or a CSV file (.csv)."))
    if suffix == "xlsx":
        cells, encoding = _xlsx_rows(data), ""
    else:
        cells, encoding = _csv_rows(data)
    return _parse_rows(cells, suffix, encoding)


# Rows an Excel sheet may declare beyond MAX_ROWS data rows (header, explanations, blank rows).
ROW_ALLOWANCE = 200
DIMENSION_RE = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"[A-Z]*\d*:?[A-Z]*(\d+)\"")


def _refuse_too_many_rows(data: bytes) -> None:
    """Before the workbook is opened (openpyxl reads every shared string first): a sheet
    whose declared size (`<dimension ref="A1:BZ200001">`, written by Excel and LibreOffice)
    passes the limit is refused at once. A sheet without it is stopped while reading, at the
    limit (`_parse_rows`)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    with archive.open(name) as sheet:
                        head = sheet.read(4096)
                    match = DIMENSION_RE.search(head)
                    if match and int(match.group(1)) > MAX_ROWS + ROW_ALLOWANCE:
                        raise ImportFileError(_too_many_rows())
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        return  # load_workbook says what is wrong with the file


def _too_many_rows() -> str:
    return _("The file has more than %(max)s rows. Split it into smaller files.") % {"max": f"{MAX_ROWS:,}"}


class FormulaWithoutValue(str):
    """A cell with a formula whose result the file does not keep (a workbook written by a
    program, never saved by Excel): its text is the formula, which is not what the user sees."""


MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+\d+):([A-Z]+\d+)"')
FORMULA_RE = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _open_workbook(data: bytes, *, data_only: bool):
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ImportFileError(
            _("This file is not an Excel workbook (.xlsx). Save it from Excel as .xlsx or .csv.")
        ) from None


def _sheet_of(workbook):
    names = workbook.sheetnames
    try:
        return workbook[SHEET_NAME] if SHEET_NAME in names else workbook[next(n for n in names if n != HELP_SHEET_NAME)]
    except StopIteration:
        raise ImportFileError(_("The workbook has no sheet to read.")) from None


def _xlsx_rows(data: bytes):
    """The rows as Excel shows them: a formula's last result (as Excel saved it), and a merged
    range's value in each of its cells (Excel shows the top-left cell's value across the range;
    read cell by cell, the others are blank)."""
    if not data.startswith(b"PK"):
        raise ImportFileError(_("This file is not an Excel workbook (.xlsx). Save it from Excel as .xlsx or .csv."))
    _refuse_too_many_rows(data)
    shown = _open_workbook(data, data_only=True)
    written = None
    try:
        sheet = _sheet_of(shown)
        xml = _sheet_xml(data, getattr(sheet, "_worksheet_path", ""))
        rows = sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True)
        formulas = None
        if FORMULA_RE.search(xml):  # only then is the file read a second time, for the formulas
            written = _open_workbook(data, data_only=False)
            formulas = _sheet_of(written).iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True)
        merged = _Merges(xml)
        for number, row in enumerate(rows, start=1):
            values = list(row)
            if formulas is not None:
                _mark_formulas_without_value(values, next(formulas, ()))
            yield number, merged.fill(number, values)
    finally:
        shown.close()
        if written is not None:
            written.close()


def _sheet_xml(data: bytes, path: str) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.read(path.lstrip("/"))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        return b""


def _mark_formulas_without_value(values: list, written: tuple) -> None:
    for index, formula in enumerate(written[: len(values)]):
        if values[index] is None and isinstance(formula, str) and formula.startswith("="):
            values[index] = FormulaWithoutValue(formula)


class _Merges:
    """The sheet's merged ranges (<mergeCell ref="A2:A3"/>), filled from their top-left cell."""

    def __init__(self, xml: bytes) -> None:
        from openpyxl.utils.cell import range_boundaries

        self.ranges = []
        for first, last in MERGE_RE.findall(xml):
            min_col, min_row, max_col, max_row = range_boundaries(f"{first.decode()}:{last.decode()}")
            if min_col <= MAX_COLUMNS:
                self.ranges.append((min_row, max_row, min_col, min(max_col, MAX_COLUMNS)))
        self.values: dict[tuple[int, int], object] = {}

    def fill(self, number: int, values: list) -> list:
        for min_row, max_row, min_col, max_col in self.ranges:
            if not min_row <= number <= max_row:
                continue
            values.extend([None] * (max_col - len(values)))
            if number == min_row:
                self.values[(min_row, min_col)] = values[min_col - 1]
            value = self.values.get((min_row, min_col))
            for column in range(min_col, max_col + 1):
                values[column - 1] = value
        return values


def _decode_csv(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without the BOM Excel writes), else Shift_JIS (cp932, old Excel)."""
    has_bom = data.startswith(b"\xef\xbb\xbf")
    choices = (("utf-8", "UTF-8 (BOM)"),) if has_bom else (("utf-8", "UTF-8"), ("cp932", "Shift_JIS"))
    for encoding, label in choices:
        try:
            return data[3 if has_bom else 0 :].decode(encoding), label
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("The CSV file is neither UTF-8 nor Shift_JIS text. Save it again as “CSV UTF-8”."))


def _is_utf16(data: bytes) -> bool:
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    # Without a BOM: zero bytes (the high half of ASCII characters) in what decodes as text.
    if b"\x00" not in head or data.startswith(b"PK"):
        return False
    head = head[: len(head) // 2 * 2]
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text and any(c in text for c in ",\t;\n"):
            return True
    return False


def _csv_rows(data: bytes):
    if _is_utf16(data):
        raise ImportFileError(
            _(
                "This CSV file is saved as UTF-16 (“Unicode text”), which cannot be read. "
                "In Excel, save it again as “CSV UTF-8 (comma delimited)”."
            )
        )
    if b"\x00" in data[:4096] or data.startswith(b"PK"):
        raise ImportFileError(_("This file is not a CSV text file. Save it from Excel as .xlsx or .csv."))
    text, encoding = _decode_csv(data)
    # A cell longer than Python's default limit (131,072) is said by its column's length rule,
    # not refused as a broken file: no cell can be longer than the file (SHEETS_IMPORT_MAX_MB).
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    # Only the delimiter is guessed; quoting is Excel's (and the export's): "" inside quotes is one
    # ". Guessed from the first 4 KB, quoting was switched off when no "" stood there, and a
    # program name with quotes further down split into shifted columns.
    try:
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",\t;").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter)

    def rows():
        try:
            for number, row in enumerate(reader, start=1):
                yield number, row[:MAX_COLUMNS]
        except csv.Error as exc:
            raise ImportFileError(_("The CSV file cannot be read: %(reason)s") % {"reason": exc}) from None

    return rows(), encoding


def _is_comment(row: list) -> bool:
    first = row[0] if row else None
    return isinstance(first, str) and first.strip().startswith(COMMENT_MARK)


def _parse_rows(cells, file_format: str, encoding: str) -> ParsedFile:
    header: list | None = None
    positions: dict[int, Column] = {}
    letters: dict[str, str] = {}
    ignored: list[str] = []
    rows: list[ParsedRow] = []
    for number, row in cells:
        if all(_is_blank(value) for value in row) or _is_comment(row):
            continue  # blank rows (Excel keeps formatted ones) and explanations / 記入例
        if header is None:
            header = row
            positions, letters, ignored = _read_header(row)
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(_too_many_rows())  # stops reading here
        rows.append(_parse_row(number, row, positions, letters))
    if header is None:
        raise ImportFileError(_("The file is empty: no header row was found."))
    if not rows:
        raise ImportFileError(_("The file has a header row but no data rows."))
    return ParsedFile(file_format=file_format, rows=rows, columns=letters, ignored=ignored, encoding=encoding)


def _read_header(row: list) -> tuple[dict[int, Column], dict[str, str], list[str]]:
    positions: dict[int, Column] = {}
    ignored: list[str] = []
    for index, value in enumerate(row):
        if _is_blank(value):
            continue
        column = HEADER_LOOKUP.get(_header_key(value))
        if column is None and _header_key(value) not in EXPORT_ONLY_HEADERS:
            ignored.append(_text(value))
        elif column is None:
            continue  # a column of the exports that an import does not need (状態, 更新日 …)
        elif column in positions.values():
            raise ImportFileError(_("The column “%(column)s” appears twice.") % {"column": column.header})
        else:
            positions[index] = column
    missing = _missing_headers({c.header for c in positions.values()})
    if missing:
        raise ImportFileError(
            _("These columns are missing: %(columns)s. Start from the template.") % {"columns": "、".join(missing)}
        )
    letters = {column.header: get_column_letter(index + 1) for index, column in positions.items()}
    return positions, letters, [_with_likely_column(header, positions.values()) for header in ignored]


def _with_likely_column(header: str, present) -> str:
    """「作業の内容」 → 「作業の内容（「作業内容」のことなら…）」: a heading mistyped drops its
    column's data without a word, so the nearest column the file lacks is named beside it."""
    missing = {_header_key(c.header): c for c in COLUMNS if c not in present}
    near = difflib.get_close_matches(_header_key(header), list(missing), n=1, cutoff=0.6)
    if not near:
        return header
    return _("%(header)s (if it is “%(column)s”, rename the heading to that)") % {
        "header": header,
        "column": missing[near[0]].header,
    }


def _missing_headers(present: set[str]) -> list[str]:
    """The employer's required columns and one of its two keys; the program's too when the
    file has any program column (an employer-only file needs none of them)."""
    missing = [header for header in REQUIRED_HEADERS if header not in present]
    if EMPLOYER_KEY.header not in present and EMPLOYER_UUID.header not in present:
        missing.append(EMPLOYER_KEY.header)
    program_headers = {c.header for c in COLUMNS if c.target == PROGRAM}
    if present & program_headers:
        missing += [header for header in PROGRAM_REQUIRED_HEADERS if header not in present]
        if PROGRAM_KEY.header not in present and PROGRAM_UUID.header not in present:
            missing.append(PROGRAM_KEY.header)
    return missing


def _parse_row(number: int, row: list, positions: dict[int, Column], letters: dict[str, str]) -> ParsedRow:
    parsed = ParsedRow(line=number, letters=letters)
    for index, column in positions.items():
        value = row[index] if index < len(row) else None
        target = parsed.employer if column.target == EMPLOYER else parsed.program
        try:
            target[column.field] = convert(column, value)
        except CellError as exc:
            parsed.error(column, str(exc))
    return parsed


# --- Checking rows against the database -----------------------------------------------------


COLUMN_OF = {(c.target, c.field): c for c in COLUMNS}


@dataclass
class Plan:
    """What importing the rows would do; `employers` and `programs` are unsaved or changed
    model instances ready for the services to save (only when there are no errors)."""

    rows: list[ParsedRow]
    employers: list[tuple[Employer, str]] = field(default_factory=list)  # (instance, action) per 管理番号
    programs: list[tuple[ParsedRow, Program, str]] = field(default_factory=list)
    changed_fields: dict[int, list[str]] = field(default_factory=dict)  # id(instance) -> fields

    @property
    def error_count(self) -> int:
        return sum(1 for row in self.rows if row.errors)

    def counts(self) -> dict[str, int]:
        counts = {"rows": len(self.rows), "error_rows": self.error_count}
        for kind, items in (
            ("employers", [a for _e, a in self.employers]),
            ("programs", [a for *_x, a in self.programs]),
        ):
            for action in (Action.CREATE, Action.UPDATE, Action.UNCHANGED):
                counts[f"{kind}_{action}"] = sum(1 for a in items if a == action)
        others = [row for row in self.rows if row.employer_action == Action.OTHER_AGENCY]
        counts[f"employers_{Action.OTHER_AGENCY}"] = len({row.employer.get("uuid") for row in others})
        counts[f"programs_{Action.OTHER_AGENCY}"] = sum(
            1 for row in self.rows if row.program_action == Action.OTHER_AGENCY
        )
        return counts


def _regions(agency: Agency) -> dict[str, Region]:
    """Regions an agency may register employers in (its prefecture, as the employer form),
    by 6-digit code, 5-digit code (without the check digit) and name."""
    lookup: dict[str, Region] = {}
    for region in Region.objects.filter(prefecture_id=agency.region.prefecture_id).select_related("prefecture"):
        lookup[region.code] = region
        lookup[region.code[:5]] = region
        lookup[_choice_key(region.name)] = region
        lookup[_choice_key(f"{region.prefecture.name}{region.name}")] = region
    return lookup


def _messages(exc: ValidationError) -> dict[str, list[str]]:
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}


def _report(row: ParsedRow, target: str, exc: ValidationError) -> None:
    """The model's own messages, by column; a cell that could not be read is reported once
    (its conversion problem, not also the model's "cannot be blank" that follows from it)."""
    already = {error["column"] for error in row.errors}
    for name, messages in _messages(exc).items():
        column = COLUMN_OF.get((target, name))
        if column is not None and column.header in already:
            continue
        for message in messages:
            row.error(column, message)


def _set(instance, name: str, value, changed: list[str]) -> None:
    current = getattr(instance, name)
    if current == value or (isinstance(value, str) and isinstance(current, str) and same_in_shift_jis(current, value)):
        return  # an export saved again by Excel as Shift_JIS is no change (SHIFT_JIS_TWINS)
    setattr(instance, name, value)
    changed.append(name)


def _same_place_key(name: str, address: str) -> str:
    """Name and address compared loosely: width, spaces, hyphens and 丁目/番/号 forms."""
    text = _fold(f"{name}|{address}").lower()
    text = re.sub(r"(\d+)丁目", r"\1-", text)
    text = re.sub(r"(\d+)番地?", r"\1-", text)
    text = re.sub(r"(\d+)号", r"\1", text)
    return re.sub(r"[\s\-‐‑–—―ー−の]", "", text)


@dataclass
class _Known:
    """What the database already holds for the file's keys (read once, not per row)."""

    employers_by_key: dict[str, Employer]
    employers_by_uuid: dict[str, Employer]  # any the agency may see: to say that a row is another agency's
    programs_by_key: dict[str, Program]
    programs_by_uuid: dict[str, Program]
    same_place: dict[str, list[Employer]]  # employers the agency sees, by name + address


def _known(rows: list[ParsedRow], agency: Agency, *, lock: bool) -> _Known:
    employer_keys = {row.employer.get("external_id") for row in rows} - {"", None}
    employer_uuids = {row.employer.get("uuid") for row in rows} - {"", None}
    program_keys = {row.program.get("external_id") for row in rows} - {"", None}
    program_uuids = {row.program.get("uuid") for row in rows} - {"", None}
    # By ID only what the agency may see: another agency's private record must read as unknown,
    # as it answers 404 everywhere else (a shared one is named, and left as it is).
    employers = Employer.objects.filter(
        models.Q(owner=agency, external_id__in=employer_keys)
        | models.Q(uuid__in=employer_uuids, pk__in=Employer.objects.for_agency(agency).values("pk"))
    ).select_related("owner")
    programs = Program.objects.filter(
        models.Q(owner=agency, external_id__in=program_keys)
        | models.Q(uuid__in=program_uuids, pk__in=Program.objects.for_agency(agency).values("pk"))
    ).select_related("employer", "owner")
    if lock:
        employers, programs = employers.select_for_update(of=("self",)), programs.select_for_update(of=("self",))
    employers, programs = list(employers), list(programs)
    names = {row.employer.get("name") for row in rows} - {"", None}
    same_place: dict[str, list[Employer]] = {}
    if names:
        visible = Employer.objects.for_agency(agency).filter(name__in=names).select_related("owner")
        for employer in visible:
            same_place.setdefault(_same_place_key(employer.name, employer.address), []).append(employer)
    return _Known(
        employers_by_key={e.external_id: e for e in employers if e.owner_id == agency.pk and e.external_id},
        employers_by_uuid={str(e.uuid): e for e in employers},
        programs_by_key={p.external_id: p for p in programs if p.owner_id == agency.pk and p.external_id},
        programs_by_uuid={str(p.uuid): p for p in programs},
        same_place=same_place,
    )


def check_rows(rows: list[ParsedRow], agency: Agency, *, lock: bool = False) -> Plan:
    """Validate every row and say what importing would do; nothing is saved. `lock` takes row
    locks on the records to update (inside the apply transaction).

    A record is found by its ID (事業所ID / プログラムID, written by the exports) or else by
    the agency's 管理番号. A row of another agency's record is never created or changed: it
    is marked as such (`Action.OTHER_AGENCY`) and left out. A new employer with the name and
    address of one already registered gets a note that says how to update it instead. The
    uniqueness checks of full_clean are skipped (one query per row): matching within the
    agency keeps the constraint, and the database enforces it on write."""
    plan = Plan(rows=rows)
    known = _known(rows, agency, lock=lock)
    regions = _regions(agency)

    groups: dict[str, tuple[ParsedRow, Employer | None]] = {}
    new_places: dict[str, int] = {}
    seen_programs: dict[str, int] = {}
    for row in rows:
        key = _employer_group(row, known)
        if not key:
            row.error(EMPLOYER_KEY, _("Write the employer ID (事業所管理番号), or keep the 事業所ID of an export."))
            continue
        if key in groups:
            _check_repeated_employer(row, groups[key][0])
            employer = groups[key][1]
            row.employer_action = groups[key][0].employer_action
        else:
            employer = _plan_employer(row, known, agency, regions, plan, new_places)
            groups[key] = (row, employer)
        if row.employer_action == Action.OTHER_AGENCY:
            if row.has_program:
                _other_agency_program(row, known, agency)
            continue
        if row.has_program or row.program.get("external_id") or row.program.get("uuid"):
            _plan_program(row, employer, known, seen_programs, agency, plan)
    return plan


def _employer_group(row: ParsedRow, known: _Known) -> str:
    """Rows of the same employer: the same ID, or else the same 管理番号."""
    found = known.employers_by_uuid.get(row.employer.get("uuid") or "")
    if found is not None:
        return f"uuid:{found.uuid}"
    key = row.employer.get("external_id", "")
    return f"key:{key}" if key else ""


def _check_repeated_employer(row: ParsedRow, first: ParsedRow) -> None:
    """Later rows of an employer: blank, or the same as its first row."""
    for name, value in row.employer.items():
        if name in ("external_id", "uuid") or value in ("", None):
            continue
        if first.employer.get(name) != value:
            row.error(
                COLUMN_OF[(EMPLOYER, name)],
                _("Differs from row %(line)s, which has the same employer ID. Leave it blank or write the same.")
                % {"line": first.line},
            )


def _other_agency(row: ParsedRow, column: Column, owner: Agency, what: str) -> None:
    row.note(
        column,
        _("This %(what)s belongs to another agency (%(agency)s): the import leaves it as it is.")
        % {"what": what, "agency": owner.name},
    )


def _plan_employer(row, known: _Known, agency, regions, plan: Plan, new_places: dict[str, int]) -> Employer | None:
    values = dict(row.employer)
    row_uuid = values.pop("uuid", "")
    region_text = values.pop("region", "")
    existing = known.employers_by_uuid.get(row_uuid) if row_uuid else None
    if existing is not None and existing.owner_id != agency.pk:
        row.employer_action = Action.OTHER_AGENCY
        _other_agency(row, EMPLOYER_UUID, existing.owner, _("employer"))
        return None
    if row_uuid and existing is None:
        row.note(EMPLOYER_UUID, _("No employer has this ID here: the row is matched by its 管理番号 instead."))
    if existing is None:
        existing = known.employers_by_key.get(values.get("external_id", ""))
    if existing is not None and not values.get("external_id"):
        values.pop("external_id", None)  # matched by its ID: a blank 管理番号 keeps the current one
    employer = existing or Employer(owner=agency, external_id=values.get("external_id", ""), region=agency.region)
    changed: list[str] = []
    if region_text:
        region = regions.get(region_text) or regions.get(_choice_key(region_text))
        if region is None:
            row.error(
                COLUMN_OF[(EMPLOYER, "region")],
                _("“%(value)s” is not a municipality of %(prefecture)s.")
                % {"value": region_text, "prefecture": agency.region.prefecture.name},
            )
        elif employer.region_id != region.pk:
            employer.region = region
            changed.append("region")
    for name, value in values.items():
        if name in EMPLOYER_IMPORT_FIELDS:
            _set(employer, name, value, changed)
    if existing is not None and not existing.is_active:
        row.error(EMPLOYER_KEY, _("This employer is archived. Restore it before importing into it."))
    if existing is None:
        _note_same_place(row, employer, known, new_places)
    try:
        # Region and owner are set above from the agency's own data (no query per row).
        employer.full_clean(exclude=["region", "owner"], validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        _report(row, EMPLOYER, exc)
    action = Action.CREATE if existing is None else (Action.UPDATE if changed else Action.UNCHANGED)
    row.employer_action = action
    plan.employers.append((employer, action))
    plan.changed_fields[id(employer)] = changed
    return employer


def _note_same_place(row: ParsedRow, employer: Employer, known: _Known, new_places: dict[str, int]) -> None:
    """A new employer with the name and address of one already registered (or of another new
    one in the file): a likely duplicate. The note says how to choose."""
    place = _same_place_key(employer.name, employer.address)
    for other in known.same_place.get(place, []):
        row.note(
            COLUMN_OF[(EMPLOYER, "name")],
            _(
                "An employer with the same name and address is already registered (%(agency)s, ID %(id)s). "
                "If it is the same employer, write this ID in the 事業所ID column to update it instead; "
                "if it is another one, import as it is."
            )
            % {"agency": other.owner.name, "id": other.uuid},
        )
    if place in new_places:
        row.note(
            COLUMN_OF[(EMPLOYER, "name")],
            _(
                "Row %(line)s adds an employer with the same name and address under another ID. "
                "If it is the same employer, give both rows the same 事業所管理番号."
            )
            % {"line": new_places[place]},
        )
    else:
        new_places[place] = row.line


def _other_agency_program(row: ParsedRow, known: _Known, agency: Agency) -> None:
    program = known.programs_by_uuid.get(row.program.get("uuid") or "")
    row.program_action = Action.OTHER_AGENCY
    if program is None or program.owner_id == agency.pk:
        row.note(PROGRAM_UUID, _("The program of another agency's employer is left as it is."))
    else:
        _other_agency(row, PROGRAM_UUID, program.owner, _("program"))


def _plan_program(row, employer, known: _Known, seen, agency, plan: Plan) -> None:
    from sheets.breakdowns.services import ENGAGEMENT_DEFAULTS

    values = dict(row.program)
    row_uuid = values.pop("uuid", "")
    existing = known.programs_by_uuid.get(row_uuid) if row_uuid else None
    if existing is not None and existing.owner_id != agency.pk:
        row.program_action = Action.OTHER_AGENCY
        _other_agency(row, PROGRAM_UUID, existing.owner, _("program"))
        return
    if row_uuid and existing is None:
        row.note(PROGRAM_UUID, _("No program has this ID here: the row is matched by its 管理番号 instead."))
    key = values.get("external_id", "")
    if existing is None and not key:
        row.error(PROGRAM_KEY, Program._meta.get_field("external_id").error_messages["blank"])
        return
    seen_key = f"uuid:{existing.uuid}" if existing is not None else f"key:{key}"
    if seen_key in seen:
        row.error(PROGRAM_KEY, _("The same program ID is already on row %(line)s.") % {"line": seen[seen_key]})
        return
    seen[seen_key] = row.line
    if existing is None:
        existing = known.programs_by_key.get(key)
    if existing is not None and not key:
        values.pop("external_id", None)  # matched by its ID: a blank 管理番号 keeps the current one
    if existing is not None and (employer is None or existing.employer_id != employer.pk):
        row.error(
            PROGRAM_KEY,
            _("This program ID belongs to a program of another employer (%(employer)s).")
            % {"employer": existing.employer.name},
        )
        return
    if existing is None:
        program = Program(owner=agency, employer=employer, external_id=key, status=ProgramStatus.DRAFT)
        for name, default in ENGAGEMENT_DEFAULTS.get(values.get("engagement_type"), {}).items():
            setattr(program, name, default)
        if employer is not None and employer.pk and values.get("title"):
            twin = Program.objects.filter(owner=agency, employer=employer, title=values["title"]).first()
            if twin is not None:
                row.note(
                    COLUMN_OF[(PROGRAM, "title")],
                    _(
                        "This employer already has a program with this title (ID %(id)s). If it is the same "
                        "program, write this ID in the プログラムID column to update it instead."
                    )
                    % {"id": twin.uuid},
                )
    else:
        program = existing
    changed: list[str] = []
    demands = dict(program.demands or {})
    for name, value in values.items():
        if name.startswith("demands."):
            dimension = name.split(".", 1)[1]
            if value is None:
                demands.pop(dimension, None)
            else:
                demands[dimension] = value
        elif name in PROGRAM_IMPORT_FIELDS and not _keeps_value(name, value):
            _set(program, name, _program_value(name, value), changed)
    _set(program, "demands", {k: demands[k] for k in sorted(demands)}, changed)
    try:
        program.full_clean(
            exclude=["employer", "owner", "created_by", "verified_by", "published_by"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        _report(row, PROGRAM, exc)
    action = Action.CREATE if existing is None else (Action.UPDATE if changed else Action.UNCHANGED)
    row.program_action = action
    plan.programs.append((row, program, action))
    plan.changed_fields[id(program)] = changed


def _keeps_value(name: str, value) -> bool:
    """A blank yes/no, or a blank sharing scope, keeps the default (new) or the current value."""
    return value is None or (name == "sharing_scope" and value == "")


def _program_value(name: str, value):
    if name in ("start_time", "end_time"):
        return datetime.time.fromisoformat(value) if value else None
    return value


# --- The template ------------------------------------------------------------------------------

TEMPLATE_INTRO = (
    "しごと情報（事業所とプログラム）の取り込み用テンプレートです。1行に1つのプログラムを書きます。",
    "同じ事業所のプログラムは、事業所管理番号を同じにします（事業所の列は最初の行だけでもかまいません）。",
    "事業所管理番号・プログラム管理番号は貴機関が決める番号です。同じ番号で取り込み直すと、追加ではなく更新になります。",
    "取り込んだプログラムは下書きとして登録されます。確認してから公開してください。",
    "先頭が # の行（この説明や記入例）は読み込みません。",
)


def allowed_values(column: Column) -> str:
    with translation.override("ja"):
        if column.kind in ("choice", "choices") and column.choices is not None:
            labels = "、".join(str(label) for _value, label in column.choice_class.choices)
            return labels + ("（複数可）" if column.kind == "choices" else "")
    return {"bool": "はい／いいえ", "rating": "0、1、2、3", "int": "数字", "time": "時刻（例 9:00）"}.get(
        column.kind, ""
    )


def help_rows() -> list[tuple[str, str, str, str, str]]:
    """The 記入方法 sheet: column, required, how to fill it in, allowed values, example."""
    rows = []
    for column in COLUMNS:
        required = "必須" if column.required else ""
        if column.target == PROGRAM and column.required:
            required = "必須（プログラムの行）"
        if column in (EMPLOYER_KEY, PROGRAM_KEY):
            required = "必須（IDの列がなければ）"
        limit = _length_note(column)
        rows.append(
            (
                column.header,
                required,
                " ".join(filter(None, [column.note, limit])),
                allowed_values(column),
                _text(column.example),
            )
        )
    return rows


def _length_note(column: Column) -> str:
    if column.kind != "text":
        return ""
    if column.cap:
        return f"{column.cap}字まで。"
    model = Employer if column.target == EMPLOYER else Program
    limits = [v.limit_value for v in model._meta.get_field(column.field).validators if hasattr(v, "limit_value")]
    return f"{min(limits)}字まで。" if limits else ""


def example_row() -> list:
    values = [column.example for column in COLUMNS]
    values[0] = f"{COMMENT_MARK}記入例"  # the example is a comment: never imported by accident
    return values


def template_csv() -> bytes:
    """UTF-8 with BOM (Excel opens it by double-click), CRLF: the explanation as # lines, the
    header, the example as a # row."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    for line in TEMPLATE_INTRO:
        writer.writerow([f"{COMMENT_MARK} {line}"])
    writer.writerow([column.header for column in COLUMNS])
    writer.writerow([_text(value) for value in example_row()])
    return out.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    """The sheet to fill in (header, example row, drop-down lists) and the 記入方法 sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    sheet.append([column.header for column in COLUMNS])
    sheet.append(example_row())
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    for index, column in enumerate(COLUMNS, start=1):
        header = sheet.cell(row=1, column=index)
        header.font = Font(bold=True)
        if column.required:
            header.fill = required_fill
        sheet.cell(row=2, column=index).font = Font(italic=True, color="595959")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(10, min(30, 2.2 * len(column.header) + 2))
        _add_drop_down(sheet, DataValidation, column, letter)
    for cell in sheet[2]:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # text, never a formula
    sheet.freeze_panes = "B2"

    guide = workbook.create_sheet(HELP_SHEET_NAME)
    for line in TEMPLATE_INTRO:
        guide.append([line])
    guide.append([])
    guide.append(["列", "必須", "書き方", "選べる値", "例"])
    for cell in guide[guide.max_row]:
        cell.font = Font(bold=True)
    for row in help_rows():
        guide.append(list(row))
    for letter, width in zip("ABCDE", (26, 18, 60, 50, 24), strict=True):
        guide.column_dimensions[letter].width = width
    for row in guide.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(cell.value, str):
                cell.data_type = "s"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _add_drop_down(sheet, data_validation, column: Column, letter: str) -> None:
    """A drop-down list for one-choice columns; other values stay allowed (codes, synonyms)."""
    if column.kind == "bool":
        options = ["はい", "いいえ"]
    elif column.kind == "rating":
        options = ["0", "1", "2", "3"]
    elif column.kind == "choice" and column.choices is not None:
        with translation.override("ja"):
            options = [str(label) for _value, label in column.choice_class.choices]
    else:
        return
    formula = '"' + ",".join(options) + '"'
    if len(formula) > 255 or any("," in option for option in options):
        return  # Excel's limit for an inline list
    validation = data_validation(type="list", formula1=formula, allow_blank=True, showErrorMessage=False)
    validation.add(f"{letter}3:{letter}{MAX_ROWS + 2}")
    sheet.add_data_validation(validation)
