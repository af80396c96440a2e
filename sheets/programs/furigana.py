"""Furigana for ② (「②にふりがなをつける」): readings from the shared tokenizer (sheets/japanese.py,
SudachiPy's dictionary), corrected by the coordinator where the dictionary reads a word wrongly
(玖珠, a person's name). Corrections are content: `Program.readings`, {word as written: reading
in hiragana}, kept in the program's history like every other field.

The sheet shows a reading above each run of kanji, not above the kana of a word: 袋詰め gets
ふくろづ over 袋詰 and め stays as it is. The markup is two stacked lines (see `ruby`), which
WeasyPrint lays out (it does not lay out <ruby>, Kozea/WeasyPrint#406) and browsers show alike."""

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from sheets.japanese import KANA_READING, KANJI, hiragana, morphemes

_KANJI_RUNS = re.compile(rf"((?:{KANJI.pattern})+)")
# The days of the week as ② prints them (月・火・水): single kanji the dictionary reads as
# counters (月 ガツ, 火 ヒ), read here as the names of the days.
_WEEKDAY_READINGS = {"月": "げつ", "火": "か", "水": "すい", "木": "もく", "金": "きん", "土": "ど", "日": "にち"}
_WEEKDAY_LIST = re.compile(r"^\s*[月火水木金土日](\s*・\s*[月火水木金土日])*\s*$")


@dataclass(frozen=True)
class Segment:
    text: str
    reading: str = ""  # hiragana over `text`; empty: printed without furigana


def _align(surface: str, reading: str) -> list[Segment]:
    """Split a word's reading over its kanji runs, using its kana as anchors: 袋詰め/ふくろづめ
    → 袋詰(ふくろづ) め. A word whose kana do not match its reading gets the whole reading
    over the whole word (still right, just less precise)."""
    parts = [p for p in _KANJI_RUNS.split(surface) if p]
    pattern = "".join("(.+?)" if KANJI.match(p) else f"({re.escape(hiragana(p))})" for p in parts)
    found = re.fullmatch(pattern, reading)
    if found is None:
        return [Segment(surface, reading)]
    return [Segment(p, r if KANJI.match(p) else "") for p, r in zip(parts, found.groups(), strict=True)]


def dictionary_reading(surface: str) -> str:
    """The tokenizer's reading of one word, in hiragana ("" when it knows none)."""
    reading = "".join(hiragana(m.reading) for m in morphemes(surface))
    return reading if KANA_READING.match(reading) else ""


def segments(text: str, readings: dict[str, str] | None = None) -> list[Segment]:
    """`text` as segments with their furigana; `readings` are the coordinator's corrections."""
    readings = readings or {}
    if _WEEKDAY_LIST.match(text):
        return [Segment(c, _WEEKDAY_READINGS[c]) if c in _WEEKDAY_READINGS else Segment(c) for c in text]
    result: list[Segment] = []
    for m in morphemes(text):
        if not KANJI.search(m.surface):
            result.append(Segment(m.surface))
            continue
        reading = readings.get(m.surface) or hiragana(m.reading)
        if not KANA_READING.match(reading):  # unknown to the dictionary: read as written
            result.append(Segment(m.surface))
            continue
        result.extend(_align(m.surface, reading))
    return result


def ruby(text: str, readings: dict[str, str] | None = None) -> str:
    """HTML of `text` (plain, unescaped) with the reading stacked over each kanji run. The
    reading is hidden from screen readers in the browser (they read the kanji); the PDF's
    text keeps it (a printed sheet is read on paper)."""
    out = []
    found = segments(text, readings)
    for index, s in enumerate(found):
        if s.reading:
            # A reading longer than its kanji (袋 ふくろ) widened the word, a gap on each side
            # (小さな 袋 に). Between kana it may overhang them, as ruby does: a reading over kana
            # has no other reading to touch. Next to another word's reading it stays over its own.
            free = _kana_side(found, index - 1, -1) and _kana_side(found, index + 1, 0)
            out.append(
                f'<span class="fg{" fg-oh" if free else ""}"><span class="fg-rt" aria-hidden="true">'
                f'{escape(s.reading)}</span><span class="fg-rb">{escape(s.text)}</span></span>'
            )
        else:
            out.append(escape(s.text))
    return "".join(out)


def _kana_side(found: list[Segment], index: int, edge: int) -> bool:
    """Whether the neighbouring segment is text without a reading, its touching character no
    kanji. At the ends of the text the neighbour is unknown (another element's word): not free."""
    if not 0 <= index < len(found) or found[index].reading or not found[index].text:
        return False
    return not KANJI.match(found[index].text[edge])


_TAG = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"^</?\s*([a-zA-Z0-9-]+)")
_NOT_TEXT = {"svg", "style", "script", "title"}


def _text_nodes(markup: str) -> Iterator[tuple[str, bool]]:
    """(piece, is_text) over an HTML fragment; text inside svg/style/script/title is not text."""
    inside = 0
    for piece in _TAG.split(markup):
        if not piece:
            continue
        if piece.startswith("<"):
            name = _TAG_NAME.match(piece)
            if name and name.group(1).lower() in _NOT_TEXT and not piece.endswith("/>"):
                inside += -1 if piece.startswith("</") else 1
            yield piece, False
        else:
            yield piece, inside == 0


def annotate_html(markup: str, readings: dict[str, str] | None = None) -> SafeString:
    """Furigana over every kanji of an HTML fragment's text (our own rendered template: its
    text is escaped, so a text node never holds a tag)."""
    out = []
    for piece, is_text in _text_nodes(markup):
        out.append(ruby(html.unescape(piece), readings) if is_text and KANJI.search(piece) else piece)
    return mark_safe("".join(out))  # noqa: S308 - pieces are our escaped template output and escaped text


def words_in_html(markup: str, readings: dict[str, str] | None = None) -> list[tuple[str, str, str]]:
    """The distinct words with kanji of a rendered fragment, in order of appearance, as
    (word, reading shown, dictionary reading): what the coordinator may correct."""
    readings = readings or {}
    seen: dict[str, tuple[str, str, str]] = {}
    for piece, is_text in _text_nodes(markup):
        if not is_text or not KANJI.search(piece):
            continue
        for m in morphemes(html.unescape(piece)):
            if KANJI.search(m.surface) and m.surface not in seen:
                dictionary = hiragana(m.reading) if KANA_READING.match(hiragana(m.reading)) else ""
                seen[m.surface] = (m.surface, readings.get(m.surface, dictionary), dictionary)
    return list(seen.values())


def clean_reading(value: str) -> str:
    """A typed reading: spaces removed, katakana turned into hiragana."""
    return hiragana("".join(value.split()))
