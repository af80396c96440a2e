"""The guide (/guide/ and its training edition), the ? links from the forms, and the writing
check of ② fields (one rule for the screen, the save and these tests)."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from sheets.dimensions import DIMENSIONS
from sheets.guide import writing
from sheets.guide.parts import PARTS
from sheets.japanese import morphemes
from tests.sheets.factories import ProgramFactory, TaskBreakdownFactory, TaskRowFactory
from tests.sheets.test_print import compact, text_of


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


# --- The guide -----------------------------------------------------------------------------


def test_guide_has_every_part_and_the_interview_questions(login, world):
    response = login(world.counselor_a).get(reverse("guide"))
    assert response.status_code == 200
    html = response.content.decode()
    for part in PARTS:
        assert f'id="{part.key}"' in html, part.key
        assert f'href="#{part.key}"' in html  # the table of contents
    for info in DIMENSIONS:  # taken from sheets/dimensions.py, not restated
        assert str(info.employer_question) in html
        for level in info.levels:
            assert str(level) in html
    for case in ("伊丹市", "玖珠町", "よい例", "よくない例", "持っていくもの", "つまずきやすいところ"):
        assert case in html
    assert reverse("guide_pdf") in html


def test_guide_is_in_the_menu(login, world):
    html = login(world.counselor_a).get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("guide")}"' in html


def test_training_edition_is_a_pdf_of_the_same_guide(login, world):
    response = login(world.counselor_a).get(reverse("guide_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = compact(text_of(response.content))
    for fragment in ("1.事業所訪問", "3.切り出し", "7.更新", "研修用", "従事", "伊丹市", "玖珠町"):
        assert fragment in text, fragment
    assert compact(str(DIMENSIONS[3].employer_question)) in text


def guide_links(html: str) -> set[str]:
    return set(re.findall(rf'href="{reverse("guide")}#([\w-]+)"', html))


def section_legends(html: str) -> list[str]:
    """The legends of the forms' sections (a choice group's legend is a field's label)."""
    return re.findall(r'<legend class="float-none[^"]*">(.*?)</legend>', html, re.S)


def test_every_breakdown_form_section_links_to_its_part(login, world):
    client = login(world.coordinator_a)
    breakdown = TaskBreakdownFactory(employer=world.employer_a)
    TaskRowFactory(breakdown=breakdown)
    new = client.get(reverse("breakdown_create", args=[world.employer_a.uuid])).content.decode()
    assert "visit" in guide_links(new)
    detail = client.get(reverse("breakdown_detail", args=[world.employer_a.uuid, breakdown.uuid])).content.decode()
    assert {"visit", "dialogue", "cut-out", "dimensions"} <= guide_links(detail)
    legends = section_legends(detail)
    assert len(legends) == 5  # the task, when, place and body, cut-out, teaching and demands
    for legend in legends:
        assert "guide-link" in legend, legend  # every section of the task form


def test_every_program_form_section_links_to_its_part(login, world):
    program = ProgramFactory(employer=world.employer_a)
    html = login(world.coordinator_a).get(reverse("program_edit", args=[program.uuid])).content.decode()
    assert {"sheets", "sheet-client", "sheet-supporter", "dimensions", "writing"} <= guide_links(html)
    legends = section_legends(html)
    assert len(legends) == 5  # basics, ②, the timetable, ③, the demand profile
    for legend in legends:
        assert "guide-link" in legend, legend


def test_guide_links_point_to_parts_that_exist(login, world):
    program = ProgramFactory(employer=world.employer_a)
    client = login(world.coordinator_a)
    guide = client.get(reverse("guide")).content.decode()
    html = client.get(reverse("program_edit", args=[program.uuid])).content.decode()
    for key in guide_links(html):
        assert f'id="{key}"' in guide


# --- The writing check ---------------------------------------------------------------------


def kinds(text: str) -> list[str]:
    return [note.kind for note in writing.check(text)]


def test_a_long_sentence_is_flagged_with_its_length():
    sentence = "作業のときは、決められた場所で、決められた順番に、ていねいに部品を数えてから袋に入れて箱に並べます。"
    notes = writing.check(sentence)
    assert [n.kind for n in notes] == ["long_sentence"]
    assert f"{len(sentence)}文字" in notes[0].message
    assert kinds("部品を数えます。袋に入れます。箱に並べます。") == []


def test_listed_words_are_found_in_any_form_with_a_suggestion():
    notes = writing.check("作業に従事していただきます。長靴を着用し、飲み物は持参してください。")
    words = {n.excerpt: n.suggestion for n in notes if n.kind == "word"}
    assert words == {"従事": "する", "着用": "着る／身につける", "持参": "持ってくる"}
    assert "「従事」" in next(n.message for n in notes if n.excerpt == "従事")
    assert "する" in next(n.message for n in notes if n.excerpt == "従事")
    # The dictionary's normalised form: 遵守 and 順守 are one listed word.
    assert [n.suggestion for n in writing.check("ルールを順守します。") if n.kind == "word"] == ["守る"]


def test_double_negatives_are_flagged_but_two_separate_negatives_are_not():
    assert "double_negative" in kinds("休むときは連絡しなければなりません。")
    assert "double_negative" in kinds("経験がなくても、できないわけではない。")
    assert "double_negative" not in kinds("知らない、わからないときは聞いてください。")
    assert "double_negative" not in kinds("道具はいりません。")


def test_many_kanji_are_flagged_only_in_longer_text():
    assert "kanji" in kinds("作業開始前点検実施後、所定場所集合。作業終了後清掃実施。各自体調管理徹底。")
    assert kinds("伊丹内職センター 1階の作業所入口") == []  # a place: short, mostly kanji, fine


def test_the_demos_plain_texts_pass():
    from sheets.demo.data import RICH_PROGRAMS

    for fields in RICH_PROGRAMS.values():
        for name in ("what_you_do", "suits", "can_find_out"):
            assert kinds(fields[name]) == [], (name, fields[name])


def test_every_listed_word_is_one_word_of_the_dictionary():
    """The list is data to review: each entry must be one word as the tokenizer reads it, or
    it would never match; the plain alternative must not itself be listed."""
    with writing.WORDS_FILE.open(encoding="utf-8") as handle:
        lines = [line for line in handle.read().splitlines()[1:] if line]
    assert len(writing.plain_words()) == len(lines)  # no two entries are one word
    for line in lines:
        word, plain = line.split(",")
        assert len(morphemes(word)) == 1, word
        assert not [n for n in writing.check(plain) if n.kind == "word"], plain


def test_writing_check_endpoint_returns_the_notes_beside_the_field(login, world):
    client = login(world.coordinator_a)
    response = client.post(
        reverse("writing_check"), {"field": "what_you_do", "what_you_do": "袋詰め作業に従事していただきます。"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "「従事」" in html and "する" in html
    # Only what goes in the field's check: the live region itself (#wc-…) stays on the page.
    assert 'id="wc-what_you_do"' not in html and "aria-live" not in html
    assert (
        client.post(
            reverse("writing_check"), {"field": "what_you_do", "what_you_do": "袋に入れます。"}
        ).content.decode()
        == ""  # nothing: the region is :empty again
    )
    assert client.post(reverse("writing_check"), {"field": "cautions", "cautions": "x"}).status_code == 400


def test_the_form_shows_the_check_without_javascript_and_never_blocks_the_save(login, world):
    program = ProgramFactory(employer=world.employer_a, what_you_do="袋詰め作業に従事していただきます。")
    client = login(world.coordinator_a)
    form = client.get(reverse("program_edit", args=[program.uuid])).content.decode()
    assert 'id="wc-what_you_do"' in form and "「従事」" in form  # rendered with the page
    assert 'hx-post="{}"'.format(reverse("writing_check")) in form  # and updated while typing
    data = {
        "version": program.version,
        "title": program.title,
        "engagement_type": program.engagement_type,
        "sharing_scope": program.sharing_scope,
        "what_you_do": "休む場合は事前に連絡しなければなりません。作業着を着用のこと。",
        "tt-TOTAL_FORMS": "0",
        "tt-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("program_edit", args=[program.uuid]), data, follow=True)
    program.refresh_from_db()
    assert program.what_you_do == data["what_you_do"]  # saved as written
    assert "ことばの確認：②に見直すとよいところが" in response.content.decode()
