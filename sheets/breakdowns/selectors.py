"""Reads worth naming: an employer's task breakdowns and programs, for the employer page."""

from django.db.models import Count
from django.http import HttpRequest

from registry.access import is_coordinator_of, is_member_of
from registry.models import Employer, acting_membership
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
