"""The logic model PDF: A4 landscape, every item and link code in the text, nothing placed
outside the page — for the demo data of 川西市 and 伊丹市 and for a crowded 60-card model."""

import io
import re
from io import StringIO
from itertools import pairwise
from urllib.parse import unquote

import pytest
from django.urls import reverse
from pypdf import PdfReader

from registry.management.commands.seed_demo import Command as SeedDemo
from tests.workshops.factories import CardFactory, SeriesFactory, SessionFactory
from workshops import demo
from workshops.models import COLUMN_CATEGORIES, Column, LogicModel, LogicModelItem, LogicModelLink
from workshops.pdf import render_logic_model_html, render_logic_model_pdf
from workshops.selectors import logic_model_layout

A4_LANDSCAPE = (841.89, 595.28)


def squash(text: str) -> str:
    """Line breaks fall anywhere in Japanese: compare without any whitespace."""
    return re.sub(r"\s+", "", text)


def check_pdf(pdf: bytes, logic_model: LogicModel) -> PdfReader:
    reader = PdfReader(io.BytesIO(pdf))
    positions = []
    current = {"page": 0}

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            positions.append((current["page"], x, y, text))

    texts = []
    for number, page in enumerate(reader.pages):
        current["page"] = number
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width, 1), round(height, 1)) == (round(A4_LANDSCAPE[0], 1), round(A4_LANDSCAPE[1], 1))
        texts.append(page.extract_text(visitor_text=visit))
    everything = squash("".join(texts))
    layout = logic_model_layout(logic_model)
    for column in layout.columns:
        assert squash(column.label) in everything
        for entry in column.entries:
            if entry.item:
                assert squash(f"{entry.code}{entry.item.text}") in everything, entry.item.text
                if entry.targets:
                    assert squash("→" + ",".join(entry.targets)) in everything
    # Nothing is drawn beyond the page edges (cut-off text would be).
    for page_number, x, y, text in positions:
        assert 0 <= x < A4_LANDSCAPE[0] - 5 and 0 <= y <= A4_LANDSCAPE[1], (page_number, x, y, text)
    assert "1 / " in texts[0]  # page numbers in the footer
    return reader


@pytest.fixture
def demo_models(db):
    SeedDemo(stdout=StringIO()).seed()  # the registry's regions, agencies and staff
    demo.seed(StringIO())
    return list(LogicModel.objects.select_related("series__region").order_by("series__region__code"))


def test_demo_logic_models_print_every_item_on_a4_landscape(demo_models):
    assert [m.series.region.name for m in demo_models] == ["伊丹市", "川西市"]
    for logic_model in demo_models:
        assert logic_model.items.count() >= 15 and LogicModelLink.objects.filter(source__logic_model=logic_model)
        reader = check_pdf(render_logic_model_pdf(logic_model), logic_model)
        assert len(reader.pages) == 1
        assert "ロジックモデル目標ガイド" in reader.pages[0].extract_text()


def test_demo_data_has_forty_cards_per_region_and_is_idempotent(demo_models):
    for logic_model in demo_models:
        cards = logic_model.series.sessions.first().cards.model.objects.filter(session__series=logic_model.series)
        assert cards.live().count() >= 40
        assert cards.filter(merged_into__isnull=False).count() >= 4
    before = LogicModelItem.objects.count()
    demo.seed(StringIO())
    assert LogicModelItem.objects.count() == before


LONG = "就労支援のニーズがある人について、相談の場で出された意見を一文で書いたカード"


def sixty_card_model(world) -> LogicModel:
    series = SeriesFactory(organiser=world.agency_a, title="60枚のカード")
    needs = SessionFactory(series=series, number=1)
    plan = [("needs", "", 18), ("initiatives", "", 18)]
    plan += [(Column.SHORT, c, 4) for c in COLUMN_CATEGORIES[Column.SHORT]]
    plan += [(Column.MID, c, 3) for c in COLUMN_CATEGORIES[Column.MID]]
    plan += [(Column.LONG, c, 3) for c in COLUMN_CATEGORIES[Column.LONG]]
    logic_model = series.logic_model
    items = {}
    n = 0
    for column, category, count in plan:
        for _ in range(count):
            n += 1
            card = CardFactory(session=needs, theme="needs", text=f"{LONG}（{n}）")
            items.setdefault(str(column), []).append(
                LogicModelItem.objects.create(
                    logic_model=logic_model,
                    column=column,
                    category=category,
                    text=card.text,
                    source_card=card,
                    position=n,
                    figure="programs_all" if column == "initiatives" and n % 3 == 0 else "",
                )
            )
    assert n == 60
    columns = [str(c) for c in Column]
    for left, right in pairwise(columns):
        for i, item in enumerate(items[left]):
            for target in (items[right][i % len(items[right])], items[right][(i + 1) % len(items[right])]):
                LogicModelLink.objects.get_or_create(source=item, target=target)
    return logic_model


def test_a_sixty_card_model_fits_a4_landscape_without_cut_off_text(world):
    logic_model = sixty_card_model(world)
    assert 'class="logic-model lm-dense"' in render_logic_model_html(logic_model)
    reader = check_pdf(render_logic_model_pdf(logic_model), logic_model)
    assert 1 <= len(reader.pages) <= 3


def test_the_pdf_is_downloaded_by_region_readers(world, ws, login):
    logic_model = ws.series.logic_model
    LogicModelItem.objects.create(logic_model=logic_model, column="needs", text="早期離職を繰り返す人")
    response = login(world.counselor_a).get(reverse("workshops:logic_model_pdf", args=[ws.series.uuid]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    name = f"ロジックモデル_{ws.series.region.name}_第{logic_model.revision}版.pdf"
    assert unquote(response["Content-Disposition"].split("''", 1)[1]) == name
    check_pdf(response.content, logic_model)
