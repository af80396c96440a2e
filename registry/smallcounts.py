"""The small-count rule, in ONE place: every number about people that crosses agency lines
(program outcome counts, the region evaluation page, its charts, PDF and exports, the logic
model's indicators) passes through here.

- A count under `SUPPRESS_BELOW` (0 included: a zero beside a small total identifies too) is
  shown as 「3件未満」 (`SUPPRESSED`).
- A count that is one of the parts of a total shown on the same page (`protect_total`) is also
  protected against differencing: when the total minus the parts still shown would give a
  suppressed part back exactly, more parts are withheld (「秘匿」, `WITHHELD`), the smallest
  first; when even that is not enough the whole breakdown is withheld and only the total shows.

Figures per period are always counted for fixed calendar quarters (never for a range the
user types), and no page shows a total over regions or over periods next to its parts: so
neither neighbouring periods nor narrowing filters give a hidden count back
(tests/workshops/test_evaluation_privacy.py tries)."""

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

from django.utils.functional import Promise as StrPromise
from django.utils.translation import gettext_lazy as _

SUPPRESS_BELOW = 3
SUPPRESSED = _("fewer than 3")
WITHHELD = _("withheld")
# Why a share (a rate) worked out of hidden counts is not shown either.
TOO_FEW = _("too few to show")
GIVES_SMALL_AWAY = _("not shown, as it would give a small count away")

# Why a count is not shown.
SMALL = "small"  # under SUPPRESS_BELOW
COMPLEMENT = "complement"  # withheld so that a small one cannot be worked out from a total
GROUP = "group"  # the whole breakdown is withheld


@dataclass(frozen=True)
class SafeCount:
    """A count as it may be shown: `shown` is the number or the words that replace it."""

    value: int
    hidden: str = ""

    @property
    def suppressed(self) -> bool:
        return bool(self.hidden)

    @property
    def shown(self) -> "int | StrPromise":
        if not self.hidden:
            return self.value
        return SUPPRESSED if self.hidden == SMALL else WITHHELD

    @property
    def number(self) -> int | None:
        """The number for a chart or a spreadsheet cell, None when it is not shown."""
        return None if self.hidden else self.value

    def __str__(self) -> str:
        return str(self.shown)


def why_no_share(whole: SafeCount) -> StrPromise:
    """Why a share of `whole` (e.g. still working of those checked) is not shown: the whole is
    too small itself, or, the whole being large, the share would give a hidden part back."""
    return TOO_FEW if whole.hidden == SMALL else GIVES_SMALL_AWAY


def safe(value: int) -> SafeCount:
    """One count on its own: shown from 3 up."""
    return SafeCount(value, "" if value >= SUPPRESS_BELOW else SMALL)


UNBOUNDED = 10**9


def _bounds[K: Hashable](cells: Mapping[K, SafeCount], lines: list[tuple[K, list[K]]]) -> dict[K, tuple[int, int]]:
    """What a reader can work out of each cell: an interval, from what is shown (a number; a
    「3件未満」 is 0–2, a withheld count is 3 or more, a withheld breakdown anything) narrowed by
    every sum they know (a total is the sum of its parts), until nothing narrows further."""
    low = {key: c.value if not c.hidden else 0 for key, c in cells.items()}
    high = {key: c.value if not c.hidden else UNBOUNDED for key, c in cells.items()}
    for key, c in cells.items():
        if c.hidden == SMALL:
            high[key] = SUPPRESS_BELOW - 1
        elif c.hidden == COMPLEMENT:
            low[key] = SUPPRESS_BELOW
    for _round in range(100):
        changed = False
        for total, parts in lines:
            sum_low, sum_high = sum(low[p] for p in parts), sum(high[p] for p in parts)
            for key, lo, hi in ((total, sum_low, sum_high),):
                if lo > low[key] or hi < high[key]:
                    low[key], high[key], changed = max(low[key], lo), min(high[key], hi), True
            for part in parts:
                lo = low[total] - (sum_high - high[part])
                hi = high[total] - (sum_low - low[part])
                if lo > low[part] or hi < high[part]:
                    low[part], high[part], changed = max(low[part], lo), min(high[part], hi), True
        if not changed:
            break
    return {key: (low[key], high[key]) for key in cells}


def protect[K: Hashable](values: Mapping[K, int], lines: list[tuple[K, list[K]]]) -> dict[K, SafeCount]:
    """Every count of a page with every sum it shows (`lines`: a total and its parts, all keys
    of `values`), made safe to show together: under 3 reads 「3件未満」, and while a reader could
    work a small count out exactly from the sums, one more count is withheld — the smallest
    shown part of a sum that pins it, else that sum's total."""
    cells = {key: safe(value) for key, value in values.items()}
    while True:
        bounds = _bounds(cells, lines)
        exposed = [key for key, c in cells.items() if c.hidden == SMALL and bounds[key][0] == bounds[key][1]]
        if not exposed:
            return cells
        target = _next_to_withhold(cells, lines, exposed[0])
        if target is None:  # nothing left to withhold: cannot happen while a sum shows a number
            return {key: c if c.hidden else SafeCount(c.value, GROUP) for key, c in cells.items()}
        cells[target] = SafeCount(cells[target].value, COMPLEMENT)


def _next_to_withhold[K: Hashable](cells: dict[K, SafeCount], lines: list[tuple[K, list[K]]], key: K) -> K | None:
    related = [(total, parts) for total, parts in lines if key in parts or key == total]
    shown_parts = [p for _total, parts in related for p in parts if not cells[p].hidden]
    if shown_parts:
        return min(shown_parts, key=lambda p: cells[p].value)
    shown_totals = [total for total, _parts in related if not cells[total].hidden]
    if shown_totals:
        return min(shown_totals, key=lambda t: cells[t].value)
    # The sums around it are all hidden, yet it is pinned: widen to any shown count in a sum
    # that shares a hidden cell with them.
    near = {p for _total, parts in related for p in parts} | {t for t, _parts in related}
    for total, parts in lines:
        members = [total, *parts]
        if near & set(members):
            shown = [m for m in members if not cells[m].hidden]
            if shown:
                return min(shown, key=lambda m: cells[m].value)
    return None


def protect_total[K: Hashable](total: int, parts: Mapping[K, int]) -> tuple[SafeCount, dict[K, SafeCount]]:
    """A total and its parts (which add up to it), safe to show together."""
    type Key = tuple[object, ...]
    values: dict[Key, int] = {("part", key): value for key, value in parts.items()} | {("total",): total}
    lines: list[tuple[Key, list[Key]]] = [(("total",), [("part", key) for key in parts])]
    cells = protect(values, lines)
    return cells[("total",)], {key: cells[("part", key)] for key in parts}
