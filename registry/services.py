"""Every write in the registry: validated, in one transaction, with one audit entry."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from registry.extensions import employer_changed
from registry.http import client_ip
from registry.models import Agency, AuditEntry, Employer, EmployerVisit, Membership, Role, User
from registry.selectors import (
    INVITATION_ANSWERS,
    INVITATION_CANCELLED,
    INVITATION_SENT,
    PendingInvitation,
    invitation_entries,
    pending_invitations,
)


class StaleEditError(Exception):
    """The record changed since the form was opened; nothing was saved."""


def audit(
    *, by: User | None, agency: Agency | None, action: str, target: models.Model | None = None, **detail: Any
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=by,
        agency=agency,
        action=action,
        target_type=(target._meta.model_name or "") if target is not None else "",
        target_id=str(getattr(target, "uuid", getattr(target, "pk", ""))) if target is not None else "",
        detail=detail,
    )


def pick(fields: dict[str, Any], allowed: "tuple[str, ...] | list[str]") -> dict[str, Any]:
    """The fields a service may set (its allow-list): anything else a caller passes is ignored."""
    return {name: value for name, value in fields.items() if name in allowed}


def save_with_history(obj: models.Model, *, by: User | None, reason: str | None = None) -> None:
    """Save a record that keeps revisions (django-simple-history), naming who and which service."""
    # django-simple-history reads these two attributes when it writes the revision.
    vars(obj).update(_history_user=by)
    if reason is not None:
        vars(obj).update(_change_reason=reason)
    obj.save()


def delete_with_history(obj: models.Model, *, by: User | None) -> None:
    """Delete a record that keeps revisions; its last revision names who deleted it."""
    vars(obj).update(_history_user=by)
    obj.delete()


# --- Employers ---------------------------------------------------------------------------

EMPLOYER_FIELDS = (
    "name",
    "name_kana",
    "kind",
    "industry",
    "region",
    "address",
    "access_notes",
    "contact_name",
    "contact_phone",
    "contact_email",
    "staff_count",
    "description",
)


@transaction.atomic
def employer_create(*, owner: Agency, by: User, **fields: Any) -> Employer:
    employer = Employer(owner=owner, **{k: v for k, v in fields.items() if k in EMPLOYER_FIELDS})
    employer.full_clean()
    save_with_history(employer, by=by, reason="create")
    audit(by=by, agency=owner, action="employer.create", target=employer)
    return employer


@transaction.atomic
def employer_update(*, employer: Employer, by: User, version: int, **fields: Any) -> Employer:
    """Save changes unless someone else saved first (optimistic locking on `version`)."""
    current = Employer.objects.select_for_update().get(pk=employer.pk)
    if current.version != version:
        raise StaleEditError
    for name, value in fields.items():
        if name in EMPLOYER_FIELDS:
            setattr(current, name, value)
    current.version += 1
    current.full_clean()
    current.save()
    # In the same transaction: what other apps keep of the employer (the programs' search text
    # holds its name, kana and address) never lags behind it.
    employer_changed.send(sender=Employer, employer=current)
    audit(by=by, agency=current.owner, action="employer.update", target=current, fields=sorted(fields))
    return current


@transaction.atomic
def employer_set_active(*, employer: Employer, by: User, active: bool) -> Employer:
    """Archive (or restore) instead of deleting: history and later programs keep their employer."""
    current = Employer.objects.select_for_update().get(pk=employer.pk)
    current.is_active = active
    current.version += 1
    current.save(update_fields=["is_active", "version", "updated_at"])
    audit(by=by, agency=current.owner, action="employer.restore" if active else "employer.archive", target=current)
    return current


@transaction.atomic
def visit_create(*, employer: Employer, by: User, **fields: Any) -> EmployerVisit:
    visit = EmployerVisit(employer=employer, recorded_by=by, **fields)
    visit.full_clean()
    visit.save()
    audit(by=by, agency=employer.owner, action="employer.visit", target=employer, visited_on=str(visit.visited_on))
    return visit


# --- Staff -----------------------------------------------------------------------------------


INVITATION_SALT = "registry.staff-invitation"


def _account_state(user: User) -> str:
    """Changes once the invitation is used (password set, first login): links work once."""
    return salted_hmac(INVITATION_SALT, f"{user.password}|{user.last_login}", algorithm="sha256").hexdigest()[:16]


def invitation_token(user: User) -> str:
    return signing.TimestampSigner(salt=INVITATION_SALT).sign_object({"u": str(user.uuid), "s": _account_state(user)})


def invitation_user(token: str) -> User | None:
    """The invited user if the token is genuine, unexpired and unused; otherwise None."""
    try:
        data = signing.TimestampSigner(salt=INVITATION_SALT).unsign_object(
            token, max_age=settings.INVITATION_VALID_DAYS * 24 * 60 * 60
        )
    except signing.BadSignature:  # includes SignatureExpired
        return None
    user = User.objects.filter(uuid=data.get("u"), is_active=True).first()
    if user is None or not constant_time_compare(_account_state(user), data.get("s", "")):
        return None
    return user


@dataclass
class Invitation:
    user: User
    agency: Agency
    role: str
    by: User
    created_user: bool
    membership: Membership | None  # None until an existing account accepts (membership_join)


@transaction.atomic
def staff_invite(*, agency: Agency, by: User, email: str, name: str, name_kana: str, role: Role) -> Invitation:
    """Invite a person to the agency. New people get an account without a password, a
    membership and an invitation link to set the password (sent by the view). People who already
    have an account get NO membership: a signed link (`membership_invitation_token`) that they
    accept or decline while logged in as themselves (`membership_join`)."""
    email = User.objects.normalize_email(email).lower()
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None and not _closed_by_cancelled_invitation(existing):
        if Membership.objects.filter(user=existing, agency=agency).exists():
            raise ValidationError({"email": _("This person is already a member of this agency.")})
        user, created = existing, False
    else:
        # A cancelled invitation's account is opened again rather than made anew (the address is
        # unique): the audit log keeps telling one person's story.
        user, created = existing or User(email=email), True
        user.name, user.name_kana, user.is_active = name, name_kana, True
        user.set_unusable_password()
        user.full_clean()
        user.save()
    membership = None
    if created:
        membership = Membership(user=user, agency=agency, role=role, invited_by=by)
        membership.full_clean()
        membership.save()
    # The same entry for both: the audit log is read by agency admins too.
    audit(by=by, agency=agency, action="staff.invite", target=user, role=role)
    return Invitation(user=user, agency=agency, role=role, by=by, created_user=created, membership=membership)


def _closed_by_cancelled_invitation(user: User) -> bool:
    """An account that only a cancelled invitation ever made: closed, never used, in no agency."""
    return (
        not user.is_active
        and user.last_login is None
        and not user.has_usable_password()
        and not user.memberships.exists()
        and AuditEntry.objects.filter(
            action=INVITATION_CANCELLED, target_type="user", target_id=str(user.uuid)
        ).exists()
    )


def _invitation_now(agency: Agency, user: User) -> PendingInvitation:
    """The invitation as it is inside the transaction (the person may have just set their password)."""
    User.objects.select_for_update().filter(pk=user.pk).first()
    current = pending_invitations(agency, user)
    if not current:
        raise ValidationError(_("This invitation has already been answered or cancelled."))
    return current[0]


@transaction.atomic
def invitation_resend(*, invitation: PendingInvitation, by: User) -> Invitation:
    """A fresh mail with a fresh link; the links mailed before stop working, so that only the mail
    the admin just sent can be used (an earlier one may be the lost or misdirected one).
    A new account's link carries its password state: a new unusable password ends the old
    links; an existing account's link ends through this audit entry (`membership_invitation`)."""
    current = _invitation_now(invitation.agency, invitation.user)
    user = current.user
    if current.membership is not None:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    audit(by=by, agency=current.agency, action="staff.invitation.resend", target=user, role=current.role)
    return Invitation(
        user=user,
        agency=current.agency,
        role=current.role,
        by=by,
        created_user=current.membership is not None,
        membership=current.membership,
    )


@transaction.atomic
def invitation_cancel(*, invitation: PendingInvitation, by: User) -> None:
    """End an invitation: its links stop working and the person is not a member. An account made
    by this invitation and never used is closed (kept, inactive and without a password, so that
    the audit log still names it); an existing account stays as it is."""
    current = _invitation_now(invitation.agency, invitation.user)
    user = current.user
    if current.membership is not None:
        current.membership.delete()
        if not user.memberships.exists():
            user.is_active = False
            user.set_unusable_password()
            user.save(update_fields=["is_active", "password"])
    audit(by=by, agency=current.agency, action=INVITATION_CANCELLED, target=user, role=current.role)


def remember_acting_agency(*, user: User, agency_id: int | None) -> None:
    """The agency a new session of this person starts with (not audited: a preference)."""
    if getattr(user, "last_acting_agency_id", None) != agency_id:
        User.objects.filter(pk=user.pk).update(last_acting_agency_id=agency_id)
        user.last_acting_agency_id = agency_id


MEMBERSHIP_INVITATION_SALT = "registry.membership-invitation"


@dataclass
class MembershipInvitation:
    user: User
    agency: Agency
    role: str
    by: User

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)


def membership_invitation_token(invitation: Invitation) -> str:
    return signing.TimestampSigner(salt=MEMBERSHIP_INVITATION_SALT).sign_object(
        {
            "u": str(invitation.user.uuid),
            "a": str(invitation.agency.uuid),
            "r": invitation.role,
            "b": str(invitation.by.uuid),
            "t": timezone.now().timestamp(),
        }
    )


def membership_invitation(token: str, user: User) -> MembershipInvitation | None:
    """The invitation of this link for this (logged-in) user, if genuine, unexpired, unanswered,
    and its inviter is still an active agency admin of the agency; otherwise None."""
    try:
        data = signing.TimestampSigner(salt=MEMBERSHIP_INVITATION_SALT).unsign_object(
            token, max_age=settings.INVITATION_VALID_DAYS * 24 * 60 * 60
        )
    except signing.BadSignature:
        return None
    if data.get("u") != str(user.uuid) or data.get("r") not in Role.values:
        return None
    admins = Membership.objects.active().filter(
        agency__uuid=data.get("a"), user__uuid=data.get("b"), role=Role.AGENCY_ADMIN
    )
    inviter = admins.select_related("agency", "user").first()
    if inviter is None:
        return None
    agency = inviter.agency
    issued = datetime.datetime.fromtimestamp(float(data.get("t", 0)), tz=datetime.UTC)
    answered = AuditEntry.objects.filter(actor=user, agency=agency, action__in=INVITATION_ANSWERS, at__gte=issued)
    # Sent again (only the newest mail's link works) or cancelled by the agency after this link was made.
    later = invitation_entries(agency, user).filter(at__gt=issued)
    replaced = later.filter(action__in=(*INVITATION_SENT, INVITATION_CANCELLED))
    if answered.exists() or replaced.exists() or Membership.objects.filter(user=user, agency=agency).exists():
        return None
    return MembershipInvitation(user=user, agency=agency, role=data["r"], by=inviter.user)


@transaction.atomic
def membership_join(*, invitation: MembershipInvitation) -> Membership:
    membership = Membership(
        user=invitation.user, agency=invitation.agency, role=invitation.role, invited_by=invitation.by
    )
    membership.full_clean()
    membership.save()
    audit(
        by=invitation.user,
        agency=invitation.agency,
        action="staff.invitation_accepted",
        target=membership,
        role=invitation.role,
        invited_by=str(invitation.by.uuid),
    )
    return membership


def membership_decline(*, invitation: MembershipInvitation) -> None:
    audit(by=invitation.user, agency=invitation.agency, action="staff.invitation_declined", target=invitation.user)


@transaction.atomic
def membership_leave(*, membership: Membership, by: User) -> None:
    """A person leaves an agency (their own membership). The last agency admin cannot."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.user_id != by.pk:
        raise ValidationError(_("You can only leave an agency yourself."))
    ensure_an_admin_remains(membership, new_role=membership.role, active=False)
    agency = membership.agency
    membership.delete()
    User.objects.filter(pk=by.pk, last_acting_agency=agency).update(last_acting_agency=None)
    audit(by=by, agency=agency, action="staff.left", target=by)


def ensure_an_admin_remains(membership: Membership, *, new_role: str, active: bool) -> None:
    """The rule every staff change keeps; also asked before a confirmation page, so that a change
    it refuses is refused at once rather than after confirming."""
    if membership.role != Role.AGENCY_ADMIN or (active and new_role == Role.AGENCY_ADMIN):
        return
    # An invited admin who never set a password does not count: nobody could log in to manage the agency.
    others = Membership.objects.can_log_in().filter(agency=membership.agency, role=Role.AGENCY_ADMIN)
    if not others.exclude(pk=membership.pk).exists():
        raise ValidationError(
            _(
                "An agency needs at least one active agency admin who can log in. An invited agency admin "
                "counts once they have set their password."
            )
        )


@transaction.atomic
def membership_change_role(*, membership: Membership, by: User, role: Role) -> Membership:
    current = Membership.objects.select_for_update().get(pk=membership.pk)
    ensure_an_admin_remains(current, new_role=role, active=current.is_active)
    old = current.role
    current.role = role
    current.full_clean()
    current.save(update_fields=["role"])
    audit(by=by, agency=current.agency, action="staff.role", target=current, old=old, new=role)
    return current


@transaction.atomic
def membership_set_active(*, membership: Membership, by: User, active: bool) -> Membership:
    """Deactivation takes effect on the person's next request: every view checks memberships."""
    current = Membership.objects.select_for_update().get(pk=membership.pk)
    if not active:
        ensure_an_admin_remains(current, new_role=current.role, active=False)
    current.is_active = active
    current.save(update_fields=["is_active"])
    audit(by=by, agency=current.agency, action="staff.activate" if active else "staff.deactivate", target=current)
    return current


# --- Sessions ---------------------------------------------------------------------------------


# When the session last wrote its "last active" time (registry.middleware keeps it current).
LAST_SEEN_SESSION_KEY = "last_seen_written"


def session_started(request: HttpRequest, user: User) -> None:
    """Remember the new session so that the user can list and end their sessions."""
    from registry.models import UserSession

    if not request.session.session_key:
        request.session.save()
    request.session[LAST_SEEN_SESSION_KEY] = timezone.now().timestamp()
    UserSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "ip": client_ip(request)[:45],
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200],
        },
    )


@transaction.atomic
def sessions_end_all(*, user: User, by: User) -> int:
    """Log the user out everywhere: every session of theirs is deleted from the session store."""
    from importlib import import_module

    from registry.models import UserSession

    store = import_module(settings.SESSION_ENGINE).SessionStore
    sessions = list(UserSession.objects.filter(user=user))
    for session in sessions:
        store(session_key=session.session_key).delete()
    UserSession.objects.filter(pk__in=[s.pk for s in sessions]).delete()
    audit(by=by, agency=None, action="auth.logout_everywhere", target=user, sessions=len(sessions))
    return len(sessions)
