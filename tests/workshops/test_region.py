"""Region progress (the four steps) and the platform design (mechanisms, table and diagram)."""

from django.urls import reverse

from registry.models import AuditEntry
from workshops.models import Mechanism, RegionStep
from workshops.selectors import platform_diagram


def progress_url(region):
    return reverse("workshops:region_progress", args=[region.uuid])


def test_the_four_steps_are_shown_in_order_even_before_any_is_saved(world, login):
    response = login(world.counselor_b).get(progress_url(world.region_x))
    body = response.content.decode()
    positions = [
        body.index(s)
        for s in (
            "運営チームの立ち上げ",
            "ワークショップの企画・実施",
            "必要な仕組みの検討",
            "地域プラットフォームのデザイン",
        )
    ]
    assert positions == sorted(positions)
    assert body.count("未着手") == 4


def test_a_coordinator_updates_a_step(world, login):
    client = login(world.coordinator_a)
    url = reverse("workshops:step_edit", args=[world.region_x.uuid, "team"])
    response = client.post(url, {"status": "done", "started_on": "2026-04-01", "notes": "月1回の定例会"})
    assert response.status_code == 200 and "完了日を入力してください。" in response.content.decode()
    assert not RegionStep.objects.exists()
    response = client.post(url, {"status": "done", "started_on": "2026-04-01", "completed_on": "2026-03-01"})
    assert "完了日が開始日より前になっています。" in response.content.decode()
    response = client.post(url, {"status": "done", "started_on": "2026-04-01", "completed_on": "2026-05-01"})
    assert response.status_code == 302
    step = RegionStep.objects.get()
    assert (step.status, str(step.completed_on)) == ("done", "2026-05-01")
    assert AuditEntry.objects.filter(action="workshop.region.step", agency=world.agency_a).exists()
    assert "完了" in login(world.counselor_b).get(progress_url(world.region_x)).content.decode()


def test_mechanisms_need_an_agency_of_the_region_and_custom_ones_a_name(world, login):
    client = login(world.coordinator_a)
    url = reverse("workshops:mechanism_create", args=[world.region_x.uuid])
    response = client.post(url, {"kind": "custom", "agency": world.agency_b.pk})
    assert "仕組みの名称を入力してください。" in response.content.decode()
    response = client.post(url, {"kind": "transport", "agency": world.agency_c.pk})
    assert "正しく選択してください" in response.content.decode()
    assert not Mechanism.objects.exists()
    response = client.post(url, {"kind": "transport", "agency": world.agency_b.pk, "description": "乗り合い送迎"})
    assert response.status_code == 302
    mechanism = Mechanism.objects.get()
    assert (mechanism.name, mechanism.agency, mechanism.position) == ("通勤・移動の支援", world.agency_b, 1)


def test_the_platform_is_shown_as_a_table_and_a_diagram(world, login):
    Mechanism.objects.create(region=world.region_x, kind="shigoto_info", agency=world.agency_a, position=1)
    Mechanism.objects.create(
        region=world.region_x, kind="custom", custom_name="内職作業場の運営", agency=world.agency_b, position=2
    )
    body = login(world.counselor_a).get(progress_url(world.region_x)).content.decode()
    assert "<table" in body and 'role="img"' in body
    assert body.count("内職作業場の運営") == 2  # in the table and in the diagram
    diagram = platform_diagram(world.region_x)
    assert len(diagram["nodes"]) == 2
    for node in diagram["nodes"]:
        assert node.x >= 0 and node.x + diagram["node_w"] <= diagram["width"]
        assert node.y >= 0 and node.y + diagram["node_h"] <= diagram["height"]


def test_a_mechanism_is_edited_and_removed(world, login):
    mechanism = Mechanism.objects.create(region=world.region_x, kind="case_work", agency=world.agency_a)
    client = login(world.coordinator_a)
    url = reverse("workshops:mechanism_edit", args=[mechanism.uuid])
    assert (
        client.post(url, {"kind": "case_work", "agency": world.agency_b.pk, "description": "体験"}).status_code == 302
    )
    mechanism.refresh_from_db()
    assert mechanism.agency == world.agency_b
    client.post(reverse("workshops:mechanism_delete", args=[mechanism.uuid]))
    assert not Mechanism.objects.exists()


def test_other_regions_are_private(world, login):
    assert login(world.counselor_c).get(progress_url(world.region_x)).status_code == 404
    assert login(world.counselor_c).get(progress_url(world.region_y)).status_code == 200
