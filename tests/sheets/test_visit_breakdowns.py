"""A visit of the employer's visit log and the task breakdown sheet made from it are linked:
the sheet starts from the visit's date and visitors, and each page links to the other."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from registry.models import EmployerVisit, Role
from sheets.breakdowns import services
from sheets.breakdowns.models import TaskBreakdown
from tests.factories import MembershipFactory


@pytest.fixture
def coordinator(world, login):
    return login(world.coordinator_a)


@pytest.fixture
def visit(world):
    return EmployerVisit.objects.create(
        employer=world.employer_a, visited_on=datetime.date(2026, 11, 20), visitors="伊藤・森（自立相談）"
    )


def create_url(employer, visit=None):
    url = reverse("breakdown_create", args=[employer.uuid])
    return f"{url}?visit={visit.uuid}" if visit else url


def test_the_form_starts_from_the_visit(world, coordinator, visit):
    page = coordinator.get(create_url(world.employer_a, visit)).content.decode()
    assert 'value="2026-11-20"' in page
    assert 'value="伊藤・森（自立相談）"' in page


def test_the_sheet_made_from_a_visit_is_linked_to_it(world, coordinator, visit):
    response = coordinator.post(
        create_url(world.employer_a, visit),
        {"visited_on": "2026-11-20", "visitors": "伊藤・森（自立相談）", "interviewee": "田中工場長"},
    )
    sheet = TaskBreakdown.objects.get()
    assert response.status_code == 302
    assert sheet.visit == visit
    page = coordinator.get(response.url).content.decode()
    assert "訪問記録" in page and "伊藤・森（自立相談）" in page
    assert f"#visit-{visit.uuid}" in page


def test_another_agencys_visit_is_ignored(world, login, visit):
    """A coordinator of agency C names A's visit on C's own employer: the form starts empty,
    shows nothing of the visit, and the sheet is not linked to it."""
    coordinator_c = MembershipFactory(agency=world.agency_c, role=Role.COORDINATOR).user
    client = login(coordinator_c)
    url = create_url(world.employer_c, visit)
    page = client.get(url).content.decode()
    assert "伊藤・森" not in page and "2026-11-20" not in page
    client.post(url, {"visited_on": "2026-12-01", "visitors": "川村"})
    assert TaskBreakdown.objects.get().visit is None


def test_a_visit_to_another_employer_is_ignored(world, coordinator, visit):
    page = coordinator.get(create_url(world.employer_a_archived, visit))
    assert page.status_code == 403  # archived: no new sheets at all
    other = EmployerVisit.objects.create(employer=world.employer_a_archived, visited_on=visit.visited_on, visitors="別")
    page = coordinator.get(create_url(world.employer_a, other)).content.decode()
    assert 'value="別"' not in page


def test_a_malformed_visit_id_is_ignored(world, coordinator):
    assert coordinator.get(reverse("breakdown_create", args=[world.employer_a.uuid]) + "?visit=x").status_code == 200


def test_the_visit_log_offers_the_sheet_then_links_to_it(world, coordinator, visit):
    employer_page = reverse("employer_detail", args=[world.employer_a.uuid])
    page = coordinator.get(employer_page).content.decode()
    assert "この訪問から洗い出しシートを作成" in page
    assert f"?visit={visit.uuid}" in page
    sheet = TaskBreakdown.objects.create(
        employer=world.employer_a, visit=visit, visited_on=visit.visited_on, visitors=visit.visitors
    )
    page = coordinator.get(employer_page).content.decode()
    assert reverse("breakdown_detail", args=[world.employer_a.uuid, sheet.uuid]) in page
    assert f"?visit={visit.uuid}" not in page


def test_colleagues_see_the_sheet_but_are_not_offered_to_make_one(world, login, visit):
    client = login(world.counselor_a)
    page = client.get(reverse("employer_detail", args=[world.employer_a.uuid])).content.decode()
    assert f"?visit={visit.uuid}" not in page


def test_recording_a_visit_offers_the_next_step(world, coordinator):
    response = coordinator.post(
        reverse("visit_create", args=[world.employer_a.uuid]),
        {"visited_on": "2026-11-25", "visitors": "伊藤"},
        follow=True,
    )
    visit = EmployerVisit.objects.get()
    messages = [str(m) for m in response.context["messages"]]
    assert any(f"?visit={visit.uuid}" in m and "この訪問から洗い出しシートを作成" in m for m in messages)


def test_the_service_refuses_a_visit_to_another_employer(world, visit):
    with pytest.raises(ValidationError):
        services.breakdown_create(
            employer=world.employer_a_archived,
            by=world.coordinator_a,
            visit=visit,
            visited_on=visit.visited_on,
            visitors=visit.visitors,
        )
    assert not TaskBreakdown.objects.exists()
