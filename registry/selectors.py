"""Reads worth naming."""

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Count, Max, Q
from django.utils import timezone

from registry.models import (
    Agency,
    AnyUser,
    AuditEntry,
    Employer,
    EmployerVisit,
    Membership,
    Prefecture,
    Role,
    User,
    acting_membership,
    is_platform_admin,
)

if TYPE_CHECKING:
    from django.db.models import QuerySet


def dashboard_context(user: AnyUser) -> dict[str, Any]:
    """What each role sees first: counselors the shared employers, coordinators their own
    outreach, agency admins their staff, platform admins the whole platform."""
    membership = acting_membership(user)
    context: dict[str, Any] = {"membership": membership}
    visible = Employer.objects.for_user(user).active()
    context["visible_employer_count"] = visible.count()
    context["recent_employers"] = visible.select_related("region", "owner").order_by("-created_at")[:5]
    if membership is None:
        context["needs_agency"] = not is_platform_admin(user)
    if is_platform_admin(user):
        context["prefectures"] = Prefecture.objects.annotate(
            agency_count=Count("regions__agencies", distinct=True),
            employer_count=Count("regions__employers", filter=Q(regions__employers__is_active=True), distinct=True),
        )
        context["agency_count"] = Agency.objects.filter(is_active=True).count()
    if membership is None:
        return context
    agency = membership.agency
    if membership.has_role(Role.COORDINATOR):
        context["own_employer_count"] = Employer.objects.filter(owner=agency, is_active=True).count()
        context["recent_visits"] = (
            EmployerVisit.objects.filter(employer__owner=agency).select_related("employer").order_by("-visited_on")[:5]
        )
    if membership.has_role(Role.AGENCY_ADMIN):
        # As the staff page counts: someone invited is not staff until they accept (a new
        # account: until they set a password), and is counted with the open invitations.
        context["staff_active_count"] = Membership.objects.filter(agency=agency).can_log_in().count()
        context["staff_invited_count"] = len(pending_invitations(agency))
    return context


# --- Staff invitations ---------------------------------------------------------------------
# An invitation has no table of its own (docs/decisions.md "Invitation links"): it is the
# account it made (no password, never logged in) or, for an existing account, the audit entry
# that mailed the link. These codes are its life: sent, sent again, cancelled by the agency,
# answered by the person.

INVITATION_SENT = ("staff.invite", "staff.invitation.resend")
INVITATION_CANCELLED = "staff.invitation.cancel"
# What ends a membership invitation link: the person answered it (or left the agency) after it was made.
INVITATION_ANSWERS = ("staff.invitation_accepted", "staff.invitation_declined", "staff.left")


@dataclass(frozen=True)
class PendingInvitation:
    """An invitation of `agency` nobody has answered or cancelled yet (it may have expired)."""

    user: User
    agency: Agency
    role: str
    sent_at: datetime.datetime
    # The membership made with a new account (`staff_invite`); None for an existing account,
    # which gets a membership only when the person accepts.
    membership: Membership | None

    @property
    def expires_at(self) -> datetime.datetime:
        return self.sent_at + datetime.timedelta(days=settings.INVITATION_VALID_DAYS)

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)


def invitation_entries(agency: Agency, *users: User) -> "QuerySet[AuditEntry]":
    """The audit entries about invitations of these people to this agency."""
    return AuditEntry.objects.filter(agency=agency, target_type="user", target_id__in=[str(u.uuid) for u in users])


def pending_invitations(agency: Agency, user: User | None = None) -> list[PendingInvitation]:
    """The agency's open invitations, newest first (of one person when `user` is given). Both
    kinds look the same, named by the address the admin typed: the staff page must not tell who
    already had an account (nor an existing account's own name)."""
    entries = AuditEntry.objects.filter(agency=agency, target_type="user", action__in=INVITATION_SENT)
    if user is not None:
        entries = entries.filter(target_id=str(user.uuid))
    last_sent = {entry.target_id: entry for entry in entries.order_by("at", "pk")}
    created = Membership.objects.filter(agency=agency, user__is_active=True, user__last_login=None).filter(
        user__password__startswith=UNUSABLE_PASSWORD_PREFIX
    )
    if user is not None:
        created = created.filter(user=user)
    pending = [
        _pending(agency, membership.user, last_sent.pop(str(membership.user.uuid), None), membership)
        for membership in created.select_related("user")
    ]
    members = set(
        Membership.objects.filter(agency=agency, user__uuid__in=list(last_sent)).values_list("user__uuid", flat=True)
    )
    people = list(User.objects.filter(is_active=True, uuid__in=[u for u in last_sent if UUID(u) not in members]))
    # When each was last cancelled by the agency or answered by the person: two queries for all.
    cancelled = dict(
        invitation_entries(agency, *people)
        .filter(action=INVITATION_CANCELLED)
        .values("target_id")
        .annotate(last=Max("at"))
        .values_list("target_id", "last")
    )
    answered = dict(
        AuditEntry.objects.filter(agency=agency, actor__in=people, action__in=INVITATION_ANSWERS)
        .values("actor_id")
        .annotate(last=Max("at"))
        .values_list("actor_id", "last")
    )
    for person in people:
        entry = last_sent[str(person.uuid)]
        ended = [at for at in (cancelled.get(str(person.uuid)), answered.get(person.pk)) if at and at >= entry.at]
        if not ended:
            pending.append(_pending(agency, person, entry, None))
    return sorted(pending, key=lambda invitation: invitation.sent_at, reverse=True)


def _sent_at(sent: AuditEntry | None, membership: Membership | None) -> datetime.datetime:
    if sent is not None:
        return sent.at
    # An account made before invitations were audited: the membership's own date.
    return membership.created_at if membership is not None else timezone.now()


def _pending(agency: Agency, user: User, sent: AuditEntry | None, membership: Membership | None) -> PendingInvitation:
    detail = sent.detail if sent is not None else {}
    return PendingInvitation(
        user=user,
        agency=agency,
        role=membership.role if membership is not None else detail.get("role", Role.COUNSELOR),
        sent_at=_sent_at(sent, membership),
        membership=membership,
    )
