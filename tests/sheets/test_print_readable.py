"""② stays readable (never below 12 pt, ③ never below 9 pt; long text goes to the next page),
pictograms follow what the tasks record, ③ prints the employer's needs and does not repeat ②
when printed right after it, the binder prints ① once per employer, and fitting a sheet lays
it out once when the first guess is right."""

import io
from dataclasses import replace
from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse
from pypdf import PdfReader

from sheets.printing import pdf
from sheets.printing import sheets as printing
from sheets.programs.models import Program, ProgramStatus, SharingScope
from tests.sheets.factories import ProgramFactory, TaskBreakdownFactory, TaskRowFactory
from tests.sheets.print_fixtures import demo_program, max_program, tail_of
from tests.sheets.test_print import compact, text_of
from tests.sheets.test_print_budget import CLIENT_FIELDS, SUPPORTER_FIELDS


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def sizes_of(data: bytes) -> list[tuple[str, float]]:
    """(text, size in points) of every piece of text WeasyPrint wrote."""
    found = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            found.append((compact(text), font_size * abs(tm[3]) * abs(cm[3])))

    for page in PdfReader(io.BytesIO(data)).pages:
        page.extract_text(visitor_text=visit)
    return found


@pytest.mark.parametrize(
    ("kind", "fields", "smallest"), [("client", CLIENT_FIELDS, 12), ("supporter", SUPPORTER_FIELDS, 9)]
)
def test_body_text_keeps_its_size_at_maximum_length(world, kind, fields, smallest):
    program, _texts = max_program(world.agency_a)
    printed = printing.sheet_pdf(program, kind)
    assert printed.density == "compact"  # the longest sheet uses the tightest spacing…
    sizes = sizes_of(printed.pdf)
    for name in fields:
        tail = tail_of(name)
        found = [size for text, size in sizes if tail in text]
        assert found, name
        assert min(found) >= smallest - 0.01, (name, found)  # …but never smaller type


def pictogram_keys(program) -> dict[str, str]:
    return {p.key: p.label for p in printing.pictograms(program)}


def program_of(world, *rows, **fields):
    program = ProgramFactory(employer=world.employer_a, **fields)
    program.source_rows.set(rows)
    return program


def test_seated_tasks_print_the_seated_pictogram_whatever_the_stamina_rating(world):
    seated = TaskRowFactory(postures=["sitting"], place="indoor_ac")
    program = program_of(world, seated, demands={"stamina": 2})
    keys = pictogram_keys(program)
    assert keys.get("sitting") == "すわってする仕事" and "standing" not in keys


def test_a_task_that_can_be_done_sitting_says_so(world):
    either = TaskRowFactory(postures=["sitting", "standing"], place="indoor")
    keys = pictogram_keys(program_of(world, either, demands={"stamina": 2}))
    assert keys.get("sitting") == "すわってもできる仕事" and "standing" not in keys


def test_one_standing_task_makes_the_program_standing_work(world):
    seated = TaskRowFactory(postures=["sitting"])
    standing = TaskRowFactory(breakdown=seated.breakdown, postures=["standing"])
    keys = pictogram_keys(program_of(world, seated, standing, demands={"stamina": 1}))
    assert "standing" in keys and "sitting" not in keys


def test_place_comes_from_the_tasks_before_the_environment_rating(world):
    indoor = TaskRowFactory(place="indoor", environment_factors=["smell"])
    keys = pictogram_keys(program_of(world, indoor, demands={"environment": 3}))
    assert "indoor" in keys and "outdoor" not in keys


def test_without_task_facts_the_ratings_decide(world):
    assert "standing" in pictogram_keys(ProgramFactory(employer=world.employer_a, demands={"stamina": 2}))
    assert "outdoor" in pictogram_keys(ProgramFactory(employer=world.employer_a, demands={"environment": 3}))


@pytest.mark.parametrize(
    ("employer", "title", "label"),
    [
        ("玖珠ねぎ生産組合", "ねぎの出荷調整体験", "すわってもできる仕事"),
        ("伊丹内職センター協同組合", "部品の袋詰め体験", "すわってする仕事"),
    ],
)
def test_the_demos_seated_tasks_print_the_seated_pictogram(world, employer, title, label):
    program = demo_program(world.agency_a, world.coordinator_a, employer, title)
    text = compact(text_of(printing.sheet_pdf(program, "client").pdf))
    assert label in text and "立ってする仕事" not in text


def test_supporter_sheet_prints_the_employers_needs_taken_from_the_latest_visit(world):
    from sheets.breakdowns.services import program_create_from_rows

    older = TaskBreakdownFactory(employer=world.employer_a, unmet_needs="古い困りごと")
    newer = TaskBreakdownFactory(
        employer=world.employer_a,
        unmet_needs="出荷調整が収穫量に追いつかない",
        visited_on=older.visited_on.replace(day=20),
    )
    program = program_create_from_rows(
        employer=world.employer_a,
        rows=[TaskRowFactory(breakdown=older), TaskRowFactory(breakdown=newer)],
        by=world.coordinator_a,
        title="出荷調整体験",
        engagement_type="experience",
    )
    assert program.employer_needs == "出荷調整が収穫量に追いつかない"
    text = compact(text_of(printing.sheet_pdf(program, "supporter").pdf))
    assert "事業所の人材ニーズ・困りごと" in text and "出荷調整が収穫量に追いつかない" in text
    assert "出荷調整が収穫量に追いつかない" not in compact(text_of(printing.sheet_pdf(program, "client").pdf))


def test_needs_longer_than_the_sheet_prints_start_as_whole_sentences(world):
    from sheets.breakdowns.services import employer_needs_from_rows

    sentence = "袋詰めの受注が増えて、納期の前に人手が足りない。"
    row = TaskRowFactory(breakdown=TaskBreakdownFactory(employer=world.employer_a, unmet_needs=sentence * 10))
    needs = employer_needs_from_rows([row])
    assert needs and needs.endswith("。") and len(needs) <= 150 and needs == sentence * (150 // len(sentence))


def test_needs_without_a_full_stop_start_cut_at_a_break_and_the_coordinator_is_told(world, client):
    """Notes without 「。」 came out EMPTY on ③ (walking the product), and nobody was told."""
    from sheets.breakdowns.services import employer_needs_from_rows

    notes = "・".join(f"箱詰めの人手{n}人分、検品と梱包の経験者を優先" for n in range(10))  # 220 characters, no 。
    row = TaskRowFactory(breakdown=TaskBreakdownFactory(employer=world.employer_a, unmet_needs=notes))
    needs = employer_needs_from_rows([row])
    assert needs.endswith("…") and len(needs) <= 150 and needs[:-1] in notes and len(needs) > 75
    client.force_login(world.coordinator_a)
    response = client.post(
        reverse("program_create") + f"?employer={world.employer_a.uuid}",
        {"rows": [row.pk], "title": "箱詰め体験", "engagement_type": "experience", "sharing_scope": "region"},
        follow=True,
    )
    page = response.content.decode()
    assert f"作業分解シートに書いた{len(notes)}文字" in page, page[:3000]
    program = Program.objects.get(title="箱詰め体験")
    assert program.employer_needs == needs
    detail = client.get(reverse("program_detail", args=[program.uuid])).content.decode()
    assert "事業所の人材ニーズ・困りごと" in detail and needs in detail


def test_supporter_sheet_after_the_client_sheet_does_not_repeat_it(world):
    program = ProgramFactory(employer=world.employer_a, what_you_do="〔すること〕を書きます。", pay="〔お金〕")
    alone = compact(
        text_of(pdf.render_pdf(printing.render_sheet_html("supporter", printing.program_context(program, "supporter"))))
    )
    after = printing.program_context(program, "supporter", after_client=True)
    following = compact(text_of(pdf.render_pdf(printing.render_sheet_html("supporter", after))))
    assert "〔すること〕" in alone and "〔お金〕" in alone
    assert "〔すること〕" not in following and "〔お金〕" not in following
    assert program.title in following and "この前の②を見てください" in following
    assert "作業が求めること" in following  # ③'s own part is all there


@pytest.fixture
def two_of_one_employer(world):
    return [
        ProgramFactory(
            employer=world.employer_a, title=title, status=ProgramStatus.PUBLISHED, sharing_scope=SharingScope.REGION
        )
        for title in ("ねぎの出荷調整体験", "部品の袋詰め見学")
    ]


def test_binder_prints_one_employer_sheet_per_employer_and_does_not_repeat_client_sheets(
    login, world, two_of_one_employer
):
    client = login(world.counselor_b)
    first, second = two_of_one_employer
    for program in (first, second):
        client.post(reverse("print_list_toggle", args=[program.uuid]))
    kinds = ["employer", "client", "supporter"]
    client.post(reverse("print_list"), {f"kinds_{first.uuid}": kinds, f"kinds_{second.uuid}": kinds, "save": "1"})
    pages = [compact(p.extract_text()) for p in PdfReader(io.BytesIO(client.get(reverse("binder_pdf")).content)).pages]
    employer_sheets = [p for p in pages[1:] if "①事業所紹介シート" in p and "1/1" in p]
    assert len(employer_sheets) == 1
    assert "（①は前に印刷）" in pages[0]
    supporter_pages = [p for p in pages if "この前の②を見てください" in p]
    assert len(supporter_pages) == 2  # each ③ follows its own ② without repeating it


def test_photo_panels_say_which_photos_print(login, world):
    from tests.sheets.print_factories import PhotoFactory

    for caption in ("一枚目", "二枚目", "三枚目"):
        PhotoFactory(employer=world.employer_a, caption=caption)
    html = login(world.coordinator_a).get(reverse("employer_detail", args=[world.employer_a.uuid])).content.decode()
    assert "①には最初の2枚の写真が印刷されます。" in html
    assert html.count("印刷される</span>") == 2 and html.count("印刷されない</span>") == 1


def test_a_right_guess_lays_a_sheet_out_once(world):
    long_program, _texts = max_program(world.agency_a)
    short_program = ProgramFactory(employer=world.employer_a)
    for program, density in ((long_program, "compact"), (short_program, "normal")):
        for kind in ("client", "supporter"):
            context = printing.program_context(program, kind)
            with mock.patch.object(pdf, "layout", wraps=pdf.layout) as layout:
                _document, chosen = printing.fit_document(kind, context, 2)
            assert chosen == density
            assert layout.call_count == 1, (kind, density)


def test_a_wrong_guess_still_finds_the_largest_type_that_fits(world):
    """With the guess turned the wrong way, fitting costs a pass more but chooses the same."""
    long_program, _texts = max_program(world.agency_a)
    short_program = ProgramFactory(employer=world.employer_a)
    for kind in ("client", "supporter"):
        sheet = printing.SHEET_KINDS[kind]
        with mock.patch.dict(printing.KINDS_BY_KEY, {kind: replace(sheet, long_text=0)}):
            _document, chosen = printing.fit_document(kind, printing.program_context(short_program, kind), 2)
        assert chosen == "normal"
        with mock.patch.dict(printing.KINDS_BY_KEY, {kind: replace(sheet, long_text=10**6)}):
            _document, chosen = printing.fit_document(kind, printing.program_context(long_program, kind), 2)
        assert chosen == "compact"
