"""Kanji and kana by character class, without the tokenizer: what a reading may hold, and the
check of the readings a coordinator corrected (`Program.readings`, sheets/programs/furigana.py).
A leaf, so that the model field (and its migrations) can validate without loading SudachiPy."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# CJK ideographs (with extension A and the supplementary planes), 々 〆 ヶ.
KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ\U00020000-\U0003134f]")
KANA_READING = re.compile(r"^[\u3041-\u3096\u30a1-\u30faー・\s]+$")
MAX_READINGS = 300
MAX_WORD = 30
MAX_READING = 60


def hiragana(text: str) -> str:
    """Katakana → hiragana (ヴ, ヵ, ヶ included); everything else unchanged."""
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)


def validate_readings(value: object) -> None:
    """{word with kanji: reading in kana}, at most MAX_READINGS of them."""
    if not isinstance(value, dict):
        raise ValidationError(_("Readings must be a mapping of word to reading."))
    if len(value) > MAX_READINGS:
        raise ValidationError(_("At most %(n)d corrected readings."), params={"n": MAX_READINGS})
    for word, reading in value.items():
        if not isinstance(word, str) or not KANJI.search(word) or len(word) > MAX_WORD:
            raise ValidationError(_("“%(word)s” is not a word with kanji."), params={"word": str(word)[:MAX_WORD]})
        if not isinstance(reading, str) or not KANA_READING.match(reading) or len(reading) > MAX_READING:
            raise ValidationError(
                _("The reading of “%(word)s” must be written in hiragana or katakana."), params={"word": word}
            )
