"""The coordinator's journey: a task breakdown with three rows (added, reordered and removed on
one page through htmx), a program from two of them, a review link; the employer contact
comments and approves without an account; the coordinator publishes; a counselor of another
agency in the region finds it, a counselor of another prefecture cannot. axe: 0 violations."""

import re

from playwright.sync_api import expect

from sheets.programs.models import Program, ProgramStatus
from tests.e2e.conftest import assert_accessible, log_in


def add_row(page, duty: str, task: str, pace: str) -> None:
    form = page.locator("#add-row")
    if form.get_attribute("open") is None:
        form.locator("summary").click()
    form.locator('[name="new-duty"]').fill(duty)
    form.locator('[name="new-task"]').fill(task)
    form.get_by_label("座る").check()
    form.get_by_label("作業ペース").select_option(pace)
    form.get_by_role("button", name="この作業を追加").click()
    expect(page.locator("#rows-section").get_by_text(f"{duty}：{task}")).to_be_visible()


def test_breakdown_to_published_program(page, world, browser, live_server):
    log_in(page, world.coordinator_a)
    page.goto(f"/employers/{world.employer_a.uuid}/")
    page.get_by_role("link", name="業務・作業洗い出しシートを作成").click()
    page.get_by_label("訪問日").fill("2026-11-20")
    page.get_by_label("訪問者").fill("伊藤（自立相談）")
    assert_accessible(page, "sheets_breakdown_new")
    page.get_by_role("button", name="作成して作業を追加").click()
    expect(page.get_by_role("heading", name="業務・作業洗い出しシート")).to_be_visible()

    add_row(page, "内職", "部品の袋詰め", "1")
    # Added: the panel stays open, the keyboard on its first field for the next task.
    expect(page.locator("#add-row")).to_have_attribute("open", "")
    expect(page.locator('[name="new-duty"]')).to_be_focused()
    add_row(page, "内職", "検品", "3")
    add_row(page, "内職", "ラベル貼り", "0")
    assert_accessible(page, "sheets_breakdown_rows")
    # Reorder in place by keyboard: 検品 goes to the top, the keyboard stays on its buttons.
    page.get_by_role("button", name="「検品」を上へ移動").press("Enter")
    expect(page.locator(".task-row h3").first).to_contain_text("検品")
    expect(page.get_by_role("button", name="「検品」を下へ移動")).to_be_focused()  # up is disabled at the top
    # Edit in place by keyboard: the form's first field, then back on the row's 編集 after cancel
    # and after save (the element that had the focus is replaced each time).
    edit = page.get_by_role("link", name=re.compile(r"編集\s*：部品の袋詰め"))
    edit.press("Enter")
    row_form = page.locator(".task-row form")
    expect(row_form.locator("input:not([type=hidden]), select, textarea").first).to_be_focused()
    row_form.get_by_role("link", name="キャンセル").press("Enter")
    expect(edit).to_be_focused()
    page.keyboard.press("Enter")
    expect(row_form.locator("input:not([type=hidden]), select, textarea").first).to_be_focused()
    row_form.get_by_role("button", name="保存").press("Enter")
    expect(page.get_by_text("作業を保存しました。")).to_be_visible()
    expect(edit).to_be_focused()
    # Removed (the last row): the keyboard goes on to the form for a new task.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=re.compile(r"削除\s*：ラベル貼り")).press("Enter")
    expect(page.locator(".task-row")).to_have_count(2)
    expect(page.locator('[name="new-duty"]')).to_be_focused()

    page.get_by_role("link", name="作業からプログラムを作成").click()
    page.get_by_label("検品", exact=False).check()
    page.get_by_label("部品の袋詰め", exact=False).check()
    page.get_by_label("タイトル").fill("袋詰めと検品の体験")
    page.get_by_label("関わり方").select_option("experience")
    assert_accessible(page, "sheets_program_create")
    page.get_by_role("button", name="下書きを作成").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("袋詰めと検品の体験")
    page.get_by_label("すること").fill("部品を数えて袋に入れ、キズがないか確かめます。")
    assert_accessible(page, "sheets_program_edit")
    page.get_by_role("button", name="保存").click()
    program = Program.objects.get(title="袋詰めと検品の体験")
    assert program.demands["pace"] == 3  # the highest of the chosen rows

    page.get_by_role("button", name="確認用リンクを作成").click()
    link = page.get_by_label("新しい確認用リンク（一度だけ表示）").input_value()
    assert_accessible(page, "sheets_program_detail")

    # The employer contact, without an account.
    employer_page = browser.new_context(base_url=live_server.url, locale="ja-JP").new_page()
    employer_page.csp_violations = []  # as tests/e2e/conftest.py's page: the review page is CSP-checked too
    employer_page.on(
        "console",
        lambda msg: employer_page.csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    employer_page.goto(link)
    expect(employer_page.get_by_role("heading", level=1)).to_contain_text("袋詰めと検品の体験")
    section = employer_page.locator("#section-client")
    section.get_by_text("このシートにコメントする").click()
    section.get_by_label("コメント").fill("集合場所は裏口です。")
    section.get_by_role("button", name="コメントを送る").click()
    expect(employer_page.get_by_text("コメントを担当者に送りました")).to_be_visible()
    employer_page.locator("#approve").get_by_label("お名前").fill("森田 花子")
    employer_page.get_by_label("内容を確認し、承認します。").check()
    employer_page.get_by_role("button", name="この内容で承認する").click()
    expect(employer_page.get_by_text("森田 花子 様が")).to_be_visible()
    assert_accessible(employer_page, "sheets_review_page")
    employer_page.context.close()

    page.reload()
    expect(page.get_by_text("集合場所は裏口です。")).to_be_visible()
    page.get_by_role("button", name="公開する").click()
    expect(page.get_by_text("プログラムを公開しました（事業所の承認あり）。")).to_be_visible()
    program.refresh_from_db()
    assert program.status == ProgramStatus.PUBLISHED and program.employer_approved

    # A counselor of another agency in the same region finds it.
    page.context.clear_cookies()
    log_in(page, world.counselor_b)
    page.get_by_role("link", name="プログラム", exact=True).click()
    page.get_by_role("link", name="袋詰めと検品の体験").click()
    expect(page.get_by_role("heading", name="③ 支援員向けプログラム情報シート")).to_be_visible()
    assert_accessible(page, "sheets_program_detail_other_agency")

    # A counselor of another prefecture cannot.
    page.context.clear_cookies()
    log_in(page, world.counselor_c)
    response = page.goto(f"/programs/{program.uuid}/")
    assert response.status == 404
    page.goto("/programs/")
    expect(page.get_by_text("袋詰めと検品の体験")).to_have_count(0)
