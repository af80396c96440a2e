"""The facet choices are kept in the cache per visibility scope (sheets/search_facets.py): read
once, read again after any change to what they name, and never served to another scope."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry.models import Industry
from registry.services import employer_update
from sheets.programs.models import ProgramStatus, SharingScope
from tests.factories import EmployerFactory, RegionFactory
from tests.sheets.search_factories import SearchableProgramFactory

URL = reverse("program_list")


def region_choices(client) -> list[str]:
    form = client.get(URL).context["filter"].form
    return sorted(label for value, label in form.fields["region"].choices if value)


def facet_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get(URL)
    return sum("DISTINCT" in q["sql"] and "industry" in q["sql"] for q in queries.captured_queries)


def test_the_choices_are_read_once_then_kept(world, login):
    client = login(world.counselor_a)
    SearchableProgramFactory(employer=world.employer_a, title="袋詰め")
    assert facet_queries(client) == 1
    assert facet_queries(client) == 0


def test_a_new_program_in_a_new_region_is_offered_at_once(world, login):
    client = login(world.counselor_a)
    SearchableProgramFactory(employer=world.employer_a, title="袋詰め")
    assert region_choices(client) == ["伊丹市"]
    farm = EmployerFactory(
        owner=world.agency_a, region=RegionFactory(prefecture=world.region_x.prefecture, name="川西市")
    )
    SearchableProgramFactory(employer=farm, title="収穫")
    assert region_choices(client) == ["伊丹市", "川西市"]


def test_an_employer_moving_industry_changes_the_choices(world, login):
    client = login(world.counselor_a)
    SearchableProgramFactory(employer=world.employer_a, title="袋詰め")
    client.get(URL)
    employer_update(
        employer=world.employer_a, by=world.coordinator_a, version=world.employer_a.version, industry=Industry.A
    )
    form = client.get(URL).context["filter"].form
    assert [v for v, _ in form.fields["industry"].choices if v] == ["A"]


def test_one_agencys_kept_choices_never_reach_another(world, login):
    secret = EmployerFactory(
        owner=world.agency_a, region=RegionFactory(prefecture=world.region_x.prefecture, name="秘密市")
    )
    SearchableProgramFactory(employer=secret, title="下書き", status=ProgramStatus.DRAFT)
    SearchableProgramFactory(
        employer=world.employer_a, title="公開", status=ProgramStatus.PUBLISHED, sharing_scope=SharingScope.REGION
    )
    assert "秘密市" in region_choices(login(world.counselor_a))  # agency A's own draft: kept for A
    assert region_choices(login(world.counselor_b)) == ["伊丹市"]


def test_the_scope_is_the_acting_agency_or_the_platform(world):
    from sheets.programs.access import visibility_scope

    assert visibility_scope(world.counselor_a) == f"agency:{world.agency_a.pk}"
    assert visibility_scope(world.counselor_b) == f"agency:{world.agency_b.pk}"
    assert visibility_scope(world.counselor_a) == visibility_scope(world.coordinator_a)
    assert visibility_scope(world.platform_admin) == "platform"
