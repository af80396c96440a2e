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


def test_reapproval_through_the_same_link_and_the_link_ends_at_publish(page, world, browser, live_server):
    """21.2 + 23.6: the employer's comment applied, the program page shows what changed since
    the approval; the same link waits, then shows the changed revision with its changes for a
    quick re-approval; publishing records the approval and ends the link."""
    from sheets.programs import services

    program = ProgramFactory(employer=world.employer_a, title="袋詰め体験", meeting_point="正門")
    _link, token = services.review_link_create(program=program, by=world.coordinator_a)
    employer = browser.new_context(base_url=live_server.url, locale="ja-JP").new_page()
    employer.goto(f"/review/{token}/")
    section = employer.locator("#section-client")
    section.get_by_text("このシートにコメントする").click()
    section.get_by_label("コメント").fill("集合場所は裏口です。")
    section.get_by_role("button", name="コメントを送る").click()
    employer.locator("#approve").get_by_label("お名前").fill("森田 花子")
    employer.get_by_label("内容を確認し、承認します。").check()
    employer.get_by_role("button", name="この内容で承認する").click()
    expect(employer.get_by_text("承認を記録しました")).to_be_visible()

    log_in(page, world.coordinator_a)
    page.goto(f"/programs/{program.uuid}/edit/")
    page.get_by_label("集合場所").fill("裏口")
    page.get_by_role("button", name="保存").click()
    box = page.locator("#review .alert-warning")
    expect(box).to_contain_text("森田 花子 様が第1版を承認した後に変更があります")
    expect(box.locator("del")).to_have_text("正門")
    expect(box.locator("ins")).to_have_text("裏口")
    # The link shows no later draft until it is sent again.
    employer.goto(f"/review/{token}/")
    expect(employer.get_by_text("新しいリンクは必要ありません")).to_be_visible()
    box.get_by_role("button", name="第2版を同じリンクで確認してもらう").click()
    expect(page.get_by_text("確認用リンクで第2版を見られるようにしました")).to_be_visible()
    assert_accessible(page, "coordinator_review_resent")

    employer.goto(f"/review/{token}/")
    expect(employer.get_by_role("heading", name="承認いただいた内容からの変更", exact=False)).to_be_visible()
    expect(employer.locator(".alert-warning ins")).to_have_text("裏口")
    employer.screenshot(path="test-artifacts/coordinator_review_reapproval.png", full_page=True)
    employer.locator("#approve").get_by_label("お名前").fill("森田 花子")
    employer.get_by_label("内容を確認し、承認します。").check()
    employer.get_by_role("button", name="この内容で承認する").click()
    expect(employer.get_by_text("承認を記録しました")).to_be_visible()

    page.reload()
    page.get_by_role("button", name="公開する").click()
    expect(page.get_by_text("プログラムを公開しました（事業所の承認あり）。")).to_be_visible()
    program.refresh_from_db()
    assert program.employer_approved is True and program.revision == 2
    expect(page.locator("#review")).to_contain_text("の公開で終了")
    # Returning to draft does not revive the link.
    page.get_by_role("button", name="下書きに戻す").click()
    employer.goto(f"/review/{token}/")
    expect(employer.get_by_role("heading", name="この確認用リンクは使えません")).to_be_visible()


def test_timetable_lines_are_added_in_place_up_to_eight(page, world):
    """21.6: 「行を追加」 adds a line in place (no save-and-reopen) until the sheet's 8 lines."""
    program = ProgramFactory(employer=world.employer_a, title="袋詰め体験")
    log_in(page, world.coordinator_a)
    page.goto(f"/programs/{program.uuid}/edit/")
    rows = page.locator("#timetable-rows tr")
    expect(rows).to_have_count(3)
    add = page.get_by_role("button", name="行を追加")
    for _ in range(5):
        add.click()
    expect(rows).to_have_count(8)
    expect(add).to_be_hidden()
    expect(page.get_by_text("シートに印刷できるのは8行までです")).to_be_visible()
    expect(page.get_by_label("時刻 8", exact=True)).to_be_focused()
    for i in range(1, 9):
        page.get_by_label(f"時刻 {i}", exact=True).fill(f"{8 + i}:00")
        page.get_by_label(f"内容 {i}", exact=True).fill(f"作業{i}")
    assert_accessible(page, "coordinator_timetable_eight_lines")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("袋詰め体験")
    assert [r.activity for r in program.timetable.all()] == [f"作業{i}" for i in range(1, 9)]


def test_new_review_link_has_copy_qr_and_mail_draft(page, world):
    """21.8: a copy button, a QR code for the printed hand-out, and a mail-to draft."""
    program = ProgramFactory(employer=world.employer_a, title="袋詰め体験")
    log_in(page, world.coordinator_a)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"/programs/{program.uuid}/")
    page.get_by_role("button", name="確認用リンクを作成").click()
    link = page.get_by_label("新しい確認用リンク（一度だけ表示）").input_value()
    page.get_by_role("button", name="コピー", exact=True).click()
    expect(page.locator("#copy-status")).to_have_text("コピーしました")
    assert page.evaluate("navigator.clipboard.readText()") == link
    expect(page.locator(".review-qr svg")).to_be_visible()
    mailto = page.get_by_role("link", name="事業所へのメールを下書き").get_attribute("href")
    assert mailto.startswith("mailto:") and "subject=" in mailto
    from urllib.parse import unquote

    assert link in unquote(mailto) and "袋詰め体験" in unquote(mailto)
    expect(page.get_by_role("button", name="印刷用の案内（QRコード付き）")).to_be_visible()
    assert_accessible(page, "coordinator_review_link_share")
    page.locator("#review").screenshot(path="test-artifacts/coordinator_review_link_share_card.png")


def test_a_visit_becomes_a_task_breakdown_without_typing_it_twice(page, world):
    """21.10: record a visit, follow the next step, and the sheet starts from (and links to) it."""
    from registry.models import EmployerVisit

    # A later visit listed above the new one, earlier ones below it: the page opens a little
    # way down, at the new visit (the confirmation was left just out of sight above it).
    for day in (21, *range(10, 16)):
        EmployerVisit.objects.create(
            employer=world.employer_a,
            visited_on=f"2026-11-{day}",
            visitors="田中",
            notes="作業の様子を見た。\n次回は写真。",
        )
    log_in(page, world.coordinator_a)
    page.goto(f"/employers/{world.employer_a.uuid}/")
    page.get_by_label("訪問日").fill("2026-11-20")
    page.get_by_label("訪問者").fill("伊藤（自立相談）")
    page.get_by_role("button", name="記録する", exact=True).click()
    # The page opens at the new visit; its confirmation and next step are there, in sight.
    expect(page.locator(".messages")).to_contain_text("訪問を記録しました")
    page.wait_for_function("scrollY > 0")  # the browser has gone to the new visit
    expect(page.locator(".messages")).to_be_in_viewport()
    page.locator(".messages").get_by_role("link", name="この訪問から洗い出しシートを作成").click()
    expect(page.get_by_label("訪問日")).to_have_value("2026-11-20")
    expect(page.get_by_label("訪問者")).to_have_value("伊藤（自立相談）")
    page.get_by_role("button", name="作成して作業を追加").click()
    expect(page.locator("#visit-record")).to_contain_text("伊藤（自立相談）")
    page.locator("#visit-record a").click()
    expect(page.get_by_role("link", name="この訪問の洗い出しシート")).to_be_visible()
    assert_accessible(page, "coordinator_visit_linked_to_breakdown")


def test_on_a_phone_targets_are_44px_and_the_added_task_message_is_in_view(browser, live_server, world):
    """21.11: during a visit on a phone, touch targets ≥ 44 px; after adding a task the success
    message is next to the form the user just used, inside the screen."""
    breakdown = TaskBreakdownFactory(employer=world.employer_a)
    for i in range(4):
        TaskRowFactory(breakdown=breakdown, task=f"既存の作業{i}")
    context = browser.new_context(
        base_url=live_server.url, locale="ja-JP", viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    page.csp_violations = []
    log_in(page, world.coordinator_a)
    page.goto(f"/employers/{world.employer_a.uuid}/breakdowns/{breakdown.uuid}/")
    form = page.locator("#add-row")
    form.locator("summary").click()
    form.locator('[name="new-duty"]').fill("内職")
    form.locator('[name="new-task"]').fill("ラベル貼り")
    form.get_by_role("button", name="この作業を追加").click()
    message = page.locator("#row-messages").get_by_text("追加しました")
    expect(message).to_be_in_viewport()
    small = page.evaluate(
        """() => [...document.querySelectorAll('#rows-section .btn, #rows-section summary')]
            .filter(el => el.offsetParent !== null)
            .map(el => [el.textContent.trim(), el.getBoundingClientRect().height])
            .filter(([, h]) => h < 44 && h > 0)"""
    )
    assert small == [], small
    page.screenshot(path="test-artifacts/coordinator_phone_task_added.png", full_page=False)
    context.close()
