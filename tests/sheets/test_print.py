"""Sheets ① ② ③ and the task breakdown sheet as PDFs and print previews."""

import datetime
import io
import threading
from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from registry.models import EmployerVisit
from sheets.dimensions import DIMENSIONS
from sheets.printing import pdf
from sheets.printing import sheets as printing
from sheets.programs import services
from sheets.programs.models import ProgramStatus, SharingScope
from tests.sheets.factories import ProgramFactory, TaskBreakdownFactory, TaskRowFactory, TimetableRowFactory
from tests.sheets.print_factories import EmployerIntroFactory

KINDS = ("employer", "client", "supporter")


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


@pytest.fixture
def program(world):
    program = ProgramFactory(
        employer=world.employer_a,
        title="部品の袋詰め体験（𠮷田さんの工場）",
        status=ProgramStatus.PUBLISHED,
        sharing_scope=SharingScope.REGION,
        demands={"stamina": 2, "dexterity": 3, "people": 0},
        confirmable=["dexterity"],
    )
    TimetableRowFactory(program=program, time="9:00", activity="あいさつ・作業の説明")
    EmployerIntroFactory(employer=world.employer_a)
    return program


def text_of(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "".join(page.extract_text() for page in reader.pages)


def compact(text: str) -> str:
    return "".join(text.split())


def fonts_of(data: bytes) -> set[str]:
    """BaseFont names of the fonts embedded in the PDF (their font file must be present)."""
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
                names.add(str(font["/BaseFont"]))
    return names


def test_fonts_are_subset_with_harfbuzz():
    # fontTools subsetting of CJK fonts is ~40× slower: make sure the fast path is taken here.
    assert pdf.subsetter() == "harfbuzz"


@pytest.mark.parametrize("kind", KINDS)
def test_sheet_pdf_has_title_employer_revision_and_cjk_fonts(login, world, program, kind):
    response = login(world.counselor_b).get(reverse("sheet_pdf", args=[program.uuid, kind]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = compact(text_of(response.content))
    assert "有限会社みどり紙工" in text
    if kind == "employer":
        assert program.title in text  # listed among the employer's published programs
        assert "時点の情報" in text  # ① has no revision of the program's (below)
    else:
        assert compact(program.title) in text  # 𠮷 included: the Noto fallback has it
        assert f"第{program.revision}版" in text
        assert "最終確認日" in text
    fonts = fonts_of(response.content)
    assert any("BIZ-UDPGothic" in name for name in fonts), fonts
    assert all("BIZ-UD" in name or "Noto-Sans-CJK" in name for name in fonts), fonts


def test_pdf_carries_title_language_and_pdf_ua(program):
    printed = printing.sheet_pdf(program, "client")
    reader = PdfReader(io.BytesIO(printed.pdf))
    assert program.title in reader.metadata.title
    assert reader.trailer["/Root"]["/Lang"] == "ja"
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged (PDF/UA-1)
    metadata = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b"pdfuaid:part" in metadata  # declares PDF/UA-1


def test_rare_character_is_not_tofu(program):
    printed = printing.sheet_pdf(program, "client")
    fonts = fonts_of(printed.pdf)
    assert any("Noto-Sans-CJK" in name for name in fonts), "𠮷 needs the Noto fallback"
    assert "𠮷" in text_of(printed.pdf)


def test_shared_font_configuration_prints_what_a_fresh_one_prints(program):
    html = printing.render_sheet_html("client", printing.program_context(program, "client"))
    pdf.render_pdf(html)  # this thread's configuration has laid out a sheet before
    fresh = pdf.write_pdf(pdf.load_html(html).render())  # WeasyPrint's default: a configuration of its own
    shared = pdf.render_pdf(html)
    assert shared == fresh
    assert any("Noto-Sans-CJK" in name for name in fonts_of(shared)), "𠮷 still comes from the Noto fallback"


def test_each_thread_lays_out_with_its_own_font_configuration():
    mine = pdf.font_config()
    assert pdf.font_config() is mine
    theirs = []
    thread = threading.Thread(target=lambda: theirs.append(pdf.font_config()))
    thread.start()
    thread.join()
    assert theirs[0] is not mine


def test_sheet_text_cannot_add_a_font_to_the_shared_configuration(program):
    from weasyprint.text.fonts import FontConfiguration

    font_face = '@font-face{font-family:"Evil";src:url("data:font/ttf;base64,AAEAAA==")}'
    program.cautions = f"<style>{font_face}</style>"
    program.save()
    with mock.patch.object(FontConfiguration, "add_font_face", autospec=True) as add_font_face:
        printed = printing.sheet_pdf(program, "supporter")
        assert not add_font_face.called
        assert "@font-face" in compact(text_of(printed.pdf))  # printed as text, never applied
        pdf.render_pdf(f"<style>{font_face}</style><p>x</p>")  # the spy sees a real @font-face
        assert add_font_face.called


def test_another_agencys_draft_pdf_is_404(login, world):
    draft = ProgramFactory(employer=world.employer_a, status=ProgramStatus.DRAFT)
    for kind in KINDS:
        assert login(world.counselor_b).get(reverse("sheet_pdf", args=[draft.uuid, kind])).status_code == 404
        assert login(world.counselor_b).get(reverse("sheet_preview", args=[draft.uuid, kind])).status_code == 404


def test_repeat_print_comes_from_the_cache_until_the_program_changes(login, world, program):
    client = login(world.coordinator_a)
    url = reverse("sheet_pdf", args=[program.uuid, "supporter"])
    first = client.get(url)
    second = client.get(url)
    assert (first["X-Sheet-Cache"], second["X-Sheet-Cache"]) == ("miss", "hit")
    assert first.content == second.content
    services.program_update(program=program, by=world.coordinator_a, version=program.version, cautions="刃物に注意")
    third = client.get(url)
    assert third["X-Sheet-Cache"] == "miss"
    assert "刃物に注意" in text_of(third.content)
    assert f"第{program.version + 1}版" in compact(text_of(third.content))


def test_employer_change_without_program_revision_is_not_served_stale(login, world, program):
    client = login(world.coordinator_a)
    url = reverse("sheet_pdf", args=[program.uuid, "employer"])
    client.get(url)
    world.employer_a.description = "新しい事業内容の説明です。"
    world.employer_a.save()
    response = client.get(url)
    assert response["X-Sheet-Cache"] == "miss"
    assert "新しい事業内容の説明です。" in text_of(response.content)


def test_employer_sheet_tells_the_employer_not_the_program_it_was_printed_from(world, program):
    """① is the same whichever program of the employer it is printed from: the date of the
    employer's own information and of the last visit, no program revision or verification."""
    other = ProgramFactory(employer=world.employer_a, status=ProgramStatus.PUBLISHED, sharing_scope=SharingScope.REGION)
    for _ in range(3):
        other.save()
    other.revision, other.last_verified_on = 4, datetime.date(2026, 1, 5)
    other.save()
    EmployerVisit.objects.create(employer=world.employer_a, visited_on=datetime.date(2026, 3, 2))
    EmployerVisit.objects.create(employer=world.employer_a, visited_on=datetime.date(2026, 9, 14))
    texts = [compact(text_of(printing.sheet_pdf(p, "employer").pdf)) for p in (program, other)]
    assert texts[0] == texts[1]
    changed = timezone.localtime(world.employer_a.intro.updated_at).date()
    assert f"{changed.year}年{changed.month}月{changed.day}日時点の情報" in texts[0]
    assert "最終訪問日2026年9月14日" in texts[0]
    assert "第4版" not in texts[0] and "最終確認日" not in texts[0]
    # A task breakdown's visit counts too, logged or not.
    TaskBreakdownFactory(employer=world.employer_a, visited_on=datetime.date(2026, 10, 1))
    assert "最終訪問日2026年10月1日" in compact(text_of(printing.sheet_pdf(program, "employer").pdf))


def test_employer_sheet_file_is_named_after_the_employer(login, world, program):
    response = login(world.counselor_a).get(reverse("sheet_pdf", args=[program.uuid, "employer"]))
    assert "%E6%9C%89%E9%99%90%E4%BC%9A%E7%A4%BE" in response["Content-Disposition"]  # 有限会社…
    assert "_r" not in response["Content-Disposition"].rsplit("''", 1)[-1]


@pytest.mark.parametrize("kind", KINDS)
def test_preview_is_the_sheet_with_a_toolbar(login, world, program, kind):
    response = login(world.counselor_a).get(reverse("sheet_preview", args=[program.uuid, kind]))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ja">' in html
    assert "PDFをダウンロード" in html
    assert reverse("sheet_pdf", args=[program.uuid, kind]) in html
    assert "data-print" in html  # window.print() button (static/sheets/print-preview.js)
    # The same template as the PDF: the PDF's HTML is the preview minus the toolbar.
    pdf_html = printing.render_sheet_html(kind, printing.program_context(program, kind, user=world.counselor_a))
    assert pdf_html.split('<main class="sheet-paper"', 1)[1] in html


def test_supporter_sheet_shows_chart_and_confirmable_dimensions(login, world, program):
    html = login(world.counselor_a).get(reverse("sheet_preview", args=[program.uuid, "supporter"])).content.decode()
    assert '<svg class="chart"' in html
    text = compact(text_of(printing.sheet_pdf(program, "supporter").pdf))
    assert "手先の器用さ" in text
    assert "✓" in text


def test_client_sheet_pictograms_follow_the_ratings_and_task_facts(world):
    row = TaskRowFactory(postures=["standing"], place="outdoor", lifting_kg=12)
    program = ProgramFactory(employer=row.breakdown.employer, demands={"people": 3, "dexterity": 2})
    program.source_rows.set([row])
    keys = {p.key for p in printing.pictograms(program)}
    assert {"standing", "outdoor", "customers", "lifting", "handwork"} <= keys
    quiet = ProgramFactory(demands={"people": 0, "stamina": 0}, supporter_may_accompany=False)
    assert {p.key for p in printing.pictograms(quiet)} == {"sitting", "alone"}


def test_breakdown_sheet_blank_has_the_level_descriptions(login, world):
    response = login(world.coordinator_a).get(reverse("breakdown_blank_pdf"))
    assert response.status_code == 200
    text = compact(text_of(response.content))
    with __import__("django.utils.translation", fromlist=["override"]).override("ja"):
        for info in DIMENSIONS:
            assert compact(str(info.label)) in text
            assert compact(str(info.levels[3])) in text


def test_breakdown_sheet_filled(login, world):
    breakdown = TaskBreakdownFactory(employer=world.employer_a, unmet_needs="袋詰めの人手が足りない")
    TaskRowFactory(breakdown=breakdown, duty="内職", task="ねぎの出荷調整", demands={"dexterity": 3})
    url = reverse("breakdown_pdf", args=[world.employer_a.uuid, breakdown.uuid])
    text = compact(text_of(login(world.counselor_a).get(url).content))
    assert "ねぎの出荷調整" in text and "袋詰めの人手が足りない" in text and "有限会社みどり紙工" in text
    assert login(world.counselor_b).get(url).status_code == 404  # working papers stay with agency A


def test_header_text_cannot_break_out_of_the_css_string(world):
    from sheets.templatetags.sheet_print import css_string

    escaped = css_string('a"}</style><script>x</script>')
    assert '"' not in escaped and "<" not in escaped and "}" not in escaped
    assert "伊丹" in css_string("伊丹")


def test_employer_contact_sees_the_draft_sheets_through_the_review_link(client, world):
    from sheets.programs import services
    from tests.sheets.print_factories import PhotoFactory

    draft = ProgramFactory(employer=world.employer_a, title="下書きの袋詰め体験")
    PhotoFactory(employer=world.employer_a, program=draft, caption="作業台")
    link, token = services.review_link_create(program=draft, by=world.coordinator_a)
    response = client.get(reverse("review_sheet", args=[token, "client"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "下書きの袋詰め体験" in html
    assert 'src="data:image/jpeg;base64,' in html  # no access-checked photo URL for a reviewer
    assert "/photos/" not in html
    pdf_response = client.get(reverse("review_sheet_pdf", args=[token, "supporter"]))
    assert "下書きの袋詰め体験" in text_of(pdf_response.content)
    services.review_link_revoke(link=link, by=world.coordinator_a)
    assert client.get(reverse("review_sheet", args=[token, "client"])).status_code == 410


def test_review_page_links_to_the_printed_sheets(client, world):
    from sheets.programs import services

    draft = ProgramFactory(employer=world.employer_a)
    _link, token = services.review_link_create(program=draft, by=world.coordinator_a)
    html = client.get(reverse("review_page", args=[token])).content.decode()
    for kind in KINDS:
        assert reverse("review_sheet", args=[token, kind]) in html


def test_supporter_sheet_prints_outcome_counts_with_small_ones_suppressed(world, program):
    from tests.sheets.client_factories import ReferralFactory

    for _ in range(3):
        ReferralFactory(program=program)
    text = compact(text_of(printing.sheet_pdf(program, "supporter").pdf))
    assert compact("紹介の結果") in text
    assert compact("紹介: 3") in text
    assert compact("採用: 3件未満") in text
