"""Furigana on ②: readings from the tokenizer, the coordinator's corrections (content, kept
in the history), the per-print toggle, and the PDF (readings in its text, within the budget)."""

import io

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from sheets.japanese import validate_readings
from sheets.printing import sheets as printing
from sheets.programs import services
from sheets.programs.furigana import Segment, annotate_html, ruby, segments, words_in_html
from tests.sheets.print_fixtures import demo_program
from tests.sheets.test_print import compact, text_of


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


@pytest.fixture
def negi(world):
    return demo_program(world.agency_a, world.coordinator_a)


def test_readings_sit_over_the_kanji_runs_only():
    assert segments("袋詰めをします") == [
        Segment("袋詰", "ふくろづ"),
        Segment("め"),
        Segment("を"),
        Segment("し"),
        Segment("ます"),
    ]
    assert [s for s in segments("部品を数えて") if s.reading] == [Segment("部品", "ぶひん"), Segment("数", "かぞ")]


def test_every_character_is_kept_in_order():
    text = "玖珠ねぎ生産組合 作業場（ビニールハウス横の小屋）\n10:15 出荷"
    assert "".join(s.text for s in segments(text)) == text


def test_the_days_of_the_week_read_as_days():
    assert [s.reading for s in segments("月・火・水")] == ["げつ", "", "か", "", "すい"]


def test_a_correction_replaces_the_dictionarys_reading():
    assert Segment("秋吉", "あきよし") in segments("秋吉さん")
    assert Segment("秋吉", "あきよす") in segments("秋吉さん", {"秋吉": "あきよす"})


def test_ruby_markup_escapes_text_and_hides_the_reading_from_screen_readers():
    html = ruby("<b>作業</b>")
    assert "&lt;b&gt;" in html and "<b>" not in html
    assert '<span class="fg-rt" aria-hidden="true">さぎょう</span><span class="fg-rb">作業</span>' in html


def test_annotation_leaves_tags_attributes_svg_and_styles_alone():
    markup = '<p title="作業">作業</p><svg><title>立つ</title></svg><style>.a{content:"作業"}</style>'
    out = annotate_html(markup)
    assert out.startswith('<p title="作業"><span class="fg">')
    assert "<svg><title>立つ</title></svg>" in out
    assert '<style>.a{content:"作業"}</style>' in out


def test_words_for_correction_are_listed_once_with_the_dictionary_reading():
    words = words_in_html("<h2>作業</h2><p>作業場で作業</p>", {"作業場": "さぎょうじょう"})
    assert words == [("作業", "さぎょう", "さぎょう"), ("作業場", "さぎょうじょう", "さぎょうば")]


@pytest.mark.parametrize(
    "value", [[], {"ねぎ": "ねぎ"}, {"作業": "work"}, {"作業": "さぎょう1"}, {"作業" * 20: "さぎょう"}]
)
def test_readings_must_be_kana_for_words_with_kanji(value):
    with pytest.raises(ValidationError):
        validate_readings(value)


def test_client_sheet_prints_the_readings_within_its_budget(negi):
    """The demo's ② with furigana on: readings in the PDF's text, still at most 2 pages."""
    plain = printing.sheet_pdf(negi, "client")
    printed = printing.sheet_pdf(negi, "client", furigana=True)
    assert len(PdfReader(io.BytesIO(printed.pdf)).pages) <= printing.SHEET_KINDS["client"].page_budget
    with_readings, without = compact(text_of(printed.pdf)), compact(text_of(plain.pdf))
    for reading in ("しゅっか", "ちょうせい", "くみあい", "にってい", "さとう"):
        assert reading in with_readings
    assert "しゅっか" not in without and "にってい" not in without
    assert printed.density == "normal"  # furigana takes room, not type size


def test_the_program_choice_and_the_print_toggle(login, world, negi):
    client = login(world.counselor_a)
    preview = reverse("sheet_preview", args=[negi.uuid, "client"])
    assert 'class="fg"' not in client.get(preview).content.decode()
    html = client.get(preview + "?furigana=1").content.decode()
    assert 'class="fg"' in html and "with-furigana" in html
    assert f'href="{reverse("sheet_pdf", args=[negi.uuid, "client"])}?furigana=1"' in html  # the PDF matches
    assert "しゅっか" in compact(
        text_of(client.get(reverse("sheet_pdf", args=[negi.uuid, "client"]) + "?furigana=1").content)
    )
    services.program_update(program=negi, by=world.coordinator_a, version=negi.version, furigana=True)
    assert 'class="fg"' in client.get(preview).content.decode()
    assert 'class="fg"' not in client.get(preview + "?furigana=0").content.decode()
    # ③ and ① never carry furigana.
    assert (
        'class="fg"'
        not in client.get(reverse("sheet_preview", args=[negi.uuid, "supporter"]) + "?furigana=1").content.decode()
    )


def test_corrected_readings_are_content_of_a_new_revision(login, world, negi):
    client = login(world.coordinator_a)
    url = reverse("furigana_edit", args=[negi.uuid])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    index = next(i for i, (word, _r, _d) in enumerate(form.words) if word == "佐藤")
    data = {"version": negi.version, "furigana": "on"} | {f"r{i}": r for i, (_w, r, _d) in enumerate(form.words)}
    data[f"r{index}"] = "サトオ"  # katakana is accepted and kept as hiragana
    response = client.post(url, data)
    assert response.status_code == 302
    negi.refresh_from_db()
    assert negi.readings == {"佐藤": "さとお"} and negi.furigana
    assert negi.history.first().readings == {"佐藤": "さとお"}  # the revision holds it
    assert "さとお" in compact(text_of(printing.sheet_pdf(negi, "client").pdf))
    history = client.get(reverse("program_history", args=[negi.uuid])).content.decode()
    assert "佐藤（さとお）" in history  # the revision diff names the correction


def test_a_reading_that_is_not_kana_is_refused_next_to_its_word(login, world, negi):
    client = login(world.coordinator_a)
    url = reverse("furigana_edit", args=[negi.uuid])
    form = client.get(url).context["form"]
    data = {"version": negi.version} | {f"r{i}": r for i, (_w, r, _d) in enumerate(form.words)}
    data["r0"] = "abc"
    response = client.post(url, data)
    assert response.status_code == 400
    assert "ひらがなで書いてください" in response.content.decode()
    version = negi.version
    negi.refresh_from_db()
    assert negi.version == version and negi.readings == {}


def test_a_reading_between_kana_may_overhang_them_but_not_another_reading():
    """ふくろ over 袋 widened the word: 「小さな 袋 に」 (walking the product). Between kana the
    reading may overhang them (fg-oh); next to another word's reading, or at the end of a text
    node (another element may follow), it stays over its own kanji."""
    html = ruby("小さな袋に入れる。伊丹内職センター")
    assert '<span class="fg fg-oh"><span class="fg-rt" aria-hidden="true">ふくろ</span>' in html
    assert '<span class="fg"><span class="fg-rt" aria-hidden="true">いたみ</span>' in html
    assert '<span class="fg"><span class="fg-rt" aria-hidden="true">ないしょく</span>' in html
    assert 'class="fg fg-oh"' not in ruby("袋")  # the ends of a text node: neighbours unknown
