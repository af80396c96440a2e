"""The live character counter (static/js/char-counter.js) on a task row opened in place by htmx:
「あと N 文字」 near the cap, said politely once per threshold, and the refusal next to the field."""

import re

from playwright.sync_api import expect

from sheets.breakdowns.models import TaskRow
from tests.e2e.conftest import assert_accessible, log_in
from tests.sheets.factories import TaskBreakdownFactory, TaskRowFactory


def test_a_task_row_opened_in_place_counts_down_to_its_cap(page, world):
    breakdown = TaskBreakdownFactory(employer=world.employer_a)
    row = TaskRowFactory(breakdown=breakdown, duty="内職", task="袋詰め")
    log_in(page, world.coordinator_a)
    page.goto(f"/employers/{world.employer_a.uuid}/breakdowns/{breakdown.uuid}/")
    page.locator(f"#row-{row.uuid}").get_by_role("link", name="編集").click()
    task = page.locator(f"#id_row-{row.uuid}-task")
    expect(task).to_be_visible()  # the form came in by htmx, replacing the row's card
    counter = page.locator(f"#id_row-{row.uuid}-task-counter")
    expect(counter).to_have_text("いま3文字")
    assert "maxlength" not in (task.evaluate("el => el.outerHTML"))
    # The counter is part of what a screen reader says with the field.
    described = task.get_attribute("aria-describedby").split()
    assert f"id_row-{row.uuid}-task_helptext" in described
    live = counter.locator("xpath=../following-sibling::div[@aria-live='polite']")

    task.fill("あ" * 85)
    expect(counter).to_have_text("あと15文字")
    expect(live).to_have_text("あと15文字")  # crossing into "near" is said once…
    task.fill("あ" * 86)
    expect(counter).to_have_text("あと14文字")
    expect(live).to_have_text("あと15文字")  # …not on every key
    task.fill("あ" * 100)
    expect(counter).to_have_text("あと0文字")
    expect(live).to_have_text("あと0文字")
    task.fill("あ" * 102)  # a paste is not cut short: the counter says how much is over
    expect(counter).to_have_text("2文字多すぎます（102 / 100）")
    expect(live).to_have_text("2文字多すぎます（102 / 100）")
    assert_accessible(page, "breakdown_row_counter")

    page.locator(f"#row-{row.uuid}").get_by_role("button", name="保存").click()
    feedback = page.locator(f"#error_1_id_row-{row.uuid}-task")
    expect(feedback).to_contain_text("100文字までにしてください（いま102文字）。")
    # The form sent back by htmx has its counter again, quiet under the message that says the same.
    counter = page.locator(f"#id_row-{row.uuid}-task-counter")
    expect(counter).to_be_hidden()
    assert TaskRow.objects.get(pk=row.pk).task == "袋詰め"

    # At the first change the counter takes over from the message (whose count is of the text
    # sent); the field stays marked while it is too long, and no longer once it fits.
    task = page.locator(f"#id_row-{row.uuid}-task")
    task.fill("あ" * 101)
    expect(feedback).to_have_count(0)
    expect(page.locator(f"#id_row-{row.uuid}-task_error")).to_have_count(0)
    expect(counter).to_have_text("1文字多すぎます（101 / 100）")
    expect(task).to_have_class(re.compile(r"\bis-invalid\b"))
    assert task.get_attribute("aria-invalid") == "true"
    task.fill("あ" * 100)
    expect(counter).to_have_text("あと0文字")
    expect(task).not_to_have_class(re.compile(r"\bis-invalid\b"))
    assert task.get_attribute("aria-invalid") is None
    task.fill("あ" * 103)  # over again: marked again, the counter says it in red
    expect(counter).to_have_text("3文字多すぎます（103 / 100）")
    expect(task).to_have_class(re.compile(r"\bis-invalid\b"))


def test_a_field_with_the_browsers_maxlength_says_how_many_are_left(page, world):
    """Fields outside show_length_limits keep maxlength (the server's column size): the counter
    makes its stop visible instead of silent."""
    log_in(page, world.coordinator_a)
    page.goto(f"/employers/{world.employer_a.uuid}/")
    page.evaluate(
        """() => {
          const input = Object.assign(document.createElement("input"), {id: "probe", maxLength: 20});
          document.querySelector("main").append(input);
          document.dispatchEvent(new Event("chars:scan"));
        }"""
    )
    probe = page.locator("#probe")
    probe.fill("あ" * 10)
    expect(page.locator("#probe-counter")).to_be_hidden()
    probe.fill("あ" * 17)
    expect(page.locator("#probe-counter")).to_have_text("あと3文字")
    probe.fill("あ" * 25)  # the browser stops at 20, and now says so
    expect(page.locator("#probe-counter")).to_have_text("あと0文字")


def test_a_shortened_text_keeps_its_other_refusals(page, world):
    """Only the length message goes when the text fits: a character that prints as □ is still
    refused next to the field, which stays marked."""
    breakdown = TaskBreakdownFactory(employer=world.employer_a)
    row = TaskRowFactory(breakdown=breakdown, duty="内職", task="袋詰め")
    log_in(page, world.coordinator_a)
    page.goto(f"/employers/{world.employer_a.uuid}/breakdowns/{breakdown.uuid}/")
    page.locator(f"#row-{row.uuid}").get_by_role("link", name="編集").click()
    page.locator(f"#id_row-{row.uuid}-task").fill("🎉" + "あ" * 101)
    page.locator(f"#row-{row.uuid}").get_by_role("button", name="保存").click()
    feedback = page.locator(f"#id_row-{row.uuid}-task_error")
    expect(feedback).to_contain_text("100文字までにしてください（いま102文字）。")
    expect(feedback).to_contain_text("🎉")

    task = page.locator(f"#id_row-{row.uuid}-task")
    task.fill("🎉" + "あ" * 99)
    expect(feedback).not_to_contain_text("100文字までにしてください")
    expect(feedback).to_contain_text("🎉")
    expect(task).to_have_class(re.compile(r"\bis-invalid\b"))
    assert task.get_attribute("aria-invalid") == "true"
    assert TaskRow.objects.get(pk=row.pk).task == "袋詰め"
