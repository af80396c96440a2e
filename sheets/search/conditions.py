"""Conditions and ordering over a program's stored search fields (sheets/programs/search_fields.py)."""

from django.db.models import F, IntegerField, Q, Value
from django.db.models.functions import Left, Length, Replace, StrIndex

from sheets.textsearch import keyword_condition


def facet_condition(token: str) -> Q:
    return Q(search_facets__contains=f" {token} ")


def keywords_condition(words: list[str]) -> Q:
    """Every word must occur (AND); each through the bigram index on PostgreSQL."""
    condition = Q()
    for word in words:
        condition &= keyword_condition("search_text", "search_bigrams", word)
    return condition


def _occurrences(expression, word: str):
    """How often `word` occurs in `expression` (portable: length lost by removing it)."""
    removed = Length(expression) - Length(Replace(expression, Value(word), Value("")))
    return removed / Value(len(word), output_field=IntegerField())


def relevance_annotations(words: list[str]) -> dict:
    """title_hits: occurrences of the words in the title; text_hits: in all of the text."""
    title = Left(F("search_text"), StrIndex(F("search_text"), Value("\n")))
    title_hits = Value(0, output_field=IntegerField())
    text_hits = Value(0, output_field=IntegerField())
    for word in words:
        title_hits = title_hits + _occurrences(title, word)
        text_hits = text_hits + _occurrences(F("search_text"), word)
    return {"title_hits": title_hits, "text_hits": text_hits}
