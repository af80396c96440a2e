"""SQL forms the visibility rules are written in, and planning, so that pages cost the same
at any size of the registry."""

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from django.db import DatabaseError, connections, router
from django.db.models import F, Lookup, Model, Q, QuerySet, Subquery


class AmongIds(Lookup[Any]):
    """`column IN (subquery)`; on PostgreSQL `column = ANY(ARRAY(subquery))`, which the planner
    runs once up front instead of joining: it then reads the column's index for just those ids
    and combines it with the others (e.g. the keyword bigram index) in one bitmap, rather than
    walking every row in some other index's order and filtering (docs/performance.md)."""

    lookup_name = "among_ids"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} IN {rhs}", (*lhs_params, *rhs_params)

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)


def among(column: str, ids: QuerySet[Any]) -> Q:
    """`column` is one of the primary keys `ids` selects (a queryset of one agency list, say)."""
    return Q(AmongIds(F(column), Subquery(ids.order_by().values("pk"))))


@contextmanager
def planned_for_their_values(model: type[Model]) -> Iterator[None]:
    """Queries of `model` run in this block are planned for the values they are given, every time.

    On PostgreSQL a query seen often on one connection becomes a prepared statement
    (config/env.py), and after five runs PostgreSQL may keep one generic plan for it — good for
    a lookup by id, bad for a search, whose best plan depends on the keyword and on the
    viewer's agencies: at 100,000 programs the search page went from 60 ms to 140 ms after a
    dozen searches on the same connection (docs/performance.md). Set on the connection the
    model's reads go to (the replica when there is one; not a transaction, which would send
    them to the primary), and reset after; elsewhere a no-op."""
    connection = connections[router.db_for_read(model)]
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET plan_cache_mode = force_custom_plan")
    try:
        yield
    finally:
        with suppress(DatabaseError), connection.cursor() as cursor:  # a broken connection is dropped anyway
            cursor.execute("RESET plan_cache_mode")
