"""Bulk loading with PostgreSQL COPY (psycopg 3 `cursor.copy`): rows are dicts of attribute
names; every column the dict leaves out gets the model field's default, so a row only names
what the bench decides. Rows stream straight into COPY: nothing is held in memory."""

import datetime
import json
from collections.abc import Iterable

from django.core.management.color import no_style
from django.db import connection, models

# The bench's "now": fixed, so that the same seed gives the same data on any day.
NOW = datetime.datetime(2026, 11, 1, 9, 0, tzinfo=datetime.UTC)


def _default(field: models.Field):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return NOW
    return field.get_default()


class Table:
    """One model's table: its columns in order and their defaults."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        # Only the columns the database has (a model may be ahead of its migrations mid-edit).
        with connection.cursor() as cursor:
            present = {c.name for c in connection.introspection.get_table_description(cursor, model._meta.db_table)}
        self.fields = [f for f in model._meta.concrete_fields if f.column in present]
        self.defaults = {f.attname: _default(f) for f in self.fields}
        self.json = {f.attname for f in self.fields if isinstance(f, models.JSONField)}

    def _values(self, row: dict) -> tuple:
        values = []
        for field in self.fields:
            value = row.get(field.attname, self.defaults[field.attname])
            if field.attname in self.json:
                value = json.dumps(value, ensure_ascii=False)
            values.append(value)
        return tuple(values)

    def copy(self, rows: Iterable[dict]) -> int:
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        count = 0
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {self.model._meta.db_table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(self._values(row))
                    count += 1
        return count


def next_id(model: type[models.Model]) -> int:
    """The first free primary key (tables may hold rows from data migrations)."""
    last = model.objects.aggregate(last=models.Max("pk"))["last"]
    return (last or 0) + 1


def reset_sequences(model_list: list[type[models.Model]]) -> None:
    """Explicit ids were copied: move each id sequence past them."""
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), model_list):
            cursor.execute(statement)
