"""A facilitator enters 10 cards by keyboard alone, merges two, votes, builds the logic
model and downloads the PDF. Every page on the way has 0 axe violations."""

import io
import re

from playwright.sync_api import expect
from pypdf import PdfReader

from registry.models import Role
from tests.e2e.conftest import assert_accessible, log_in
from tests.factories import AgencyFactory, MembershipFactory
from tests.workshops.factories import SeriesFactory, SessionFactory
from workshops.models import OpinionCard

CARDS = [
    "長くひきこもっていて働いた経験が少ない人",
    "ひきこもり期間が長く職歴がない人",
    "求人票だけで応募してすぐ辞めてしまう人",
    "ひとり親で短い時間しか働けない人",
    "車がなく通える仕事が少ない人",
    "人と話すのが苦手で面接が不安な人",
    "仕事の覚え方に配慮が必要な人",
    "借金があり、すぐに収入が必要な人",
    "介護を終えてもう一度働きたい人",
    "自分に何が向いているか分からない若者",
]


def focused_field(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.name")


def test_facilitator_journey(page, transactional_db, tmp_path):
    coordinator = MembershipFactory(role=Role.COORDINATOR, agency__name="川西市生活相談センター").user
    agency = coordinator.memberships.get().agency
    partner = AgencyFactory(region=agency.region, name="川西市社会福祉協議会")
    series = SeriesFactory(organiser=agency, participants=[partner], title="川西市 地域づくりワークショップ")
    SessionFactory(series=series, number=1, place="市役所 大会議室")

    log_in(page, coordinator)
    page.get_by_role("link", name="ワークショップ", exact=True).click()
    page.get_by_role("link", name="川西市 地域づくりワークショップ").click()
    page.get_by_role("link", name="第1回").click()
    assert_accessible(page, "workshops_board_empty")

    # 10 cards by keyboard alone: the caret starts in the text field and comes back after Enter.
    assert focused_field(page) == "text"
    for text in CARDS:
        page.keyboard.type(text)
        page.keyboard.press("Enter")
        page.get_by_role("status").filter(has_text=f"追加しました：{text}").wait_for()
        assert focused_field(page) == "text"
    assert OpinionCard.objects.filter(session__series=series).count() == 10
    assert_accessible(page, "workshops_board_ten_cards")

    # Merge the two cards that say the same thing.
    page.get_by_label(f"統合するカードとして選ぶ：{CARDS[0]}").check()
    page.get_by_label(f"統合するカードとして選ぶ：{CARDS[1]}").check()
    page.get_by_label("統合後のカードの文言").fill("ひきこもりが長く、働いた経験が少ない人")
    page.get_by_role("button", name="チェックしたカードを統合").click()
    page.get_by_text("カードを統合しました").wait_for()
    assert page.get_by_text("2枚を統合（統合元）").is_visible()
    merged = OpinionCard.objects.get(text="ひきこもりが長く、働いた経験が少ない人")
    assert merged.originals.count() == 2

    # Dot-voting by keyboard (htmx, in place): the keyboard stays on the pressed button and the
    # page's lasting live region says the new count.
    count = page.locator(f"#votes-{merged.uuid} .vote-count")
    plus = page.get_by_role("button", name="1票追加：ひきこもりが長く、働いた経験が少ない人")
    plus.focus()
    for expected in ("1", "2"):
        page.keyboard.press("Enter")
        expect(count).to_have_text(re.compile(rf"^\s*{expected}\s*$"))
        expect(page.locator("#vote-status")).to_have_text(
            f"「ひきこもりが長く、働いた経験が少ない人」は{expected}票になりました。"
        )
        expect(plus).to_be_focused()
    page.keyboard.press("Tab")  # to −1 of the same card
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="1票取り消し：ひきこもりが長く、働いた経験が少ない人")).to_be_focused()
    expect(page.locator("#vote-status")).to_have_text("「ひきこもりが長く、働いた経験が少ない人」は1票になりました。")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    expect(count).to_have_text(re.compile(r"^\s*2\s*$"))
    merged.refresh_from_db()
    assert merged.votes == 2
    page.mouse.move(0, 0)  # no hover colour caught mid-transition by the contrast check
    page.wait_for_timeout(300)
    assert_accessible(page, "workshops_board_merged_voted")

    # Build the logic model from the cards.
    page.get_by_role("link", name="ロジックモデルを編集").click()
    page.get_by_label("列").select_option(label="ニーズ")
    page.get_by_label("元のカード").select_option(label="ひきこもりが長く、働いた経験が少ない人（2）")
    page.get_by_role("button", name="項目を追加").click()
    page.get_by_text("項目を追加しました").wait_for()
    page.get_by_label("列").select_option(label="取り組み")
    page.get_by_label("項目の文言").fill("企業の仕事を切り出し、短時間から体験できるメニューをつくる")
    page.get_by_label("登録データの数値").select_option(label="地域で公開中の体験プログラム")
    page.get_by_role("button", name="項目を追加").click()
    page.get_by_text("項目を追加しました").wait_for()
    page.get_by_label("列").select_option(label="短期アウトカム")
    page.get_by_label("成果の種類").select_option(label="就労自立")
    page.get_by_label("項目の文言").fill("自分に合う仕事を体験を通して選べる")
    page.get_by_role("button", name="項目を追加").click()
    page.get_by_text("項目を追加しました").wait_for()
    for source, target in (("N1", "I1"), ("I1", "S1")):
        page.get_by_label("つなぐ元の項目").select_option(label=_option(page, "つなぐ元の項目", source))
        page.get_by_label("つなぐ先の項目").select_option(label=_option(page, "つなぐ先の項目", target))
        page.get_by_role("button", name="つながりを追加").click()
        page.get_by_text("つながりを追加しました").wait_for()
    assert page.locator(".lm-links").first.inner_text().strip().endswith("I1")
    assert_accessible(page, "workshops_logic_model_edit")

    # Download the PDF (A4 landscape) and read it back.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDFをダウンロード（A4横）").click()
    path = tmp_path / "logic-model.pdf"
    download_info.value.save_as(path)
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    text = "".join(p.extract_text() for p in reader.pages).replace("\n", "")
    assert "ひきこもりが長く、働いた経験が少ない人" in text and "自分に合う仕事を体験を通して選べる" in text
    assert float(reader.pages[0].mediabox.width) > float(reader.pages[0].mediabox.height)


def _option(page, label: str, code: str) -> str:
    """The full text of the option whose label starts with the item's code."""
    options = page.get_by_label(label).locator("option").all_inner_texts()
    return next(o for o in options if o.startswith(code + " "))


def test_enter_at_once_after_a_card_is_added_stays_in_place(page, transactional_db):
    """A form htmx swaps in is live at once: submitted in the very next task after the swap,
    the second card goes in place too (with htmx's default 20 ms settle, the browser posted it
    as a whole page)."""
    coordinator = MembershipFactory(role=Role.COORDINATOR).user
    agency = coordinator.memberships.get().agency
    session = SessionFactory(series=SeriesFactory(organiser=agency), number=1)
    log_in(page, coordinator)
    page.goto(f"/workshops/sessions/{session.uuid}/")
    # In the task right after htmx swaps the board in, the new form is filled and submitted.
    page.evaluate("""() => {
        window.samePage = true;
        document.body.addEventListener("htmx:afterSwap", () => setTimeout(() => {
            const field = document.querySelector("#capture input[name=text]");
            field.value = "二枚目";
            field.form.requestSubmit();
        }, 0), {once: true});
    }""")
    page.locator("#capture input[name=text]").fill("一枚目")
    page.locator("#capture input[name=text]").press("Enter")
    expect(page.get_by_role("status").filter(has_text="追加しました：二枚目")).to_be_visible()
    assert page.evaluate("window.samePage === true"), "the second card was posted as a whole page"
    assert page.url.endswith(f"/workshops/sessions/{session.uuid}/")
    assert sorted(OpinionCard.objects.filter(session=session).values_list("text", flat=True)) == ["一枚目", "二枚目"]
