"""Issue 23 items 5 and 6: expensive or absurd search input gets a message (or the last page),
never a 500 and never a worker tied up — on the page, its htmx fragment and its exports."""

import time

import pytest
from django.urls import reverse

from sheets.search.filters import QUERY_MAX_CHARACTERS, QUERY_MAX_WORDS
from tests.attacks import long_query
from tests.sheets.test_search import published, titles

URL = reverse("program_list")
MESSAGE = "キーワードは"


@pytest.fixture
def searcher(login, world):
    published(employer=world.employer_a, title="袋詰めの仕事")
    return login(world.counselor_a)


@pytest.mark.parametrize("words", [300, 350])  # 1,000 words: an address too long, 414 (below)
def test_a_query_of_hundreds_of_words_gets_a_message(searcher, words):
    started = time.monotonic()
    response = searcher.get(URL, {"q": long_query(words)})
    assert response.status_code == 200
    assert time.monotonic() - started < 5
    html = response.content.decode()
    assert MESSAGE in html and "is-invalid" in html
    assert titles(response) == []  # nothing is searched


def test_the_htmx_fragment_says_it_too(searcher):
    response = searcher.get(URL, {"q": long_query(300)}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and MESSAGE in response.content.decode()


def test_too_many_characters_in_one_word(searcher):
    response = searcher.get(URL, {"q": "袋" * (QUERY_MAX_CHARACTERS + 1)})
    assert response.status_code == 200 and MESSAGE in response.content.decode()


def test_queries_within_the_bounds_still_search(searcher):
    assert titles(searcher.get(URL, {"q": "袋詰め " + "袋詰め " * (QUERY_MAX_WORDS - 1)})) == ["袋詰めの仕事"]
    assert titles(searcher.get(URL, {"q": "袋詰め"})) == ["袋詰めの仕事"]


@pytest.mark.parametrize("path", ["/programs/export.csv", "/programs/export.xlsx", "/hsds/datapackage.zip"])
def test_exports_of_an_overlong_query_send_back_to_the_search_with_the_message(searcher, path):
    query = long_query(300)
    response = searcher.get(path, {"q": query})
    assert response.status_code == 302 and response["Location"].startswith(URL)
    page = searcher.get(response["Location"])
    assert page.status_code == 200 and MESSAGE in page.content.decode()


@pytest.mark.parametrize("number", ["99999999999999999999", str(2**63), "9" * 400])
def test_an_absurd_page_number_answers_the_last_page(searcher, number):
    response = searcher.get(URL, {"page": number})
    assert response.status_code == 200
    assert response.context["page"].number == response.context["page"].paginator.num_pages
    assert titles(response) == ["袋詰めの仕事"]


def test_counted_page_clamps_without_asking_the_database_for_an_impossible_offset(world):
    from sheets.programs.models import Program
    from sheets.search.pagination import counted_page

    page = counted_page(Program.objects.order_by("pk"), "99999999999999999999", 20)
    assert page.number == 1 and list(page) == []


@pytest.mark.parametrize("path", ["/employers/", "/clients/"])
def test_other_paged_lists_answer_an_absurd_page_too(login, world, path):
    response = login(world.coordinator_a).get(path, {"page": "99999999999999999999"})
    assert response.status_code == 200


@pytest.mark.parametrize("who", [None, "with_device"])
def test_an_address_too_long_for_a_redirect_gets_414_not_500(client, world, who):
    """Found by the attack suite: a 1,000-word search sent to the login (or code) page made a
    redirect longer than Django sends, a 500."""
    if who:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice.objects.create(user=world.counselor_a, name="authenticator", confirmed=True)
        client.force_login(world.counselor_a)
    response = client.get(URL, {"q": long_query(1000)})
    assert response.status_code == 414
    assert "長すぎます" in response.content.decode()
