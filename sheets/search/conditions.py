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


def keywords_condition(words: list[str]) -> Q:
    """Every keyword must occur (AND), in any of its forms (OR), in the text or its reading;
    each through the bigram indexes on PostgreSQL.

    Written as plain conditions on the searched rows: PostgreSQL ANDs the bitmap of the forms'
    bigram indexes with the bitmap of the programs the viewer may see (the owner index), so a
    search reads the matches among those programs only. (As `id IN (a UNION per form)` it found
    every match of the whole registry first: 25,917 rows for 検品 at 100,000 programs, 250 ms;
    docs/performance.md.)"""
    condition = Q()
    for forms in keyword_forms(words):
        condition &= forms_condition(TEXT_COLUMNS, forms)
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
