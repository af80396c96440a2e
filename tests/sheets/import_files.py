"""Spreadsheets for the import tests: rows as {header: value} dicts, written as .xlsx or .csv."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from sheets.interop.imports.reader import COLUMNS, SHEET_NAME

HEADERS = [column.header for column in COLUMNS]


def employer_cells(n: int, region: str = "") -> dict:
    return {
        "事業所管理番号": f"E-{n:03d}",
        "事業所名": f"株式会社テスト工業{n}",
        "ふりがな": f"てすとこうぎょう{n}",
        "種別": "企業",
        "業種": "製造業",
        "市区町村": region,
        "所在地": f"伊丹市中央{n}-1",
        "アクセス": "駅から徒歩5分",
        "従業員数": 12,
    }


def program_cells(n: int) -> dict:
    return {
        "プログラム管理番号": f"P-{n:04d}",
        "プログラム名": f"部品の袋詰め体験{n}",
        "参加形態": "体験",
        "作業内容": "部品を袋に入れます",
        "曜日": "火・木",
        "開始時刻": "10:00",
        "終了時刻": "12:00",
        "定員": 2,
        "求められる力：手先の器用さ": 2,
        "確認できる力": "手先の器用さ、正確性・ていねいさ",
        "配慮": "休憩を多めに",
        "共有範囲": "地域（市町村）の機関",
    }


def rows_for(programs: int, per_employer: int = 20) -> list[dict]:
    """`programs` rows; every `per_employer` rows share an employer whose columns are on its
    first row only (the later rows leave them blank, as the template explains)."""
    rows = []
    for i in range(programs):
        employer = employer_cells(i // per_employer + 1)
        if i % per_employer:
            employer = {"事業所管理番号": employer["事業所管理番号"]}
        rows.append(employer | program_cells(i + 1))
    return rows


def xlsx_bytes(
    rows: list[dict], headers: list[str] = HEADERS, *, prefix_rows: list[list] = (), formulas: bool = False
) -> bytes:
    """Text beginning with = is written as text (as Excel keeps what a user typed after '),
    unless `formulas`: then as the formula openpyxl makes of it (with no saved result)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_NAME
    for row in prefix_rows:
        sheet.append(row)
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(header) for header in headers])
        if not formulas:
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_text(rows: list[dict], headers: list[str] = HEADERS) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if row.get(h) is None else row.get(h) for h in headers])
    return out.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)
