"""The reviewed synonym list (sheets/search/synonyms.txt) and the suggestions of a search
without results (issue 20 item 2)."""

import pytest
from django.urls import reverse

from sheets.japanese import KANJI
from sheets.programs.models import ProgramStatus
from sheets.search.suggestions import word_ends
from sheets.search.synonyms import SYNONYMS_FILE, expanded_forms, groups_of, nearest_words, parse, synonyms
from sheets.textsearch import normalise
from tests.sheets.search_factories import SearchableProgramFactory

URL = reverse("program_list")


def test_the_list_is_versioned_and_has_at_least_100_groups():
    data = synonyms()
    assert data.version.isdigit()
    assert len(data.groups) >= 100


def test_every_group_has_two_words_or_more_of_two_characters_or_more():
    for group in synonyms().groups:
        assert len(group) >= 2, group
        for word in group:
            # One character only for a kanji word (畑): one kana or letter would match anything.
            assert len(normalise(word)) >= 2 or KANJI.fullmatch(word), (word, group)


def test_no_word_is_in_two_groups():
    seen: dict[str, tuple] = {}
    for group in synonyms().groups:
        for word in group:
            key = normalise(word)
            assert key not in seen, (word, group, seen.get(key))
            seen[key] = group


@pytest.mark.parametrize(
    "words",
    [
        ("清掃", "掃除"),
        ("袋詰め", "袋づめ", "封入"),
        ("農作業", "農業", "畑仕事"),
        ("検品", "チェック"),
        ("接客", "販売"),
    ],
)
def test_the_issues_examples_are_groups(words):
    (group,) = groups_of(words[0])
    assert set(words) <= set(group)


def test_a_word_expands_to_its_group_in_every_form():
    forms = expanded_forms("そうじ")
    assert {"清掃", "掃除", "せいそう", "そうじ"} <= forms
    assert expanded_forms("けんぴん") == expanded_forms("検品")


def test_parse_reads_the_version_and_skips_comments():
    version, groups = parse("# version: 7\n# a comment\n清掃/掃除\n\n袋詰め / 封入\n")
    assert version == "7" and groups == [("清掃", "掃除"), ("袋詰め", "封入")]
    assert SYNONYMS_FILE.name == "synonyms.txt"


def test_nearest_words_look_or_sound_alike():
    assert "検品" in nearest_words("けんひん")
    assert "農作業" in nearest_words("のうさぎょ")
    assert "清掃" not in nearest_words("掃除")  # its own group was searched already


def test_a_search_without_results_suggests_near_words_that_have_some(world, login):
    SearchableProgramFactory(employer=world.employer_a, title="部品の検品", status=ProgramStatus.PUBLISHED)
    client = login(world.counselor_a)
    response = client.get(URL, {"q": "けんひん", "paid": ""})
    assert response.context["page"].paginator.count == 0
    suggested = response.context["suggestions"]
    assert suggested and suggested[0]["words"] in ("検品", "検査")
    assert all(s["count"] >= 1 for s in suggested)
    html = response.content.decode()
    assert "次のことばなら見つかります" in html and "で探す（1件）" in html
    # Following the suggestion finds the program.
    assert client.get(suggested[0]["url"]).context["page"].paginator.count == 1


def test_a_compound_that_finds_nothing_suggests_its_end_that_does(world, login):
    """皿洗い found nothing and suggested 「野菜」 while 瓶洗い was there (walking the product)."""
    SearchableProgramFactory(employer=world.employer_a, title="瓶洗い体験", status=ProgramStatus.PUBLISHED)
    response = login(world.counselor_a).get(URL, {"q": "皿洗い"})
    assert response.context["page"].paginator.count == 0
    assert response.context["suggestions"][0]["words"] == "洗い"
    assert word_ends("皿洗い") == ["洗い", "皿洗"] and word_ends("食器") == []


def test_suggestions_keep_the_other_filters_and_never_count_what_the_user_may_not_see(world, login):
    SearchableProgramFactory(employer=world.employer_a, title="部品の検品", status=ProgramStatus.DRAFT)
    client = login(world.counselor_b)  # another agency: the draft is not theirs
    response = client.get(URL, {"q": "けんひん"})
    assert response.context["suggestions"] == []
    own = login(world.counselor_a)
    assert own.get(URL, {"q": "けんひん"}).context["suggestions"] == []  # published only by default
    assert own.get(URL, {"q": "けんひん", "status": "draft"}).context["suggestions"][0]["count"] == 1
