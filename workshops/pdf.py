"""The logic model goal guide as an A4 landscape PDF (WeasyPrint).

The same partial renders the on-screen view, so what the user previews is what prints.
Japanese fonts: BIZ UDPGothic, then Noto Sans CJK JP for rare characters."""

from django.template.loader import render_to_string
from django.utils import timezone

from workshops.models import LogicModel
from workshops.selectors import logic_model_layout

TEMPLATE = "workshops/print/logic_model.html"


def density(item_count: int, tallest_column: int) -> str:
    """A smaller type size for crowded models keeps them on as few pages as possible."""
    if tallest_column > 16 or item_count > 50:
        return "dense"
    if tallest_column > 9 or item_count > 30:
        return "compact"
    return "normal"


def render_logic_model_html(logic_model: LogicModel) -> str:
    layout = logic_model_layout(logic_model)
    tallest = max((len(c.entries) for c in layout.columns), default=0)
    return render_to_string(
        TEMPLATE,
        {
            "logic_model": logic_model,
            "series": logic_model.series,
            "layout": layout,
            "density": density(layout.item_count, tallest),
            "printed_at": timezone.localtime(),
        },
    )


def render_logic_model_pdf(logic_model: LogicModel) -> bytes:
    # The sheets' fetcher: only our static files, photos and data: URIs, so nothing typed into
    # a card can make WeasyPrint read a local file or the network (no file:// base URL).
    # Laid out with the thread's one font configuration, like the sheets (sheets/pdf.py).
    from sheets.printing.pdf import layout

    return layout(render_logic_model_html(logic_model)).write_pdf()
