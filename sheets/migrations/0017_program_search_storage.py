"""The program's search columns kept inside its row on PostgreSQL (storage MAIN: compressed,
moved out to the TOAST table only as a last resort).

Why: a program row is ≈ 3.7 kB, so PostgreSQL moved its longest values out of the row — often
the search columns themselves. A search reads them once per condition (the keyword, its
relevance), and every read of a moved value fetched it again from the TOAST table: 体験 over the
≈ 900 programs a counselor may see read 55,000 buffers and took 160 ms; with the search columns
in the row (the sheets' long texts move out instead, read only when a sheet is shown) 4,400
buffers (docs/performance-history.md, section 14). Rows written before are rewritten once
so that the new storage applies to them too."""

from django.db import migrations

COLUMNS = ("search_text", "search_reading", "search_bigrams", "search_reading_bigrams", "search_facets")


def _set_storage(editor, storage: str) -> None:
    columns = ", ".join(f"ALTER COLUMN {column} SET STORAGE {storage}" for column in COLUMNS)
    editor.execute(f"ALTER TABLE sheets_program {columns}")


def keep_in_row(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite has no such storage setting
    _set_storage(schema_editor, "MAIN")
    # A new value is stored by the column's current setting; an unchanged one would stay where it is.
    rewritten = ", ".join(f"{column} = {column} || ''" for column in COLUMNS)
    schema_editor.execute(f"UPDATE sheets_program SET {rewritten}")


def default_storage(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        _set_storage(schema_editor, "EXTENDED")


class Migration(migrations.Migration):
    dependencies = [("sheets", "0016_breakdown_visit")]

    operations = [migrations.RunPython(keep_in_row, default_storage, elidable=False)]
