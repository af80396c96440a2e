"""registry/sql.py: the visibility rules' SQL form and the search's planning."""

import pytest
from django.db import connection

from registry.models import Agency
from registry.sql import among, planned_for_their_values
from sheets.programs.models import Program
from tests.factories import AgencyFactory, RegionFactory


@pytest.mark.django_db
def test_among_selects_the_rows_whose_column_is_one_of_the_ids():
    region = RegionFactory()
    inside = [AgencyFactory(region=region), AgencyFactory(region=region)]
    AgencyFactory()  # another region
    found = Agency.objects.filter(among("id", Agency.objects.filter(region=region)))
    assert sorted(a.pk for a in found) == sorted(a.pk for a in inside)
    sql = str(found.query)
    assert ("= ANY(ARRAY" in sql) == (connection.vendor == "postgresql")


def _plan_cache_mode() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        return cursor.fetchone()[0]


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_queries_in_the_block_are_planned_for_their_values_and_the_setting_ends_with_it():
    before = _plan_cache_mode()
    with planned_for_their_values(Agency):
        assert _plan_cache_mode() == "force_custom_plan"
    assert _plan_cache_mode() == before
    with pytest.raises(ZeroDivisionError), planned_for_their_values(Agency):
        1 / 0  # noqa: B018 (a failing page)
    assert _plan_cache_mode() == before


@pytest.mark.django_db
def test_search_page_runs_in_the_block(client, world, monkeypatch):
    entered = []
    import sheets.search.views as views

    real = views.planned_for_their_values

    def spy(model):
        entered.append(model)
        return real(model)

    monkeypatch.setattr(views, "planned_for_their_values", spy)
    client.force_login(world.counselor_a)
    assert client.get("/programs/?q=袋詰め").status_code == 200
    assert entered == [Program]
