"""The writing check of ② fields: advice in plain words beside the field while the coordinator
types, never a reason to refuse a save. The rules follow 出入国在留管理庁・文化庁「在留支援のための
やさしい日本語ガイドライン」(2020): short sentences, everyday words, not too many kanji, no double
negatives. Words are read with the shared tokenizer (sheets/japanese.py), so 従事します and
従事して are the same listed word.

The listed words and their plain alternatives are data (`plain_words.csv`, reviewed like the
print caps): one CSV line per word, the word as the dictionary writes it."""

import csv
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sheets.japanese import KANJI, Morpheme, morphemes

WORDS_FILE = Path(__file__).with_name("plain_words.csv")
# The ② fields the check reads: the text printed on the sheet for clients.
WRITING_FIELDS = (
    "title",
    "what_you_do",
    "breaks",
    "period",
    "meeting_point",
    "clothing",
    "belongings",
    "lunch",
    "pay",
    "travel_costs",
    "application_window",
    "suits",
    "can_find_out",
    "how_to_apply",
)
LONG_SENTENCE = 40  # characters; the guideline's "short sentences" (a ② line holds about 35)
KANJI_SHARE = 0.4  # of the letters; the guideline suggests keeping kanji to a small share
KANJI_MIN_LETTERS = 30  # short entries (a place, a name) are mostly kanji and need no advice
MAX_TEXT = 2000  # what the check reads of one field (the print caps are far below)
_SENTENCE_END = re.compile(r"(?<=[。！？!?])|\n")
_NEGATIONS = {"ない", "無い", "ず", "ぬ"}
_NEGATION_WINDOW = 4  # morphemes: しなければならない, ないわけではない, なくはない


@dataclass(frozen=True)
class PlainWord:
    word: str
    plain: str


@dataclass(frozen=True)
class Note:
    kind: str  # "long_sentence", "word", "kanji", "double_negative"
    message: str
    excerpt: str = ""
    suggestion: str = ""


@functools.cache
def plain_words() -> dict[str, PlainWord]:
    """The reviewed list, by the dictionary's normalised form of each word (遵守 → 順守)."""
    with WORDS_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    result: dict[str, PlainWord] = {}
    for row in rows:
        (morpheme,) = morphemes(row["word"])  # one word each: a test checks the list
        result[morpheme.normalized] = PlainWord(row["word"], row["plain"])
    return result


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def _length(sentence: str) -> int:
    return len("".join(sentence.split()))


def _long_sentences(text: str) -> list[Note]:
    notes: list[Note] = []
    for sentence in sentences(text):
        length = _length(sentence)
        if length > LONG_SENTENCE:
            message = _(
                "This sentence has %(n)d characters. Split it into short sentences of about %(max)d characters."
            ) % {"n": length, "max": LONG_SENTENCE}
            notes.append(Note("long_sentence", str(message), excerpt=sentence[:20] + "…"))
    return notes


def _words(words: list[Morpheme]) -> list[Note]:
    listed = plain_words()
    notes: list[Note] = []
    seen: set[str] = set()
    for m in words:
        entry = listed.get(m.normalized)
        if entry is None or entry.word in seen:
            continue
        seen.add(entry.word)
        message = _("“%(word)s” may be hard for a client to read. Try: %(plain)s") % {
            "word": m.surface,
            "plain": entry.plain,
        }
        notes.append(Note("word", str(message), excerpt=m.surface, suggestion=entry.plain))
    return notes


def _kanji(text: str) -> list[Note]:
    letters = [c for c in text if c.isalnum()]
    if len(letters) < KANJI_MIN_LETTERS:
        return []
    share = sum(1 for c in letters if KANJI.match(c)) / len(letters)
    if share <= KANJI_SHARE:
        return []
    message = _("Kanji are %(share)d%% of the letters. Write some words in hiragana (about %(max)d%% or less).") % {
        "share": round(share * 100),
        "max": round(KANJI_SHARE * 100),
    }
    return [Note("kanji", str(message))]


def _is_negation(m: Morpheme) -> bool:
    return m.part_of_speech in ("助動詞", "形容詞") and m.normalized in _NEGATIONS


def _double_negatives(words: list[Morpheme]) -> list[Note]:
    """Two negations close together in one clause (しなければなりません, ないわけではない).
    A comma or a full stop between them ends the clause: 「知らない、わからない」 is two."""
    notes: list[Note] = []
    for i, m in enumerate(words):
        if not _is_negation(m):
            continue
        for j in range(i + 1, min(i + 1 + _NEGATION_WINDOW, len(words))):
            if words[j].part_of_speech == "補助記号":
                break
            if _is_negation(words[j]):
                excerpt = "".join(w.surface for w in words[max(i - 1, 0) : j + 1])
                message = _("“%(excerpt)s” says “not” twice. Say it directly, e.g. 「〜してください」「〜します」.") % {
                    "excerpt": excerpt
                }
                notes.append(Note("double_negative", str(message), excerpt=excerpt))
                break
    return notes


def check(text: str) -> list[Note]:
    """Advice for one ② field, in the order a reader meets it: sentences, words, kanji."""
    text = (text or "")[:MAX_TEXT]
    if not text.strip():
        return []
    words = morphemes(text)
    return [*_long_sentences(text), *_double_negatives(words), *_words(words), *_kanji(text)]


def check_fields(data: Mapping[str, object]) -> dict[str, list[Note]]:
    """Advice per ② field of a program's data (the form's cleaned data, or a program's values)."""
    return {name: notes for name in WRITING_FIELDS if (notes := check(str(data.get(name) or "")))}


def summary(notes_by_field: dict[str, list[Note]]) -> Promise | str:
    count = sum(len(n) for n in notes_by_field.values())
    return _(
        "The plain-words check found %(n)d place(s) on ② you may want to rewrite. Open “Edit” to see them under "
        "each field."
    ) % {"n": count}
