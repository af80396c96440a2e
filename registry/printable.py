"""Which characters a printed sheet can draw: one rule for the forms and the import.

WeasyPrint lays a sheet out with the print CSS's fonts ("BIZ UDPGothic", then "Noto Sans CJK JP")
and, for a character neither has, with fontconfig's fallback — DejaVu Sans, the system's
sans-serif (`fc-match -s "BIZ UDPGothic"`). A character none of them has prints as □ (tofu)
without any warning: most emoji (🎉 👍), flags, ZWJ sequences (👨‍👩‍👧). So a printed text field
refuses what these fonts' character maps (cmap, read with fontTools) lack, and says which.

The character set is read once per process (≈ 0.5 s) on first use. A missing font file only
narrows it, with one warning in the log; if no font file is found at all the check is off
(everything allowed): printing still works with whatever fonts there are, and a
misconfigured server must not stop anyone from saving."""

import functools
import logging
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class PrintFont:
    family: str
    path: str  # the Debian packages' files (docs: tech-notes, "WeasyPrint and Japanese PDFs")


PRINT_FONTS = (
    PrintFont("BIZ UDPGothic", "/usr/share/fonts/truetype/bizud-gothic/BIZUDPGothic-Regular.ttf"),
    PrintFont("Noto Sans CJK JP", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    PrintFont("DejaVu Sans", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
)

# Employer fields that ① prints (templates/sheets/print/employer.html); the rest of the
# employer (contact person, phone, e-mail) is never printed.
PRINTED_EMPLOYER_FIELDS = ("name", "name_kana", "address", "access_notes", "description")

# Characters a font needs no glyph for: line breaks and spaces, and the invisible ones that
# join or modify the character before them (HarfBuzz draws nothing for them): ZWJ, variation
# selectors (U+FE0F asks for the emoji look, U+E0100… for a kanji variant), emoji tags.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})
ZWJ = "\u200d"


def _is_invisible(char: str) -> bool:
    code = ord(char)
    return (
        char.isspace()
        or unicodedata.category(char) in INVISIBLE_CATEGORIES
        or 0xFE00 <= code <= 0xFE0F
        or 0xE0100 <= code <= 0xE01EF
    )


def _joins_previous(char: str) -> bool:
    """Part of the character before it on paper: combining marks (゙), selectors, skin tones."""
    return (
        (_is_invisible(char) and not char.isspace())
        or unicodedata.category(char) in {"Mn", "Me", "Mc"}
        or 0x1F3FB <= ord(char) <= 0x1F3FF
    )


def _is_regional_indicator(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF  # two of them make a flag: 🇯🇵


def _font_characters(font: PrintFont) -> set[int]:
    from fontTools.ttLib import TTCollection, TTFont  # imported late: only the first check needs it

    if font.path.endswith(".ttc"):
        faces = TTCollection(font.path, lazy=True).fonts
        face = next((f for f in faces if f["name"].getDebugName(1) == font.family), faces[0])
    else:
        face = TTFont(font.path, lazy=True)
    return set(face.getBestCmap() or {})


@functools.cache
def printable_characters() -> frozenset[int] | None:
    """The code points the print fonts can draw; None when no font file could be read."""
    found: set[int] = set()
    missing = []
    for font in PRINT_FONTS:
        if not Path(font.path).is_file():
            missing.append(font)
            continue
        try:
            found |= _font_characters(font)
        except Exception:  # a broken file counts as missing: saving must go on
            LOGGER.exception("Could not read the print font %s", font.path)
            missing.append(font)
    if missing:
        LOGGER.warning(
            "Print fonts missing: %s. %s",
            ", ".join(f"{f.family} ({f.path})" for f in missing),
            "Printed text is not checked for characters that print as □."
            if not found
            else "Characters only these fonts have are refused in printed text.",
        )
    return frozenset(found) if found else None


def _clusters(text: str) -> list[str]:
    """`text` cut into what prints as one character: 👨‍👩‍👧 (joined by ZWJ), ❤️ (with its
    selector), 🇯🇵 (two regional indicators), が (with a combining mark) stay whole."""
    clusters: list[str] = []
    for char in text:
        if clusters and (
            _joins_previous(char)
            or clusters[-1].endswith(ZWJ)
            or (_is_regional_indicator(char) and len(clusters[-1]) == 1 and _is_regional_indicator(clusters[-1]))
        ):
            clusters[-1] += char
        else:
            clusters.append(char)
    return clusters


def unprintable(text: str) -> list[str]:
    """The characters (as they are written: 👨‍👩‍👧 once, not three people) of `text` that would
    print as □, each once, in order of appearance."""
    drawable = printable_characters()
    if drawable is None or not text:
        return []
    found: list[str] = []
    for cluster in _clusters(text):
        lacking = any(ord(c) not in drawable and not _is_invisible(c) for c in cluster)
        if lacking and cluster not in found:
            found.append(cluster)
    return found


def unprintable_message(characters: list[str]) -> str:
    return _(
        "It has characters that cannot be printed: %(characters)s (they print as □). Write other words instead."
    ) % {"characters": "、".join(characters)}


def validate_printable(value: object) -> None:
    """A validator for every text that a sheet prints."""
    if isinstance(value, str) and (characters := unprintable(value)):
        raise ValidationError(unprintable_message(characters), code="unprintable")
