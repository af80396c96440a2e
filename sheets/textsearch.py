"""Japanese-aware text normalisation for search: one function for stored text and queries.

NFKC folds full-width Latin/digits and half-width katakana (ｹﾝﾋﾟﾝ → ケンピン); katakana is then
folded to hiragana so that けんぴん, ケンピン and ｹﾝﾋﾟﾝ are the same word; Latin letters are
case-folded (Japanese has no case, and `icontains` cannot use a trigram index)."""

import unicodedata

# Katakana ァ (U+30A1) … ヶ (U+30F6) map to hiragana ぁ (U+3041) … ゖ (U+3096).
_KATAKANA_TO_HIRAGANA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}


def normalise(text: str) -> str:
    """The searchable form of `text`: NFKC, katakana → hiragana, case-folded, spaces collapsed."""
    folded = unicodedata.normalize("NFKC", text or "").translate(_KATAKANA_TO_HIRAGANA).casefold()
    return " ".join(folded.split())


def keywords(query: str) -> list[str]:
    """The words of a query, normalised; empty words are dropped (full-width spaces split too)."""
    return [word for word in normalise(query).split(" ") if word]
