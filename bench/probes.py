"""Probes: how low a page's p95 can go whatever is done to its template. Each page is timed
again with its template replaced by the bare base template the floor renders (the querysets in
its context still read, so the page's data work stays); the program page also with its lookup
through the access door alone. A page whose probe is over its target cannot meet it by template
or render caching: only by less work in its lookups and queries.

Only the bench uses these (bench/pages.py); the app's views are patched for the probe's run."""

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from unittest import mock

from bench.report import GROWTH_PAGES

# The modules whose views the bench's pages call `render` from.
VIEW_MODULES = ("sheets.programs.views", "sheets.search.views", "registry.views", "sheets.clients.views")


def _bare_render(request, template_name, context=None, *args, **kwargs):
    """What the floor renders, after reading every queryset the page's template would read."""
    from django.db.models import QuerySet
    from django.shortcuts import render

    for value in (context or {}).values():
        if isinstance(value, QuerySet):
            list(value)
    return render(request, "base.html", {}, *args, **kwargs)


@contextmanager
def without_page_templates() -> Iterator[None]:
    with ExitStack() as stack:
        for module in VIEW_MODULES:
            stack.enter_context(mock.patch(f"{module}.render", _bare_render))
        yield


@contextmanager
def access_check_only() -> Iterator[None]:
    """The program page finds the program through the access door and renders the bare base
    template: no timetable, approvals, outcomes or sheets."""
    with without_page_templates(), mock.patch("sheets.programs.views._program_context", lambda request, program: {}):
        yield


# name in the report → (the probe, the pages timed under it)
PROBES = {
    "without_template": (without_page_templates, GROWTH_PAGES),  # every page with a target
    "access_check_only": (access_check_only, ("program_detail",)),
}
