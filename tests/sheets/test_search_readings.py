"""Search by reading, normalised form and synonyms (issue 20 items 1–2): けんぴん finds 検品,
葱 finds ねぎ, そうじ finds what 清掃 finds, with the kana/width folding and 2-character words
kept (tests/sheets/test_textsearch.py)."""

import io

import pytest
from django.urls import reverse

from sheets.programs.models import ProgramStatus
from sheets.textsearch import reading_text, word_forms
from tests.sheets.search_factories import SearchableProgramFactory

URL = reverse("program_list")


def titles(client, q: str) -> set[str]:
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    return {card["program"].title for card in response.context["cards"]}


@pytest.fixture
def counselor_a(world, login):
    return login(world.counselor_a)


TITLES = ("部品の検品体験", "ねぎの出荷調整体験", "事務所の清掃", "園庭の掃除", "返却本の配架", "ネギ切り")


@pytest.fixture
def programs(world):
    return {
        title: SearchableProgramFactory(
            employer=world.employer_a, title=title, what_you_do="", status=ProgramStatus.PUBLISHED
        )
        for title in TITLES
    }


def test_the_reading_of_a_text_runs_words_together_and_adds_normalised_forms():
    reading = reading_text("部品の袋詰め", "ﾈｷﾞの出荷 袋づめ")
    spoken_title, spoken_rest, normalised, _others = reading.split("\n")
    assert spoken_title == "ぶひんのふくろづめ"
    assert "ねぎのしゅっか" in spoken_rest and "ふくろづめ" in spoken_rest
    assert "葱" in normalised and normalised.count("袋詰め") == 2


def test_a_kanji_read_with_one_kana_also_gets_its_longer_readings():
    # In context the dictionary reads 葱 as キ; ねぎ is what people type.
    assert reading_text("葱の収穫").split("\n")[-1] == "ねぎ"


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("検品", {"検品", "けんぴん"}),
        ("けんぴん", {"けんぴん"}),
        ("葱", {"葱", "ねぎ"}),  # the one-kana reading き is left out
        ("ﾈｷﾞ", {"ねぎ", "葱"}),
        ("そうじ", {"そうじ", "掃除"}),
        ("袋づめ", {"袋づめ", "袋詰め", "ふくろづめ"}),
    ],
)
def test_word_forms(word, expected):
    assert word_forms(word) == expected


@pytest.mark.parametrize(
    ("query", "same_as"), [("けんぴん", "検品"), ("葱", "ねぎ"), ("ｹﾝﾋﾟﾝ", "検品"), ("そうじ", "清掃")]
)
def test_readings_and_synonyms_find_the_same_programs(programs, counselor_a, query, same_as):
    found = titles(counselor_a, query)
    assert found and found == titles(counselor_a, same_as)


def test_each_form_finds_its_programs(programs, counselor_a):
    assert titles(counselor_a, "けんぴん") == {"部品の検品体験"}
    assert titles(counselor_a, "葱") == {"ねぎの出荷調整体験", "ネギ切り"}
    assert titles(counselor_a, "そうじ") == {"事務所の清掃", "園庭の掃除"}
    assert titles(counselor_a, "はいか") == {"返却本の配架"}  # kana of 配架


def test_the_word_itself_ranks_before_its_synonyms(programs, counselor_a):
    response = counselor_a.get(URL, {"q": "掃除"})
    assert [card["program"].title for card in response.context["cards"]] == ["園庭の掃除", "事務所の清掃"]


def test_readings_follow_a_changed_title(world):
    from sheets.programs.search_fields import refresh_search_fields

    program = SearchableProgramFactory(employer=world.employer_a, title="検品")
    assert "けんぴん" in program.search_reading
    type(program).objects.filter(pk=program.pk).update(title="配架")
    program.refresh_from_db()
    refresh_search_fields(program)
    program.refresh_from_db()
    assert "はいか" in program.search_reading and "けんぴん" not in program.search_reading
    assert "はい" in program.search_reading_bigrams.split()


def test_a_compound_is_found_by_its_reading_after_refresh_search(world):
    """焼き菓子 read やきかし (two words) until the reading of the whole noun was taken; the
    `refresh_search` command computes the stored readings of existing programs again."""
    from django.core.management import call_command

    from sheets.programs.models import Program
    from sheets.textsearch import normalise

    program = SearchableProgramFactory(employer=world.employer_a, title="焼き菓子の箱詰め")
    Program.objects.filter(pk=program.pk).update(search_reading="やきかしのはこづめ")  # stored by the old reading
    call_command("refresh_search", stdout=io.StringIO())
    program.refresh_from_db()
    assert normalise("やきがし") in program.search_reading and "やきかし" not in program.search_reading
