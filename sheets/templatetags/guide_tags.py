"""The guide in the forms: a ? link beside each section to its part of /guide/, and the
writing check shown under each ② field (sheets/guide/writing.py)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from sheets.guide.parts import BY_KEY
from sheets.guide.writing import WRITING_FIELDS, check

register = template.Library()


@register.simple_tag
def guide_link(key: str) -> SafeString:
    """`{% guide_link "cut-out" %}`: a ? that opens that part of the guide (named for screen readers)."""
    part = BY_KEY[key]  # an unknown key is a mistake in a template: fail loudly
    return format_html(
        '<a class="guide-link" href="{}#{}" title="{}"><i class="bi bi-question-circle" aria-hidden="true"></i>'
        '<span class="visually-hidden">{}</span></a>',
        reverse("guide"),
        part.key,
        _("Guide: %(part)s") % {"part": part.title},
        _("Guide: %(part)s") % {"part": part.title},
    )


@register.filter
def is_writing_field(bound_field) -> bool:
    return bound_field.name in WRITING_FIELDS


@register.inclusion_tag("sheets/guide/_writing_check.html")
def writing_check(bound_field) -> dict:
    """The check of a ② field's current text, rendered with the page (no JavaScript needed)."""
    return {"name": bound_field.name, "notes": check(str(bound_field.value() or ""))}


@register.simple_tag
def guide_title(key: str) -> str:
    """The title of a part of the guide (one wording for the heading and the links to it)."""
    return str(BY_KEY[key].title)
