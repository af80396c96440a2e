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


# Our wording of a string Django itself translates wins everywhere, the admin included: keep these
# on purpose, and give any other such string a context (`{% translate "Sessions" context "workshop" %}`)
# so that Django's own pages keep their words — the admin's hidden "Add link" header once read
# 「つながりを追加」 and its yes/no filters 「できる／できない」 (issue 21 item 16).
REWORDED_ON_PURPOSE = {
    # 「フィールド」 is not a word of the staff's (registry/forms.py DJANGO_REQUIRED, DJANGO_LOGIN_FAILED).
    "This field is required.",
    "Please enter a correct %(username)s and password. Note that both fields may be case-sensitive.",
    # A number out of range, said as what to type (DJANGO_AT_LEAST, DJANGO_AT_MOST).
    "Ensure this value is greater than or equal to %(limit_value)s.",
    "Ensure this value is less than or equal to %(limit_value)s.",
    "Administration",
    "All",
    "Change password",
    "Clear",
    "English",
    "Field",
    "History",
    "Important dates",
    "None",
    "Order",
    "Permissions",
    "Reset password",
    "Skip to main content",
    "Summary",
    "Your password was changed.",
    "object id",
    "version",  # our records' edit counter (更新番号), not a software version
}


def test_django_own_strings_keep_their_meaning():
    import django

    ours = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(PO)) if not e.obsolete}
    changed = set()
    for po in Path(django.__file__).parent.glob("**/locale/ja/LC_MESSAGES/django.po"):
        for entry in polib.pofile(str(po)):
            mine = ours.get((entry.msgctxt, entry.msgid))
            if entry.msgstr and mine and mine != entry.msgstr and entry.msgid not in REWORDED_ON_PURPOSE:
                changed.add(f"{entry.msgid!r}: Django {entry.msgstr!r}, ours {mine!r}")
    assert sorted(changed) == []
