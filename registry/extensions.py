"""Where the apps above the registry plug into it.

The registry is the ground floor: it imports no other app of the project. Yet its home page
shows a counselor's follow-ups and saved searches, its employer page the employer's task
breakdowns, programs and photos, `seed_demo` fills every app, and an employer's new name must
reach the search text of its programs. So the registry offers these extension points, and
each app registers what it adds in its AppConfig.ready() (sheets/apps.py, workshops/apps.py):

- page sections: a template and a selector that returns its context for this request (or None
  to show nothing), included in `order` by the registry's page (HOME, EMPLOYER);
- demo seeders: dotted paths of `seed(stdout)` functions that `manage.py seed_demo` calls after
  the registry's own demo data, in `order`;
- region figures: a number per region and quarter that an app adds to the region evaluation
  page (workshops/evaluation), e.g. the hand-offs between agencies once the app that records
  them registers `RegionFigure("handoffs", …)`; counted over fixed quarters and shown through
  the small-count rule (registry/smallcounts.py) like every other figure there;
- visit links: what an app offers under each visit of the employer page's visit log, e.g. the
  task breakdown sheet made from that visit, or a link to make one (`add_visit_links`);
- `employer_changed`: a signal sent when an employer was edited, inside the edit's
  transaction (so what an app keeps of the employer never lags behind), with `employer`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.dispatch import Signal
from django.http import HttpRequest
from django.utils.module_loading import import_string

HOME = "home"
EMPLOYER = "employer"

employer_changed = Signal()


@dataclass(frozen=True)
class Section:
    """A part of a registry page that another app adds: `context(request, **objects)` returns
    the template's context, or None when this request has nothing to show there."""

    template: str
    context: Callable[..., dict[str, Any] | None]
    order: int = 100


@dataclass(frozen=True)
class ShownSection:
    template: str
    context: dict[str, Any]


_sections: dict[str, list[Section]] = {HOME: [], EMPLOYER: []}
_demo_seeders: list[tuple[int, str]] = []


def add_section(page: str, section: Section) -> None:
    if section not in _sections[page]:
        _sections[page].append(section)
        _sections[page].sort(key=lambda s: s.order)


def sections_for(page: str, request: HttpRequest, **objects: Any) -> list[ShownSection]:
    """The sections of `page` that have something to show to this request, in order."""
    shown = []
    for section in _sections[page]:
        context = section.context(request, **objects)
        if context is not None:
            shown.append(ShownSection(section.template, context))
    return shown


@dataclass(frozen=True)
class VisitLink:
    """A link shown under one visit of the visit log. `next_step`: what to do after recording
    the visit (the page that recorded it offers it at once)."""

    label: str
    url: str
    next_step: bool = False


# Each: `links(request, employer=…, visits=[…])` → {visit id: [VisitLink, …]}, for all the
# visits at once (one query per app, not one per visit).
_visit_links: list[Callable[..., dict[int, list[VisitLink]]]] = []


def add_visit_links(links: Callable[..., dict[int, list[VisitLink]]]) -> None:
    if links not in _visit_links:
        _visit_links.append(links)


def visit_links_for(request: HttpRequest, *, employer: Any, visits: list[Any]) -> dict[int, list[VisitLink]]:
    """Every app's links for these visits of `employer`, by visit id (a visit without any is absent)."""
    shown: dict[int, list[VisitLink]] = {}
    for links in _visit_links:
        for visit_id, found in links(request, employer=employer, visits=visits).items():
            shown.setdefault(visit_id, []).extend(found)
    return shown


@dataclass(frozen=True)
class RegionFigure:
    """`count(region, start, end)`: how many happened in the region from `start` (a date,
    included) to `end` (excluded), across every agency — a number, never a person."""

    key: str
    label: str
    count: Callable[..., int]
    order: int = 100


_region_figures: list[RegionFigure] = []


def add_region_figure(figure: RegionFigure) -> None:
    if all(f.key != figure.key for f in _region_figures):
        _region_figures.append(figure)
        _region_figures.sort(key=lambda f: f.order)


def region_figures() -> list[RegionFigure]:
    return list(_region_figures)


def add_demo_seeder(path: str, *, order: int = 100) -> None:
    if (order, path) not in _demo_seeders:
        _demo_seeders.append((order, path))
        _demo_seeders.sort()


def demo_seeders() -> list[Callable[..., None]]:
    return [import_string(path) for _order, path in _demo_seeders]
