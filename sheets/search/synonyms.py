"""Synonyms of work words (the reviewed list `synonyms.txt` next to this file) and the forms a
keyword is looked for in.

A keyword is looked for as typed, in its readings and its normalised form
(sheets/textsearch.py `word_forms`: けんぴん ↔ 検品, 葱 ↔ ねぎ); when one of those forms is a
word of a synonym group, every word of the group counts too, in all of its own forms
(そうじ → 掃除 → 清掃・クリーニング…). The list is data: reviewed like code, versioned in its
header, checked by tests/sheets/test_synonyms.py."""

import difflib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sheets.textsearch import normalise, word_forms

SYNONYMS_FILE = Path(__file__).with_name("synonyms.txt")
SEPARATOR = "/"


@dataclass(frozen=True)
class Synonyms:
    version: str
    groups: tuple[tuple[str, ...], ...]  # the words as written in the file
    index: dict[str, frozenset[int]]  # any form of any word → the groups it belongs to


def parse(text: str) -> tuple[str, list[tuple[str, ...]]]:
    """(version, groups) of a synonyms file's text."""
    version, groups = "", []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("#"):
            key, _sep, value = line.lstrip("# ").partition(":")
            if key.strip() == "version":
                version = value.strip()
            continue
        if line:
            groups.append(tuple(word.strip() for word in line.split(SEPARATOR) if word.strip()))
    return version, groups


@cache
def synonyms() -> Synonyms:
    version, groups = parse(SYNONYMS_FILE.read_text(encoding="utf-8"))
    index: dict[str, set[int]] = {}
    for number, group in enumerate(groups):
        for word in group:
            for form in word_forms(word):
                index.setdefault(form, set()).add(number)
    return Synonyms(version, tuple(groups), {form: frozenset(numbers) for form, numbers in index.items()})


def groups_of(word: str) -> list[tuple[str, ...]]:
    """The synonym groups a keyword belongs to, through any of its forms."""
    data = synonyms()
    numbers = set().union(*(data.index.get(form, frozenset()) for form in word_forms(word)))
    return [data.groups[number] for number in sorted(numbers)]


@cache
def expanded_forms(word: str) -> frozenset[str]:
    """Every form a keyword is looked for in: its own and those of its synonyms."""
    forms = set(word_forms(word))
    for group in groups_of(word):
        for other in group:
            forms |= word_forms(other)
    return frozenset(forms)


@cache
def _vocabulary() -> tuple[tuple[str, frozenset[str]], ...]:
    """(word, its forms) of every word of the list: what a search without results suggests from."""
    return tuple((word, word_forms(word)) for group in synonyms().groups for word in group)


def nearest_words(word: str, limit: int = 8) -> list[str]:
    """The words of the list that look or sound most like `word` (by any of their forms),
    nearest first; words of `word`'s own groups are left out (they were searched already)."""
    own = {other for group in groups_of(word) for other in group}
    forms = word_forms(word) or frozenset({normalise(word)})
    scored = []
    for candidate, candidate_forms in _vocabulary():
        if candidate in own:
            continue
        best = max(difflib.SequenceMatcher(None, a, b).ratio() for a in forms for b in candidate_forms)
        if best >= 0.5:
            scored.append((-best, len(candidate), candidate))
    return [candidate for *_key, candidate in sorted(scored)[:limit]]
