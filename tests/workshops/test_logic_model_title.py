"""The logic model's title: changed by those who edit the model, checked (Japanese error next to
the field), audited, a new revision, and shown on the page and the PDF."""

import io

from django.urls import reverse
from pypdf import PdfReader

from registry.models import AuditEntry
from workshops.models import Status

NEW_TITLE = "川西市 しごとでつながる地域づくり 目標ガイド"


def title_url(series):
    return reverse("workshops:logic_model_title", args=[series.uuid])


def test_the_title_is_changed_audited_and_printed(world, ws, login):
    logic_model = ws.series.logic_model
    before, revision = logic_model.title, logic_model.revision
    client = login(world.coordinator_a)
    assert f'value="{before}"' in client.get(title_url(ws.series)).content.decode()
    editor = client.get(reverse("workshops:logic_model_edit", args=[ws.series.uuid])).content.decode()
    assert title_url(ws.series) in editor

    response = client.post(title_url(ws.series), {"title": f"  {NEW_TITLE} "})

    assert response.status_code == 302
    logic_model.refresh_from_db()
    assert logic_model.title == NEW_TITLE and logic_model.revision == revision + 1
    entry = AuditEntry.objects.get(action="workshop.logic.rename")
    assert entry.actor == world.coordinator_a and entry.detail == {"before": before, "after": NEW_TITLE}
    page = client.get(reverse("workshops:logic_model_detail", args=[ws.series.uuid])).content.decode()
    assert f'<h1 class="h3 mb-0">{NEW_TITLE}</h1>' in page
    pdf = client.get(reverse("workshops:logic_model_pdf", args=[ws.series.uuid]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "".join(NEW_TITLE.split()) in "".join(text.split())


def test_a_too_long_or_empty_title_is_refused_next_to_the_field(world, ws, login):
    logic_model = ws.series.logic_model
    before = logic_model.title
    client = login(world.coordinator_a)
    body = client.post(title_url(ws.series), {"title": "あ" * 151}).content.decode()
    assert "150文字までにしてください（いま151文字）。" in body and 'id="error_1_id_title"' in body
    assert "この項目は必須です。" in client.post(title_url(ws.series), {"title": "  "}).content.decode()
    logic_model.refresh_from_db()
    assert logic_model.title == before
    assert not AuditEntry.objects.filter(action="workshop.logic.rename").exists()


def test_readers_of_a_published_model_may_not_change_its_title(world, ws, login):
    logic_model = ws.series.logic_model
    logic_model.status = Status.PUBLISHED
    logic_model.save()
    assert login(world.counselor_b).post(title_url(ws.series), {"title": "x"}).status_code == 403
    assert login(ws.coordinator_b).post(title_url(ws.series), {"title": "x"}).status_code == 403
    assert login(world.counselor_c).post(title_url(ws.series), {"title": "x"}).status_code == 404
    logic_model.refresh_from_db()
    assert logic_model.title != "x"
