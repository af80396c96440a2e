import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from registry.dates import add_months
from registry.models import AuditEntry
from sheets.breakdowns import services as breakdown_services
from sheets.breakdowns.models import TaskRow
from sheets.programs import services
from sheets.programs.models import Program, ProgramStatus, ReviewSection
from tests.sheets.factories import ProgramFactory, TaskBreakdownFactory, TaskRowFactory


@pytest.fixture
def breakdown(world):
    return TaskBreakdownFactory(employer=world.employer_a)


def rows_of(breakdown):
    return list(breakdown.rows.order_by("position").values_list("task", flat=True))


# --- Breakdowns and rows -------------------------------------------------------------------


def test_breakdown_create_and_stale_update(world):
    sheet = breakdown_services.breakdown_create(
        employer=world.employer_a, by=world.coordinator_a, visited_on=datetime.date(2026, 11, 1), visitors="伊藤"
    )
    breakdown_services.breakdown_update(breakdown=sheet, by=world.coordinator_a, version=1, unmet_needs="人手不足")
    with pytest.raises(services.StaleEditError):
        breakdown_services.breakdown_update(breakdown=sheet, by=world.coordinator_a, version=1, unmet_needs="上書き")
    sheet.refresh_from_db()
    assert sheet.unmet_needs == "人手不足" and sheet.version == 2


def test_counselor_cannot_write_breakdowns(world):
    with pytest.raises(PermissionDenied):
        breakdown_services.breakdown_create(
            employer=world.employer_a, by=world.counselor_a, visited_on=datetime.date(2026, 11, 1), visitors="x"
        )


def test_rows_are_added_moved_and_removed(world, breakdown):
    for name in ["袋詰め", "検品", "箱詰め"]:
        breakdown_services.row_add(breakdown=breakdown, by=world.coordinator_a, duty="内職", task=name)
    assert rows_of(breakdown) == ["袋詰め", "検品", "箱詰め"]
    third = breakdown.rows.get(task="箱詰め")
    breakdown_services.row_move(row=third, by=world.coordinator_a, direction="up")
    assert rows_of(breakdown) == ["袋詰め", "箱詰め", "検品"]
    first = breakdown.rows.get(task="袋詰め")
    breakdown_services.row_move(row=first, by=world.coordinator_a, direction="up")  # already at the top: no change
    assert rows_of(breakdown) == ["袋詰め", "箱詰め", "検品"]
    breakdown_services.row_move(row=first, by=world.coordinator_a, direction="down")
    assert rows_of(breakdown) == ["箱詰め", "袋詰め", "検品"]
    breakdown_services.row_remove(row=breakdown.rows.get(task="袋詰め"), by=world.coordinator_a)
    assert rows_of(breakdown) == ["箱詰め", "検品"]
    assert list(breakdown.rows.order_by("position").values_list("position", flat=True)) == [0, 1]


def test_bad_row_saves_nothing(world, breakdown):
    with pytest.raises(ValidationError) as exc:
        breakdown_services.row_add(
            breakdown=breakdown, by=world.coordinator_a, duty="内職", task="袋詰め", demands={"pace": 5}
        )
    assert "demands" in exc.value.message_dict
    assert not TaskRow.objects.exists()


def test_row_used_by_a_program_cannot_be_removed(world, breakdown):
    row = TaskRowFactory(breakdown=breakdown)
    breakdown_services.program_create_from_rows(
        employer=world.employer_a, rows=[row], by=world.coordinator_a, title="袋詰め体験", engagement_type="experience"
    )
    with pytest.raises(ValidationError):
        breakdown_services.row_remove(row=row, by=world.coordinator_a)


# --- Programs --------------------------------------------------------------------------------


def test_program_from_rows_copies_the_highest_rating_per_dimension(world, breakdown):
    rows = [
        TaskRowFactory(breakdown=breakdown, demands={"pace": 1, "stamina": 3}, days=["tue"], capacity=3),
        TaskRowFactory(breakdown=breakdown, demands={"pace": 2, "dexterity": 1}, days=["mon", "tue"], capacity=2),
    ]
    program = breakdown_services.program_create_from_rows(
        employer=world.employer_a, rows=rows, by=world.coordinator_a, title="袋詰め体験", engagement_type="experience"
    )
    assert program.demands == {"pace": 2, "stamina": 3, "dexterity": 1}
    assert program.days == ["mon", "tue"] and program.capacity == 2
    assert program.has_insurance and not program.is_paid  # 体験: insurance, no pay
    assert set(program.source_rows.all()) == set(rows)
    assert program.owner == world.agency_a and program.status == ProgramStatus.DRAFT and program.version == 1
    # The profile is a starting point: editing it does not touch the rows.
    services.program_update(program=program, by=world.coordinator_a, version=1, demands={"pace": 0})
    rows[1].refresh_from_db()
    assert rows[1].demands == {"pace": 2, "dexterity": 1}


def test_program_from_rows_of_another_employer_is_refused(world, breakdown):
    other_row = TaskRowFactory(breakdown__employer=world.employer_c)
    with pytest.raises(ValidationError):
        breakdown_services.program_create_from_rows(
            employer=world.employer_a, rows=[other_row], by=world.coordinator_a, title="x", engagement_type="visit"
        )
    assert not Program.objects.exists()


def test_stale_program_edit_is_refused_and_nothing_is_overwritten(world):
    program = ProgramFactory(employer=world.employer_a, title="元のタイトル")
    services.program_update(
        program=program, by=world.coordinator_a, version=1, title="先に保存", timetable=[("9:00", "朝礼")]
    )
    with pytest.raises(services.StaleEditError):
        services.program_update(program=program, by=world.agency_admin_a, version=1, title="後から", timetable=[])
    program.refresh_from_db()
    assert program.title == "先に保存" and program.version == 2
    assert [(r.time, r.activity) for r in program.timetable.all()] == [("9:00", "朝礼")]


def test_every_save_is_a_revision_with_who(world):
    program = ProgramFactory(employer=world.employer_a)
    services.program_update(program=program, by=world.coordinator_a, version=1, title="新しい題")
    services.program_publish(program=program, by=world.coordinator_a)
    records = list(program.history.order_by("history_date"))
    assert [r.history_change_reason for r in records[1:]] == ["update", "publish"]
    assert records[-1].history_user == world.coordinator_a and records[-1].version == 3


@pytest.mark.parametrize(
    ("name", "start", "end"),
    [
        ("submit_for_review", ProgramStatus.DRAFT, ProgramStatus.IN_REVIEW),
        ("publish", ProgramStatus.DRAFT, ProgramStatus.PUBLISHED),
        ("publish", ProgramStatus.IN_REVIEW, ProgramStatus.PUBLISHED),
        ("archive", ProgramStatus.PUBLISHED, ProgramStatus.ARCHIVED),
        ("archive", ProgramStatus.DRAFT, ProgramStatus.ARCHIVED),
        ("return_to_draft", ProgramStatus.IN_REVIEW, ProgramStatus.DRAFT),
        ("return_to_draft", ProgramStatus.ARCHIVED, ProgramStatus.DRAFT),
    ],
)
@pytest.mark.parametrize("who", ["coordinator_a", "agency_admin_a", "platform_admin"])
def test_transitions_by_coordinators(world, name, start, end, who):
    program = ProgramFactory(employer=world.employer_a, status=start)
    result = services.TRANSITION_SERVICES[name](program=program, by=getattr(world, who), version=1)
    assert result.status == end and result.version == 2


@pytest.mark.parametrize("name", ["submit_for_review", "publish", "archive", "return_to_draft"])
@pytest.mark.parametrize("who", ["counselor_a", "counselor_b", "counselor_c"])
def test_transitions_refused_to_others(world, name, who):
    program = ProgramFactory(employer=world.employer_a, status=ProgramStatus.IN_REVIEW)
    with pytest.raises(PermissionDenied):
        services.TRANSITION_SERVICES[name](program=program, by=getattr(world, who))
    program.refresh_from_db()
    assert program.status == ProgramStatus.IN_REVIEW and program.version == 1


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("submit_for_review", ProgramStatus.IN_REVIEW),
        ("publish", ProgramStatus.PUBLISHED),
        ("publish", ProgramStatus.ARCHIVED),
        ("archive", ProgramStatus.ARCHIVED),
        ("return_to_draft", ProgramStatus.DRAFT),
    ],
)
def test_transitions_from_the_wrong_status_are_refused(world, name, start):
    program = ProgramFactory(employer=world.employer_a, status=start)
    with pytest.raises(ValidationError):
        services.TRANSITION_SERVICES[name](program=program, by=world.coordinator_a)


def test_stale_transition_is_refused(world):
    program = ProgramFactory(employer=world.employer_a)
    with pytest.raises(services.StaleEditError):
        services.program_publish(program=program, by=world.coordinator_a, version=7)


def test_publish_and_archive_are_audited(world):
    program = ProgramFactory(employer=world.employer_a)
    services.program_publish(program=program, by=world.coordinator_a)
    services.program_archive(program=program, by=world.coordinator_a)
    actions = list(AuditEntry.objects.filter(target_id=str(program.uuid)).values_list("action", flat=True))
    assert set(actions) == {"program.publish", "program.archive"}
    publish = AuditEntry.objects.get(action="program.publish")
    assert publish.agency == world.agency_a and publish.actor == world.coordinator_a
    assert publish.detail["from"] == "draft"


# --- Review ----------------------------------------------------------------------------------


def test_review_link_approval_is_recorded_at_publish(world):
    program = ProgramFactory(employer=world.employer_a)
    services.program_submit_for_review(program=program, by=world.coordinator_a)
    link, token = services.review_link_create(program=program, by=world.coordinator_a)
    assert len(token) >= 40 and token not in link.token_hash
    found = services.review_link_for_token(token)
    assert found == link
    services.review_comment_add(link=found, section=ReviewSection.CLIENT, body="集合場所は裏口です", author_name="田中")
    services.review_approve(link=found, approver_name="田中 一郎")
    published = services.program_publish(program=program, by=world.coordinator_a)
    assert published.employer_approved is True
    assert AuditEntry.objects.get(action="program.publish").detail["approval"]["name"] == "田中 一郎"


def test_publish_without_approval_records_it(world):
    program = ProgramFactory(employer=world.employer_a)
    assert services.program_publish(program=program, by=world.coordinator_a).employer_approved is False


def test_content_change_after_approval_voids_it(world):
    program = ProgramFactory(employer=world.employer_a)
    link, _token = services.review_link_create(program=program, by=world.coordinator_a)
    services.review_approve(link=link, approver_name="田中")
    services.program_submit_for_review(program=program, by=world.coordinator_a)  # status only: still approved
    assert services.current_approval(program) is not None
    # The detail page passes the approvals it has read: same answer, no query of its own.
    assert services.current_approval(program, approvals=list(program.approvals.all())) == link.approvals.get()
    program.refresh_from_db()
    program = services.program_update(program=program, by=world.coordinator_a, version=program.version, title="変更")
    assert services.current_approval(program) is None
    assert services.current_approval(program, approvals=list(program.approvals.all())) is None
    assert services.current_approval(ProgramFactory(employer=world.employer_a), approvals=[]) is None


def test_review_links_expire_and_can_be_revoked(world):
    program = ProgramFactory(employer=world.employer_a)
    link, token = services.review_link_create(program=program, by=world.coordinator_a)
    assert services.review_link_for_token("not-a-token") is None
    link.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    link.save()
    with pytest.raises(services.LinkUnusable):
        services.review_link_for_token(token)
    link2, token2 = services.review_link_create(program=program, by=world.coordinator_a)
    with pytest.raises(PermissionDenied):
        services.review_link_revoke(link=link2, by=world.counselor_a)
    services.review_link_revoke(link=link2, by=world.coordinator_a)
    with pytest.raises(services.LinkUnusable):
        services.review_link_for_token(token2)


def test_review_link_of_archived_program_is_unusable(world):
    program = ProgramFactory(employer=world.employer_a)
    _link, token = services.review_link_create(program=program, by=world.coordinator_a)
    services.program_archive(program=program, by=world.coordinator_a)
    with pytest.raises(services.LinkUnusable):
        services.review_link_for_token(token)
    with pytest.raises(ValidationError):
        services.review_link_create(program=Program.objects.get(pk=program.pk), by=world.coordinator_a)


def test_empty_comment_is_refused(world):
    program = ProgramFactory(employer=world.employer_a)
    link, _token = services.review_link_create(program=program, by=world.coordinator_a)
    with pytest.raises(ValidationError):
        services.review_comment_add(link=link, section=ReviewSection.GENERAL, body="   ")
    with pytest.raises(ValidationError):
        services.review_approve(link=link, approver_name=" ")


# --- Re-verification ---------------------------------------------------------------------------


def test_reverify_records_who_when_how(world):
    program = ProgramFactory(employer=world.employer_a, status=ProgramStatus.PUBLISHED)
    services.program_reverify(program=program, by=world.coordinator_a, method="phone")
    program.refresh_from_db()
    assert program.last_verified_on == timezone.localdate()
    assert program.verified_by == world.coordinator_a and program.verification_method == "phone"
    with pytest.raises(PermissionDenied):
        services.program_reverify(program=program, by=world.counselor_a, method="phone")


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 11, 27), -12, datetime.date(2025, 11, 27)),
        (datetime.date(2026, 3, 31), -1, datetime.date(2026, 2, 28)),
        (datetime.date(2024, 2, 29), 12, datetime.date(2025, 2, 28)),
        (datetime.date(2026, 1, 15), -1, datetime.date(2025, 12, 15)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


def test_program_from_many_tasks_fits_the_derived_texts_to_the_print_caps(world, breakdown):
    """issue 21.1: the texts joined from the tasks never exceed a cap of a field the create form
    does not show; whole lines are kept and 「ほかN件」 says what was left out."""
    from sheets.programs.limits import PRINT_LIMITS

    places = ["indoor_ac", "indoor", "outdoor"]
    factors = [["noise", "smell"], ["heat_cold", "dust"], ["insects", "dirt"], ["noise", "dust"], ["smell", "dirt"]]
    rows = [
        TaskRowFactory(
            breakdown=breakdown,
            task=f"倉庫内の段ボール箱の組み立てと仕分け作業{i}",
            place=places[i % 3],
            postures=["standing", "walking", "crouching"],
            lifting_kg=10 + i,
            environment_factors=factors[i % 5],
            teaching_methods=["spoken", "written", "demonstration", "sample"],
        )
        for i in range(8)
    ]
    program = breakdown_services.program_create_from_rows(
        employer=world.employer_a, rows=rows, by=world.coordinator_a, title="倉庫の体験", engagement_type="experience"
    )
    for name in ("physical_notes", "instructions", "what_you_do"):
        assert len(getattr(program, name)) <= PRINT_LIMITS[name], name
    assert program.physical_notes.startswith("倉庫内の段ボール箱の組み立てと仕分け作業0：")
    assert re.search(r"ほか\d+件$", program.physical_notes)


def test_fit_parts_keeps_whole_parts_then_counts_the_rest():
    from sheets.programs.limits import fit_parts

    assert fit_parts(["あ" * 5, "い" * 5], 11) == "あああああ\nいいいいい"
    assert fit_parts(["あ" * 5, "い" * 5, "う" * 5], 12) == "あああああ\nほか2件"
    assert fit_parts(["あ" * 20], 10) == "あああああああああ…"
    assert len(fit_parts(["あ" * 20, "い"], 10)) <= 10


# --- Revisions, re-approval and review links bound to one revision (issue 21.2, 21.9, 23.6) -----


def test_only_content_changes_make_a_new_revision(world):
    """21.9: review, publication, re-verification and an unchanged save keep 第N版."""
    program = ProgramFactory(employer=world.employer_a)
    assert program.revision == 1
    program = services.program_submit_for_review(program=program, by=world.coordinator_a)
    program = services.program_return_to_draft(program=program, by=world.coordinator_a)
    program = services.program_update(
        program=program, by=world.coordinator_a, version=program.version, title=program.title
    )
    program = services.program_reverify(program=program, by=world.coordinator_a, method="phone")
    program = services.program_publish(program=program, by=world.coordinator_a)
    assert program.revision == 1 and program.version == 6
    program = services.program_update(
        program=program, by=world.coordinator_a, version=program.version, timetable=[("9:00", "朝礼")]
    )
    assert program.revision == 2


def test_a_review_link_shows_one_revision_and_ends_at_publish(world):
    """23.6: after a content change the link shows nothing later until it is sent again;
    publishing ends it, and returning to draft does not revive it."""
    program = ProgramFactory(employer=world.employer_a)
    link, token = services.review_link_create(program=program, by=world.coordinator_a)
    assert services.review_link_for_token(token) == link and link.revision == 1
    program = services.program_update(program=program, by=world.coordinator_a, version=program.version, title="新")
    with pytest.raises(services.LinkWaiting):
        services.review_link_for_token(token)
    services.review_link_resend(link=link, by=world.coordinator_a)
    assert services.review_link_for_token(token).revision == 2
    program = services.program_publish(program=program, by=world.coordinator_a)
    with pytest.raises(services.LinkUnusable):
        services.review_link_for_token(token)
    program = services.program_return_to_draft(program=program, by=world.coordinator_a)
    with pytest.raises(services.LinkUnusable):
        services.review_link_for_token(token)
    link.refresh_from_db()
    assert link.ended_at is not None


def test_reapproval_through_the_same_link_after_applying_a_comment(world):
    """21.2: the employer's comment applied, the same link re-approves the changed revision."""
    program = ProgramFactory(employer=world.employer_a, meeting_point="正門")
    link, token = services.review_link_create(program=program, by=world.coordinator_a)
    services.review_comment_add(link=link, section=ReviewSection.CLIENT, body="集合場所は裏口です")
    services.review_approve(link=link, approver_name="田中")
    program = services.program_update(
        program=program, by=world.coordinator_a, version=program.version, meeting_point="裏口"
    )
    assert services.current_approval(program) is None
    from sheets.programs.history import changes_since

    changes = changes_since(program, program.approvals.get())
    assert [(c.old, c.new) for c in changes] == [("正門", "裏口")]
    services.review_link_resend(link=link, by=world.coordinator_a)
    services.review_approve(link=services.review_link_for_token(token), approver_name="田中")
    assert services.program_publish(program=program, by=world.coordinator_a).employer_approved is True


def test_the_change_the_employer_asked_for_carries_the_approval_over(world):
    program = ProgramFactory(employer=world.employer_a, meeting_point="正門")
    link, _token = services.review_link_create(program=program, by=world.coordinator_a)
    services.review_comment_add(link=link, section=ReviewSection.CLIENT, body="集合場所は裏口です")
    services.review_approve(link=link, approver_name="田中")
    program = services.program_update(
        program=program, by=world.coordinator_a, version=program.version, meeting_point="裏口"
    )
    with pytest.raises(PermissionDenied):
        services.approval_carry_over(program=program, by=world.counselor_a)
    approval = services.approval_carry_over(program=program, by=world.coordinator_a)
    assert approval.confirmed_by == world.coordinator_a and approval.revision == 2
    with pytest.raises(ValidationError):  # covered already
        services.approval_carry_over(program=program, by=world.coordinator_a)
    assert services.program_publish(program=program, by=world.coordinator_a).employer_approved is True
    assert AuditEntry.objects.filter(action="review.approval_carry_over").count() == 1
