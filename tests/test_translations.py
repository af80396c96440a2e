"""locale/ja is complete: every source string is in the catalogue, translated, not fuzzy."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "locale/ja/LC_MESSAGES/django.po"
SOURCE_DIRS = ["config", "registry", "sheets", "workshops", "jobs", "templates"]


def test_every_entry_is_translated_and_none_is_fuzzy():
    catalogue = polib.pofile(str(PO))
    assert not catalogue.metadata_is_fuzzy
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []


@pytest.mark.slow
def test_catalogue_matches_the_source(tmp_path):
    """Run makemessages on a copy of the source: no string may be missing from locale/ja."""
    for name in SOURCE_DIRS:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    shutil.copy(ROOT / "manage.py", tmp_path)
    (tmp_path / "locale/ja/LC_MESSAGES").mkdir(parents=True)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "ja", "--no-obsolete"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    fresh = {e.msgid for e in polib.pofile(str(tmp_path / "locale/ja/LC_MESSAGES/django.po"))}
    current = {e.msgid for e in polib.pofile(str(PO)) if not e.obsolete}
    assert sorted(fresh - current) == [], "run `make messages` and translate the new strings"
    assert sorted(current - fresh) == [], "run `make messages` to drop strings no longer used"
