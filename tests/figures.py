"""Figures that tests report (requests sent, leaks found…), printed at the end of the run so that
CI logs show them (see pytest_terminal_summary in tests/conftest.py)."""

from collections import Counter

FIGURES: Counter = Counter()


def count(name: str, n: int = 1) -> None:
    FIGURES[name] += n
