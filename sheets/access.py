"""Who may see and change task breakdowns and programs: the one door for every view.

- Task breakdowns are working papers of the employer's owning agency: its members read
  them, its coordinators write them.
- Programs: the owning agency sees its own in every status; other agencies see only
  PUBLISHED programs (of active employers) whose sharing scope covers them — region: the
  owner's region; prefecture: the owner's prefecture. Platform admins see everything.
- Another agency's private object answers 404; a visible object without the role, 403.
"""

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, Subquery
from django.http import Http404

from registry.access import NOTHING, AmongIds, acting_membership
from registry.models import Agency, Role
from sheets.models import Program, ProgramStatus, SharingScope, TaskBreakdown


def _is_platform_admin(user) -> bool:
    return getattr(user, "is_platform_admin", False)


def is_coordinator_of(user, agency_id: int) -> bool:
    """Coordinators (and agency admins) of the agency, and platform admins, write its sheets."""
    if _is_platform_admin(user):
        return True
    membership = acting_membership(user)
    return membership is not None and membership.agency_id == agency_id and membership.has_role(Role.COORDINATOR)


def is_member_of(user, agency_id: int) -> bool:
    if _is_platform_admin(user):
        return True
    membership = acting_membership(user)
    return membership is not None and membership.agency_id == agency_id and membership.has_role(Role.COUNSELOR)


# --- Task breakdowns ------------------------------------------------------------------


def breakdown_visibility(user) -> Q:
    if _is_platform_admin(user):
        return Q()
    membership = acting_membership(user)
    if membership is None:
        return NOTHING
    return Q(employer__owner_id=membership.agency_id)


def can_edit_breakdown(user, breakdown: TaskBreakdown) -> bool:
    return is_coordinator_of(user, breakdown.employer.owner_id)


def get_breakdown_for_user(user, employer_uuid, breakdown_uuid, *, write: bool = False) -> TaskBreakdown:
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


# --- Programs ---------------------------------------------------------------------------


def shared_with(agency: Agency) -> Q:
    """Published programs that another agency's sharing scope lets `agency` see."""
    return Q(status=ProgramStatus.PUBLISHED, employer__is_active=True) & (
        Q(sharing_scope=SharingScope.REGION, owner__region_id=agency.region_id)
        | Q(sharing_scope=SharingScope.PREFECTURE, owner__region__prefecture_id=agency.region.prefecture_id)
    )


def within_reach(agency: Agency) -> Q:
    """Every program staff of `agency` may see is its own, or published and owned by an agency
    that its sharing scope reaches from `agency` (its region's, its prefecture's): implied by
    the rules above, but stated on the program's own columns it lets PostgreSQL read, through
    the index on (owner, sharing scope, status), only those programs of 100,000 — not every
    program of the prefecture, most of them shared with their own region only
    (docs/performance.md, sections 1 and 11)."""
    region = Agency.objects.filter(region_id=agency.region_id).order_by().values("pk")
    prefecture = Agency.objects.filter(region__prefecture_id=agency.region.prefecture_id).order_by().values("pk")
    published = Q(status=ProgramStatus.PUBLISHED)
    return (
        Q(owner_id=agency.pk)
        | (published & Q(sharing_scope=SharingScope.REGION) & Q(AmongIds(F("owner_id"), Subquery(region))))
        | (published & Q(sharing_scope=SharingScope.PREFECTURE) & Q(AmongIds(F("owner_id"), Subquery(prefecture))))
    )


def agency_program_visibility(agency: Agency, *, narrowed: bool = True) -> Q:
    """What staff of `agency` see: its own programs in every status, others' shared published
    ones. The read-only API applies it for an agency's token (and keeps the published ones).
    `narrowed=False` leaves out `within_reach` (the same programs): for one program found by
    its uuid, where the unique index finds the row and the subquery would only cost planning."""
    visible = Q(owner_id=agency.pk) | shared_with(agency)
    return visible & within_reach(agency) if narrowed else visible


def program_visibility(user, *, narrowed: bool = True) -> Q:
    if _is_platform_admin(user):
        return Q()
    membership = acting_membership(user)
    if membership is None:
        return NOTHING
    return agency_program_visibility(membership.agency, narrowed=narrowed)


def visibility_scope(user) -> str:
    """Whose view of the programs `program_visibility(user)` gives: the rule depends on nothing
    else, so results derived from it (the search's facet choices) can be shared per scope."""
    if _is_platform_admin(user):
        return "platform"
    membership = acting_membership(user)
    return f"agency:{membership.agency_id}" if membership else "none"


def can_edit_program(user, program: Program) -> bool:
    return is_coordinator_of(user, program.owner_id)


# What the program's pages show beside it. A page that shows less passes its own list: each
# join here costs the planner more than the rows cost to read (a printed sheet's repeat print).
PROGRAM_PAGE_RELATED = ("employer__region__prefecture", "owner__region__prefecture", "verified_by")


def get_program_for_user(
    user, program_uuid: UUID | str, *, write: bool = False, related: tuple[str, ...] = PROGRAM_PAGE_RELATED
) -> Program:
    visible = Program.objects.filter(program_visibility(user, narrowed=False))
    # One row at most (the uuid is unique): nothing to order, so no ORDER BY for the planner.
    program = visible.select_related(*related).filter(uuid=program_uuid).order_by().first()
    if program is None:
        raise Http404
    if write and not can_edit_program(user, program):
        raise PermissionDenied
    return program
