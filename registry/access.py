"""Who may see and change what in the registry: the one door for every view.

Visibility follows the user's *acting* membership (the agency they work for right now,
chosen in the header when they belong to several). Platform admins see everything.
Another agency's private object answers 404; a visible object without the role, 403.
"""

from functools import wraps
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import F, Lookup, Q, Subquery
from django.http import Http404

from registry.models import Agency, Employer, Membership, Role

_UNSET = object()
ACTING_AGENCY_SESSION_KEY = "acting_agency_id"
NOTHING = Q(pk__in=[])


def acting_membership(user) -> Membership | None:
    """The membership the user acts under; cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_acting_membership", _UNSET)
    if cached is not _UNSET:
        return cached
    memberships = _active_memberships(user)
    wanted = getattr(user, "acting_agency_id", None)  # set from the session by the middleware
    chosen = next((m for m in memberships if m.agency_id == wanted), memberships[0] if memberships else None)
    user._acting_membership = chosen
    return chosen


def _active_memberships(user) -> list[Membership]:
    """The user's active memberships, read once per request (cached on the user object): the
    acting membership and the header's agency switcher share one query."""
    cached = getattr(user, "_active_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.active()
            .filter(user=user)
            .select_related("agency__region__prefecture")
            .order_by("agency__region__code", "agency__name_kana", "agency_id")
        )
        user._active_memberships = cached
    return cached


def memberships_of(user) -> list[Membership]:
    """The user's active memberships, for the agency switcher."""
    if not getattr(user, "is_authenticated", False):
        return []
    return sorted(_active_memberships(user), key=lambda m: m.agency.name_kana)


def has_role(user, role: Role) -> bool:
    if getattr(user, "is_platform_admin", False):
        return True
    membership = acting_membership(user)
    return membership is not None and membership.has_role(role)


def role_required(role: Role):
    """View decorator: 403 unless the acting membership has the role (login is checked first)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, role):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def agency_role_required(role: Role):
    """Like role_required, but the user must act for an agency (platform admins included)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            membership = acting_membership(request.user)
            if membership is None or not membership.has_role(role):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return role_required(Role.COUNSELOR)(wrapped)

    return decorator


# --- Employers ------------------------------------------------------------------------


def employer_visibility(user) -> Q:
    """Own agency's employers, plus active ones owned by agencies of the same region."""
    if getattr(user, "is_platform_admin", False):
        return Q()
    membership = acting_membership(user)
    if membership is None:
        return NOTHING
    agency = membership.agency
    return (Q(owner=agency) | Q(owner__region_id=agency.region_id, is_active=True)) & within_region(agency)


class AmongIds(Lookup):
    """`column IN (subquery)`; on PostgreSQL `column = ANY(ARRAY(subquery))`, which the planner
    runs once up front instead of joining: it then combines the owner index with the others
    (e.g. the keyword bigram index) rather than probing them once per agency."""

    lookup_name = "among_ids"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} IN {rhs}", [*lhs_params, *rhs_params]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", [*lhs_params, *rhs_params]


def within_region(agency: Agency) -> Q:
    """Every employer staff of `agency` may see is owned by an agency of its region (its own is
    one): implied by the rule above, but stated on its own it lets PostgreSQL read the region's
    employers through the owner index instead of joining and filtering all of them (the
    dashboard's newest employers: 10 ms → docs/performance.md)."""
    agencies = Agency.objects.filter(region_id=agency.region_id).order_by().values("pk")
    return Q(AmongIds(F("owner_id"), Subquery(agencies)))


def can_edit_employer(user, employer: Employer) -> bool:
    if getattr(user, "is_platform_admin", False):
        return True
    membership = acting_membership(user)
    return (
        membership is not None and membership.agency_id == employer.owner_id and membership.has_role(Role.COORDINATOR)
    )


def get_employer_for_user(user, employer_uuid: UUID | str, *, write: bool = False) -> Employer:
    employer = (
        Employer.objects.for_user(user)
        .select_related("region__prefecture", "owner__region")
        .filter(uuid=employer_uuid)
        .first()
    )
    if employer is None:
        raise Http404
    if write and not can_edit_employer(user, employer):
        raise PermissionDenied
    return employer


# --- Audit log ------------------------------------------------------------------------------


def audit_visibility(user) -> Q:
    """Platform admins read the whole log; agency admins the entries of their agency."""
    if getattr(user, "is_platform_admin", False):
        return Q()
    membership = acting_membership(user)
    if membership is None or not membership.has_role(Role.AGENCY_ADMIN):
        return NOTHING
    return Q(agency_id=membership.agency_id)


# --- Staff ------------------------------------------------------------------------------


def get_membership_for_admin(user, membership_uuid: UUID | str) -> Membership:
    """A membership of the admin's acting agency; anything else is 404."""
    admin = acting_membership(user)
    if admin is None or not admin.has_role(Role.AGENCY_ADMIN):
        raise PermissionDenied
    membership = (
        Membership.objects.filter(agency=admin.agency, uuid=membership_uuid).select_related("user", "agency").first()
    )
    if membership is None:
        raise Http404
    return membership
