"""The coordinator's journeys of issue 21 (items 1–11) and the review link of issue 23.6, walked in
Chromium as a first-time coordinator would."""

from playwright.sync_api import expect

from sheets.programs.models import Program
from tests.e2e.conftest import assert_accessible, log_in
from tests.sheets.factories import ProgramFactory, TaskBreakdownFactory, TaskRowFactory


def test_a_program_from_five_ordinary_tasks_is_created(page, world):
    """21.1: five tasks whose joined 体への負担・作業環境 is longer than ③ prints."""
    breakdown = TaskBreakdownFactory(employer=world.employer_a)
    factors = [["noise", "smell"], ["heat_cold", "dust"], ["insects", "dirt"], ["noise", "dust"], ["smell"]]
    for i, task in enumerate(["段ボール箱の組み立て", "商品の検品と仕分け", "棚への品出し", "伝票の整理", "床の清掃"]):
        TaskRowFactory(
            breakdown=breakdown,
            task=task,
            place=["indoor_ac", "indoor", "outdoor"][i % 3],
            postures=["standing", "walking"],
            lifting_kg=5 + i,
            environment_factors=factors[i],
        )
    log_in(page, world.coordinator_a)
    page.goto(f"/programs/new/?employer={world.employer_a.uuid}")
    for box in page.locator('input[name="rows"]').all():
        box.check()
    page.get_by_label("タイトル").fill("倉庫の仕事の体験")
    page.get_by_label("関わり方").select_option("experience")
    page.get_by_role("button", name="下書きを作成").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("倉庫の仕事の体験")
    program = Program.objects.get(title="倉庫の仕事の体験")
    assert program.source_rows.count() == 5
    assert len(program.physical_notes) <= 150
    assert_accessible(page, "coordinator_program_from_five_tasks")


def test_program_form_shows_each_cap_with_a_live_counter(page, world):
    """21.5: 「N文字まで」 from the print caps, a live counter, and the refusal next to the field."""
    program = ProgramFactory(employer=world.employer_a, title="袋詰め体験")
    log_in(page, world.coordinator_a)
    page.goto(f"/programs/{program.uuid}/edit/")
    title = page.get_by_label("タイトル")
    help_text = page.locator("#id_title_helptext")
    expect(help_text).to_contain_text("50文字まで")
    expect(help_text).to_contain_text("いま5文字")
    title.fill("あ" * 53)
    expect(help_text).to_contain_text("3文字多すぎます")
    expect(page.locator("#id_breaks_helptext")).to_contain_text("40文字まで")
    expect(page.locator("#id_what_you_do_helptext")).to_contain_text("200文字まで")
    page.get_by_label("内容 1", exact=True).fill("い" * 41)
    expect(page.locator("#id_tt-0-activity-counter")).to_contain_text("1文字多すぎます")
    assert_accessible(page, "coordinator_program_form_counters")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#div_id_title .invalid-feedback")).to_contain_text("50")
    program.refresh_from_db()
    assert program.title == "袋詰め体験"
