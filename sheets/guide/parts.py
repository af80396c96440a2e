"""The parts of the guide (/guide/#<key>): the path from the employer visit to updating the
sheets. Forms link to a part with `{% guide_link "key" %}` (sheets/templatetags/guide_tags.py);
the guide's template gives each part an element with that id (a test checks every key)."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Part:
    key: str
    title: Promise


PARTS: tuple[Part, ...] = (
    Part("visit", _("1. Visiting the employer")),
    Part("dialogue", _("2. Listing the work in dialogue")),
    Part("dimensions", _("Interview questions for the ten dimensions")),
    Part("cut-out", _("3. Cutting out tasks")),
    Part("sheets", _("4. Writing sheets ① ② ③")),
    Part("sheet-client", _("② For clients")),
    Part("writing", _("Writing in plain Japanese")),
    Part("furigana", _("Furigana on ②")),
    Part("sheet-supporter", _("③ For supporters")),
    Part("review", _("5. Checking with the employer")),
    Part("share", _("6. Sharing in the region")),
    Part("update", _("7. Keeping the sheets up to date")),
)
BY_KEY = {part.key: part for part in PARTS}
