"""The 印刷リスト (kept per person and agency) and the binder PDF."""

import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from registry.models import Membership, Role
from sheets.programs.models import ProgramStatus, SharingScope
from tests.factories import MembershipFactory
from tests.sheets.factories import ProgramFactory
from tests.sheets.test_print import compact, text_of


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


@pytest.fixture
def published(world):
    return [
        ProgramFactory(
            employer=world.employer_a,
            title=title,
            status=ProgramStatus.PUBLISHED,
            sharing_scope=SharingScope.REGION,
        )
        for title in ("ねぎの出荷調整体験", "部品の袋詰め見学")
    ]


def toggle(client, program, **headers):
    return client.post(reverse("print_list_toggle", args=[program.uuid]), **headers)


def test_toggle_adds_and_removes_with_full_page_fallback(login, world, published):
    client = login(world.counselor_b)
    response = toggle(client, published[0])
    assert response.status_code == 302 and response["Location"] == reverse("print_list")
    page = client.get(reverse("print_list")).content.decode()
    assert "ねぎの出荷調整体験" in page and "部品の袋詰め見学" not in page
    toggle(client, published[0])
    assert "ねぎの出荷調整体験" not in client.get(reverse("print_list")).content.decode()


def test_the_list_survives_logging_out_and_another_browser(login, world, published):
    """Kept per user, not per session (issue 21 item 18)."""
    client = login(world.counselor_b)
    toggle(client, published[1])
    toggle(client, published[0])
    client.post(reverse("logout"))
    other_browser = Client()
    other_browser.force_login(world.counselor_b)
    page = other_browser.get(reverse("print_list")).content.decode()
    assert page.index("部品の袋詰め見学") < page.index("ねぎの出荷調整体験")  # in the order they were added
    # Someone else of the same agency has a list of their own.
    colleague = Client()
    colleague.force_login(MembershipFactory(agency=world.agency_b, role=Role.COUNSELOR).user)
    assert "ねぎの出荷調整体験" not in colleague.get(reverse("print_list")).content.decode()


def test_a_list_is_kept_per_agency_acted_for(world, published):
    user = world.counselor_b
    Membership.objects.create(user=user, agency=world.agency_a, role=Role.COUNSELOR)
    http = Client()
    http.force_login(user)
    http.post(reverse("agency_switch"), {"agency": world.agency_b.uuid})
    toggle(http, published[0])
    http.post(reverse("agency_switch"), {"agency": world.agency_a.uuid})
    assert "ねぎの出荷調整体験" not in http.get(reverse("print_list")).content.decode()


def test_a_search_page_reads_the_list_once(login, world, published):
    client = login(world.counselor_b)
    toggle(client, published[0])
    client.get(reverse("program_list"))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("program_list"))
    assert sum("sheets_savedprintlist" in q["sql"] for q in queries.captured_queries) == 1


def test_htmx_toggle_returns_the_button(login, world, published):
    response = toggle(login(world.counselor_b), published[0], HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    # One pattern: the words say the state and the program; no aria-pressed besides (a screen reader
    # said 「印刷リストから外す, 押されている」).
    assert 'aria-label="「ねぎの出荷調整体験」を印刷リストから外す"' in html and "aria-pressed" not in html
    # The new button takes the keyboard back (the pressed one is gone with the swap).
    assert "data-focus-here" in html


def test_htmx_toggle_keeps_the_page_it_is_on(login, world, published):
    """The swapped-in form sends the next press's full-page fallback back to the search, not to the
    toggle URL (the swap's own request)."""
    client = login(world.counselor_b)
    search = reverse("program_list") + "?q=%E3%81%AD%E3%81%8E"
    response = client.post(
        reverse("print_list_toggle", args=[published[0].uuid]), {"next": search}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert f'name="next" value="{search}"' in html
    assert reverse("print_list_toggle", args=[published[0].uuid]) + '"' not in html.split('name="next"')[1][:200]


def test_the_result_buttons_name_their_program(login, world, published):
    html = login(world.counselor_b).get(reverse("program_list")).content.decode()
    assert 'aria-label="「ねぎの出荷調整体験」を印刷リストに追加"' in html
    assert 'aria-label="「部品の袋詰め見学」を印刷リストに追加"' in html
    assert "data-focus-here" not in html  # only after a swap


def test_toggle_next_must_be_local(login, world, published):
    client = login(world.counselor_b)
    response = client.post(reverse("print_list_toggle", args=[published[0].uuid]), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("print_list")


def test_binder_has_a_cover_and_each_chosen_sheet(login, world, published):
    client = login(world.counselor_b)
    for program in published:
        toggle(client, program)
    first, second = published
    response = client.post(
        reverse("print_list"),
        {f"kinds_{first.uuid}": ["client", "supporter"], f"kinds_{second.uuid}": ["employer"], "download": "1"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("binder_pdf")
    binder = client.get(reverse("binder_pdf"))
    assert binder.status_code == 200
    reader = PdfReader(io.BytesIO(binder.content))
    pages = [compact(page.extract_text()) for page in reader.pages]
    assert "印刷バインダー" in pages[0]
    assert "ねぎの出荷調整体験" in pages[0] and "部品の袋詰め見学" in pages[0]
    # ② and ③ of the first program, then ① of the second (the cover names its first page).
    assert "相談者向け" in pages[1] and "ねぎの出荷調整体験" in pages[1]
    assert any("支援員向け" in page for page in pages[2:-1])
    # Each sheet keeps its own head, revision and page x/y.
    assert "①事業所紹介シート" in pages[-1] and "時点の情報" in pages[-1] and pages[-1].endswith("1/1")
    assert f"部品の袋詰め見学（体験）1①{len(pages)}" in pages[0]


def test_binder_skips_programs_the_user_can_no_longer_see(login, world, published):
    client = login(world.counselor_b)
    toggle(client, published[0])
    toggle(client, published[1])
    published[1].status = ProgramStatus.DRAFT  # withdrawn since it was ticked
    published[1].save()
    text = compact(text_of(client.get(reverse("binder_pdf")).content))
    assert "ねぎの出荷調整体験" in text and "部品の袋詰め見学" not in text


def test_empty_binder_redirects_with_a_message(login, world):
    response = login(world.counselor_a).get(reverse("binder_pdf"), follow=True)
    assert "印刷リストが空です" in response.content.decode()


def test_cannot_add_another_agencys_draft(login, world):
    draft = ProgramFactory(employer=world.employer_a)
    assert toggle(login(world.counselor_b), draft).status_code == 404
