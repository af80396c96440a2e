"""The other workshop pages pass axe too: series list and detail, the published logic model
read by another agency of the region, survey results, region progress with its diagram, and the
participant survey on a phone (no account)."""

import re
import uuid

from django.db import connection
from playwright.sync_api import expect

from registry.models import Role
from tests.e2e.conftest import ARTIFACTS, LINE_COUNT, ONE_LINE, assert_accessible, log_in
from tests.factories import AgencyFactory, MembershipFactory
from tests.workshops.factories import CardFactory, ItemFactory, SeriesFactory, SessionFactory
from workshops.models import CardHeading, LogicModelLink, Mechanism, OpinionCard, RegionStep, Status, SurveyAnswer
from workshops.survey import survey_token


def make_region():
    coordinator = MembershipFactory(role=Role.COORDINATOR, agency__name="伊丹市自立相談支援センター").user
    agency = coordinator.memberships.get().agency
    partner = AgencyFactory(region=agency.region, name="伊丹市社会福祉協議会")
    series = SeriesFactory(organiser=agency, participants=[partner], title="伊丹市 多機関参加型ワークショップ")
    session = SessionFactory(series=series, number=1)
    CardFactory(session=session, theme="needs", text="就職しても長続きしない人", votes=3)
    model = series.logic_model
    need = ItemFactory(logic_model=model, column="needs", text="就職しても長続きしない人")
    init = ItemFactory(
        logic_model=model, column="initiatives", text="体験プログラムシートをつくる", figure="programs_all"
    )
    LogicModelLink.objects.create(source=need, target=init)
    model.status = Status.PUBLISHED
    model.save()
    SurveyAnswer.objects.create(session=session, submission_id=uuid.uuid4(), new_connections=3, insights="顔が分かった")
    RegionStep.objects.create(region=agency.region, step="team", status="done", completed_on="2026-05-01")
    Mechanism.objects.create(region=agency.region, kind="shigoto_info", agency=agency)
    Mechanism.objects.create(region=agency.region, kind="transport", agency=partner)
    reader = MembershipFactory(role=Role.COUNSELOR, agency=partner).user
    return coordinator, reader, series, session


def test_workshop_pages_are_accessible(page, transactional_db):
    coordinator, _reader, series, _session = make_region()
    log_in(page, coordinator)
    page.goto("/workshops/")
    assert_accessible(page, "workshops_list")
    page.get_by_role("link", name="伊丹市 多機関参加型ワークショップ").click()
    assert_accessible(page, "workshops_series")
    page.get_by_role("link", name="参加者アンケート").click()
    expect(page.get_by_text("顔が分かった")).to_be_visible()
    assert_accessible(page, "workshops_survey_results")
    page.goto(f"/workshops/regions/{series.region.uuid}/")
    assert page.get_by_role("img").count() == 1
    assert_accessible(page, "workshops_region_progress")
    page.get_by_role("link", name="仕組みを追加").click()
    assert_accessible(page, "workshops_mechanism_form")


def test_the_published_logic_model_is_read_by_another_agency(page, transactional_db):
    _coordinator, reader, series, _session = make_region()
    log_in(page, reader)
    page.goto("/workshops/")
    page.get_by_role("link", name=series.logic_model.title).click()
    # A click waits only until the next page starts loading: wait for its text before counting.
    expect(page.get_by_text("体験プログラムシートをつくる")).to_be_visible()
    assert page.get_by_role("link", name="編集").count() == 0
    assert_accessible(page, "workshops_logic_model_read")


def test_a_participant_answers_the_survey_on_a_phone(page, transactional_db):
    _coordinator, _reader, _series, session = make_region()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/survey/{survey_token(session)}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page, "workshops_survey_phone")
    page.get_by_label("新たに知り合った他機関の人数").fill("2")
    page.get_by_label("これからやってみたいこと").fill("企業訪問に同行する")
    submit = page.get_by_role("button", name="送信")
    if connection.vendor == "sqlite":
        # The live server shares the test's in-memory SQLite connection between its threads, so two
        # simultaneous posts collide inside SQLite itself; the double tap is tested on PostgreSQL.
        submit.click()
    else:
        submit.dblclick()  # a double tap posts the same form twice
    # The page shown is the answer to whichever post the browser kept: 回答を受け付けました for
    # the first, この端末からの回答はすでに受け付けています for a second that reached the server.
    expect(page.get_by_role("heading", name="ありがとうございました")).to_be_visible()
    expect(
        page.get_by_text(re.compile("回答を受け付けました|この端末からの回答はすでに受け付けています"))
    ).to_be_visible()
    assert SurveyAnswer.objects.filter(next_steps="企業訪問に同行する").count() == 1
    assert_accessible(page, "workshops_survey_thanks")


def test_back_then_send_again_keeps_one_answer(page, transactional_db):
    """A participant answers, goes Back and presses 送信 again (or reloads the form): still one
    answer in the totals (issue 21 item 15)."""
    _coordinator, _reader, _series, session = make_region()
    before = SurveyAnswer.objects.count()
    page.goto(f"/survey/{survey_token(session)}/")
    page.get_by_label("これからやってみたいこと").fill("ハローワークと一緒に面談する")
    page.get_by_role("button", name="送信").click()
    page.get_by_text("回答を受け付けました").wait_for()
    page.go_back()
    page.wait_for_load_state()
    if page.get_by_role("button", name="送信").count():  # the form came back from the browser's cache
        page.get_by_label("これからやってみたいこと").fill("ハローワークと一緒に面談する")
        page.get_by_role("button", name="送信").click()
    page.get_by_text("この端末からの回答はすでに受け付けています").wait_for()
    page.reload()
    page.get_by_text("この端末からの回答はすでに受け付けています").wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "survey-already-answered.png"))
    assert SurveyAnswer.objects.count() == before + 1


def test_the_evaluation_charts_can_be_read_on_a_phone_and_printed(page, transactional_db):
    """At 375 px the charts were shrunk to half size (6 px words): they keep a readable size and
    scroll sideways in their box, with a hint, the page itself does not; on a PC and on paper they
    show whole, without the hint."""
    coordinator, _reader, _series, _session = make_region()
    log_in(page, coordinator)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/evaluation/")
    charts = page.locator(".ev-svg")
    assert charts.count() == 3
    for index in range(3):
        assert charts.nth(index).bounding_box()["width"] >= 640
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    expect(page.get_by_text("横にスクロールすると、グラフ全体を見られます。").first).to_be_visible()
    box = page.get_by_role("group", name="横にスクロールすると、グラフ全体を見られます。").first
    box.focus()  # the keyboard scrolls it too
    page.keyboard.press("ArrowRight")
    for _attempt in range(30):  # the browser may scroll smoothly
        if box.evaluate("e => e.scrollLeft") > 0:
            break
        page.wait_for_timeout(100)
    assert box.evaluate("e => e.scrollLeft") > 0
    assert page.get_by_role("table").count() >= 3  # the figures are in tables too
    # The wide tables scroll in their own focusable box instead of squeezing 「3件未満」 to 「3件未／満」.
    for name in ("グラフの数字", "の採用と"):
        region = page.get_by_role("region", name=re.compile(name))
        assert region.evaluate("e => e.tabIndex") == 0
        assert region.evaluate("e => e.scrollWidth > e.clientWidth")
    fewer = page.locator(".ev-table td", has_text="3件未満").first
    assert fewer.evaluate(ONE_LINE)
    assert_accessible(page, "evaluation_phone")

    for media, width in (("screen", 1280), ("print", 794)):  # 794 px: an A4 page
        page.emulate_media(media=media)
        page.set_viewport_size({"width": width, "height": 900})
        assert page.locator(".ev-scroll-hint:visible").count() == 0, media
        for index in range(3):
            scroller = charts.nth(index).locator("xpath=..")
            assert scroller.evaluate("e => e.scrollWidth <= e.clientWidth"), f"a chart is cut off ({media})"


def test_the_vote_buttons_stay_inside_the_card_on_a_phone(page, transactional_db):
    """At 375 px the words of a card gave way too little and pushed +1/−1 past the card's edge."""
    coordinator, _reader, _series, session = make_region()
    text = "見学→体験→短時間アルバイトと段階を踏めるようにする"
    CardFactory(session=session, theme="initiatives", text=text, votes=6)
    log_in(page, coordinator)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"/workshops/sessions/{session.uuid}/")
    cards = page.locator(".wcard:has(.votes .btn-group)")
    assert cards.count() >= 2
    for index in range(cards.count()):
        card = cards.nth(index)
        edge = card.evaluate("e => e.getBoundingClientRect().right - parseFloat(getComputedStyle(e).paddingRight)")
        buttons = card.locator(".votes .btn-group").evaluate("e => e.getBoundingClientRect().right")
        assert buttons <= edge + 0.5, (index, buttons, edge)


def test_after_deleting_a_card_the_board_opens_where_it_was_with_the_confirmation_in_view(page, transactional_db):
    """The board comes back at the card's theme (not its top), and 「カードを削除しました」 is moved
    there from the top of the page, where it was out of sight (a phone: the themes one below the other)."""
    coordinator, _reader, _series, session = make_region()
    for n in range(12):  # a long needs board above the initiatives
        CardFactory(session=session, theme="needs", text=f"ニーズの意見{n}")
    CardFactory(session=session, theme="initiatives", text="見学から始められるようにする")
    page.set_viewport_size({"width": 375, "height": 700})
    log_in(page, coordinator)
    page.goto(f"/workshops/sessions/{session.uuid}/")
    page.get_by_role("button", name=re.compile(r"削除.*見学から始められるようにする")).click()
    page.get_by_role("button", name="カードを削除する").click()
    page.wait_for_url(re.compile(r"#theme-initiatives$"))
    message = page.get_by_text("カードを削除しました：見学から始められるようにする")
    expect(message).to_be_in_viewport()
    expect(page.locator("#theme-initiatives")).to_be_in_viewport()
    # Both in sight at once, far from the top of the page.
    in_view = page.evaluate(
        """() => [document.querySelector('main .messages'), document.getElementById('theme-initiatives')]
            .every(e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; })"""
    )
    page.screenshot(path=str(ARTIFACTS / "card_deleted_phone.png"))
    assert in_view and page.evaluate("window.scrollY") > 700


def test_the_keyboard_lands_where_the_board_opens(page, transactional_db):
    """After 「まとめる」 or a merge the board opens at the card and highlights it: the keyboard goes
    there too, not to the top of the page. A merge refused goes to its message, not to the capture
    form's 意見 field. 「まとめる」 says which card it groups and looks like the card's other buttons."""
    coordinator, _reader, _series, session = make_region()
    CardHeading.objects.create(session=session, theme="needs", title="定着の壁")
    card = session.cards.get()
    other = CardFactory(session=session, theme="needs", text="すぐ辞めてしまう人")
    log_in(page, coordinator)
    page.goto(f"/workshops/sessions/{session.uuid}/")

    group = page.get_by_role("button", name=re.compile(f"^まとめる.*{card.text}$"))
    plus = page.get_by_role("button", name=f"1票追加：{card.text}")
    colour = "e => getComputedStyle(e).color + ' ' + getComputedStyle(e).borderColor"
    assert group.evaluate(colour) == plus.evaluate(colour)  # not the grey that read as disabled
    page.get_by_label(f"見出しを選ぶ：{card.text}").select_option(label="定着の壁")
    group.click()
    page.wait_for_url(re.compile(rf"#card-{card.uuid}$"))
    expect(page.locator(f"#card-{card.uuid}")).to_be_focused()

    page.get_by_label(f"統合するカードとして選ぶ：{card.text}").check()
    page.get_by_role("button", name="チェックしたカードを統合").click()
    expect(page.get_by_role("alert").filter(has_text="2枚以上のカードを選んでください。")).to_be_focused()

    page.get_by_label(f"統合するカードとして選ぶ：{other.text}").check()
    page.get_by_role("button", name="チェックしたカードを統合").click()
    page.wait_for_url(re.compile(r"#card-"))
    merged = OpinionCard.objects.get(originals=card)
    expect(page.locator(f"#card-{merged.uuid}")).to_be_focused()


def test_the_keyboard_lands_on_the_logic_model_item_just_added(page, transactional_db):
    coordinator, _reader, series, _session = make_region()
    log_in(page, coordinator)
    page.goto(f"/workshops/{series.uuid}/logic-model/edit/")
    page.get_by_label("列").select_option(label="ニーズ")
    page.get_by_label("項目の文言").fill("相談に来るまでに時間がかかる人")
    page.get_by_role("button", name="項目を追加").click()
    page.wait_for_url(re.compile(r"#item-"))
    expect(page.get_by_role("group", name="N2 相談に来るまでに時間がかかる人")).to_be_focused()


def test_the_table_fields_help_reads_on_one_or_two_lines(page, transactional_db):
    """「20文字まで。いま0文字」 under the narrow テーブル field took three lines."""
    coordinator, _reader, _series, session = make_region()
    log_in(page, coordinator)
    for width in (320, 375, 600, 800, 1000, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"/workshops/sessions/{session.uuid}/")
        help_text = page.locator("#id_table_helptext")
        expect(help_text).to_contain_text("いま0文字")
        assert help_text.evaluate(LINE_COUNT) <= 2, width


def test_a_long_logic_model_title_wraps_on_a_phone(page, transactional_db):
    """The demo's title, one phrase wider than the window, ran about 3 px past the right edge."""
    _coordinator, reader, series, _session = make_region()
    series.logic_model.title = "伊丹市 しごと・就労支援を切り口にした地域づくりロジックモデル目標ガイド"
    series.logic_model.save()
    log_in(page, reader)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"/workshops/{series.uuid}/logic-model/")
    title = page.get_by_role("heading", level=1)
    expect(title).to_have_text(series.logic_model.title)
    assert title.evaluate("e => e.getBoundingClientRect().right") <= 375 - 12  # inside the page's margin
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
