"""Japanese words: one tokenizer (SudachiPy with its core dictionary, from PyPI) for every
feature that reads Japanese — search by reading and normalised form, furigana on ②, the
writing check of ② fields. Nothing here is hand-made: readings and normalised forms come from
the dictionary (sudachidict-core), which is maintained upstream.

The tokenizer loads its dictionary once per process (≈ 0.1 s) and is not shared between
threads (SudachiPy tokenizers keep state): each thread gets its own."""

import threading
from dataclasses import dataclass
from functools import cache

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
    """The words of `text` in the dictionary's longest units (SplitMode.C: 袋詰め, 農作業)."""
    if not text:
        return []
    return [
        Morpheme(m.surface(), m.reading_form(), m.normalized_form(), m.part_of_speech()[0])
        for m in _tokenizer().tokenize(text)
    ]


@cache
def dictionary_readings(word: str) -> tuple[str, ...]:
    """Every reading the dictionary has for `word` written exactly so (葱 → ネギ, キ), in the
    dictionary's order; empty when it is not one dictionary word."""
    return tuple(dict.fromkeys(m.reading_form() for m in _dictionary().lookup(word) if m.reading_form()))
