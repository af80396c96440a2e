"""The small-count rule (registry/smallcounts.py): under 3 reads 「3件未満」, and no total minus
its shown parts gives a hidden count back — checked exhaustively over small tables."""

import itertools
import random

from django.utils import translation

from registry.smallcounts import (
    COMPLEMENT,
    GIVES_SMALL_AWAY,
    SMALL,
    TOO_FEW,
    protect,
    protect_total,
    safe,
    why_no_share,
)
from tests.differencing import recoverable


def test_under_three_reads_fewer_than_three_in_japanese():
    with translation.override("ja"):
        assert str(safe(2).shown) == "3件未満"
        assert str(safe(0).shown) == "3件未満"
    assert safe(3).shown == 3 and safe(3).number == 3 and safe(1).number is None


def test_a_total_minus_the_other_parts_gives_nothing_back():
    total, parts = protect_total(13, {"a": 1, "b": 5, "c": 7})
    # 13 − 5 − 7 would be 1: the smallest other part is withheld too.
    assert parts["a"].hidden == SMALL and parts["b"].hidden == COMPLEMENT and not parts["c"].hidden
    assert total.shown == 13


def test_zero_and_three_of_three_withholds_the_total_too():
    total, parts = protect_total(3, {"a": 0, "b": 3})
    assert total.hidden and all(c.hidden for c in parts.values())


def test_every_split_of_small_totals_is_safe():
    """All ways to split small totals into 2–3 parts: nothing hidden can be worked out."""
    for size, top in ((2, 9), (3, 6)):
        for values in itertools.product(range(top), repeat=size):
            total, parts = protect_total(sum(values), dict(enumerate(values)))
            cells = {("part", k): c for k, c in parts.items()} | {"total": total}
            equations = [("total", [("part", k) for k in parts])]
            assert not recoverable(cells, equations, ceiling=sum(values) + 6), values


def test_the_evaluation_pages_sums_are_safe_together():
    """The shape of the evaluation page: a year's hires split by quarter and, separately, by
    group; each group's hires split by what a check found. Random small numbers: no combination
    of the sums gives a hidden count back."""
    rng = random.Random(25)  # noqa: S311 (test data, not secrets)
    for _round in range(15):
        status = {(g, s): rng.choice([0, 0, 1, 2, 3]) for g in range(3) for s in range(2)}
        values = {("status", g, s): v for (g, s), v in status.items()}
        lines = []
        for g in range(3):
            values[("group", g)] = status[(g, 0)] + status[(g, 1)]
            lines.append((("group", g), [("status", g, s) for s in range(2)]))
        values[("year",)] = sum(values[("group", g)] for g in range(3))
        lines.append((("year",), [("group", g) for g in range(3)]))
        first = rng.randint(0, values[("year",)])
        values |= {("quarter", 0): first, ("quarter", 1): values[("year",)] - first}
        lines.append((("year",), [("quarter", 0), ("quarter", 1)]))
        cells = protect(values, lines)
        assert not recoverable(cells, lines, ceiling=values[("year",)] + 6), values


def test_a_share_says_why_it_is_not_shown():
    """A share of a large group withheld because a part is small says so, not 「too few」."""
    checked, parts = protect_total(16, {"working": 14, "left": 2})
    assert not checked.hidden and parts["left"].hidden == SMALL
    assert why_no_share(checked) == GIVES_SMALL_AWAY
    assert why_no_share(safe(2)) == TOO_FEW
    with translation.override("ja"):
        assert "少ない数が分かってしまう" in str(why_no_share(checked))
