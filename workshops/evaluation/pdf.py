"""The evaluation page as an A4 PDF for the region's meeting: the same partial as the screen."""

from django.template.loader import render_to_string
from django.utils import timezone


def render_evaluation_pdf(context: dict) -> bytes:
    # The sheets' fetcher and fonts (BIZ UD, Noto Sans CJK for rare characters), no file:// base.
    from sheets.printing.pdf import layout, write_pdf

    html = render_to_string("workshops/evaluation/print.html", {**context, "printed_at": timezone.localtime()})
    return write_pdf(layout(html))
