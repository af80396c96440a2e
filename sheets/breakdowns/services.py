"""Every write to task breakdown sheets and their task rows, and the program made from chosen
task rows (業務の切り出し → プログラム): keyword-only, validated, in one transaction, with one
audit entry (registry.services.audit). A change to a task row refreshes the search text of the
programs made from it."""

import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from registry.access import require_coordinator
from registry.models import Employer, EmployerVisit, User
from registry.services import StaleEditError, audit, delete_with_history, pick, save_with_history
from sheets.breakdowns.models import TaskBreakdown, TaskRow
from sheets.dimensions import max_ratings
from sheets.programs.limits import PRINT_LIMITS, fit_parts
from sheets.programs.models import Program
from sheets.programs.search_fields import refresh_programs_of_rows, refresh_search_fields
from sheets.programs.services import PROGRAM_FIELDS
from sheets.vocabulary import EngagementType, Place

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


@transaction.atomic
def breakdown_create(
    *, employer: Employer, by: User, visit: EmployerVisit | None = None, **fields: Any
) -> TaskBreakdown:
    """A new sheet, made from `visit` of the employer's visit log when given (linked to it)."""
    require_coordinator(by, employer.owner_id)
    if visit is not None and visit.employer_id != employer.pk:
        # A sheet records a visit to its own employer, never another's (or another agency's).
        raise ValidationError(_("This visit is not a visit to this employer."))
    breakdown = TaskBreakdown(employer=employer, visit=visit, created_by=by, **pick(fields, BREAKDOWN_FIELDS))
    breakdown.full_clean()
    breakdown.save()
    details = {"employer": str(employer.uuid)} | ({"visit": str(visit.uuid)} if visit else {})
    audit(by=by, agency=employer.owner, action="breakdown.create", target=breakdown, **details)
    return breakdown


@transaction.atomic
def breakdown_update(*, breakdown: TaskBreakdown, by: User, version: int, **fields: Any) -> TaskBreakdown:
    current = TaskBreakdown.objects.select_for_update().select_related("employer__owner").get(pk=breakdown.pk)
    require_coordinator(by, current.employer.owner_id)
    if current.version != version:
        raise StaleEditError
    for name, value in pick(fields, BREAKDOWN_FIELDS).items():
        setattr(current, name, value)
    current.version += 1
    current.full_clean()
    current.save()
    audit(by=by, agency=current.employer.owner, action="breakdown.update", target=current, fields=sorted(fields))
    return current


def _locked_breakdown(breakdown: TaskBreakdown, by: User) -> TaskBreakdown:
    """Row changes lock their sheet so concurrent reorders cannot interleave."""
    current = TaskBreakdown.objects.select_for_update().select_related("employer__owner").get(pk=breakdown.pk)
    require_coordinator(by, current.employer.owner_id)
    return current


@transaction.atomic
def row_add(*, breakdown: TaskBreakdown, by: User, **fields: Any) -> TaskRow:
    sheet = _locked_breakdown(breakdown, by)
    last = sheet.rows.aggregate(last=Max("position"))["last"]
    row = TaskRow(breakdown=sheet, position=0 if last is None else last + 1, **pick(fields, ROW_FIELDS))
    row.full_clean()
    save_with_history(row, by=by, reason="create")
    audit(by=by, agency=sheet.employer.owner, action="breakdown.row_add", target=sheet, row=str(row.uuid))
    return row


@transaction.atomic
def row_update(*, row: TaskRow, by: User, **fields: Any) -> TaskRow:
    sheet = _locked_breakdown(row.breakdown, by)
    current = TaskRow.objects.get(pk=row.pk)
    for name, value in pick(fields, ROW_FIELDS).items():
        setattr(current, name, value)
    current.full_clean()
    save_with_history(current, by=by, reason="update")
    refresh_programs_of_rows([current])  # programs made from the row carry its text
    audit(by=by, agency=sheet.employer.owner, action="breakdown.row_update", target=sheet, row=str(row.uuid))
    return current


@transaction.atomic
def row_remove(*, row: TaskRow, by: User) -> None:
    sheet = _locked_breakdown(row.breakdown, by)
    if row.programs.exists():
        raise ValidationError(_("This task is used by a program and cannot be removed."))
    uuid = str(row.uuid)
    delete_with_history(row, by=by)
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


# --- A program from chosen task rows -------------------------------------------------------

ENGAGEMENT_DEFAULTS = {
    EngagementType.VISIT: {"is_paid": False, "has_contract": False, "has_insurance": False},
    EngagementType.EXPERIENCE: {"is_paid": False, "has_contract": False, "has_insurance": True},
    EngagementType.PART_TIME: {"is_paid": True, "has_contract": True, "has_insurance": True},
    EngagementType.FLEXIBLE: {"is_paid": True, "has_contract": True, "has_insurance": True},
}


def starting_values_from_rows(rows: Sequence[TaskRow]) -> dict[str, Any]:
    """What the selected task rows already tell about the program: the demand profile (per
    dimension the highest rating among the rows), days, capacity, physical notes, teaching."""
    values: dict[str, Any] = {"demands": max_ratings(r.demands for r in rows)}
    days = {d for r in rows for d in r.days}
    values["days"] = sorted(days, key=["mon", "tue", "wed", "thu", "fri", "sat", "sun"].index)
    capacities = [r.capacity for r in rows if r.capacity]
    if capacities:
        values["capacity"] = min(capacities)
    # Derived texts are fitted to their print caps (sheets/programs/limits.py): from any number
    # of tasks the program is made, and the coordinator edits the text afterwards.
    physical: dict[str, list[str]] = {}
    for r in rows:
        bits = [str(Place(r.place).label)] if r.place else []
        bits += TaskRow._meta.get_field("postures").choice_labels(r.postures)
        if r.lifting_kg:
            bits.append(f"{r.lifting_kg}kg")
        bits += TaskRow._meta.get_field("environment_factors").choice_labels(r.environment_factors)
        if bits:  # tasks with the same conditions share one line
            physical.setdefault("、".join(bits), []).append(r.task)
    values["physical_notes"] = fit_parts(
        [f"{'・'.join(tasks)}：{bits}" for bits, tasks in physical.items()], PRINT_LIMITS["physical_notes"]
    )
    teaching = []
    for r in rows:
        teaching += [t for t in TaskRow._meta.get_field("teaching_methods").choice_labels(r.teaching_methods)]
    values["instructions"] = fit_parts(list(dict.fromkeys(teaching)), PRINT_LIMITS["instructions"], "、")
    values["what_you_do"] = fit_parts([f"・{r.task}" for r in rows], PRINT_LIMITS["what_you_do"])
    values["employer_needs"] = employer_needs_from_rows(rows)
    return values


def unmet_needs_of(rows: Sequence[TaskRow]) -> str:
    """The employer's unmet needs written at the latest visit the rows come from."""
    return max((r.breakdown for r in rows), key=lambda b: (b.visited_on, b.created_at)).unmet_needs.strip()


def employer_needs_from_rows(rows: Sequence[TaskRow]) -> str:
    """③'s 人材ニーズ・困りごと to start from: the unmet needs (`unmet_needs_of`), as many whole
    sentences as ③ prints — or, when not even one sentence fits (notes without 「。」), as much as
    fits up to a break (、 or a line), with 「…」. The coordinator is told and edits the rest
    (`needs_shortened`); the breakdown keeps the whole text."""
    needs, cap = unmet_needs_of(rows), PRINT_LIMITS["employer_needs"]
    if len(needs) <= cap:
        return needs
    sentences = "".join(s for s in re.findall(r"[^。]*。?", needs[:cap]) if s.endswith("。"))
    if sentences:
        return sentences
    head = needs[: cap - 1]
    cut = max(head.rfind(mark) for mark in ("、", "\n", " ", "　", "・"))
    return (head[: cut + 1] if cut >= cap // 2 else head).rstrip() + "…"


def needs_shortened(rows: Sequence[TaskRow], program_needs: str) -> int | None:
    """How long the breakdown's needs were when ③'s starting text had to be shorter, else None."""
    needs = unmet_needs_of(rows)
    return len(needs) if needs and program_needs != needs else None


@transaction.atomic
def program_create_from_rows(*, employer: Employer, rows: Iterable[TaskRow], by: User, **fields: Any) -> Program:
    require_coordinator(by, employer.owner_id)
    rows = list(rows)
    if not rows:
        raise ValidationError({"rows": _("Choose at least one task.")})
    if any(r.breakdown.employer_id != employer.pk for r in rows):
        raise ValidationError({"rows": _("Choose tasks of this employer only.")})
    values = starting_values_from_rows(rows)
    engagement = fields.get("engagement_type")
    if engagement in ENGAGEMENT_DEFAULTS:
        values.update(ENGAGEMENT_DEFAULTS[engagement])
    values.update(pick(fields, PROGRAM_FIELDS))
    program = Program(employer=employer, owner=employer.owner, created_by=by, **values)
    program.full_clean()
    save_with_history(program, by=by, reason="create")
    program.source_rows.set(rows)
    refresh_search_fields(program)
    audit(by=by, agency=employer.owner, action="program.create", target=program, rows=[str(r.uuid) for r in rows])
    return program
