"""The door to task breakdown sheets: working papers of the employer's owning agency — its
staff read them, its coordinators write them (the rule: `TaskBreakdownQuerySet.for_user`).
Another agency's sheet is a 404; a visible sheet without the coordinator role to change it, 403."""

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404

from registry.access import is_coordinator_of
from registry.models import AnyUser
from sheets.breakdowns.models import TaskBreakdown


def can_edit_breakdown(user: AnyUser, breakdown: TaskBreakdown) -> bool:
    return is_coordinator_of(user, breakdown.employer.owner_id)


def get_breakdown_for_user(
    user: AnyUser, employer_uuid: UUID | str, breakdown_uuid: UUID | str, *, write: bool = False
) -> TaskBreakdown:
    breakdown = (
        TaskBreakdown.objects.for_user(user)
        .select_related("employer__owner__region", "employer__region")
        .filter(uuid=breakdown_uuid, employer__uuid=employer_uuid)
        .first()
    )
    if breakdown is None:
        raise Http404
    if write and not can_edit_breakdown(user, breakdown):
        raise PermissionDenied
    return breakdown
