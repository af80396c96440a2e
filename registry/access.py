"""Who may see and change what in the registry: the one door for every view.

Visibility follows the user's *acting* membership (the agency they work for right now,
chosen in the header when they belong to several). Platform admins see everything.
Another agency's private object answers 404; a visible object without the role, 403.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, cast
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from registry.models import AnyUser, Employer, Membership, Role, User, acting_membership, has_role, has_role_in
from registry.selectors import PendingInvitation, pending_invitations

# A view function; the decorators below keep its signature for the type checker.
type View = Callable[..., HttpResponse]


def role_required[V: View](role: Role) -> Callable[[V], V]:
    """View decorator: 403 unless the acting membership has the role (login is checked first)."""

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, role):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return cast(V, wrapped)

    return decorator


def agency_role_required[V: View](role: Role) -> Callable[[V], V]:
    """Like role_required, but the user must act for an agency (platform admins included)."""

    def decorator(view: V) -> V:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            membership = acting_membership(request.user)
            if membership is None or not membership.has_role(role):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return cast(V, role_required(Role.COUNSELOR)(wrapped))

    return decorator


def require_acting_membership(user: AnyUser) -> Membership:
    """The membership the user acts for; 403 without one (views behind `agency_role_required`
    always have one)."""
    membership = acting_membership(user)
    if membership is None:
        raise PermissionDenied
    return membership


# --- Employers ------------------------------------------------------------------------


def is_coordinator_of(user: AnyUser, agency_id: int) -> bool:
    """Coordinators (and agency admins) of the agency, and platform admins, write its records."""
    return has_role_in(user, agency_id, Role.COORDINATOR)


def is_member_of(user: AnyUser, agency_id: int) -> bool:
    """Staff acting for the agency (any role), and platform admins, read its working papers."""
    return has_role_in(user, agency_id, Role.COUNSELOR)


def require_coordinator(user: AnyUser, agency_id: int) -> None:
    """For services: refuse a write by anyone but the agency's coordinators (and platform admins)."""
    if not is_coordinator_of(user, agency_id):
        raise PermissionDenied


def can_edit_employer(user: AnyUser, employer: Employer) -> bool:
    return is_coordinator_of(user, employer.owner_id)


def get_employer_for_user(user: AnyUser, employer_uuid: UUID | str, *, write: bool = False) -> Employer:
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


# --- Staff ------------------------------------------------------------------------------


def get_membership_for_admin(user: AnyUser, membership_uuid: UUID | str) -> Membership:
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


def get_invitation_for_admin(user: AnyUser, user_uuid: UUID | str) -> PendingInvitation:
    """An open invitation of the admin's acting agency to this person; anything else is 404
    (another agency's staff, a member, an answered or cancelled invitation)."""
    admin = acting_membership(user)
    if admin is None or not admin.has_role(Role.AGENCY_ADMIN):
        raise PermissionDenied
    person = User.objects.filter(uuid=user_uuid).first()
    invitations = pending_invitations(admin.agency, person) if person is not None else []
    if not invitations:
        raise Http404
    return invitations[0]


def get_own_membership(user: User, membership_uuid: UUID | str) -> Membership:
    """One of the user's own memberships (to leave the agency); anyone else's is 404."""
    membership = Membership.objects.filter(user=user, uuid=membership_uuid).select_related("agency").first()
    if membership is None:
        raise Http404
    return membership
