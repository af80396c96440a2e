"""Reads worth naming: what the HSDS 3.0 downloads and the API publish of a list of programs."""

from sheets.programs.models import ProgramQuerySet


def hsds_programs(queryset: ProgramQuerySet) -> ProgramQuerySet:
    """HSDS publishes only what is published and live (`ProgramQuerySet.published`), in a stable order."""
    return (
        queryset.published()
        .select_related("employer__region__prefecture")
        .order_by("employer__name_kana", "title", "pk")
    )
