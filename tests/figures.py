"""Figures that tests report (requests sent, leaks found…), printed at the end of the run so that
CI logs show them (see pytest_terminal_summary in tests/conftest.py).

Tests may run in several processes (pytest-xdist): each adds its counts as lines to one file
that the controlling process names in FIGURES_FILE and sums at the end."""

import json
import os
from collections import Counter
from pathlib import Path


def count(name: str, n: int = 1) -> None:
    path = os.environ.get("FIGURES_FILE")
    if path:
        with Path(path).open("a", encoding="utf-8") as out:
            out.write(json.dumps({name: n}, ensure_ascii=False) + "\n")


def totals() -> Counter:
    path = os.environ.get("FIGURES_FILE")
    result: Counter = Counter()
    if path and Path(path).exists():
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            result.update(json.loads(line))
    return result
