"""Every write to task breakdowns, programs and reviews: keyword-only, validated, in one
transaction, with one audit entry (registry.services.audit).

Programs carry `version`: it rises on every saved change (content, status, re-verification),
so it is both the optimistic lock and the revision number printed on the sheets (第N版).
Each save leaves a django-simple-history record whose change reason names the service."""

import calendar
import datetime
import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.models import Employer, User
from registry.services import StaleEditError, audit
from sheets import access
from sheets.dimensions import max_ratings
from sheets.models import (
    EngagementType,
    Place,
    Program,
    ProgramStatus,
    ReviewApproval,
    ReviewComment,
    ReviewLink,
    ReviewSection,
    TaskBreakdown,
    TaskRow,
    TimetableRow,
    VerificationMethod,
)
from sheets.search import refresh_programs_of_rows, refresh_search_fields

__all__ = ["StaleEditError"]

REVIEW_LINK_VALID_DAYS = 14
CONTENT_CHANGE_REASONS = ("create", "update")


def _require_coordinator(by: User, agency_id: int) -> None:
    """Views check first; services check again so no caller can skip the rule."""
    if not access.is_coordinator_of(by, agency_id):
        raise PermissionDenied


def _save_with_history(obj, *, by: User | None, reason: str) -> None:
    obj._history_user = by
    obj._change_reason = reason
    obj.save()


# --- Task breakdowns --------------------------------------------------------------------

BREAKDOWN_FIELDS = ("visited_on", "visitors", "interviewee", "unmet_needs", "culture_notes")
ROW_FIELDS = (
    "duty",
    "task",
    "steps",
    "frequency",
    "months",
    "duration_minutes",
    "batch_size",
    "place",
    "postures",
    "lifting_kg",
    "tools",
    "protective_gear",
    "environment_factors",
    "teaching_methods",
    "demands",
    "cut_out",
    "cut_out_conditions",
    "engagement_types",
    "capacity",
    "days",
    "time_slots",
)


def _pick(fields: dict, allowed: Sequence[str]) -> dict:
    return {k: v for k, v in fields.items() if k in allowed}


@transaction.atomic
def breakdown_create(*, employer: Employer, by: User, **fields) -> TaskBreakdown:
    _require_coordinator(by, employer.owner_id)
    breakdown = TaskBreakdown(employer=employer, created_by=by, **_pick(fields, BREAKDOWN_FIELDS))
    breakdown.full_clean()
    breakdown.save()
    audit(by=by, agency=employer.owner, action="breakdown.create", target=breakdown, employer=str(employer.uuid))
    return breakdown


@transaction.atomic
def breakdown_update(*, breakdown: TaskBreakdown, by: User, version: int, **fields) -> TaskBreakdown:
    current = TaskBreakdown.objects.select_for_update().select_related("employer__owner").get(pk=breakdown.pk)
    _require_coordinator(by, current.employer.owner_id)
    if current.version != version:
        raise StaleEditError
    for name, value in _pick(fields, BREAKDOWN_FIELDS).items():
        setattr(current, name, value)
    current.version += 1
    current.full_clean()
    current.save()
    audit(by=by, agency=current.employer.owner, action="breakdown.update", target=current, fields=sorted(fields))
    return current


def _locked_breakdown(breakdown: TaskBreakdown, by: User) -> TaskBreakdown:
    """Row changes lock their sheet so concurrent reorders cannot interleave."""
    current = TaskBreakdown.objects.select_for_update().select_related("employer__owner").get(pk=breakdown.pk)
    _require_coordinator(by, current.employer.owner_id)
    return current


@transaction.atomic
def row_add(*, breakdown: TaskBreakdown, by: User, **fields) -> TaskRow:
    sheet = _locked_breakdown(breakdown, by)
    last = sheet.rows.aggregate(last=Max("position"))["last"]
    row = TaskRow(breakdown=sheet, position=0 if last is None else last + 1, **_pick(fields, ROW_FIELDS))
    row.full_clean()
    _save_with_history(row, by=by, reason="create")
    audit(by=by, agency=sheet.employer.owner, action="breakdown.row_add", target=sheet, row=str(row.uuid))
    return row


@transaction.atomic
def row_update(*, row: TaskRow, by: User, **fields) -> TaskRow:
    sheet = _locked_breakdown(row.breakdown, by)
    current = TaskRow.objects.get(pk=row.pk)
    for name, value in _pick(fields, ROW_FIELDS).items():
        setattr(current, name, value)
    current.full_clean()
    _save_with_history(current, by=by, reason="update")
    refresh_programs_of_rows([current])  # programs made from the row carry its text
    audit(by=by, agency=sheet.employer.owner, action="breakdown.row_update", target=sheet, row=str(row.uuid))
    return current


@transaction.atomic
def row_remove(*, row: TaskRow, by: User) -> None:
    sheet = _locked_breakdown(row.breakdown, by)
    if row.programs.exists():
        raise ValidationError(_("This task is used by a program and cannot be removed."))
    uuid = str(row.uuid)
    row._history_user = by
    row.delete()
    _renumber(sheet)
    audit(by=by, agency=sheet.employer.owner, action="breakdown.row_remove", target=sheet, row=uuid)


def _renumber(sheet: TaskBreakdown) -> list[TaskRow]:
    rows = list(sheet.rows.order_by("position", "id"))
    for index, row in enumerate(rows):
        if row.position != index:
            TaskRow.objects.filter(pk=row.pk).update(position=index)
            row.position = index
    return rows


@transaction.atomic
def row_move(*, row: TaskRow, by: User, direction: str) -> None:
    """Swap the row with its neighbour above ("up") or below ("down"); at an end, nothing."""
    if direction not in ("up", "down"):
        raise ValidationError(_("Unknown direction."))
    sheet = _locked_breakdown(row.breakdown, by)
    rows = _renumber(sheet)
    index = next(i for i, r in enumerate(rows) if r.pk == row.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(rows):
        return
    TaskRow.objects.filter(pk=rows[index].pk).update(position=other)
    TaskRow.objects.filter(pk=rows[other].pk).update(position=index)
    audit(by=by, agency=sheet.employer.owner, action="breakdown.row_move", target=sheet, row=str(row.uuid))


# --- Programs ---------------------------------------------------------------------------

PROGRAM_FIELDS = (
    "title",
    "engagement_type",
    "is_paid",
    "has_contract",
    "has_insurance",
    "supporter_may_accompany",
    "what_you_do",
    "days",
    "start_time",
    "end_time",
    "breaks",
    "period",
    "meeting_point",
    "clothing",
    "belongings",
    "lunch",
    "pay",
    "travel_costs",
    "capacity",
    "application_window",
    "suits",
    "can_find_out",
    "how_to_apply",
    "demands",
    "confirmable",
    "physical_notes",
    "instructions",
    "task_change",
    "onsite_supporter",
    "accommodations",
    "accommodations_notes",
    "cautions",
    "next_step",
    "sharing_scope",
)

# The usual flags of each engagement type (domain guide); the coordinator can change them.
ENGAGEMENT_DEFAULTS = {
    EngagementType.VISIT: {"is_paid": False, "has_contract": False, "has_insurance": False},
    EngagementType.EXPERIENCE: {"is_paid": False, "has_contract": False, "has_insurance": True},
    EngagementType.PART_TIME: {"is_paid": True, "has_contract": True, "has_insurance": True},
    EngagementType.FLEXIBLE: {"is_paid": True, "has_contract": True, "has_insurance": True},
}


def starting_values_from_rows(rows: Sequence[TaskRow]) -> dict:
    """What the selected task rows already tell about the program: the demand profile (per
    dimension the highest rating among the rows), days, capacity, physical notes, teaching."""
    values: dict = {"demands": max_ratings(r.demands for r in rows)}
    days = {d for r in rows for d in r.days}
    values["days"] = sorted(days, key=["mon", "tue", "wed", "thu", "fri", "sat", "sun"].index)
    capacities = [r.capacity for r in rows if r.capacity]
    if capacities:
        values["capacity"] = min(capacities)
    physical = []
    for r in rows:
        bits = [str(Place(r.place).label)] if r.place else []
        bits += TaskRow._meta.get_field("postures").choice_labels(r.postures)
        if r.lifting_kg:
            bits.append(f"{r.lifting_kg}kg")
        bits += TaskRow._meta.get_field("environment_factors").choice_labels(r.environment_factors)
        if bits:
            physical.append(f"{r.task}：" + "、".join(bits))
    values["physical_notes"] = "\n".join(physical)
    teaching = []
    for r in rows:
        teaching += [t for t in TaskRow._meta.get_field("teaching_methods").choice_labels(r.teaching_methods)]
    values["instructions"] = "、".join(dict.fromkeys(teaching))
    values["what_you_do"] = "\n".join(f"・{r.task}" for r in rows)
    return values


@transaction.atomic
def program_create_from_rows(*, employer: Employer, rows: Iterable[TaskRow], by: User, **fields) -> Program:
    _require_coordinator(by, employer.owner_id)
    rows = list(rows)
    if not rows:
        raise ValidationError({"rows": _("Choose at least one task.")})
    if any(r.breakdown.employer_id != employer.pk for r in rows):
        raise ValidationError({"rows": _("Choose tasks of this employer only.")})
    values = starting_values_from_rows(rows)
    engagement = fields.get("engagement_type")
    if engagement in ENGAGEMENT_DEFAULTS:
        values.update(ENGAGEMENT_DEFAULTS[engagement])
    values.update(_pick(fields, PROGRAM_FIELDS))
    program = Program(employer=employer, owner=employer.owner, created_by=by, **values)
    program.full_clean()
    _save_with_history(program, by=by, reason="create")
    program.source_rows.set(rows)
    refresh_search_fields(program)
    audit(by=by, agency=employer.owner, action="program.create", target=program, rows=[str(r.uuid) for r in rows])
    return program


def _locked_program(program: Program, by: User, version: int | None) -> Program:
    current = Program.objects.select_for_update().select_related("owner", "employer").get(pk=program.pk)
    _require_coordinator(by, current.owner_id)
    if version is not None and current.version != version:
        raise StaleEditError
    return current


@transaction.atomic
def program_update(
    *, program: Program, by: User, version: int, timetable: Sequence[tuple[str, str]] | None = None, **fields
) -> Program:
    """Save content changes unless someone saved since the form was opened. `timetable`,
    when given, replaces the day's timetable rows (in order)."""
    current = _locked_program(program, by, version)
    for name, value in _pick(fields, PROGRAM_FIELDS).items():
        setattr(current, name, value)
    current.version += 1
    current.full_clean()
    if timetable is not None:
        # Before the program's own record, so that the revision's timestamp covers the rows.
        _replace_timetable(current, timetable, by=by)
    _save_with_history(current, by=by, reason="update")
    refresh_search_fields(current)
    audit(by=by, agency=current.owner, action="program.update", target=current, fields=sorted(fields))
    return current


def _replace_timetable(program: Program, timetable: Sequence[tuple[str, str]], *, by: User) -> None:
    wanted = [(t.strip(), a.strip()) for t, a in timetable if t.strip() or a.strip()]
    existing = list(program.timetable.order_by("position", "id"))
    if [(r.time, r.activity) for r in existing] == wanted:
        return
    for row in existing:
        row._history_user = by
        row.delete()
    for position, (time, activity) in enumerate(wanted):
        row = TimetableRow(program=program, position=position, time=time, activity=activity)
        row.full_clean()
        _save_with_history(row, by=by, reason="update")


@dataclass(frozen=True)
class Transition:
    name: str
    target: ProgramStatus
    sources: tuple[ProgramStatus, ...]
    label: object
    audit_action: str


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            "submit_for_review",
            ProgramStatus.IN_REVIEW,
            (ProgramStatus.DRAFT,),
            _("Send for review"),
            "program.submit_for_review",
        ),
        Transition(
            "publish",
            ProgramStatus.PUBLISHED,
            (ProgramStatus.DRAFT, ProgramStatus.IN_REVIEW),
            _("Publish"),
            "program.publish",
        ),
        Transition(
            "archive",
            ProgramStatus.ARCHIVED,
            (ProgramStatus.DRAFT, ProgramStatus.IN_REVIEW, ProgramStatus.PUBLISHED),
            _("Archive"),
            "program.archive",
        ),
        Transition(
            "return_to_draft",
            ProgramStatus.DRAFT,
            (ProgramStatus.IN_REVIEW, ProgramStatus.PUBLISHED, ProgramStatus.ARCHIVED),
            _("Return to draft"),
            "program.return_to_draft",
        ),
    )
}


def available_transitions(program: Program) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if program.status in t.sources]


def current_approval(program: Program, *, approvals: list[ReviewApproval] | None = None) -> ReviewApproval | None:
    """The employer's latest approval, if no content was changed after it. `approvals`: the
    program's approvals newest first, when the caller has read them already."""
    if approvals is None:
        approval = program.approvals.order_by("-created_at").first()
    else:
        approval = approvals[0] if approvals else None
    if approval is None:
        return None
    last_content = (
        program.history.filter(history_change_reason__in=CONTENT_CHANGE_REASONS).order_by("-history_date").first()
    )
    if last_content is not None and last_content.version > approval.program_version:
        return None
    return approval


def _transition(program: Program, *, by: User, name: str, version: int | None) -> Program:
    transition = TRANSITIONS[name]
    current = _locked_program(program, by, version)
    if current.status not in transition.sources:
        raise ValidationError(
            _("A program that is “%(status)s” cannot be changed like this."),
            params={"status": current.get_status_display()},
        )
    detail = {"from": current.status, "to": str(transition.target)}
    current.status = transition.target
    current.version += 1
    if transition.target == ProgramStatus.PUBLISHED:
        approval = current_approval(current)
        current.employer_approved = approval is not None
        current.published_at = timezone.now()
        current.published_by = by
        if approval is not None:
            detail["approval"] = {"name": approval.approver_name, "revision": approval.program_version}
    current.full_clean()
    _save_with_history(current, by=by, reason=name)
    audit(by=by, agency=current.owner, action=transition.audit_action, target=current, **detail)
    return current


@transaction.atomic
def program_submit_for_review(*, program: Program, by: User, version: int | None = None) -> Program:
    return _transition(program, by=by, name="submit_for_review", version=version)


@transaction.atomic
def program_publish(*, program: Program, by: User, version: int | None = None) -> Program:
    """Publish to the sharing scope; records whether the employer approved the current content."""
    return _transition(program, by=by, name="publish", version=version)


@transaction.atomic
def program_archive(*, program: Program, by: User, version: int | None = None) -> Program:
    return _transition(program, by=by, name="archive", version=version)


@transaction.atomic
def program_return_to_draft(*, program: Program, by: User, version: int | None = None) -> Program:
    return _transition(program, by=by, name="return_to_draft", version=version)


TRANSITION_SERVICES = {
    "submit_for_review": program_submit_for_review,
    "publish": program_publish,
    "archive": program_archive,
    "return_to_draft": program_return_to_draft,
}


@transaction.atomic
def program_reverify(
    *, program: Program, by: User, method: VerificationMethod, on: datetime.date | None = None
) -> Program:
    """最終確認日: the content was confirmed with the employer today (or `on`), by whom, how."""
    current = _locked_program(program, by, None)
    if method not in VerificationMethod.values:
        raise ValidationError({"method": _("Choose how it was verified.")})
    current.last_verified_on = on or timezone.localdate()
    current.verified_by = by
    current.verification_method = method
    current.version += 1
    current.full_clean()
    _save_with_history(current, by=by, reason="reverify")
    on_text = str(current.last_verified_on)
    audit(by=by, agency=current.owner, action="program.reverify", target=current, on=on_text, how=method)
    return current


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (negative: earlier), clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def reverify_due_before(today: datetime.date | None = None) -> datetime.date:
    return add_months(today or timezone.localdate(), -settings.SHEETS_REVERIFY_MONTHS)


# --- Employer review ----------------------------------------------------------------------


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


REVIEWABLE = (ProgramStatus.DRAFT, ProgramStatus.IN_REVIEW, ProgramStatus.PUBLISHED)


@transaction.atomic
def review_link_create(*, program: Program, by: User, days: int = REVIEW_LINK_VALID_DAYS) -> tuple[ReviewLink, str]:
    """A new link for the employer contact. Returns the link and the token, which is shown
    once: only its hash is stored, so a database leak reveals no working link."""
    current = _locked_program(program, by, None)
    if current.status not in REVIEWABLE:
        raise ValidationError(_("An archived program cannot be reviewed."))
    token = secrets.token_urlsafe(32)
    link = ReviewLink(
        program=current,
        token_hash=_hash_token(token),
        expires_at=timezone.now() + datetime.timedelta(days=days),
        created_by=by,
    )
    link.full_clean()
    link.save()
    audit(by=by, agency=current.owner, action="review_link.create", target=current, expires=link.expires_at.isoformat())
    return link, token


@transaction.atomic
def review_link_revoke(*, link: ReviewLink, by: User) -> ReviewLink:
    current = ReviewLink.objects.select_for_update().select_related("program__owner").get(pk=link.pk)
    _require_coordinator(by, current.program.owner_id)
    if current.revoked_at is None:
        current.revoked_at = timezone.now()
        current.save(update_fields=["revoked_at"])
        audit(by=by, agency=current.program.owner, action="review_link.revoke", target=current.program)
    return current


class LinkUnusable(Exception):
    """The link exists but is expired or revoked, or its program is no longer reviewable."""


def review_link_for_token(token: str) -> ReviewLink | None:
    """The link for a token: None when unknown; LinkUnusable when expired/revoked/archived."""
    link = (
        ReviewLink.objects.select_related("program__employer__region__prefecture", "program__owner__region")
        .filter(token_hash=_hash_token(token))
        .first()
    )
    if link is None:
        return None
    if not link.is_usable(timezone.now()) or link.program.status not in REVIEWABLE:
        raise LinkUnusable
    return link


@transaction.atomic
def review_comment_add(*, link: ReviewLink, section: ReviewSection, body: str, author_name: str = "") -> ReviewComment:
    program = link.program
    comment = ReviewComment(
        program=program,
        link=link,
        section=section,
        body=body.strip(),
        author_name=author_name.strip(),
        program_version=program.version,
    )
    comment.full_clean()
    comment.save()
    audit(by=None, agency=program.owner, action="review.comment", target=program, section=section)
    return comment


@transaction.atomic
def review_approve(*, link: ReviewLink, approver_name: str) -> ReviewApproval:
    program = link.program
    approval = ReviewApproval(
        program=program, link=link, approver_name=approver_name.strip(), program_version=program.version
    )
    approval.full_clean()
    approval.save()
    audit(by=None, agency=program.owner, action="review.approve", target=program, revision=program.version)
    return approval
