"""Series and sessions: creation with default themes, editing, and the standard view cases."""

from django.urls import reverse

from registry.models import AuditEntry
from workshops.models import LogicModel, WorkshopSeries, WorkshopSession


def test_a_coordinator_creates_a_series_with_participants_and_a_logic_model(world, login):
    client = login(world.coordinator_a)
    page = client.get(reverse("workshops:series_create")).content.decode()
    assert "機関B" in page and "機関C" not in page  # participants come from the region
    response = client.post(
        reverse("workshops:series_create"),
        {"title": "伊丹市ワークショップ", "participants": [world.agency_b.pk], "facilitator_notes": "4テーブル"},
    )
    series = WorkshopSeries.objects.get()
    assert response["Location"] == reverse("workshops:series_detail", args=[series.uuid])
    assert (series.organiser, series.region) == (world.agency_a, world.region_x)
    assert list(series.participants.all()) == [world.agency_b]
    assert LogicModel.objects.get(series=series).title.startswith("伊丹市")
    assert AuditEntry.objects.filter(action="workshop.create").exists()


def test_another_regions_agency_cannot_be_a_participant(world, login):
    response = login(world.coordinator_a).post(
        reverse("workshops:series_create"), {"title": "x", "participants": [world.agency_c.pk]}
    )
    assert response.status_code == 200 and "正しく選択してください" in response.content.decode()
    assert not WorkshopSeries.objects.exists()


def test_a_title_is_required(world, login):
    response = login(world.coordinator_a).post(reverse("workshops:series_create"), {"title": ""})
    assert "この項目は必須です。" in response.content.decode()
    assert not WorkshopSeries.objects.exists()


def test_sessions_default_to_the_report_themes(world, ws, login):
    client = login(world.coordinator_a)
    page = client.get(reverse("workshops:session_create", args=[ws.series.uuid]))
    assert page.context["form"].initial["number"] == 2
    assert page.context["form"].initial["themes"] == [
        "priorities",
        "outcomes_clients",
        "outcomes_agencies",
        "outcomes_community",
    ]
    response = client.post(
        reverse("workshops:session_create", args=[ws.series.uuid]),
        {"number": 2, "themes": ["priorities", "outcomes_clients"], "duration_minutes": 150, "place": "公民館"},
    )
    session = WorkshopSession.objects.get(number=2)
    assert response["Location"] == reverse("workshops:session_detail", args=[session.uuid])
    assert session.themes == ["priorities", "outcomes_clients"] and not session.is_open


def test_a_session_needs_a_theme_and_a_free_number(world, ws, login):
    client = login(world.coordinator_a)
    url = reverse("workshops:session_create", args=[ws.series.uuid])
    response = client.post(url, {"number": 2, "duration_minutes": 150})
    assert response.context["form"].errors["themes"] == ["テーマを1つ以上選んでください。"]  # said once
    response = client.post(url, {"number": 1, "themes": ["needs"], "duration_minutes": 150})
    assert response.status_code == 200 and "この番号の回はすでにあります。" in response.content.decode()
    assert WorkshopSession.objects.count() == 1


def test_closing_a_session_for_cards(world, ws, login):
    client = login(world.coordinator_a)
    response = client.post(
        reverse("workshops:session_edit", args=[ws.session.uuid]),
        {"number": 1, "themes": ["needs", "initiatives"], "duration_minutes": 120},
    )
    assert response.status_code == 302
    ws.session.refresh_from_db()
    assert not ws.session.is_open and ws.session.duration_minutes == 120


def test_the_board_shows_cards_per_theme_and_controls_by_role(world, ws, login):
    manager = login(world.coordinator_a).get(reverse("workshops:session_detail", args=[ws.session.uuid]))
    body = manager.content.decode()
    assert "長くひきこもっている人" in body and "ニーズ" in body and "取り組み" in body
    assert 'id="merge-form"' in body and "1票追加" in body and 'id="capture"' in body
    reader = login(world.counselor_a).get(reverse("workshops:session_detail", args=[ws.session.uuid]))
    body = reader.content.decode()
    assert "長くひきこもっている人" in body
    assert 'id="merge-form"' not in body and "1票追加" not in body and 'id="capture"' not in body


def test_the_list_shows_own_and_participating_series(world, ws, login):
    assert ws.series.title in login(ws.coordinator_b).get(reverse("workshops:series_list")).content.decode()
    assert ws.series.title not in login(world.counselor_b).get(reverse("workshops:series_list")).content.decode()
    assert ws.series.title not in login(ws.coordinator_c).get(reverse("workshops:series_list")).content.decode()
