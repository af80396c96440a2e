"""CSV and Excel export of the program search: the same rows as the screen (the same
ProgramSearch over `Program.objects.for_user(user)`, the same order), every page at once.

The columns come from the column tables (registry/columns.py for the employer's,
sheets/programs/columns.py for the program's) — the same as the import's, so that an exported
file imports back; the writer and the formula-injection rule are in
registry/exports.py. Headers and values are Japanese whatever the UI language: the file is a
data format that other offices read."""

from django.db.models import Prefetch

from registry.columns import EMPLOYER_FIELDS
from registry.exports import Column, export_columns
from sheets.breakdowns.models import TaskRow
from sheets.programs.columns import program_fields
from sheets.programs.models import Program

PROGRAM_EXPORT_NAME = "プログラム一覧"


def program_columns() -> list[Column]:
    """Built per export (inside translation.override("ja")): choice labels are translated."""
    employer_part = export_columns((f for f in EMPLOYER_FIELDS if f.in_program_file), of=lambda p: p.employer)
    return employer_part + export_columns(program_fields())


def program_rows(queryset) -> list[Program]:
    """The search's rows with what the columns read, in a constant number of queries."""
    return list(
        queryset.select_related("employer__region__prefecture", "owner").prefetch_related(
            Prefetch("source_rows", queryset=TaskRow.objects.order_by("position", "id"))
        )
    )
