"""A program's row kept whole on PostgreSQL: the table's TOAST target raised from 2 kB to the
page's 8 kB, and the rows written before rewritten once.

Why: a program row is ≈ 3.7 kB, so PostgreSQL compressed its values and moved the longest out of
the row into the TOAST table — often the search columns. A search reads them once per condition
(the keyword, its relevance), and each read of a moved value fetched it again: 体験 over the ≈ 900
programs a counselor may see read 55,000 buffers (160 ms). Keeping only the search columns in
the row (storage MAIN) pushed the title and the JSON columns out instead, and the matching
ranking's sort fetched them for every comparison (26,000 buffers, 30 ms). With whole rows both
read their rows only: the heap is about twice as large (100,000 programs: 195 MB + 199 MB of TOAST
→ 421 MB), and a row over 8 kB (a sheet of maximum length) is still compressed and moved out as
before. Figures: docs/performance-history.md, section 14."""

from django.db import migrations

TOAST_TUPLE_TARGET = 8160  # the largest PostgreSQL accepts: a row is moved out only when it fills a page


def keep_rows_whole(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite has no TOAST
    schema_editor.execute(f"ALTER TABLE sheets_program SET (toast_tuple_target = {TOAST_TUPLE_TARGET})")
    # The setting applies to rows as they are written; VACUUM FULL writes every row again (it
    # cannot run in a transaction: this migration is not atomic).
    schema_editor.execute("VACUUM FULL sheets_program")


def default_target(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE sheets_program RESET (toast_tuple_target)")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("sheets", "0016_breakdown_visit")]

    operations = [migrations.RunPython(keep_rows_whole, default_target, atomic=False, elidable=False)]
