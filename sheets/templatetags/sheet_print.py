"""Template helpers for the printed sheets and the printing controls on other pages."""

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_CSS_SAFE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:;()-_/")


@register.filter
def css_string(value) -> SafeString:
    """Text for inside a CSS string "…" in a <style> element (the @page header/footer).
    ASCII other than plain punctuation becomes a CSS escape, so quotes, backslashes, < and >
    can neither end the string nor the <style> element; Japanese passes through."""
    out = []
    for char in str(value):
        if ord(char) < 128 and char not in _CSS_SAFE:
            out.append(f"\\{ord(char):06x}")
        else:
            out.append(char)
    return mark_safe("".join(out))  # noqa: S308 (every unsafe character is escaped above)


@register.filter
def in_set(value, collection) -> bool:
    return value in (collection or ())


@register.filter
def rating(ratings, key):
    """The 0–3 rating of one dimension, or None when it is not rated."""
    return (ratings or {}).get(key)


@register.filter
def as_list(value) -> list:
    """One chosen value as a list, so `in` compares whole values ("indoor" ≠ "indoor_ac")."""
    if isinstance(value, list | tuple | set):
        return list(value)
    return [value] if value else []


class FuriganaNode(template.Node):
    def __init__(self, nodelist, readings, on) -> None:
        self.nodelist, self.readings, self.on = nodelist, readings, on

    def render(self, context) -> str:
        rendered = self.nodelist.render(context)
        if not self.on.resolve(context):
            return rendered
        from sheets.programs.furigana import annotate_html

        return annotate_html(rendered, self.readings.resolve(context) or {})


@register.tag
def furigana(parser, token) -> FuriganaNode:
    """`{% furigana on readings %}…{% endfurigana %}`: the readings over every kanji of the
    block's text when `on` is true (② with furigana; sheets/programs/furigana.py)."""
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError("{% furigana on readings %} takes two arguments")
    nodelist = parser.parse(("endfurigana",))
    parser.delete_first_token()
    return FuriganaNode(nodelist, parser.compile_filter(bits[2]), parser.compile_filter(bits[1]))


# --- Controls that other pages include with one line -------------------------------------------


@register.inclusion_tag("sheets/_partials/print_actions.html", takes_context=True)
def print_actions(context, program) -> dict:
    """Sheet previews, PDFs and the print-list toggle for one program:
    `{% load sheet_print %}{% print_actions program %}` on the program page."""
    from sheets.printing.print_list import PrintList
    from sheets.printing.sheets import SHEET_KINDS

    request = context["request"]
    return {
        "request": request,
        "program": program,
        "kinds": SHEET_KINDS.values(),
        "in_list": PrintList.of(request).contains(program),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("sheets/_partials/photo_panel.html", takes_context=True)
def photo_panel(context, owner) -> dict:
    """Photos of an employer, program or task breakdown, with upload for coordinators:
    `{% load sheet_print %}{% photo_panel employer %}`."""
    from sheets.printing.selectors import photo_panel_context

    return photo_panel_context(context["request"], owner) | {"csrf_token": context.get("csrf_token")}


@register.simple_tag
def sheet_kinds():
    """① ② ③ in order, for links to the sheets."""
    from sheets.printing.sheets import SHEET_KINDS

    return list(SHEET_KINDS.values())
