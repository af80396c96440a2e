"""Conditions and ordering over a program's stored search fields (sheets/programs/search_fields.py)."""

from django.db.models import F, IntegerField, Q, Value
from django.db.models.functions import Left, Length, Replace, StrIndex

from sheets.search.synonyms import expanded_forms
from sheets.textsearch import forms_condition, normalise, word_forms

# Where a form of a keyword is looked for: the text as written, and as it reads (with the
# dictionary's normalised forms); each with its bigram column (GIN-indexed on PostgreSQL).
TEXT_COLUMNS = (("search_text", "search_bigrams"), ("search_reading", "search_reading_bigrams"))


def facet_condition(token: str) -> Q:
    return Q(search_facets__contains=f" {token} ")


def keyword_forms(words: list[str]) -> list[list[str]]:
    """For each keyword (as typed), every form it is looked for in: its readings, normalised
    form and synonyms (sheets/search/synonyms.py). The keyword as typed comes first, then its
    own other forms, then its synonyms': on PostgreSQL a found row's bigrams are checked form by
    form until one fits (`sheets.textsearch.forms_condition`), and the typed word is the one
    most rows are found by."""
    ordered = []
    for word in words:
        typed, own = normalise(word), word_forms(word)
        first = [typed] if typed in own else []
        ordered.append([*first, *sorted(own - {typed}), *sorted(expanded_forms(word) - own)])
    return ordered


def bigram_index_pays(scope: str | None) -> bool:
    """Whether a keyword search of this visibility scope (`sheets.programs.access.visibility_scope`)
    should find its candidate rows through the bigram indexes.

    A platform admin searches the whole registry: only the indexes keep that fast. Any other
    reader sees one agency's reach (its own programs, its region's and prefecture's shared
    ones: ≈ 900 of 100,000 in the bench) and the owner index finds those rows already; their
    text is then checked directly. The bigram lists grow with the registry (≈ 6,000 rows per
    common bigram at 100,000 programs, ten index scans for a word with synonyms), so through
    them the counselor's search cost what the registry holds rather than what they see: the 清掃
    search page 41.8 → 37.4 ms (p50) at 100,000 programs without them, 30.9 → 30.0 ms at ~10,000
    (docs/performance-history.md, section 16)."""
    return scope is None or scope == "platform"


def keywords_condition(words: list[str], *, indexed: bool = True) -> Q:
    """Every keyword must occur (AND), in any of its forms (OR), in the text or its reading;
    each through the bigram indexes on PostgreSQL when `indexed` (`bigram_index_pays`).

    Written as plain conditions on the searched rows: PostgreSQL ANDs the bitmap of the forms'
    bigram indexes with the bitmap of the programs the viewer may see (the owner index), so a
    search reads the matches among those programs only. (As `id IN (a UNION per form)` it found
    every match of the whole registry first: 25,917 rows for 検品 at 100,000 programs, 250 ms;
    docs/performance.md.)"""
    condition = Q()
    for forms in keyword_forms(words):
        condition &= forms_condition(TEXT_COLUMNS, forms, indexed=indexed)
    return condition


def _occurrences(expression, word: str):
    """How often `word` occurs in `expression` (portable: length lost by removing it)."""
    removed = Length(expression) - Length(Replace(expression, Value(word), Value("")))
    return removed / Value(len(word), output_field=IntegerField())


def _first_line(column: str):
    return Left(F(column), StrIndex(F(column), Value("\n")))


def relevance_annotations(words: list[str]) -> dict:
    """title_hits: occurrences of the keywords' own forms (as typed, their readings and
    normalised forms — not their synonyms) in the title, written or read; text_hits: in all of
    the text. A program found through a synonym only comes after those with the word itself."""
    title_hits = Value(0, output_field=IntegerField())
    text_hits = Value(0, output_field=IntegerField())
    for word in words:
        for form in sorted(word_forms(word)):
            for column, _bigrams in TEXT_COLUMNS:
                title_hits = title_hits + _occurrences(_first_line(column), form)
                text_hits = text_hits + _occurrences(F(column), form)
    return {"title_hits": title_hits, "text_hits": text_hits}
