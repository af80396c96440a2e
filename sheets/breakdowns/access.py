"""The door to task breakdown sheets: working papers of the employer's owning agency — its
staff read them, its coordinators write them (the rule: `TaskBreakdownQuerySet.for_user`).
Another agency's sheet is a 404; a visible sheet without the coordinator role to change it, 403."""

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404

from registry.access import is_coordinator_of
from registry.models import AnyUser, Employer, EmployerVisit
from sheets.breakdowns.models import TaskBreakdown


def can_edit_breakdown(user: AnyUser, breakdown: TaskBreakdown) -> bool:
    return is_coordinator_of(user, breakdown.employer.owner_id)


def get_breakdown_for_user(
    user: AnyUser, employer_uuid: UUID | str, breakdown_uuid: UUID | str, *, write: bool = False
) -> TaskBreakdown:
    breakdown = (
        TaskBreakdown.objects.for_user(user)
        .select_related("employer__owner__region", "employer__region", "visit")
        .filter(uuid=breakdown_uuid, employer__uuid=employer_uuid)
        .first()
    )
    if breakdown is None:
        raise Http404
    if write and not can_edit_breakdown(user, breakdown):
        raise PermissionDenied
    return breakdown


def visit_of_employer(employer: Employer, visit_uuid: str) -> EmployerVisit | None:
    """The visit `?visit=` names, if it is a visit to this employer (whose sheets the caller
    may write). Any other id — malformed, unknown, another employer's or another agency's
    visit — is None: the form then starts empty and shows nothing of that visit."""
    try:
        return EmployerVisit.objects.filter(employer=employer, uuid=UUID(visit_uuid)).first()
    except ValueError:
        return None
