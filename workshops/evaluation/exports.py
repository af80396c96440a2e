"""The evaluation page's figures as rows of a spreadsheet (registry/exports.py writes them):
every value as the page shows it — a number, 「3件未満」 or 「秘匿」 — never the raw count."""

from dataclasses import dataclass

from registry.exports import Column
from workshops.evaluation.figures import Evaluation
from workshops.evaluation.periods import year_label

EXPORT_NAME = "地域の評価"


@dataclass(frozen=True)
class ExportRow:
    section: str
    item: str
    period: str
    value: object


COLUMNS = [
    Column("区分", lambda r: r.section),
    Column("項目", lambda r: r.item),
    Column("期間", lambda r: r.period),
    Column("値", lambda r: r.value),
]


def _value(cell) -> object:
    return cell.value if not cell.hidden else str(cell.shown)


def export_rows(evaluation: Evaluation) -> list[ExportRow]:
    table = evaluation.table
    year = year_label(table.year)
    rows = []
    for row in table.rows:
        for quarter, cell in zip(table.quarters, row.cells, strict=True):
            rows.append(ExportRow("四半期ごと", row.label, quarter.label, _value(cell)))
        if row.total is not None:
            rows.append(ExportRow("四半期ごと", row.label, f"{year}計", _value(row.total)))
    labels = {"checked": "確認した人", "working": "働いている", "left": "離職"}
    for group in evaluation.retention.groups:
        for checkpoint in group.checkpoints:
            item = f"{group.label}：{checkpoint.months}か月後"
            for key, cell in checkpoint.cells.items():
                rows.append(ExportRow("体験と定着", f"{item} {labels[key]}", year, _value(cell)))
            if checkpoint.rate is not None:
                low, high = round(checkpoint.low * 100), round(checkpoint.high * 100)
                rate = f"{round(checkpoint.rate * 100)}%（{low}〜{high}%）"
                rows.append(ExportRow("体験と定着", f"{item} 定着率（95%区間）", year, rate))
    for breakdown in evaluation.breakdowns:
        rows.append(ExportRow(f"公開中のプログラム {breakdown.title}", "合計", "現在", _value(breakdown.total)))
        for label, cell in breakdown.parts:
            rows.append(ExportRow(f"公開中のプログラム {breakdown.title}", label, "現在", _value(cell)))
    return rows
