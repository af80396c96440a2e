"""The printable-characters rule (registry/printable.py): what the print fonts cannot draw is
refused, the Japanese of the demo and of the study report never is."""

import logging
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import models

from registry import printable
from registry.printable import PRINT_FONTS, PrintFont, printable_characters, unprintable, validate_printable

REPORT_CHARACTERS = Path(__file__).resolve().parents[1] / "data" / "report_characters.txt"
REPORT = Path("/work/shared/seed/report.txt")


@pytest.fixture
def fonts(monkeypatch):
    """Swap the print fonts for a test; the per-process cache is emptied before and after."""

    def use(*fonts: PrintFont) -> None:
        monkeypatch.setattr(printable, "PRINT_FONTS", fonts)
        printable_characters.cache_clear()

    yield use
    printable_characters.cache_clear()


def test_the_print_fonts_are_installed_and_read():
    drawable = printable_characters()
    assert drawable is not None
    assert {ord(c) for c in "あア亜①②③※〜～ー・㈱〒𠮷➢"} <= drawable
    assert printable_characters() is drawable  # read once per process


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("楽しい作業です🎉", ["🎉"]),
        ("👍👍 がんばろう 🙂", ["👍", "🙂"]),  # each once, in order
        ("家族👨‍👩‍👧で", ["👨‍👩‍👧"]),  # a ZWJ sequence is one character on paper
        ("👍🏽", ["👍🏽"]),  # with its skin tone
        ("日本🇯🇵", ["🇯🇵"]),  # a flag: two regional indicators
        ("🇯🇵🇺🇸", ["🇯🇵", "🇺🇸"]),
        ("⭐️", ["⭐️"]),  # with its emoji selector (U+FE0F)
        ("雪⛄", ["⛄"]),
    ],
)
def test_characters_that_print_as_tofu_are_named(text, refused):
    assert unprintable(text) == refused
    with pytest.raises(ValidationError) as raised:
        validate_printable(text)
    assert raised.value.code == "unprintable"
    assert all(chars in raised.value.messages[0] for chars in refused)


@pytest.mark.parametrize(
    "text",
    [
        "①②③ ※雨天中止。9:00〜12:00（休憩あり）",
        "ＡＢＣ１２３　全角スペースと半角 ｶﾀｶﾅ",
        "❤️ ☺️",  # drawn by the fallback font (DejaVu Sans); the selector asks for nothing more
        "葛\U000e0100飾区",  # an ideographic variation selector
        "行1\r\n行2\t終わり",
        "が",  # か + combining dakuten
    ],
)
def test_ordinary_japanese_and_invisible_marks_pass(text):
    assert unprintable(text) == []
    validate_printable(text)


def test_every_character_of_the_study_report_passes():
    """A guard against false alarms: the report's wording (kept in tests/data) prints."""
    characters = REPORT_CHARACTERS.read_text(encoding="utf-8").split("\n", 1)[1]
    assert len(characters) > 600
    assert unprintable(characters) == []
    if REPORT.exists():  # the whole report, where this machine has it
        assert unprintable(REPORT.read_text(encoding="utf-8")) == []


def test_every_text_of_the_demo_data_passes(db):
    call_command("seed_demo", stdout=StringIO())
    refused = {}
    for model in apps.get_models():
        if model._meta.app_label not in {"registry", "sheets", "workshops"}:
            continue
        texts = [
            f.name
            for f in model._meta.get_fields()
            if isinstance(f, (models.CharField, models.TextField)) and not f.choices and f.concrete
        ]
        for row in model._base_manager.values(*texts) if texts else []:
            for name, value in row.items():
                if value and (chars := unprintable(value)):
                    refused[f"{model._meta.label}.{name}"] = chars
    assert refused == {}


def test_a_missing_font_narrows_the_set_and_is_logged_once(fonts, caplog):
    bizud = next(f for f in PRINT_FONTS if f.family == "BIZ UDPGothic")
    fonts(bizud, PrintFont("Noto Sans CJK JP", "/nonexistent/NotoSansCJK-Regular.ttc"))
    with caplog.at_level(logging.WARNING, logger="registry.printable"):
        assert unprintable("𠮷野家") == ["𠮷"]  # only Noto Sans CJK has it
        assert unprintable("𠮷") == ["𠮷"]
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "NotoSansCJK" in warnings[0].getMessage()


def test_without_any_font_file_nothing_is_refused(fonts, caplog):
    fonts(PrintFont("BIZ UDPGothic", "/nonexistent/BIZUDPGothic-Regular.ttf"))
    with caplog.at_level(logging.WARNING, logger="registry.printable"):
        assert unprintable("🎉") == []
        validate_printable("🎉")  # saving is not blocked
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 1


def test_an_unreadable_font_file_counts_as_missing(fonts, tmp_path, caplog):
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"not a font")
    fonts(PrintFont("Broken", str(broken)))
    with caplog.at_level(logging.WARNING, logger="registry.printable"):
        assert unprintable("🎉") == []
