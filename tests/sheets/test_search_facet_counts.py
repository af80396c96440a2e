"""Facet counts (issue 20 item 3): each facet value shows how many results the search has once
it is chosen, among what this user may see — checked for every value of every facet, for two
personas, from an empty search and from one with a keyword and chosen values — in one query."""

import datetime

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from registry.models import Industry
from sheets.programs.models import Program, ProgramStatus, SharingScope
from sheets.search.filters import ProgramSearch
from tests.factories import EmployerFactory, RegionFactory
from tests.sheets.factories import TaskBreakdownFactory, TaskRowFactory
from tests.sheets.search_factories import SearchableProgramFactory

URL = reverse("program_list")


@pytest.fixture
def programs(world):
    """A mix over every facet: statuses, scopes, regions, industries, days, hours, places…"""
    other_region = RegionFactory(prefecture=world.region_x.prefecture, name="川西市")
    employers = [
        world.employer_a,
        EmployerFactory(owner=world.agency_a, region=other_region, industry=Industry.A, name="川西農園"),
        EmployerFactory(owner=world.agency_b, region=world.region_x, industry=Industry.M, name="B食堂"),
        world.employer_c,
    ]
    today = timezone.localdate()
    statuses = [ProgramStatus.PUBLISHED] * 5 + [ProgramStatus.DRAFT, ProgramStatus.ARCHIVED, ProgramStatus.IN_REVIEW]
    scopes = [SharingScope.REGION, SharingScope.PREFECTURE, SharingScope.OWN_AGENCY]
    days = [["mon"], ["tue", "thu"], ["mon", "wed", "fri"], ["sat"], []]
    accommodations = [["extra_breaks"], ["short_hours", "extra_breaks"], [], ["written_steps"]]
    made = []
    for i in range(24):
        employer = employers[i % len(employers)]
        row = TaskRowFactory(
            breakdown=TaskBreakdownFactory(employer=employer),
            place=["indoor", "outdoor", "indoor_ac"][i % 3],
            task=["部品の袋詰め", "ねぎの出荷調整", "事務所の清掃"][i % 3],
        )
        made.append(
            SearchableProgramFactory(
                employer=employer,
                title=f"体験{i}",
                rows=[row],
                status=statuses[i % len(statuses)],
                sharing_scope=scopes[i % len(scopes)],
                engagement_type=["visit", "experience", "part_time", "flexible"][i % 4],
                is_paid=i % 2 == 0,
                supporter_may_accompany=i % 3 == 0,
                days=days[i % len(days)],
                start_time=datetime.time(8 + i % 6),
                end_time=datetime.time(10 + i % 6 + i % 5),
                accommodations=accommodations[i % len(accommodations)],
                demands={"stamina": i % 4, "dexterity": (i + 1) % 4, "people": (i + 2) % 4},
                last_verified_on=None if i % 5 == 0 else today - datetime.timedelta(days=40 * (i % 7)),
            )
        )
    return made


def results(client, params: dict) -> tuple[int, dict]:
    response = client.get(URL, params)
    assert response.status_code == 200
    form = response.context["filter"].form
    counts = {name: getattr(field, "facet_counts", None) for name, field in form.fields.items()}
    return response.context["page"].paginator.count, counts


def result_count(user, params: dict) -> int:
    """The number of results of the search page's search (the same FilterSet and door)."""
    request = type("Request", (), {"user": user})()
    query = QueryDict(mutable=True)
    for key, value in params.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    return ProgramSearch(query, queryset=Program.objects.for_user(user), request=request).qs.count()


def chosen_with(params: dict, name: str, value: str) -> dict:
    """The search once `value` of facet `name` is chosen, as the page's form would send it."""
    following = dict(params)
    if name in ProgramSearch.MULTIPLE_ANY or name in ProgramSearch.MULTIPLE_ALL:
        current = list(params.get(name, []))
        following[name] = current if value in current else [*current, value]
    else:
        following[name] = value
    return following


@pytest.mark.parametrize("persona", ["coordinator_a", "counselor_b"])
@pytest.mark.parametrize("start", [{}, {"q": "ふくろづめ", "days": ["mon"], "paid": "yes"}])
def test_every_facet_count_is_the_number_of_results_once_chosen(world, login, programs, persona, start):
    user = getattr(world, persona)
    client = login(user)
    _total, counts = results(client, start)  # as the page shows them
    checked = 0
    for name in ProgramSearch.FACETS_COUNTED:
        assert counts[name] is not None, name
        for value, shown in counts[name].items():
            total = result_count(user, chosen_with(start, name, value))  # as the page would list them
            assert shown == total, (persona, name, value, shown, total)
            checked += 1
    assert checked > 40
    # And a few through the page itself.
    for name, value in (("days", "tue"), ("status", "all"), ("region", next(iter(counts["region"])))):
        assert results(client, chosen_with(start, name, value))[0] == counts[name][value]


def test_facet_counts_take_one_query(world, login, programs):
    request = type("Request", (), {"user": world.coordinator_a})()
    search = ProgramSearch(
        {"q": "袋詰め", "days": ["mon"]}, queryset=Program.objects.for_user(world.coordinator_a), request=request
    )
    search.form.is_valid()
    with CaptureQueriesContext(connection) as captured:
        counts = search.facet_counts()
    assert len(captured.captured_queries) == 1
    assert sum(counts["engagement_type"].values()) >= 1


def test_counts_are_shown_next_to_each_value(world, login, programs):
    html = login(world.counselor_b).get(URL).content.decode()
    assert "月（" in html and "件）" in html
    assert "公開中（既定）（" in html  # the status facet's default counts too


def test_an_htmx_update_refreshes_the_facets_out_of_band(world, login, programs):
    fragment = login(world.counselor_b).get(URL, {"q": "清掃"}, headers={"HX-Request": "true"}).content.decode()
    assert '<div id="div_id_days" class="mb-3" hx-swap-oob="true">' in fragment


def test_counts_are_kept_for_the_same_search_and_renewed_when_a_program_changes(world, login, programs):
    client = login(world.counselor_b)
    _total, counts = results(client, {"q": "清掃"})
    with CaptureQueriesContext(connection) as captured:
        assert results(client, {"q": "清掃", "sort": "newest"})[1] == counts  # another order: same counts
    assert not any("facet_" in query["sql"] for query in captured.captured_queries)
    SearchableProgramFactory(
        employer=world.employer_a,
        title="新しい清掃",
        status=ProgramStatus.PUBLISHED,
        sharing_scope=SharingScope.REGION,
        days=["sun"],
    )
    _total, renewed = results(client, {"q": "清掃"})
    assert (
        renewed["days"]["sun"]
        == counts["days"]["sun"] + 1
        == result_count(world.counselor_b, {"q": "清掃", "days": ["sun"]})
    )


@pytest.mark.django_db
def test_a_platform_admin_searching_a_registry_of_1700_municipalities_gets_each_ones_count(world, client):
    # Japan has about 1,700 municipalities and a platform admin sees programs in all of them:
    # one column per region value went past PostgreSQL's 1,664 columns and the page failed.
    from registry.models import Employer, Region
    from sheets.programs.search_fields import search_values
    from tests.factories import PrefectureFactory
    from tests.sheets.factories import ProgramFactory

    regions = Region.objects.bulk_create(
        RegionFactory.build(prefecture=PrefectureFactory(code=code), code=f"{code}{n:03d}0", name=f"市{code}-{n}")
        for code in ("01", "02")
        for n in range(850)
    )
    employers = Employer.objects.bulk_create(
        EmployerFactory.build(owner=world.agency_a, region=r, name=f"事業所{n}") for n, r in enumerate(regions)
    )
    programs = [
        ProgramFactory.build(employer=employer, owner=world.agency_a, status=ProgramStatus.PUBLISHED)
        for employer in [employers[0], *employers]  # two in the first municipality
    ]
    for program in programs:
        for name, value in search_values(program, rows=[]).items():
            setattr(program, name, value)
    Program.objects.bulk_create(programs)
    client.force_login(world.platform_admin)

    response = client.get(URL)

    assert response.status_code == 200
    counts = response.context["filter"].form.fields["region"].facet_counts
    assert len(counts) >= 1700
    assert counts[str(regions[0].uuid)] == 2
    assert all(counts[str(region.uuid)] == 1 for region in regions[1:])
