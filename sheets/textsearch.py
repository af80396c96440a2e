"""Japanese-aware text normalisation for search: one function for stored text and queries.

NFKC folds full-width Latin/digits and half-width katakana (ｹﾝﾋﾟﾝ → ケンピン); katakana is then
folded to hiragana so that けんぴん, ケンピン and ｹﾝﾋﾟﾝ are the same word; Latin letters are
case-folded (Japanese has no case, and `icontains` cannot use a trigram index)."""

import unicodedata

from django.db import connection, models
from django.db.models import Lookup, Q

# Katakana ァ (U+30A1) … ヶ (U+30F6) map to hiragana ぁ (U+3041) … ゖ (U+3096).
_KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}


def normalise(text: str) -> str:
    """The searchable form of `text`: NFKC, katakana → hiragana, case-folded, spaces collapsed."""
    folded = unicodedata.normalize("NFKC", text or "").translate(_KATAKANA_TO_HIRAGANA).casefold()
    return " ".join(folded.split())


def keywords(query: str) -> list[str]:
    """The words of a query, normalised; empty words are dropped (full-width spaces split too)."""
    return [word for word in normalise(query).split(" ") if word]


def bigrams(text: str) -> list[str]:
    """The distinct character bigrams of the normalised text's words, sorted.

    PostgreSQL keeps them in a GIN-indexed array so that any keyword of two or more characters
    (検品, 清掃 — too short for trigrams) is found through the index: a row matches when its
    bigrams contain all of the keyword's, and LIKE then re-checks the exact substring."""
    grams = set()
    for word in normalise(text).split(" "):
        grams.update(word[i : i + 2] for i in range(len(word) - 1))
    return sorted(grams)


class BigramsField(models.TextField):
    """Space-separated bigrams (see `bigrams`). On PostgreSQL a GIN index on
    `string_to_array(field, ' ')` serves the `bigrams_contain` lookup."""


@BigramsField.register_lookup
class BigramsContain(Lookup):
    lookup_name = "bigrams_contain"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        # Portable form: every bigram appears as a space-delimited token.
        lhs, lhs_params = self.process_lhs(compiler, connection)
        grams = list(self.rhs)
        if not grams:
            return "1 = 1", []
        clause = " AND ".join([f"(' ' || {lhs} || ' ') LIKE %s ESCAPE '\\'"] * len(grams))
        params = [p for gram in grams for p in (*lhs_params, f"% {connection.ops.prep_for_like_query(gram)} %")]
        return clause, params

    def as_postgresql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"string_to_array({lhs}, ' ') @> %s::text[]", [*params, list(self.rhs)]


def keyword_condition(text_field: str, bigram_field: str, word: str) -> Q:
    """Rows whose normalised text contains `word` (already normalised).

    On PostgreSQL the bigram condition lets the GIN index find the candidate rows and LIKE
    re-checks them; on SQLite (demo-sized data) the substring match alone is enough."""
    exact = Q(**{f"{text_field}__contains": word})
    grams = bigrams(word)
    if connection.vendor != "postgresql" or not grams:
        return exact
    return Q(**{f"{bigram_field}__bigrams_contain": grams}) & exact
