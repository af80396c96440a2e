"""Parts of pages that htmx replaces are not live regions themselves: one short status line that
stays on the page says what changed (static/js/live-status.js copies the swapped part's
data-status into it). A live region swapped in with the content is often not read at all, and the
whole result list as a live region was read out (some 2,900 characters) on every filter change."""

import re

from django.urls import reverse

from sheets.programs.models import ProgramStatus, SharingScope
from tests.sheets.factories import ProgramFactory


def _results_container(html: str) -> str:
    return re.search(r'<div id="results"[^>]*>', html).group(0)


def test_the_program_search_says_how_many_in_one_status_line(world, login):
    for title in ("ねぎの出荷調整体験", "部品の袋詰め見学"):
        ProgramFactory(
            employer=world.employer_a, title=title, status=ProgramStatus.PUBLISHED, sharing_scope=SharingScope.REGION
        )
    client = login(world.counselor_b)
    html = client.get(reverse("program_list")).content.decode()
    assert "aria-live" not in _results_container(html)
    assert '<p class="visually-hidden" role="status" data-status-of="#results"></p>' in html
    assert html.count('role="status"') == 2  # that line and the "Searching…" indicator, none in the results
    partial = client.get(reverse("program_list") + "?sort=title", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-status="2件見つかりました"' in partial
    assert "aria-live" not in partial and 'role="status"' not in partial
    empty = client.get(reverse("program_list") + "?q=存在しない言葉", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-status="この条件に一致するプログラムはありません。"' in empty


def test_the_employer_list_says_how_many_in_one_status_line(world, login):
    client = login(world.coordinator_a)
    html = client.get(reverse("employer_list")).content.decode()
    assert "aria-live" not in _results_container(html)
    assert 'role="status" data-status-of="#results"' in html
    partial = client.get(reverse("employer_list"), HTTP_HX_REQUEST="true").content.decode()
    assert re.search(r'data-status="\d+件見つかりました"', partial)
    assert "aria-live" not in partial
