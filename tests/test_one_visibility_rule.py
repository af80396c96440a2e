"""One rule for "published and shared with this agency" (issue 17 item 3): the program search,
its CSV export, the JSON API, the HSDS API and the workshops' region figure all start from
`Program.objects.published_for(...)`, so for every persona they return the same programs —
including the case where they once disagreed (an own-agency program of an archived employer)."""

import csv
import io

import pytest
from django.urls import reverse

from registry.models import acting_membership
from sheets.programs.models import Program, ProgramStatus, SharingScope
from tests.api.factories import bearer, published, token_for
from tests.factories import EmployerFactory
from tests.sheets.search_factories import SearchableProgramFactory

PERSONAS = ["coordinator_a", "counselor_a", "counselor_b", "counselor_c"]


@pytest.fixture
def shared(world):
    employer_b = EmployerFactory(owner=world.agency_b, name="びー農園")
    published(world.employer_a, scope=SharingScope.OWN_AGENCY, title="自機関だけ")
    published(world.employer_a, title="地域で共有")
    published(world.employer_a, scope=SharingScope.PREFECTURE, title="県で共有")
    published(world.employer_a_archived, scope=SharingScope.OWN_AGENCY, title="閉じた事業所の自機関だけ")
    published(world.employer_a_archived, title="閉じた事業所の地域共有")
    SearchableProgramFactory(employer=world.employer_a, title="下書き")
    archived = published(world.employer_a, title="終了した")
    Program.objects.filter(pk=archived.pk).update(status=ProgramStatus.ARCHIVED)
    published(employer_b, title="びーの地域共有")
    published(employer_b, scope=SharingScope.OWN_AGENCY, title="びーの自機関だけ")
    published(world.employer_c, title="玖珠の地域共有")
    return world


def _search(client) -> set[str]:
    page = client.get(reverse("program_list"), {"per_page": 100}).context["page"]
    assert page.paginator.num_pages == 1
    return {program.title for program in page.object_list}


def _export(client) -> set[str]:
    response = client.get(reverse("program_export", args=["csv"]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    return {row["プログラム名"] for row in rows}


def _api(client, secret) -> set[str]:
    body = client.get("/api/v1/programs/", headers=bearer(secret)).json()
    return {item["title"] for item in body["results"]}


def _hsds(client, secret) -> set[str]:
    body = client.get("/api/hsds/services", {"per_page": 100}, headers=bearer(secret)).json()
    return {service["name"] for service in body["contents"]}


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_surface_shows_the_same_published_programs(shared, login, persona):
    user = getattr(shared, persona)
    client = login(user)
    agency = acting_membership(user).agency
    expected = set(Program.objects.published_for(agency).values_list("title", flat=True))
    assert expected, persona
    assert "下書き" not in expected and "終了した" not in expected
    assert _search(client) == expected, persona
    assert _export(client) == expected, persona
    secret = token_for(agency, shared.agency_admin_a)
    assert _api(client, secret) == expected, persona
    assert _hsds(client, secret) == expected, persona


def test_programs_of_an_archived_employer_are_on_no_surface(shared):
    everywhere = set(Program.objects.published_for(shared.agency_a).values_list("title", flat=True))
    assert not {"閉じた事業所の自機関だけ", "閉じた事業所の地域共有"} & everywhere


def test_the_region_figure_counts_what_the_region_may_see(shared):
    """Region X sees its agencies' region and prefecture programs, never an agency's own-only
    ones, drafts, archived programs or those of archived employers."""
    in_region = set(Program.objects.published_for(shared.region_x).values_list("title", flat=True))
    assert in_region == {"地域で共有", "県で共有", "びーの地域共有"}
