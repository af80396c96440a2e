"""Japanese-aware text normalisation for search: one function for stored text and queries.

NFKC folds full-width Latin/digits and half-width katakana (ｹﾝﾋﾟﾝ → ケンピン); katakana is then
folded to hiragana so that けんぴん, ケンピン and ｹﾝﾋﾟﾝ are the same word; Latin letters are
case-folded (Japanese has no case, and `icontains` cannot use a trigram index).

Readings and normalised forms come from the one tokenizer (sheets/japanese.py, SudachiPy's
core dictionary): a program's text is also stored as it reads (検品 → けんぴん) and in the
dictionary's normalised forms (ﾈｷﾞ, ネギ → 葱; そうじ → 掃除), and each keyword is looked for
in all of its forms (`word_forms`), so that けんぴん finds 検品 and 葱 finds ネギ."""

import re
import unicodedata
from functools import lru_cache

from django.db import NotSupportedError, connection, models
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


def _has_kanji(text: str) -> bool:
    from sheets.japanese import KANJI

    return KANJI.search(text) is not None


def _morpheme_reading(morpheme) -> str:
    """How a word reads; words without kanji (kana, Latin, digits, signs) read as written."""
    return morpheme.reading if _has_kanji(morpheme.surface) else morpheme.surface


def reading_text(*parts: str) -> str:
    """The searchable readings of the text `parts` (a program: its title, then the rest), one
    line each: how each part reads (in hiragana, words run together as written so that a
    reading spans words: ぶひんのふくろづめ); then the dictionary's normalised forms of all
    (袋づめ → 袋詰め, ネギ → 葱); then the dictionary's longer readings of words the tokenizer
    read with one kana (葱 is キ in some contexts: ねぎ is added) — a one-kana reading is
    rarely the one people search by."""
    from sheets.japanese import dictionary_readings, morphemes

    spoken, normalised, others = [], [], []
    for part in parts:
        words = morphemes(unicodedata.normalize("NFKC", part or ""))
        spoken.append(normalise("".join(_morpheme_reading(m) for m in words)))
        normalised.append("".join(m.normalized for m in words))
        for m in words:
            if _has_kanji(m.surface) and len(m.reading) == 1:
                others.extend(r for r in dictionary_readings(m.surface) if len(r) > 1)
    return "\n".join([*spoken, normalise(" ".join(normalised)), normalise(" ".join(others))])


MIN_READING = 2  # a one-kana reading (葱 → き) would match almost everything


@lru_cache(maxsize=4096)
def word_forms(word: str) -> frozenset[str]:
    """The forms a keyword is looked for in, normalised: as typed, how it reads (every reading
    the dictionary has for it when it is one word: 葱 → ねぎ), and its normalised form
    (そうじ → 掃除). Readings of one kana are left out."""
    from sheets.japanese import dictionary_readings, morphemes

    typed = normalise(word)
    if not typed:
        return frozenset()
    raw = unicodedata.normalize("NFKC", word).strip()
    words = morphemes(raw)
    readings = {"".join(_morpheme_reading(m) for m in words), *dictionary_readings(raw)}
    forms = {typed}
    if len(words) == 1 or _has_kanji(raw):  # a kana string cut into several words reads as noise
        forms.add(normalise("".join(m.normalized for m in words)))
    forms |= {normalise(reading) for reading in readings if len(reading) >= MIN_READING}
    return frozenset(form for form in forms if form and " " not in form)


def raw_keywords(query: str) -> list[str]:
    """The words of a query as typed (width-folded only): the tokenizer reads them better than
    their kana-folded forms (ネギ is 葱 to the dictionary, ねぎ is not)."""
    return [word for word in unicodedata.normalize("NFKC", query or "").split() if normalise(word)]


def bigrams(text: str) -> list[str]:
    """The distinct character bigrams of the normalised text's words, sorted.

    PostgreSQL keeps them in a GIN-indexed array so that any keyword of two or more characters
    (検品, 清掃 — too short for trigrams) is found through the index: a row matches when its
    bigrams contain all of the keyword's, and the text itself is then checked (`forms_condition`)."""
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
        # Only the PostgreSQL search asks for bigrams (`forms_condition`): elsewhere the text
        # itself is matched, so no portable form is kept.
        raise NotSupportedError("bigrams_contain needs PostgreSQL")

    def as_postgresql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"string_to_array({lhs}, ' ') @> %s::text[]", [*params, list(self.rhs)]


def forms_condition(columns: tuple[tuple[str, str], ...], forms: list[str], *, indexed: bool = True) -> Q:
    """Rows where any of `forms` (already normalised; the likeliest first) occurs in any of the
    (text, bigram) columns.

    On PostgreSQL: the forms' bigram conditions let the GIN indexes find the candidate rows, and
    ONE regular expression per text column (the forms as alternatives) checks them. Written as
    one LIKE per form and column, a row was read again for each of them — a common word with
    its synonyms (体験: nine forms) took 600 ms over 2,900 programs, the expression 40 ms
    (docs/performance-history.md, section 14). A form occurs only where its bigrams do, so the
    bigram part never drops a match. `indexed=False` leaves the bigram part out: the rows are
    then found by the query's other conditions and checked by the expression alone (for a
    reader who sees a small part of the registry, `sheets.search.conditions.bigram_index_pays`).
    On SQLite (demo-sized data) the substring match alone."""
    if not forms:
        return Q()
    if connection.vendor != "postgresql":
        return _any_of(Q(**{f"{text}__contains": form}) for form in forms for text, _bigrams in columns)
    pattern = "|".join(_regex_literal(form) for form in forms)
    found = _any_of(Q(**{f"{text}__regex": pattern}) for text, _bigrams in columns)
    return _indexed(columns, forms) & found if indexed else found


def _indexed(columns: tuple[tuple[str, str], ...], forms: list[str]) -> Q:
    """The rows whose bigrams could hold one of the forms (what the GIN indexes answer); every
    row when a form is a single character (it has no bigram to look up)."""
    grams = [bigrams(form) for form in forms]
    if not all(grams):
        return Q()
    return _any_of(Q(**{f"{column}__bigrams_contain": each}) for each in grams for _text, column in columns)


def _any_of(conditions) -> Q:
    condition = Q()
    for each in conditions:
        condition |= each
    return condition


def _regex_literal(text: str) -> str:
    """`text` matched literally by a PostgreSQL regular expression: its ASCII signs escaped (a
    backslash before a sign is the sign itself; no other character is special there)."""
    return re.sub(r"([\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f])", r"\\\1", text)
