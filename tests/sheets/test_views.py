import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from registry.dates import add_months
from sheets.breakdowns.models import TaskBreakdown, TaskRow
from sheets.programs import services
from sheets.programs.models import Program, ProgramStatus, ReviewApproval, ReviewComment
from tests.sheets.factories import ProgramFactory, TaskBreakdownFactory, TaskRowFactory


@pytest.fixture
def coordinator(world, login):
    return login(world.coordinator_a)


@pytest.fixture
def breakdown(world):
    return TaskBreakdownFactory(employer=world.employer_a)


def detail_url(breakdown):
    return reverse("breakdown_detail", args=[breakdown.employer.uuid, breakdown.uuid])


def tasks(breakdown):
    return list(breakdown.rows.order_by("position").values_list("task", flat=True))


# --- Breakdowns --------------------------------------------------------------------------------


def test_coordinator_creates_a_breakdown(world, coordinator):
    response = coordinator.post(
        reverse("breakdown_create", args=[world.employer_a.uuid]),
        {"visited_on": "2026-11-20", "visitors": "伊藤（自立相談）", "interviewee": "田中工場長"},
    )
    sheet = TaskBreakdown.objects.get()
    assert response.status_code == 302 and response.url == detail_url(sheet)
    page = coordinator.get(detail_url(sheet))
    assert "作業を追加" in page.content.decode()


def test_breakdown_bad_input_shows_japanese_error_and_saves_nothing(world, coordinator):
    response = coordinator.post(reverse("breakdown_create", args=[world.employer_a.uuid]), {"visitors": ""})
    assert response.status_code == 200
    assert "この項目は必須です。" in response.content.decode()
    assert not TaskBreakdown.objects.exists()


def test_rows_added_moved_removed_with_htmx(world, coordinator, breakdown):
    add = reverse("row_add", args=[world.employer_a.uuid, breakdown.uuid])
    for name in ["袋詰め", "検品"]:
        response = coordinator.post(
            add,
            {"new-duty": "内職", "new-task": name, "new-demand_pace": "2", "new-postures": ["sitting"]},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200
        assert 'id="rows-section"' in response.content.decode()
    assert tasks(breakdown) == ["袋詰め", "検品"]
    assert breakdown.rows.get(task="検品").demands == {"pace": 2}
    second = breakdown.rows.get(task="検品")
    move = reverse("row_move", args=[world.employer_a.uuid, breakdown.uuid, second.uuid])
    response = coordinator.post(move, {"direction": "up"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.index("検品") < html.index("袋詰め")
    assert tasks(breakdown) == ["検品", "袋詰め"]
    remove = reverse("row_remove", args=[world.employer_a.uuid, breakdown.uuid, second.uuid])
    response = coordinator.post(remove, HTTP_HX_REQUEST="true")
    assert "作業「検品」を削除しました。" in response.content.decode()
    assert tasks(breakdown) == ["袋詰め"]


def test_rows_full_page_fallback(world, coordinator, breakdown):
    row = TaskRowFactory(breakdown=breakdown, task="A")
    TaskRowFactory(breakdown=breakdown, task="B")
    move = reverse("row_move", args=[world.employer_a.uuid, breakdown.uuid, row.uuid])
    response = coordinator.post(move, {"direction": "down"})
    assert response.status_code == 302 and response.url.endswith(f"#row-{row.uuid}")
    assert tasks(breakdown) == ["B", "A"]
    edit = reverse("row_edit", args=[world.employer_a.uuid, breakdown.uuid, row.uuid])
    assert "<html" in coordinator.get(edit).content.decode()
    prefix = f"row-{row.uuid}"
    response = coordinator.post(
        edit, {f"{prefix}-duty": "内職", f"{prefix}-task": "A2", f"{prefix}-demand_stamina": "3"}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.task == "A2" and row.demands == {"stamina": 3}


def test_bad_row_shows_error_next_to_the_field_and_saves_nothing(world, coordinator, breakdown):
    add = reverse("row_add", args=[world.employer_a.uuid, breakdown.uuid])
    response = coordinator.post(
        add, {"new-duty": "内職", "new-task": "", "new-frequency": "daily", "new-months": ["1"]}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "この項目は必須です。" in html
    assert not TaskRow.objects.exists()
    response = coordinator.post(
        add, {"new-duty": "内職", "new-task": "x", "new-frequency": "daily", "new-months": ["1"]}
    )
    assert "時期（月）は季節の作業のときだけ選んでください。" in response.content.decode()
    assert not TaskRow.objects.exists()


def test_row_edit_htmx_answers_with_the_list(world, coordinator, breakdown):
    row = TaskRowFactory(breakdown=breakdown, task="A")
    edit = reverse("row_edit", args=[world.employer_a.uuid, breakdown.uuid, row.uuid])
    form = coordinator.get(edit, HTTP_HX_REQUEST="true")
    assert "<html" not in form.content.decode() and f'id="row-{row.uuid}"' in form.content.decode()
    prefix = f"row-{row.uuid}"
    response = coordinator.post(edit, {f"{prefix}-duty": "内職", f"{prefix}-task": "A3"}, HTTP_HX_REQUEST="true")
    assert response["HX-Retarget"] == "#rows-section"
    assert "A3" in response.content.decode()


def _focused(html: str) -> str:
    """The tag marked data-focus-here (static/js/form-errors.js focuses it after the swap)."""
    marked = re.findall(r"<[^<>]*data-focus-here[^<>]*>", html)
    assert len(marked) == 1, marked
    return marked[0]


def test_the_keyboard_goes_on_after_editing_and_removing_a_row(world, coordinator, breakdown):
    first, second, third = (TaskRowFactory(breakdown=breakdown, task=t) for t in ("A", "B", "C"))
    edit = reverse("row_edit", args=[world.employer_a.uuid, breakdown.uuid, first.uuid])
    # Opened in place: its first field (the row marked; form-errors.js takes its first field).
    assert f'id="row-{first.uuid}" data-focus-here' in coordinator.get(edit, HTTP_HX_REQUEST="true").content.decode()
    # Cancelled and saved: the row's 編集 link again.
    cancel = coordinator.get(edit + "?cancel=1", HTTP_HX_REQUEST="true")
    assert cancel["HX-Retarget"] == "#rows-section"
    assert f'href="{edit}"' in _focused(cancel.content.decode())
    prefix = f"row-{first.uuid}"
    saved = coordinator.post(edit, {f"{prefix}-duty": "内職", f"{prefix}-task": "A2"}, HTTP_HX_REQUEST="true")
    assert f'href="{edit}"' in _focused(saved.content.decode())
    # Sent back with an error: no mark, the invalid field takes the focus.
    refused = coordinator.post(edit, {f"{prefix}-duty": "内職", f"{prefix}-task": ""}, HTTP_HX_REQUEST="true")
    assert "data-focus-here" not in refused.content.decode()
    # Removed: the next row's 編集; the last one: the form for a new task.
    remove = reverse("row_remove", args=[world.employer_a.uuid, breakdown.uuid, second.uuid])
    html = coordinator.post(remove, HTTP_HX_REQUEST="true").content.decode()
    assert reverse("row_edit", args=[world.employer_a.uuid, breakdown.uuid, third.uuid]) in _focused(html)
    remove = reverse("row_remove", args=[world.employer_a.uuid, breakdown.uuid, third.uuid])
    assert 'id="add-row"' in _focused(coordinator.post(remove, HTTP_HX_REQUEST="true").content.decode())


# --- Programs ----------------------------------------------------------------------------------


def test_program_from_selected_rows(world, coordinator, breakdown):
    a = TaskRowFactory(breakdown=breakdown, demands={"pace": 1, "people": 2})
    b = TaskRowFactory(breakdown=breakdown, demands={"pace": 3})
    TaskRowFactory(breakdown=breakdown, demands={"stamina": 3})  # not chosen
    url = reverse("program_create") + f"?employer={world.employer_a.uuid}"
    page = coordinator.get(url)
    assert a.task in page.content.decode()
    response = coordinator.post(
        url, {"rows": [a.pk, b.pk], "title": "袋詰め体験", "engagement_type": "experience", "sharing_scope": "region"}
    )
    program = Program.objects.get()
    assert response.status_code == 302 and response.url == reverse("program_edit", args=[program.uuid])
    assert program.demands == {"pace": 3, "people": 2}


def test_program_from_no_rows_is_refused(world, coordinator, breakdown):
    url = reverse("program_create") + f"?employer={world.employer_a.uuid}"
    response = coordinator.post(url, {"title": "x", "engagement_type": "visit", "sharing_scope": "region"})
    assert "作業を1つ以上選んでください。" in response.content.decode()
    assert not Program.objects.exists()


def _edit_data(program, **overrides):
    data = {
        "version": program.version,
        "title": program.title,
        "engagement_type": program.engagement_type,
        "sharing_scope": program.sharing_scope,
        "tt-TOTAL_FORMS": "3",
        "tt-INITIAL_FORMS": "0",
        "tt-0-time": "9:00",
        "tt-0-activity": "あいさつ",
        "demand_pace": "2",
    }
    data.update(overrides)
    return data


def test_program_edit_saves_timetable_and_ratings(world, coordinator):
    program = ProgramFactory(employer=world.employer_a)
    response = coordinator.post(reverse("program_edit", args=[program.uuid]), _edit_data(program, title="新タイトル"))
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.title == "新タイトル" and program.demands == {"pace": 2} and program.version == 2
    assert [(t.time, t.activity) for t in program.timetable.all()] == [("9:00", "あいさつ")]


def test_timetable_times_are_written_as_the_sheet_prints_them(world, coordinator):
    program = ProgramFactory(employer=world.employer_a)
    rows = {
        **{"tt-TOTAL_FORMS": "4", "tt-0-time": "０９：３０", "tt-0-activity": "あいさつ"},
        **{"tt-1-time": "10:30～11:45", "tt-1-activity": "袋詰め", "tt-2-time": "12:00ごろ"},
        **{"tt-2-activity": "ふりかえり", "tt-3-time": "", "tt-3-activity": ""},
    }
    response = coordinator.post(reverse("program_edit", args=[program.uuid]), _edit_data(program, **rows))
    assert response.status_code == 302
    assert [t.time for t in program.timetable.all()] == ["9:30", "10:30〜11:45", "12:00ごろ"]


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        ("25:99", "10:00", "時と分で書いてください"),
        ("あさ", "10:00", "時と分で書いてください"),
        ("11:45〜10:30", "12:00", "終わりは始まりより後"),
        ("10:00", "9:00", "上の行より前の時刻です"),
    ],
)
def test_a_timetable_time_that_is_not_a_time_of_the_day_is_said_next_to_it(world, coordinator, first, second, message):
    program = ProgramFactory(employer=world.employer_a, title="元の題")
    data = _edit_data(
        program,
        title="新しい題",
        **{"tt-0-time": first, "tt-1-time": second, "tt-1-activity": "作業"},
    )
    response = coordinator.post(reverse("program_edit", args=[program.uuid]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert f'value="{first}"' in html and 'value="新しい題"' in html  # what was typed is kept
    program.refresh_from_db()
    assert program.title == "元の題" and not program.timetable.exists()


def test_stale_program_edit_is_refused_with_a_clear_message(world, coordinator):
    program = ProgramFactory(employer=world.employer_a, title="元")
    stale = _edit_data(program, title="古いフォーム")
    services.program_update(program=program, by=world.agency_admin_a, version=1, title="同僚の保存")
    response = coordinator.post(reverse("program_edit", args=[program.uuid]), stale)
    assert response.status_code == 400
    assert "編集中に他の人がこのプログラムを保存しました。上書きはしていません。" in response.content.decode()
    program.refresh_from_db()
    assert program.title == "同僚の保存" and not program.timetable.exists()


def test_program_edit_bad_input(world, coordinator):
    program = ProgramFactory(employer=world.employer_a)
    response = coordinator.post(
        reverse("program_edit", args=[program.uuid]), _edit_data(program, start_time="10:00", end_time="09:00")
    )
    assert response.status_code == 400
    assert "終了時刻は開始時刻より後にしてください。" in response.content.decode()
    program.refresh_from_db()
    assert program.version == 1


def test_transitions_through_the_page(world, coordinator):
    program = ProgramFactory(employer=world.employer_a)
    page = coordinator.get(reverse("program_detail", args=[program.uuid])).content.decode()
    assert "確認依頼に回す" in page and "公開する" in page and "下書きに戻す" not in page
    url = reverse("program_transition", args=[program.uuid, "publish"])
    response = coordinator.post(url, {"version": "1"}, follow=True)
    assert "プログラムを公開しました。この内容は事業所の承認を受けていません。" in response.content.decode()
    program.refresh_from_db()
    assert program.status == ProgramStatus.PUBLISHED and program.employer_approved is False
    # A second click from the same (stale) page changes nothing.
    response = coordinator.post(
        reverse("program_transition", args=[program.uuid, "archive"]), {"version": "1"}, follow=True
    )
    assert "このページを開いた後にプログラムが変更されました。" in response.content.decode()
    program.refresh_from_db()
    assert program.status == ProgramStatus.PUBLISHED


def test_counselor_sees_no_transition_buttons(world, login):
    program = ProgramFactory(employer=world.employer_a)
    page = login(world.counselor_a).get(reverse("program_detail", args=[program.uuid])).content.decode()
    assert "公開する" not in page and "確認用リンクを作成" not in page


def test_program_list_filters_by_status(world, coordinator):
    ProgramFactory(employer=world.employer_a, title="下書きA")
    ProgramFactory(employer=world.employer_a, title="公開B", status=ProgramStatus.PUBLISHED)
    html = coordinator.get(reverse("program_list"), {"status": "published"}).content.decode()
    assert "公開B" in html and "下書きA" not in html


def test_program_list_shows_other_agencies_only_published(world, login):
    ProgramFactory(employer=world.employer_a, title="下書きA")
    ProgramFactory(employer=world.employer_a, title="公開B", status=ProgramStatus.PUBLISHED)
    html = login(world.counselor_b).get(reverse("program_list")).content.decode()
    assert "公開B" in html and "下書きA" not in html


# --- History ---------------------------------------------------------------------------------


def test_history_lists_revisions_and_diffs_two(world, coordinator):
    program = ProgramFactory(employer=world.employer_a, title="旧題", demands={"pace": 1})
    coordinator.post(
        reverse("program_edit", args=[program.uuid]),
        _edit_data(program, title="新題", demand_pace="3", days=["tue", "thu"]),
    )
    services.program_publish(program=Program.objects.get(pk=program.pk), by=world.coordinator_a)
    page = coordinator.get(reverse("program_history", args=[program.uuid])).content.decode()
    assert "公開" in page and str(world.coordinator_a) in page
    first, second = program.history.order_by("history_date")[:2]
    html = coordinator.get(
        reverse("program_history", args=[program.uuid]), {"a": first.history_id, "b": second.history_id}
    ).content.decode()
    assert "1回目の保存から2回目の保存への変更" in html
    assert "シートの版" in html and "第2版" in html  # the content changed: the revision printed went up
    assert "旧題" in html and "新題" in html
    assert "作業ペース" in html  # the changed dimension, by its label
    assert "火、木" in html  # choice lists as labels
    assert "1日の流れ" in html and "あいさつ" in html  # the timetable is part of the revision


# --- Review ------------------------------------------------------------------------------------


@pytest.mark.parametrize("days", ["0", "61", "abc", ""])
def test_a_review_link_validity_out_of_range_is_said_next_to_the_field(world, coordinator, days):
    program = ProgramFactory(employer=world.employer_a, title="袋詰め体験")
    response = coordinator.post(reverse("review_link_create", args=[program.uuid]), {"days": days})
    assert response.status_code == 400
    html = response.content.decode()
    field = html.split('id="id_days"', 1)[1].split("</div>", 2)
    assert "is-invalid" in html.split('id="id_days"', 1)[0].rsplit("<input", 1)[1]
    assert "有効期間は1〜60日で入力してください。" in field[0] + field[1]
    assert f'value="{days}"' in html.split('name="days"', 1)[1].split(">", 1)[0]  # as typed
    assert not program.review_links.exists()


def test_review_link_journey(world, coordinator, client):
    program = ProgramFactory(employer=world.employer_a, title="袋詰め体験")
    response = coordinator.post(reverse("review_link_create", args=[program.uuid]), {"days": "7"}, follow=True)
    html = response.content.decode()
    assert "確認用リンクを作成しました。" in html
    url = html.split('id="new-link" value="')[1].split('"')[0]
    path = url.replace("http://testserver", "")
    # Shown once only.
    assert url not in coordinator.get(reverse("program_detail", args=[program.uuid])).content.decode()
    client.logout()
    page = client.get(path)
    assert page.status_code == 200 and "袋詰め体験" in page.content.decode()
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    response = client.post(
        path, {"action": "comment", "section": "client", "body": "集合場所は裏口です", "author_name": "田中"}
    )
    assert response.status_code == 302
    response = client.post(path, {"action": "comment", "section": "client", "body": ""})
    assert response.status_code == 400 and "この項目は必須です。" in response.content.decode()
    response = client.post(path, {"action": "approve", "approver_name": ""})
    assert response.status_code == 400 and not ReviewApproval.objects.exists()
    client.post(path, {"action": "approve", "approver_name": "田中 一郎", "confirm": "on"})
    assert ReviewComment.objects.get().section == "client"
    coordinator.force_login(world.coordinator_a)
    detail = coordinator.get(reverse("program_detail", args=[program.uuid])).content.decode()
    assert "集合場所は裏口です" in detail and "田中 一郎 様が" in detail
    coordinator.post(reverse("program_transition", args=[program.uuid, "publish"]))
    program.refresh_from_db()
    assert program.employer_approved is True


def test_expired_and_revoked_links_answer_410_in_japanese(world, client):
    program = ProgramFactory(employer=world.employer_a)
    link, token = services.review_link_create(program=program, by=world.coordinator_a)
    link.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    link.save()
    response = client.get(reverse("review_page", args=[token]))
    assert response.status_code == 410 and "この確認用リンクは使えません" in response.content.decode()
    link2, token2 = services.review_link_create(program=program, by=world.coordinator_a)
    services.review_link_revoke(link=link2, by=world.coordinator_a)
    assert client.get(reverse("review_page", args=[token2])).status_code == 410
    assert (
        client.post(reverse("review_page", args=[token2]), {"action": "approve", "approver_name": "x"}).status_code
        == 410
    )
    assert not ReviewApproval.objects.exists()
    assert client.get(reverse("review_page", args=["nope"])).status_code == 404


def test_revoke_through_the_page(world, coordinator):
    program = ProgramFactory(employer=world.employer_a)
    link, _token = services.review_link_create(program=program, by=world.coordinator_a)
    coordinator.post(reverse("review_link_revoke", args=[program.uuid, link.uuid]))
    link.refresh_from_db()
    assert link.revoked_at is not None


# --- Re-verification ---------------------------------------------------------------------------


def test_reverify_queue_and_one_click(world, coordinator, settings):
    settings.SHEETS_REVERIFY_MONTHS = 12
    today = timezone.localdate()
    old = ProgramFactory(
        employer=world.employer_a,
        title="古い",
        status=ProgramStatus.PUBLISHED,
        last_verified_on=today.replace(year=today.year - 2),
    )
    ProgramFactory(employer=world.employer_a, title="未確認", status=ProgramStatus.PUBLISHED, last_verified_on=None)
    ProgramFactory(employer=world.employer_a, title="最近", status=ProgramStatus.PUBLISHED, last_verified_on=today)
    ProgramFactory(employer=world.employer_a, title="下書きの古い", last_verified_on=datetime.date(2020, 1, 1))
    ProgramFactory(
        employer=world.employer_c,
        title="他機関の古い",
        status=ProgramStatus.PUBLISHED,
        last_verified_on=datetime.date(2020, 1, 1),
    )
    html = coordinator.get(reverse("reverify_queue")).content.decode()
    assert "古い" in html and "未確認" in html
    assert "最近" not in html and "下書きの古い" not in html and "他機関の古い" not in html
    response = coordinator.post(
        reverse("program_reverify", args=[old.uuid]), {"method": "visit", "next": reverse("reverify_queue")}
    )
    assert response.status_code == 302 and response.url == reverse("reverify_queue")
    old.refresh_from_db()
    assert (
        old.last_verified_on == today and old.verified_by == world.coordinator_a and old.verification_method == "visit"
    )
    assert reverse("program_detail", args=[old.uuid]) not in coordinator.get(reverse("reverify_queue")).content.decode()


def test_reverify_period_comes_from_settings(world, coordinator, settings):
    settings.SHEETS_REVERIFY_MONTHS = 1
    ProgramFactory(
        employer=world.employer_a,
        title="二か月前",
        status=ProgramStatus.PUBLISHED,
        last_verified_on=add_months(timezone.localdate(), -2),
    )
    assert "二か月前" in coordinator.get(reverse("reverify_queue")).content.decode()


def test_reverify_refuses_unknown_method(world, coordinator):
    program = ProgramFactory(employer=world.employer_a, status=ProgramStatus.PUBLISHED, last_verified_on=None)
    coordinator.post(reverse("program_reverify", args=[program.uuid]), {"method": "telepathy"})
    program.refresh_from_db()
    assert program.last_verified_on is None


# --- Employer page ---------------------------------------------------------------------------


def test_employer_page_shows_sheets_by_visibility(world, login, breakdown):
    ProgramFactory(employer=world.employer_a, title="下書きA")
    ProgramFactory(employer=world.employer_a, title="公開B", status=ProgramStatus.PUBLISHED)
    url = reverse("employer_detail", args=[world.employer_a.uuid])
    own = login(world.coordinator_a).get(url).content.decode()
    assert "洗い出しシートとプログラム" in own and "下書きA" in own and "公開B" in own
    assert reverse("breakdown_create", args=[world.employer_a.uuid]) in own
    other = login(world.counselor_b).get(url).content.decode()
    assert "公開B" in other and "下書きA" not in other
    assert reverse("breakdown_detail", args=[world.employer_a.uuid, breakdown.uuid]) not in other


def test_employer_page_counts_each_breakdowns_task_rows(world, login, breakdown):
    TaskRowFactory.create_batch(3, breakdown=breakdown)
    TaskRowFactory(breakdown=TaskBreakdownFactory(employer=world.employer_a))
    TaskBreakdownFactory(employer=world.employer_a)  # no rows yet
    own = login(world.coordinator_a).get(reverse("employer_detail", args=[world.employer_a.uuid])).content.decode()
    counts = re.findall(r"作業 (\d+) 件", own)
    assert sorted(counts) == ["0", "1", str(breakdown.rows.count())]


def test_employer_page_without_shared_programs_shows_no_section(world, login):
    ProgramFactory(employer=world.employer_a, title="下書きA")
    html = login(world.counselor_b).get(reverse("employer_detail", args=[world.employer_a.uuid])).content.decode()
    assert "洗い出しシートとプログラム" not in html


def test_archived_employer_gets_no_new_sheets(world, coordinator):
    assert coordinator.get(reverse("breakdown_create", args=[world.employer_a_archived.uuid])).status_code == 403
    url = reverse("program_create") + f"?employer={world.employer_a_archived.uuid}"
    assert coordinator.get(url).status_code == 403


def test_every_capped_field_states_its_print_cap_and_refuses_more(world, coordinator):
    """issue 21.5: the form's limit is the print cap (sheets/programs/limits.py), stated as
    「N文字まで」 with a counter, and a longer text is refused next to the field."""
    from sheets.programs.forms import ProgramForm
    from sheets.programs.limits import PRINT_LIMITS

    program = ProgramFactory(employer=world.employer_a)
    html = coordinator.get(reverse("program_edit", args=[program.uuid])).content.decode()
    form = ProgramForm(instance=program)
    for name, cap in PRINT_LIMITS.items():
        if name not in form.fields:
            continue
        assert f'data-max-chars="{cap}"' in str(form[name]), name
        assert f"{cap}文字まで" in str(form[name].help_text), name
    assert 'maxlength="100"' not in html and 'maxlength="200"' not in html
    assert 'data-max-chars="40"' in html  # the timetable's activity
    # A CR LF line break counts as one character, as on the sheet.
    text = "あ\r\n" * 60  # 180 characters with LF
    response = coordinator.post(
        reverse("program_edit", args=[program.uuid]),
        _edit_data(program, title="あ" * 51, what_you_do=text[:-2]),
    )
    assert response.status_code == 400
    page = response.content.decode()
    # Said plainly, in full-width brackets (Django's own: 「この値は 50 文字以下でなければなりません( 51 …」).
    assert re.search(r"id=\"error_1_id_title\"[^>]*>\s*<strong>50文字までにしてください（いま51文字）。", page)
    assert "what_you_do" not in response.context["form"].errors


def test_program_from_tasks_title_is_capped_like_the_sheet(world, coordinator, breakdown):
    row = TaskRowFactory(breakdown=breakdown)
    url = reverse("program_create") + f"?employer={world.employer_a.uuid}"
    html = coordinator.get(url).content.decode()
    assert 'data-max-chars="50"' in html and "50文字まで" in html
    response = coordinator.post(url, {"rows": [row.pk], "title": "あ" * 51, "engagement_type": "experience"})
    assert response.status_code == 200 and "title" in response.context["form"].errors
    assert not Program.objects.exists()


def test_coordinator_home_shows_program_work_with_counts_and_links(world, coordinator, login):
    """21.3: drafts, in review, the employer's comments and approvals, the re-verify queue."""
    ProgramFactory(employer=world.employer_a, title="下書きの体験")
    in_review = ProgramFactory(employer=world.employer_a, status=ProgramStatus.IN_REVIEW)
    link, _token = services.review_link_create(program=in_review, by=world.coordinator_a)
    services.review_comment_add(link=link, section="client", body="集合場所は裏口です")
    services.review_approve(link=link, approver_name="森田")
    ProgramFactory(
        employer=world.employer_a, status=ProgramStatus.PUBLISHED, last_verified_on=datetime.date(2020, 1, 1)
    )
    html = coordinator.get(reverse("dashboard")).content.decode()
    assert "プログラムの作業" in html
    assert f'href="{reverse("program_list")}?status=draft"' in html
    assert f'href="{reverse("program_list")}?status=in_review"' in html
    assert f'href="{reverse("reverify_queue")}"' in html
    assert "集合場所は裏口です" in html and "森田 様が承認" in html
    counts = re.findall(r'<div class="fs-4 fw-bold">(\d+)</div>', html)
    assert counts == ["1", "1", "2", "1"]
    # Counselors have no program work on their home.
    assert "プログラムの作業" not in login(world.counselor_a).get(reverse("dashboard")).content.decode()


def test_no_english_blank_option_in_the_program_form(world, coordinator):
    """21.7: Django's 「- Select an option -」 (no Japanese in its catalogue) is translated."""
    program = ProgramFactory(employer=world.employer_a)
    html = coordinator.get(reverse("program_edit", args=[program.uuid])).content.decode()
    assert "Select an option" not in html
    assert '<option value="">選んでください</option>' in html


def test_a_revoked_review_link_says_when(world, coordinator):
    """21.7: 「無効にした日時」 without a date → 「<date>に無効化」."""
    program = ProgramFactory(employer=world.employer_a)
    link, _token = services.review_link_create(program=program, by=world.coordinator_a)
    services.review_link_revoke(link=link, by=world.coordinator_a)
    html = coordinator.get(reverse("program_detail", args=[program.uuid])).content.decode()
    assert "無効にした日時" not in html
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日に無効化", html)


def test_intro_sections_are_in_the_employer_journey_and_named_when_empty(world, coordinator, breakdown):
    """21.4: the employer page has a ① card with the way to write it; the program page names the
    ① sections that would print empty; 21.10: it links its employer and source breakdown."""
    from sheets.printing.models import EmployerIntro

    row = TaskRowFactory(breakdown=breakdown)
    program = ProgramFactory(employer=world.employer_a)
    program.source_rows.set([row])
    intro_url = reverse("employer_intro_edit", args=[world.employer_a.uuid])
    html = coordinator.get(reverse("employer_detail", args=[world.employer_a.uuid])).content.decode()
    assert "① 事業所紹介シート" in html and intro_url in html and "①で空欄の項目" in html
    html = coordinator.get(reverse("program_detail", args=[program.uuid])).content.decode()
    assert "次の項目が空欄のまま印刷されます" in html and intro_url in html
    assert "雰囲気" in html.split('id="intro-gaps"')[1].split("</div>")[0]
    assert reverse("employer_detail", args=[world.employer_a.uuid]) in html
    assert reverse("breakdown_detail", args=[world.employer_a.uuid, breakdown.uuid]) in html
    EmployerIntro.objects.create(
        employer=world.employer_a,
        atmosphere="明るい",
        facilities=["toilet"],
        house_rules="あいさつ",
        message="ようこそ",
    )
    html = coordinator.get(reverse("program_detail", args=[program.uuid])).content.decode()
    assert 'id="intro-gaps"' not in html


def test_history_shows_another_agency_only_the_versions_shared_with_it(world, coordinator, login):
    """Text that was only ever in a draft (or shared with its own agency only) stays the owning
    agency's, also after the program is published: not listed, not compared, not named."""
    program = ProgramFactory(employer=world.employer_a, title="皿洗い体験")
    coordinator.post(reverse("program_edit", args=[program.uuid]), _edit_data(program, cautions="下書きだけの内部メモ"))
    program.refresh_from_db()
    coordinator.post(reverse("program_edit", args=[program.uuid]), _edit_data(program, cautions=""))
    services.program_publish(program=Program.objects.get(pk=program.pk), by=world.coordinator_a)
    program.refresh_from_db()
    coordinator.post(reverse("program_edit", args=[program.uuid]), _edit_data(program, cautions="公開後の注意"))
    history = list(program.history.order_by("history_date"))
    drafts = [r for r in history if r.status != ProgramStatus.PUBLISHED]
    assert len(drafts) >= 3  # made, and the two edits of the draft

    own = coordinator.get(reverse("program_history", args=[program.uuid]), {"a": drafts[1].history_id})
    assert "下書きだけの内部メモ" in own.content.decode()  # the owning agency sees every version

    other = login(world.counselor_b)
    page = other.get(reverse("program_history", args=[program.uuid]))
    assert {r.history_id for r in page.context["revisions"]} <= {
        r.history_id for r in history if r.status == ProgramStatus.PUBLISHED
    }
    assert "公開後の注意" in page.content.decode()
    for draft in drafts:  # asked for by id: the default comparison instead, never the draft
        for older, newer in ((draft, history[-1]), (history[-1], draft)):
            html = other.get(
                reverse("program_history", args=[program.uuid]), {"a": older.history_id, "b": newer.history_id}
            ).content.decode()
            assert "下書きだけの内部メモ" not in html


def test_history_says_when_it_was_published_in_japan_time(world, coordinator):
    program = ProgramFactory(employer=world.employer_a, title="皿洗い体験")
    services.program_publish(program=Program.objects.get(pk=program.pk), by=world.coordinator_a)
    published_at = Program.objects.get(pk=program.pk).published_at
    html = coordinator.get(reverse("program_history", args=[program.uuid])).content.decode()
    local, utc = timezone.localtime(published_at), published_at.astimezone(datetime.UTC)
    assert local.hour != utc.hour  # Asia/Tokyo: the two readings differ
    assert f"{local.hour}:{local.minute:02d}" in html.split("公開日時", 1)[1].split("</tr>", 1)[0]


def test_history_names_every_kind_of_save_in_words(world, coordinator):
    """What the history's 「内容」 says comes from the saving service's reason: an imported
    program said "import" (walking the product)."""
    from registry.services import save_with_history

    program = ProgramFactory(employer=world.employer_a, title="取り込んだ体験")
    program.title = "取り込み直した体験"
    save_with_history(program, by=world.coordinator_a, reason="import")
    page = coordinator.get(reverse("program_history", args=[program.uuid]))
    reasons = [str(r.reason_label) for r in page.context["revisions"]]
    assert "表計算ファイルから取り込み" in reasons
    assert not [reason for reason in reasons if re.fullmatch(r"[a-z_]+", reason)]  # no service's key shown


def test_the_error_summary_links_each_message_to_its_field(world, coordinator):
    # A program's form is three sheets long: the box at its top names every field to correct and
    # goes to it (a select, a timetable row's input), not just "see below".
    import re

    from sheets.programs.limits import PRINT_LIMITS

    program = ProgramFactory(employer=world.employer_a)
    bad = {"title": "あ" * (PRINT_LIMITS["title"] + 1), "demand_pace": "9", "tt-0-time": "あさ", "days": ["x"]}
    response = coordinator.post(reverse("program_edit", args=[program.uuid]), _edit_data(program, **bad))
    assert response.status_code == 400
    html = response.content.decode()
    summary = html.split('class="alert alert-danger error-summary"', 1)[1].split("</div>", 1)[0]
    found = re.findall(r'<a href="#([^"]+)" class="alert-link">([^<]+)</a>', summary)
    # In the page's order: the timetable at the end of ②, the ratings at the end of ③.
    assert [anchor for anchor, _label in found] == ["id_title", "id_days_0", "id_tt-0-time", "id_demand_pace"]
    links = dict(found)
    assert links["id_tt-0-time"].endswith(" 1")  # the timetable's first row
    # A group of checkboxes is reached at its first box.
    for anchor in links:
        assert f'id="{anchor}"' in html  # the link lands on the field
    assert "時と分で書いてください" in summary


def test_a_timetable_line_too_long_is_said_like_any_field(world, coordinator):
    """A timetable line is rendered by hand: its message is tied to the input (aria) and carries
    its code, so that the live counter puts it away once the line is short enough."""
    from sheets.programs.limits import PRINT_LIMITS

    program = ProgramFactory(employer=world.employer_a)
    long_line = {"tt-0-time": "9:00", "tt-0-activity": "あ" * (PRINT_LIMITS["timetable_activity"] + 1)}
    response = coordinator.post(reverse("program_edit", args=[program.uuid]), _edit_data(program, **long_line))
    assert response.status_code == 400
    html = response.content.decode()
    field = html.split('id="id_tt-0-activity"', 1)[1].split(">", 1)[0]
    assert 'aria-invalid="true"' in field and 'aria-describedby="id_tt-0-activity_error"' in field
    message = html.split('id="id_tt-0-activity_error"', 1)[1].split("</div>", 1)[0]
    assert 'data-error-code="max_length"' in message and "文字までにしてください" in message


def test_a_program_from_a_breakdown_starts_with_its_tasks_ticked(world, coordinator, breakdown):
    """Opened from a task breakdown (its 「作業からプログラムを作成」), the form ticks that sheet's
    tasks; another sheet's tasks of the employer are listed, not ticked."""
    from tests.sheets.factories import TaskBreakdownFactory

    mine = [TaskRowFactory(breakdown=breakdown, task=f"この訪問の作業{n}") for n in range(2)]
    other = TaskRowFactory(breakdown=TaskBreakdownFactory(employer=world.employer_a), task="別の訪問の作業")
    sheet = coordinator.get(reverse("breakdown_detail", args=[world.employer_a.uuid, breakdown.uuid])).content.decode()
    link = f"{reverse('program_create')}?employer={world.employer_a.uuid}&amp;breakdown={breakdown.uuid}"
    assert link in sheet
    form = coordinator.get(link.replace("&amp;", "&")).context["form"]
    assert sorted(form["rows"].value()) == sorted(row.pk for row in mine)
    html = str(form["rows"])
    assert html.count("checked") == 2 and "別の訪問の作業" in html and other.pk not in form["rows"].value()
    # Not a uuid of this employer's sheets: nothing ticked, no error.
    assert (
        coordinator.get(reverse("program_create"), {"employer": world.employer_a.uuid, "breakdown": "x"}).status_code
        == 200
    )
