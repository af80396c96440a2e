"""Docs that are maps of the code are written from the code; these tests fail when they are stale."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_url_map_is_current():
    result = subprocess.run(
        [sys.executable, "scripts/url_map.py", "--check"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
