"""Japanese words: one tokenizer (SudachiPy with its core dictionary, from PyPI) for every
feature that reads Japanese — search by reading and normalised form, furigana on ②, the
writing check of ② fields. Nothing here is hand-made: readings and normalised forms come from
the dictionary (sudachidict-core), which is maintained upstream.

The tokenizer loads its dictionary once per process (≈ 0.1 s) and is not shared between
threads (SudachiPy tokenizers keep state): each thread gets its own."""

import re
import threading
from dataclasses import dataclass
from functools import cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from sudachipy import Dictionary, SplitMode

_local = threading.local()


@dataclass(frozen=True)
class Morpheme:
    surface: str  # as written: 袋詰め
    reading: str  # in katakana: フクロヅメ (the dictionary's reading_form)
    normalized: str  # the dictionary's normalised form: ﾈｷﾞ, ねぎ → 葱; そうじ → 掃除
    part_of_speech: str  # the first level: 名詞, 動詞, 助詞 …


@cache
def _dictionary() -> Dictionary:
    return Dictionary(dict="core")


def _tokenizer():
    tokenizer = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        tokenizer = _local.tokenizer = _dictionary().tokenizer(mode=SplitMode.C)
    return tokenizer


def morphemes(text: str) -> list[Morpheme]:
    """The words of `text` in the dictionary's longest units (SplitMode.C: 袋詰め, 農作業), with two
    corrections of the tokenizer's choices, both from the dictionary itself:

    - two or three pieces that together are one noun of the dictionary are that noun: 焼き + 菓子
      → 焼き菓子 (ヤキガシ, not ヤキ + カシ, which a search for やきがし did not find);
    - a word not joined to a noun before it keeps its first sound: 箱 alone is ハコ, the tokenizer
      gave the compound reading バコ (弁当箱) — rendaku belongs to a compound's second half."""
    if not text:
        return []
    pieces = list(_tokenizer().tokenize(text))
    words: list[Morpheme] = []
    index = 0
    while index < len(pieces):
        joined = _joined_noun(pieces, index)
        if joined is not None:
            words.append(joined[0])
            index += joined[1]
            continue
        piece = pieces[index]
        reading = piece.reading_form()
        if not words or words[-1].part_of_speech not in COMPOUND_HEADS:
            reading = _first_sound_unvoiced(piece.surface(), reading)
        words.append(Morpheme(piece.surface(), reading, piece.normalized_form(), piece.part_of_speech()[0]))
        index += 1
    return words


# A word after one of these may be the second half of a compound (菓子 + 箱 → かしばこ).
COMPOUND_HEADS = ("名詞", "接頭辞")
UNVOICED = str.maketrans(
    "ガギグゲゴザジズゼゾダヂヅデドバビブベボパピプペポ", "カキクケコサシスセソタチツテトハヒフヘホハヒフヘホ"
)


def _first_sound_unvoiced(surface: str, reading: str) -> str:
    plain = reading[:1].translate(UNVOICED) + reading[1:]
    return plain if plain != reading and plain in dictionary_readings(surface) else reading


def _joined_noun(pieces: list, index: int) -> tuple[Morpheme, int] | None:
    for span in (3, 2):
        if index + span > len(pieces):
            continue
        surface = "".join(piece.surface() for piece in pieces[index : index + span])
        noun = _dictionary_noun(surface) if KANJI.search(surface) else None
        if noun is not None:
            return Morpheme(surface, noun[0], noun[1], "名詞"), span
    return None


@cache
def _dictionary_noun(surface: str) -> tuple[str, str] | None:
    """(reading, normalised form) of `surface` as one noun of the dictionary, or None."""
    for entry in _dictionary().lookup(surface):
        if entry.part_of_speech()[0] == "名詞" and entry.reading_form():
            return entry.reading_form(), entry.normalized_form()
    return None


@cache
def dictionary_readings(word: str) -> tuple[str, ...]:
    """Every reading the dictionary has for `word` written exactly so (葱 → ネギ, キ), in the
    dictionary's order; empty when it is not one dictionary word."""
    return tuple(dict.fromkeys(m.reading_form() for m in _dictionary().lookup(word) if m.reading_form()))


# --- Kanji and kana by character class, without the tokenizer (was sheets/kana.py) ---------
# What a reading may hold, and the check of the readings a coordinator corrected
# (`Program.readings`, sheets/programs/furigana.py).
# No tokenizer needed: the model field validates with these alone (the dictionary loads lazily).

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


HONORIFICS = ("様", "さま", "さん", "殿", "御中")


def with_honorific(name: str) -> str:
    """A contact's name as an addressee: "岡本" becomes "岡本 様"; "事務局 岡本様" (typed with its
    honorific, as the employer records usually are) stays as it is, never "岡本様 様"."""
    name = name.strip()
    return name if name.endswith(HONORIFICS) else f"{name} 様"
