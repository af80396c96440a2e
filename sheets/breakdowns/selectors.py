"""Reads worth naming: an employer's task breakdowns and programs, for the employer page."""

from django.db.models import Count
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from registry.access import is_coordinator_of, is_member_of
from registry.extensions import VisitLink
from registry.models import Employer, EmployerVisit, acting_membership
from sheets.breakdowns.models import TaskBreakdown
from sheets.programs.models import Program


def employer_sheets_section(request: HttpRequest, *, employer: Employer) -> dict | None:
    """The employer page's sheets section (registry.extensions.EMPLOYER): the owning agency sees
    its breakdowns and every program; other agencies only the programs shared with them."""
    user = request.user
    own = is_member_of(user, employer.owner_id)
    # The lists show a few fields of each (the sheets' long texts stay in the database) and a
    # breakdown's number of task rows, counted by the database.
    programs = (
        Program.objects.for_user(user)
        .filter(employer=employer)
        .only("uuid", "title", "engagement_type", "status")
        .order_by("status", "title")
    )
    breakdowns = (
        TaskBreakdown.objects.for_user(user)
        .filter(employer=employer)
        .only("uuid", "visited_on", "visitors")
        .annotate(row_count=Count("rows"))
    )
    return {
        "employer": employer,
        "own": own,
        "can_write": is_coordinator_of(user, employer.owner_id) and employer.is_active,
        "breakdowns": list(breakdowns) if own else [],
        "programs": list(programs),
        "has_membership": acting_membership(user) is not None or user.is_platform_admin,
    }


def visit_breakdown_links(request: HttpRequest, *, employer: Employer, visits: list[EmployerVisit]) -> dict:
    """Under each visit of the visit log (registry.extensions.add_visit_links): the task
    breakdown sheets made from it, or — for a coordinator of the owning agency — a link to make
    one from it. Sheets are the owning agency's working papers: nothing for anyone else."""
    user = request.user
    made = (
        TaskBreakdown.objects.for_user(user)
        .filter(employer=employer, visit__in=visits)
        .only("uuid", "visit_id", "created_at")
        .order_by("created_at")
    )
    links: dict[int, list[VisitLink]] = {}
    for breakdown in made:
        url = reverse("breakdown_detail", args=[employer.uuid, breakdown.uuid])
        links.setdefault(breakdown.visit_id, []).append(VisitLink(_("Task breakdown sheet of this visit"), url))
    if is_coordinator_of(user, employer.owner_id) and employer.is_active:
        create = reverse("breakdown_create", args=[employer.uuid])
        for visit in visits:
            if visit.pk not in links:
                label = _("Create the task breakdown sheet from this visit")
                links[visit.pk] = [VisitLink(label, f"{create}?visit={visit.uuid}", next_step=True)]
    return links
