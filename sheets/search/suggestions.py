"""What a search without results suggests: the nearest words of the synonym list
(sheets/search/synonyms.py `nearest_words`) that do have results with the search's other
filters — counted in ONE query, whatever the number of candidates."""

from dataclasses import dataclass

from django.db.models import Count

from sheets.japanese import KANJI
from sheets.search.synonyms import nearest_words
from sheets.textsearch import raw_keywords

CANDIDATES_PER_WORD = 6
MAX_CANDIDATES = 12
SHOWN = 4


@dataclass(frozen=True)
class Suggestion:
    words: str  # the keywords to search instead
    count: int


def word_ends(word: str) -> list[str]:
    """皿洗い → 洗い, 皿洗: Japanese writes a compound without spaces, and one that finds nothing may
    find programs by its end (瓶洗い) or its start; the longest first, the end before the start (the
    end of a compound names what it is). Two characters at least (what the search looks for), with
    a kanji in them: the ends of a word written in kana (けんひん → けん) are not words."""
    ends = [part for size in range(len(word) - 1, 1, -1) for part in (word[-size:], word[:size])]
    return [part for part in dict.fromkeys(ends) if KANJI.search(part)]


def suggestions(program_search) -> list[Suggestion]:
    """Other keywords for a search that found nothing: each keyword in turn replaced by a near
    word of the list, kept when the search then finds programs."""
    words = raw_keywords(program_search.chosen.get("q") or "")
    if not words:
        return []
    candidates: list[str] = []
    for position, word in enumerate(words):
        for near in [*word_ends(word), *nearest_words(word, CANDIDATES_PER_WORD)]:
            replaced = " ".join([*words[:position], near, *words[position + 1 :]])
            if replaced not in candidates:
                candidates.append(replaced)
    candidates = candidates[:MAX_CANDIDATES]
    if not candidates:
        return []
    counts = (
        program_search.without_keywords()
        .order_by()
        .aggregate(
            **{
                f"c{index}": Count("pk", filter=program_search.keywords_condition(candidate))
                for index, candidate in enumerate(candidates)
            }
        )
    )
    found = [Suggestion(candidate, counts[f"c{index}"]) for index, candidate in enumerate(candidates)]
    return [s for s in found if s.count][:SHOWN]  # nearest first
