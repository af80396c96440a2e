"""SQL forms the visibility rules are written in, so that they cost the same at any size."""

from typing import Any

from django.db.models import F, Lookup, Q, QuerySet, Subquery


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
