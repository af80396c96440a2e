"""The bench's probes (bench/probes.py) take a page's template away and nothing else: the access
door still answers 404, and the querysets the template would show are still read."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.probes import access_check_only, without_page_templates
from sheets.programs.models import ProgramStatus, SharingScope
from tests.sheets.factories import ProgramFactory


def _published(world):
    return ProgramFactory(
        employer=world.employer_a,
        title="公開中の袋詰め体験",
        status=ProgramStatus.PUBLISHED,
        sharing_scope=SharingScope.REGION,
    )


def test_without_templates_the_page_is_the_bare_base_template_until_the_probe_ends(world, login):
    url = reverse("program_detail", args=[_published(world).uuid])
    client = login(world.counselor_b)
    with without_page_templates():
        bare = client.get(url)
    assert bare.status_code == 200
    assert "sheets/program_detail.html" not in {t.name for t in bare.templates}
    assert bare.templates[0].name == "base.html"
    assert "公開中の袋詰め体験" not in bare.content.decode()
    assert "公開中の袋詰め体験" in client.get(url).content.decode()


def test_the_access_check_alone_still_hides_another_prefectures_program(world, login):
    url = reverse("program_detail", args=[_published(world).uuid])
    with access_check_only():
        assert login(world.counselor_b).get(url).status_code == 200
        assert login(world.counselor_c).get(url).status_code == 404


def test_without_templates_the_querysets_the_page_shows_are_still_read(world, login):
    client = login(world.counselor_a)
    with without_page_templates(), CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("dashboard")).status_code == 200
    # The dashboard's newest employers are a lazy queryset its template would have read.
    assert any('ORDER BY "registry_employer"."created_at" DESC' in q["sql"] for q in queries.captured_queries)
