"""Every write of つなぎ — needs checks and hand-offs — keyword-only, validated, in one
transaction, with one audit entry. Audit details hold ids and keys only, never a name or free
text; the e-mail notice to the receiving agency names agencies, never the client."""

import datetime
import functools
import logging
import smtplib
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.models import Agency, AnyUser, Membership, Role, User, acting_membership
from registry.services import audit, pick
from sheets.clients.models import NAME_NOT_SHARED, Client, Referral, ReferralStatus, SelfIntroduction
from sheets.clients.services import client_create, record_access
from sheets.network.models import Handoff, HandoffItem, HandoffStatus, NeedsCheck

NEEDS_CHECK_FIELDS = (
    "checked_on",
    "wish_to_work",
    "situation",
    "time_available",
    "care_constraints",
    "health_constraints",
    "past_work",
    "want_to_try",
)

# Which fields of a self-introduction each hand-off item carries: what acceptance copies and what
# both sides see before it (selectors.handoff_sections) — one list, so the two cannot differ. The
# per-dimension table is split by what the client agreed to: each part travels with the item whose
# label names it — the confidence levels with 「得意なことと、いまの自信」, the 「確かめたい」 marks with
# 「体験で確かめたいこと・伸ばしたいこと」, the 「配慮」 marks with 「職場へのお願い」.
ITEM_FIELDS: dict[str, tuple[str, ...]] = {
    HandoffItem.PROFILE: ("preferred_name", "age_band"),
    HandoffItem.INTERESTS: ("interests", "interest_tags"),
    HandoffItem.STRENGTHS: ("strengths", "confidence"),
    HandoffItem.EXPERIENCE: ("experience",),
    HandoffItem.GOALS: ("goals", "want_to_confirm"),
    HandoffItem.WORRIES: ("worries", "coping"),
    HandoffItem.REQUESTS: ("accommodations", "requests", "wants_accommodation"),
    HandoffItem.AVAILABILITY: (
        "days",
        "available_from",
        "available_until",
        "commute",
        "commute_notes",
        "regions",
        "engagement_types",
    ),
    HandoffItem.HEALTH: ("health_notes",),
}
logger = logging.getLogger(__name__)


def _acting_agency(by: AnyUser, role: Role = Role.COUNSELOR) -> Agency:
    membership = acting_membership(by)
    if membership is None or not membership.has_role(role):
        raise PermissionDenied
    return membership.agency


def _require_member(by: User, agency_id: int) -> Agency:
    agency = _acting_agency(by)
    if agency.pk != agency_id:
        raise PermissionDenied
    return agency


# --- Needs check ---------------------------------------------------------------------------------


@transaction.atomic
def needs_check_save(*, client: Client, by: User, needs_check: NeedsCheck | None = None, **fields: Any) -> NeedsCheck:
    _require_member(by, client.agency_id)
    created = needs_check is None
    check = needs_check or NeedsCheck(client=client, created_by=by)
    for name, value in pick(fields, NEEDS_CHECK_FIELDS).items():
        setattr(check, name, value if value is not None or name == "checked_on" else "")
    check.full_clean()
    check.save()
    audit(
        by=by,
        agency=client.agency,
        action="needs_check.create" if created else "needs_check.update",
        target=check,
        client=str(client.uuid),
    )
    return check


# --- Hand-offs -----------------------------------------------------------------------------------


def shareable_items(handoff: Handoff) -> set[str]:
    """What the receiver may see: the consented items, health only while the sending agency holds
    the client's consent to keep health data — and nothing once the consent is withdrawn before
    acceptance (the hand-off is cancelled)."""
    if handoff.status == HandoffStatus.CANCELLED:
        return set()
    items = set(handoff.items)
    client = handoff.client
    if client is None or not client.has_sensitive_consent:
        items.discard(HandoffItem.HEALTH)
    return items


def receiving_agencies(user: AnyUser) -> QuerySet[Agency]:
    """Agencies of the acting agency's prefecture that accept hand-offs (itself excluded)."""
    agency = _acting_agency(user)
    agencies = Agency.objects.filter(
        is_active=True, accepts_handoffs=True, region__prefecture_id=agency.region.prefecture_id
    ).exclude(pk=agency.pk)
    return agencies.select_related("region").order_by("region__code", "name_kana", "name")


def _notify(handoff: Handoff, agency: Agency, subject: str, body: str) -> int:
    """A notice without personal data to the agency's active members (the configured mailer)."""
    recipients = sorted(
        Membership.objects.active().filter(agency=agency).exclude(user__email="").values_list("user__email", flat=True)
    )
    if not recipients:
        return 0
    # A whole address: a mail program makes no link of a bare path.
    link = settings.SITE_URL + reverse("handoff_detail", args=[handoff.uuid])
    try:
        send_mail(subject, f"{body}\n\n{link}", None, recipients)
    except (OSError, smtplib.SMTPException):
        # The hand-off is recorded and shows in the inbox and on the home page: a mail server
        # that is down must not undo it.
        logger.warning("hand-off notice not sent", extra={"handoff": str(handoff.uuid)})
        return 0
    return len(recipients)


def consent_date_errors(
    *, consent_on: datetime.date | None, consent_until: datetime.date | None, today: datetime.date
) -> dict[str, list[Any]]:
    """The dates of the consent to a hand-off being sent: given by today, not yet ended, and its
    period (Handoff.period_errors). Checked here and in the form (HandoffForm.clean), so that the
    form says every one of them at once, next to its field — an end date both before the consent
    and past gets both messages, and a date is checked even when the other one is missing."""
    errors: dict[str, list[Any]] = {
        name: [error] for name, error in Handoff.period_errors(consent_on, consent_until).items()
    }
    if consent_on is not None and consent_on > today:
        errors.setdefault("consent_on", []).append(_("The date cannot be in the future."))
    if consent_until is not None and consent_until < today:
        errors.setdefault("consent_until", []).append(_("The consent has already ended."))
    return errors


@transaction.atomic
def handoff_send(
    *,
    client: Client,
    by: User,
    to_agency: Agency,
    items: list[str],
    introduction: SelfIntroduction | None,
    needs_check: NeedsCheck | None,
    note: str,
    consent_given_by: str,
    consent_on: datetime.date,
    consent_method: str,
    consent_until: datetime.date,
) -> Handoff:
    agency = _require_member(by, client.agency_id)
    if not receiving_agencies(by).filter(pk=to_agency.pk).exists():
        raise ValidationError({"to_agency": _("This agency cannot receive hand-offs from your agency.")})
    if introduction is not None and introduction.client_id != client.pk:
        raise PermissionDenied
    if needs_check is not None and needs_check.client_id != client.pk:
        raise PermissionDenied
    today = timezone.localdate()
    errors = consent_date_errors(consent_on=consent_on, consent_until=consent_until, today=today)
    if errors:
        raise ValidationError(errors)
    if HandoffItem.HEALTH in items and not client.has_sensitive_consent:
        raise ValidationError({"items": _("Health notes can be shared only with the consent to hold them.")})
    handoff = Handoff(
        from_agency=agency,
        to_agency=to_agency,
        client=client,
        items=list(items),
        introduction=introduction if set(items) & set(ITEM_FIELDS) else None,
        needs_check=needs_check if HandoffItem.NEEDS_CHECK in items else None,
        note=note.strip(),
        consent_given_by=consent_given_by,
        consent_on=consent_on,
        consent_method=consent_method,
        consent_until=consent_until,
        sent_on=today,
        sent_by=by,
    )
    handoff.full_clean()
    handoff.save()
    audit(
        by=by,
        agency=agency,
        action="handoff.send",
        target=handoff,
        client=str(client.uuid),
        to_agency=str(to_agency.uuid),
        items=handoff.items,
    )
    transaction.on_commit(
        lambda: _notify(
            handoff,
            to_agency,
            _("A hand-off has arrived"),
            _("%(agency)s has sent your agency a hand-off (つなぎ). Open it in the work-information registry:")
            % {"agency": agency.name},
        )
    )
    return handoff


def _locked(handoff: Handoff) -> Handoff:
    locked: Handoff = (
        Handoff.objects.select_for_update(of=("self",))
        .select_related("client", "to_agency", "from_agency")
        .get(pk=handoff.pk)
    )
    return locked


class HandoffStateError(Exception):
    """The hand-off is not in a state where this step can be taken (someone else answered it)."""


class ConsentEnded(Exception):
    """The client's consent to the provision ended before the receiver accepted: nothing is copied."""


@transaction.atomic
def handoff_accept(*, handoff: Handoff, by: User) -> Handoff:
    """受付: a client record in the receiving agency holding exactly the consented items."""
    agency = _require_member(by, handoff.to_agency_id)
    handoff = _locked(handoff)
    if handoff.status != HandoffStatus.SENT:
        raise HandoffStateError
    if handoff.consent_has_ended(timezone.localdate()):
        raise ConsentEnded
    items = shareable_items(handoff)
    source = handoff.introduction
    name = source.preferred_name if source is not None and HandoffItem.PROFILE in items else str(NAME_NOT_SHARED)
    received = client_create(agency=agency, by=by, preferred_name=name)
    if HandoffItem.HEALTH in items:
        # The consent to the provision covers health notes; the receiver records it as its own.
        received.sensitive_consent_on = handoff.consent_on
        received.sensitive_consent_by = by
        received.save(update_fields=["sensitive_consent_on", "sensitive_consent_by", "updated_at"])
    if source is not None and items & set(ITEM_FIELDS):
        copy = SelfIntroduction(client=received, created_by=by, preferred_name=name, counselor_name=by.name[:50])
        fields = [field for item in items & set(ITEM_FIELDS) for field in ITEM_FIELDS[item]]
        many = [field for field in fields if SelfIntroduction._meta.get_field(field).many_to_many]
        for field in set(fields) - set(many):
            setattr(copy, field, getattr(source, field))
        copy.full_clean()
        copy.save()
        for field in many:  # set once the copy has a primary key
            getattr(copy, field).set(getattr(source, field).all())
    if handoff.needs_check is not None and HandoffItem.NEEDS_CHECK in items:
        check = handoff.needs_check
        copied = NeedsCheck(client=received, created_by=by)
        for field in NEEDS_CHECK_FIELDS:
            setattr(copied, field, getattr(check, field))
        if HandoffItem.HEALTH not in items:
            copied.health_constraints = ""
        copied.full_clean()
        copied.save()
    handoff.status = HandoffStatus.ACCEPTED
    handoff.accepted_on = timezone.localdate()
    handoff.answered_by = by
    handoff.received_client = received
    handoff.save()
    audit(
        by=by,
        agency=agency,
        action="handoff.accept",
        target=handoff,
        received_client=str(received.uuid),
        items=sorted(items),
    )
    return handoff


@transaction.atomic
def handoff_decline(*, handoff: Handoff, by: User, reason: str) -> Handoff:
    agency = _require_member(by, handoff.to_agency_id)
    handoff = _locked(handoff)
    if handoff.status != HandoffStatus.SENT:
        raise HandoffStateError
    handoff.status = HandoffStatus.DECLINED
    handoff.declined_on = timezone.localdate()
    handoff.decline_reason = reason.strip()
    handoff.answered_by = by
    handoff.full_clean()
    handoff.save()
    audit(by=by, agency=agency, action="handoff.decline", target=handoff)
    return handoff


@transaction.atomic
def handoff_met(*, handoff: Handoff, by: User, met_on: datetime.date) -> Handoff:
    """初回面談済み: recorded by the receiving agency."""
    agency = _require_member(by, handoff.to_agency_id)
    handoff = _locked(handoff)
    if handoff.status != HandoffStatus.ACCEPTED:
        raise HandoffStateError
    if met_on > timezone.localdate() or (handoff.accepted_on is not None and met_on < handoff.accepted_on):
        raise ValidationError({"met_on": _("Enter a date between the acceptance and today.")})
    handoff.status = HandoffStatus.MET
    handoff.met_on = met_on
    handoff.save()
    audit(by=by, agency=agency, action="handoff.met", target=handoff)
    return handoff


@transaction.atomic
def handoff_withdraw_consent(*, handoff: Handoff, by: User, on: datetime.date | None = None) -> Handoff:
    """The client withdraws consent (recorded by the sending agency). Before acceptance the
    hand-off is cancelled and the receiver sees nothing more; after it, the withdrawal is recorded
    and the receiving agency is told (what it already holds is its own record now)."""
    agency = _require_member(by, handoff.from_agency_id)
    handoff = _locked(handoff)
    if handoff.consent_withdrawn_on is not None:
        return handoff
    day = on or timezone.localdate()
    handoff.consent_withdrawn_on = day
    before = handoff.status == HandoffStatus.SENT
    if before:
        handoff.status = HandoffStatus.CANCELLED
        handoff.cancelled_on = day
    handoff.save()
    audit(by=by, agency=agency, action="handoff.consent_withdrawn", target=handoff, cancelled=before)
    to_agency = handoff.to_agency
    transaction.on_commit(
        lambda: _notify(
            handoff,
            to_agency,
            _("A hand-off: consent withdrawn"),
            _("The client of a hand-off from %(agency)s has withdrawn their consent. Open it:")
            % {"agency": agency.name},
        )
    )
    return handoff


def forget_erased_client(sender: Any, *, client: Client, by: User, day: datetime.date, **kwargs: Any) -> dict[str, int]:
    """clients.extensions.client_erasing: the hand-offs sent for a client being erased keep no
    word about them — the note and a decline reason are blanked, and one not yet answered is
    cancelled, so the receiving agency can no longer accept it (and is told so). What an agency
    that accepted one made of it is its own record. (The client's needs checks go with the
    client: on_delete=CASCADE.)"""
    handoffs = Handoff.objects.select_for_update().filter(client=client)
    pending = list(handoffs.filter(status=HandoffStatus.SENT).select_related("from_agency", "to_agency"))
    count = handoffs.update(note="", decline_reason="")
    handoffs.filter(status=HandoffStatus.SENT).update(status=HandoffStatus.CANCELLED, cancelled_on=day)
    for handoff in pending:
        body = _("A hand-off from %(agency)s was cancelled: the client asked for their data to be erased. Open it:")
        transaction.on_commit(
            functools.partial(
                _notify,
                handoff,
                handoff.to_agency,
                _("A hand-off: cancelled"),
                body % {"agency": handoff.from_agency.name},
            )
        )
    return {"handoffs": count, "needs_checks": client.needs_checks.count()}


def erase_needs_check_health(sender: Any, *, client: Client, **kwargs: Any) -> int:
    """clients.extensions.sensitive_consent_withdrawn: the health constraints of the client's
    needs checks are erased with the consent (the receiver of a hand-off then sees no health item
    either: shareable_items)."""
    return NeedsCheck.objects.filter(client=client).exclude(health_constraints="").update(health_constraints="")


def record_handoff_view(*, by: User, handoff: Handoff) -> None:
    record_access(by=by, action="handoff.view", target=handoff)


def overdue_before(today: datetime.date | None = None) -> datetime.date:
    """Hand-offs sent on or before this day and still unanswered are flagged."""
    return (today or timezone.localdate()) - datetime.timedelta(days=settings.HANDOFF_REMIND_DAYS)


# --- The agency directory (profile fields of registry.models.Agency) -----------------------------

AGENCY_PROFILE_FIELDS = (
    "support_kinds",
    "support_other",
    "serves",
    "service_area",
    "hours",
    "contact_note",
    "accepts_handoffs",
)


@transaction.atomic
def agency_profile_update(*, agency: Agency, by: User, **fields: Any) -> Agency:
    """The agency's directory entry, kept by its agency admin (a platform admin too)."""
    membership = acting_membership(by)
    allowed = (
        membership is not None and membership.agency_id == agency.pk and membership.has_role(Role.AGENCY_ADMIN)
    ) or (by.is_platform_admin)
    if not allowed:
        raise PermissionDenied
    changed = []
    for name, value in pick(fields, AGENCY_PROFILE_FIELDS).items():
        if getattr(agency, name) != value:
            setattr(agency, name, value)
            changed.append(name)
    agency.profile_updated_at = timezone.now()
    agency.full_clean()
    agency.save()
    audit(by=by, agency=agency, action="agency.profile_update", target=agency, fields=sorted(changed))
    return agency


# --- Referral notices to the program's agency -----------------------------------------------------


@transaction.atomic
def referral_host_confirm(*, referral: Referral, by: User) -> Referral:
    """The program's owning agency confirms the scheduled date of another agency's referral."""
    agency = _require_member(by, referral.program.employer.owner_id)
    if referral.client.agency_id == agency.pk:
        raise PermissionDenied
    if referral.status != ReferralStatus.SCHEDULED or referral.starts_on is None:
        raise ValidationError(_("Only a referral with a scheduled first day can be confirmed."))
    referral.host_confirmed_on = timezone.localdate()
    referral.host_confirmed_by = by
    referral.save(update_fields=["host_confirmed_on", "host_confirmed_by", "updated_at"])
    audit(by=by, agency=agency, action="referral.host_confirm", target=referral)
    return referral
