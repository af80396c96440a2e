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
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from registry.models import Agency, Employer, EmployerKind, Industry, Region
from sheets.dimensions import DIMENSIONS, Dimension, validate_ratings
from sheets.programs.models import Program, ProgramStatus, SharingScope
from sheets.vocabulary import Accommodation, EngagementType, TaskChange, Weekday

SHEET_NAME = "しごと情報"
HELP_SHEET_NAME = "記入方法"
COMMENT_MARK = "#"  # a row whose first cell starts with it is not read (explanations, 記入例)
MAX_ROWS = 5000  # data rows per file: a bigger file is refused before any checking
MAX_COLUMNS = 150  # cells read per row (the template has about 60)
FORMATS = ("xlsx", "csv")

EMPLOYER = "employer"
PROGRAM = "program"


class Action:
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong type, no header, too many rows)."""


# --- Columns ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str  # as written in the file (Japanese: a data format)
    target: str  # EMPLOYER or PROGRAM
    field: str  # the model field; "demands.<dimension>" for one rating of the demand profile
    kind: str  # how a cell is read: see CONVERTERS
    choices: type | None = None
    required: bool = False  # the column must be in the file
    aliases: tuple[str, ...] = ()  # other headers accepted (e.g. those of the exports)
    note: str = ""  # for the 記入方法 sheet
    example: object = ""


def _demand_columns() -> list[Column]:
    with translation.override("ja"):
        return [
            Column(
                f"求められる力：{info.label}",
                PROGRAM,
                f"demands.{info.key}",
                "rating",
                note=f"0〜3 の数字。0「{info.levels[0]}」〜 3「{info.levels[3]}」。空欄は「未評価」。",
                example={"dexterity": 2, "accuracy": 2, "pace": 1}.get(info.key, 0 if info.key != "people" else 1),
            )
            for info in DIMENSIONS
        ]


COLUMNS: tuple[Column, ...] = (
    # The employer (① 事業所紹介シート).
    Column(
        "事業所管理番号",
        EMPLOYER,
        "external_id",
        "id",
        required=True,
        note="貴機関が決める事業所の番号（例 E-001）。同じ番号の行は同じ事業所。"
        "次に同じ番号で取り込むと、新しく登録せずに更新します。",
        example="E-001",
    ),
    Column("事業所名", EMPLOYER, "name", "text", required=True, example="有限会社みどり紙工"),
    Column(
        "ふりがな",
        EMPLOYER,
        "name_kana",
        "text",
        required=True,
        aliases=("事業所名ふりがな",),
        note="ひらがな・カタカナ。",
        example="みどりしこう",
    ),
    Column("種別", EMPLOYER, "kind", "choice", EmployerKind, required=True, aliases=("事業所の種別",), example="企業"),
    Column(
        "業種",
        EMPLOYER,
        "industry",
        "choice",
        Industry,
        required=True,
        note="日本標準産業分類の大分類（名前か A〜T の記号）。",
        example="製造業",
    ),
    Column(
        "市区町村",
        EMPLOYER,
        "region",
        "region",
        aliases=("地域",),
        note="市区町村名か全国地方公共団体コード（6桁または5桁）。貴機関と同じ都道府県のもの。"
        "空欄なら新しい事業所は貴機関の市区町村になります。",
        example="伊丹市",
    ),
    Column("所在地", EMPLOYER, "address", "text", required=True, aliases=("住所",), example="伊丹市中央1-2-3"),
    Column(
        "アクセス",
        EMPLOYER,
        "access_notes",
        "text",
        note="最寄り駅・バス停、徒歩の分数、駐車場。",
        example="阪急伊丹駅から徒歩8分。駐車場あり",
    ),
    Column("担当者", EMPLOYER, "contact_name", "text", example="山田"),
    Column("電話番号", EMPLOYER, "contact_phone", "text", example="072-000-0000"),
    Column("メールアドレス", EMPLOYER, "contact_email", "text", example=""),
    Column("従業員数", EMPLOYER, "staff_count", "int", note="数字。", example=12),
    Column(
        "事業内容",
        EMPLOYER,
        "description",
        "text",
        note="どんな仕事をしているかをやさしい言葉で。",
        example="紙箱の組み立てと部品の袋詰め",
    ),
    # The program (② 相談者向け and ③ 支援員向け プログラム情報シート).
    Column(
        "プログラム管理番号",
        PROGRAM,
        "external_id",
        "id",
        required=True,
        note="貴機関が決めるプログラムの番号（例 P-001）。事業所の列だけの行（事業所だけ登録）では空欄。",
        example="P-001",
    ),
    Column(
        "プログラム名", PROGRAM, "title", "text", required=True, aliases=("体験のタイトル",), example="部品の袋詰め体験"
    ),
    Column(
        "参加形態",
        PROGRAM,
        "engagement_type",
        "choice",
        EngagementType,
        required=True,
        aliases=("形態",),
        note="見学・体験・短期／短時間アルバイト・柔軟な雇用 のどれか。",
        example="体験",
    ),
    Column(
        "有償",
        PROGRAM,
        "is_paid",
        "bool",
        note="はい／いいえ（○／×）。空欄なら参加形態のふつうの値。",
        example="いいえ",
    ),
    Column(
        "雇用契約",
        PROGRAM,
        "has_contract",
        "bool",
        note="はい／いいえ。空欄なら参加形態のふつうの値。",
        example="いいえ",
    ),
    Column(
        "保険", PROGRAM, "has_insurance", "bool", note="はい／いいえ。空欄なら参加形態のふつうの値。", example="はい"
    ),
    Column("支援員の同行", PROGRAM, "supporter_may_accompany", "bool", note="はい／いいえ。", example="はい"),
    Column("作業内容", PROGRAM, "what_you_do", "text", example="部品を10個ずつ袋に入れて口を閉じます"),
    Column("曜日", PROGRAM, "days", "choices", Weekday, note="例「月・水・金」「火、木」。", example="火・木"),
    Column("開始時刻", PROGRAM, "start_time", "time", note="例 9:00", example="10:00"),
    Column("終了時刻", PROGRAM, "end_time", "time", note="例 12:00", example="12:00"),
    Column("休憩", PROGRAM, "breaks", "text", example="11時に10分"),
    Column("期間", PROGRAM, "period", "text", example="1日だけ"),
    Column("集合場所", PROGRAM, "meeting_point", "text", example="事務所の入口"),
    Column("服装", PROGRAM, "clothing", "text", example="動きやすい服"),
    Column("持ち物", PROGRAM, "belongings", "text", example="飲み物"),
    Column("昼食", PROGRAM, "lunch", "text", example="なし（正午に終わります）"),
    Column("給与・謝礼", PROGRAM, "pay", "text", example="なし"),
    Column("交通費", PROGRAM, "travel_costs", "text", example="自己負担"),
    Column("定員", PROGRAM, "capacity", "int", aliases=("受け入れ人数",), note="1〜999 の数字。", example=2),
    Column("申込期間", PROGRAM, "application_window", "text", example="通年"),
    Column("向いている人", PROGRAM, "suits", "text", example="こつこつした作業が好きな人"),
    Column("わかること", PROGRAM, "can_find_out", "text", example="細かい作業が続けられるか"),
    Column("申込方法", PROGRAM, "how_to_apply", "text", example="担当の相談員に伝えてください"),
    *_demand_columns(),
    Column(
        "確認できる力",
        PROGRAM,
        "confirmable",
        "choices",
        Dimension,
        note="この体験で確かめられる力。例「正確性・ていねいさ、手先の器用さ」。",
        example="手先の器用さ、正確性・ていねいさ",
    ),
    Column("身体の負担・環境", PROGRAM, "physical_notes", "text", example="座って作業。冷暖房あり"),
    Column("指示の出し方", PROGRAM, "instructions", "text", example="見本を見せてから一緒にやります"),
    Column("作業の変化", PROGRAM, "task_change", "choice", TaskChange, example="一日中同じ作業"),
    Column("現場で支える人", PROGRAM, "onsite_supporter", "text", example="パート長の田中さん"),
    Column("配慮", PROGRAM, "accommodations", "choices", Accommodation, example="休憩を多めに、毎回同じ作業"),
    Column("配慮（詳しく）", PROGRAM, "accommodations_notes", "text", example=""),
    Column("注意事項", PROGRAM, "cautions", "text", example="刃物は使いません"),
    Column("次のステップ", PROGRAM, "next_step", "text", example="体験 → 短時間アルバイト"),
    Column(
        "共有範囲",
        PROGRAM,
        "sharing_scope",
        "choice",
        SharingScope,
        note="公開したときに見られる機関。空欄なら「地域（市町村）の機関」。取り込んだプログラムは下書きです。",
        example="地域（市町村）の機関",
    ),
)

REQUIRED_HEADERS = tuple(c.header for c in COLUMNS if c.required)
EMPLOYER_KEY = next(c for c in COLUMNS if c.target == EMPLOYER and c.field == "external_id")
PROGRAM_KEY = next(c for c in COLUMNS if c.target == PROGRAM and c.field == "external_id")
# Model fields that may be set from a file: everything the columns name, and nothing else.
EMPLOYER_IMPORT_FIELDS = tuple(c.field for c in COLUMNS if c.target == EMPLOYER)
PROGRAM_IMPORT_FIELDS = tuple(c.field for c in COLUMNS if c.target == PROGRAM and not c.field.startswith("demands."))


def _header_key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or "")))


HEADER_LOOKUP: dict[str, Column] = {
    _header_key(name): column for column in COLUMNS for name in (column.header, *column.aliases)
}


# --- Reading cells ------------------------------------------------------------------------------


class CellError(Exception):
    pass


def _fold(value: str) -> str:
    """Full-width digits/letters/colons to half-width, spaces (also full-width) trimmed."""
    return unicodedata.normalize("NFKC", value).strip()


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
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
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
    return re.sub(r"[\s・/／,，、]", "", _fold(text).lower())


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


def convert(column: Column, value):
    """The cell as the JSON-ready value stored in the batch; CellError says why it cannot be."""
    if column.kind == "text":
        return _text(value)
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
    if column.kind == "choice":
        return _choice(value, column.choices)
    if column.kind == "choices":
        return _choices(value, column.choices)
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
    employer_action: str = ""
    program_action: str = ""
    letters: dict = field(default_factory=dict)  # header -> column letter, for messages

    def error(self, column: Column | None, message: str) -> None:
        header = column.header if column else ""
        self.errors.append({"column": header, "letter": self.letters.get(header, ""), "message": str(message)})

    @property
    def has_program(self) -> bool:
        return any(value not in ("", None, []) for value in self.program.values())

    def as_json(self) -> dict:
        return {
            "line": self.line,
            "employer": self.employer,
            "program": self.program,
            "errors": self.errors,
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


def _xlsx_rows(data: bytes):
    if not data.startswith(b"PK"):
        raise ImportFileError(_("This file is not an Excel workbook (.xlsx). Save it from Excel as .xlsx or .csv."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ImportFileError(
            _("This file is not an Excel workbook (.xlsx). Save it from Excel as .xlsx or .csv.")
        ) from None
    try:
        names = workbook.sheetnames
        sheet = (
            workbook[SHEET_NAME] if SHEET_NAME in names else workbook[next(n for n in names if n != HELP_SHEET_NAME)]
        )
        # Materialised so the workbook can be closed; capped by MAX_ROWS in _parse_rows.
        for number, row in enumerate(sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True), start=1):
            yield number, list(row)
    except StopIteration:
        raise ImportFileError(_("The workbook has no sheet to read.")) from None
    finally:
        workbook.close()


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


def _csv_rows(data: bytes):
    if b"\x00" in data[:4096] or data.startswith(b"PK"):
        raise ImportFileError(_("This file is not a CSV text file. Save it from Excel as .xlsx or .csv."))
    text, encoding = _decode_csv(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)

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
            raise ImportFileError(
                _("The file has more than %(max)s rows. Split it into smaller files.") % {"max": f"{MAX_ROWS:,}"}
            )
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
        if column is None:
            ignored.append(_text(value))
        elif column in positions.values():
            raise ImportFileError(_("The column “%(column)s” appears twice.") % {"column": column.header})
        else:
            positions[index] = column
    missing = [header for header in REQUIRED_HEADERS if header not in {c.header for c in positions.values()}]
    if missing:
        raise ImportFileError(
            _("These columns are missing: %(columns)s. Start from the template.") % {"columns": "、".join(missing)}
        )
    letters = {column.header: get_column_letter(index + 1) for index, column in positions.items()}
    return positions, letters, ignored


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
    if getattr(instance, name) != value:
        setattr(instance, name, value)
        changed.append(name)


def check_rows(rows: list[ParsedRow], agency: Agency, *, lock: bool = False) -> Plan:
    """Validate every row and say what importing would do; nothing is saved. `lock` takes row
    locks on the records to update (inside the apply transaction). The uniqueness checks of
    full_clean are skipped (one query per row): matching by 管理番号 within the agency keeps the
    constraint, and the database enforces it on write."""
    plan = Plan(rows=rows)
    employer_keys = {row.employer.get("external_id") for row in rows} - {"", None}
    program_keys = {row.program.get("external_id") for row in rows} - {"", None}
    employers = Employer.objects.filter(owner=agency, external_id__in=employer_keys)
    programs = Program.objects.filter(owner=agency, external_id__in=program_keys).select_related("employer")
    if lock:
        employers, programs = employers.select_for_update(), programs.select_for_update(of=("self",))
    existing_employers = {e.external_id: e for e in employers}
    existing_programs = {p.external_id: p for p in programs}
    regions = _regions(agency)

    groups: dict[str, tuple[ParsedRow, Employer | None]] = {}
    seen_programs: dict[str, int] = {}
    for row in rows:
        key = row.employer.get("external_id", "")
        if not key:
            row.error(EMPLOYER_KEY, Employer._meta.get_field("external_id").error_messages["blank"])
            continue
        if key in groups:
            _check_repeated_employer(row, groups[key][0])
            employer = groups[key][1]
        else:
            employer = _plan_employer(row, existing_employers.get(key), agency, regions, plan)
            groups[key] = (row, employer)
        if row.has_program or row.program.get("external_id"):
            _plan_program(row, employer, existing_programs, seen_programs, agency, plan)
    return plan


def _check_repeated_employer(row: ParsedRow, first: ParsedRow) -> None:
    """Later rows of an employer: blank, or the same as its first row."""
    for name, value in row.employer.items():
        if name == "external_id" or value in ("", None):
            continue
        if first.employer.get(name) != value:
            row.error(
                COLUMN_OF[(EMPLOYER, name)],
                _("Differs from row %(line)s, which has the same employer ID. Leave it blank or write the same.")
                % {"line": first.line},
            )


def _plan_employer(row, existing, agency, regions, plan: Plan) -> Employer | None:
    values = dict(row.employer)
    region_text = values.pop("region", "")
    employer = existing or Employer(owner=agency, external_id=values["external_id"], region=agency.region)
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


def _plan_program(row, employer, existing_programs, seen, agency, plan: Plan) -> None:
    from sheets.breakdowns.services import ENGAGEMENT_DEFAULTS

    values = dict(row.program)
    key = values.get("external_id", "")
    if not key:
        row.error(PROGRAM_KEY, Program._meta.get_field("external_id").error_messages["blank"])
        return
    if key in seen:
        row.error(PROGRAM_KEY, _("The same program ID is already on row %(line)s.") % {"line": seen[key]})
        return
    seen[key] = row.line
    existing = existing_programs.get(key)
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
            labels = "、".join(str(label) for _value, label in column.choices.choices)
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
            options = [str(label) for _value, label in column.choices.choices]
    else:
        return
    formula = '"' + ",".join(options) + '"'
    if len(formula) > 255 or any("," in option for option in options):
        return  # Excel's limit for an inline list
    validation = data_validation(type="list", formula1=formula, allow_blank=True, showErrorMessage=False)
    validation.add(f"{letter}3:{letter}{MAX_ROWS + 2}")
    sheet.add_data_validation(validation)
