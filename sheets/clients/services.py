"""Every write to clients, self-introductions, consents and referrals — keyword-only,
validated, in one transaction, with one audit entry — and `record_access`, the audit entry
for every view, print and export of a client's data.

Audit details hold ids and keys only: never a name, a health note or any free text."""

import datetime
from collections.abc import Iterable
from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.models import Agency, Employer, Region, Role, User, acting_membership
from registry.services import StaleEditError, audit
from sheets.clients.extensions import client_erasing, sensitive_consent_withdrawn
from sheets.clients.models import (
    Client,
    ErasedOutcomeCount,
    ErasureReason,
    IntroSection,
    Outcome,
    Referral,
    ReferralStatus,
    SelfIntroduction,
    SharingConsent,
)
from sheets.programs.models import Program

INTRODUCTION_FIELDS = (
    "preferred_name",
    "age_band",
    "counselor_name",
    "interests",
    "interest_tags",
    "strengths",
    "confidence",
    "want_to_confirm",
    "wants_accommodation",
    "experience",
    "goals",
    "worries",
    "coping",
    "accommodations",
    "requests",
    "days",
    "available_from",
    "available_until",
    "commute",
    "commute_notes",
    "engagement_types",
    "health_notes",
)


def _require_member(by: User, agency_id: int) -> Agency:
    """Views check first; services check again: only the client's agency writes its data."""
    membership = acting_membership(by)
    if membership is None or membership.agency_id != agency_id or not membership.has_role(Role.COUNSELOR):
        raise PermissionDenied
    return membership.agency


def record_access(*, by: User, action: str, target: models.Model, **detail: Any) -> None:
    """One audit entry per view, print or export of client data, under the acting agency."""
    membership = acting_membership(by)
    audit(by=by, agency=membership.agency if membership else None, action=action, target=target, **detail)


# --- Clients ------------------------------------------------------------------------------


def next_code(agency: Agency, year: int) -> str:
    prefix = f"C-{year}-"
    last = (
        Client.objects.filter(agency=agency, code__startswith=prefix).order_by("-code").values_list("code", flat=True)
    ).first()
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:04d}"


def client_create(*, agency: Agency, by: User, preferred_name: str) -> Client:
    _require_member(by, agency.pk)
    for _attempt in range(3):  # two colleagues creating at once: the unique code decides
        try:
            with transaction.atomic():
                client = Client(
                    agency=agency,
                    code=next_code(agency, timezone.localdate().year),
                    preferred_name=preferred_name.strip(),
                    created_by=by,
                )
                client.full_clean()
                client.save()
                audit(by=by, agency=agency, action="client.create", target=client)
                return client
        except IntegrityError:
            continue
    raise IntegrityError("could not allocate a client code")


@transaction.atomic
def client_rename(*, client: Client, by: User, preferred_name: str) -> Client:
    _require_member(by, client.agency_id)
    client.preferred_name = preferred_name.strip()
    client.full_clean()
    client.save()
    audit(by=by, agency=client.agency, action="client.update", target=client)
    return client


@transaction.atomic
def sensitive_consent_record(*, client: Client, by: User, given_on: datetime.date) -> Client:
    _require_member(by, client.agency_id)
    error = client.sensitive_consent_date_error(given_on)
    if error:
        raise ValidationError({"given_on": error})
    client.sensitive_consent_on = given_on
    client.sensitive_consent_by = by
    client.save(update_fields=["sensitive_consent_on", "sensitive_consent_by", "updated_at"])
    audit(by=by, agency=client.agency, action="client.sensitive_consent", target=client)
    return client


@transaction.atomic
def sensitive_consent_withdraw(*, client: Client, by: User) -> int:
    """Without the consent the health notes may not be kept: they are erased from every form
    (the self-introductions here, the needs checks of the network), for good. Returns how many
    forms held some."""
    _require_member(by, client.agency_id)
    client.sensitive_consent_on = None
    client.sensitive_consent_by = by
    client.save(update_fields=["sensitive_consent_on", "sensitive_consent_by", "updated_at"])
    erased = client.introductions.exclude(health_notes="").update(health_notes="")
    answers = sensitive_consent_withdrawn.send(sender=Client, client=client, by=by)
    erased += sum(cast(int, count) for _receiver, count in answers)
    audit(by=by, agency=client.agency, action="client.sensitive_consent_withdrawn", target=client, erased=erased)
    return erased


# --- Self-introductions -----------------------------------------------------------------------


def _apply(introduction: SelfIntroduction, fields: dict[str, Any]) -> None:
    for name in INTRODUCTION_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(introduction, name, value if value is not None or name.startswith("available") else "")


@transaction.atomic
def introduction_create(*, client: Client, by: User, regions: Iterable[Region] = (), **fields: Any) -> SelfIntroduction:
    _require_member(by, client.agency_id)
    introduction = SelfIntroduction(client=client, created_by=by)
    _apply(introduction, fields)
    introduction.full_clean()
    introduction.save()
    introduction.regions.set(regions)
    audit(by=by, agency=client.agency, action="introduction.create", target=introduction, client=str(client.uuid))
    return introduction


@transaction.atomic
def introduction_update(
    *, introduction: SelfIntroduction, by: User, version: int, regions: Iterable[Region] = (), **fields: Any
) -> SelfIntroduction:
    _require_member(by, introduction.client.agency_id)
    current = SelfIntroduction.objects.select_for_update().get(pk=introduction.pk)
    if current.version != version:
        raise StaleEditError
    _apply(introduction, fields)
    introduction.version = current.version + 1
    introduction.full_clean()
    introduction.save()
    introduction.regions.set(regions)
    changed = sorted(name for name in INTRODUCTION_FIELDS if getattr(current, name) != getattr(introduction, name))
    audit(by=by, agency=introduction.client.agency, action="introduction.update", target=introduction, fields=changed)
    return introduction


# --- Consent to share --------------------------------------------------------------------------


@transaction.atomic
def consent_record(
    *,
    introduction: SelfIntroduction,
    by: User,
    employer: Employer,
    program: Program | None,
    sections: list[str],
    valid_from: datetime.date,
    valid_until: datetime.date,
) -> SharingConsent:
    _require_member(by, introduction.client.agency_id)
    consent = SharingConsent(
        introduction=introduction,
        employer=employer,
        program=program,
        sections=list(sections),
        valid_from=valid_from,
        valid_until=valid_until,
        recorded_by=by,
    )
    consent.full_clean()
    consent.save()
    audit(
        by=by,
        agency=introduction.client.agency,
        action="consent.record",
        target=consent,
        introduction=str(introduction.uuid),
        employer=str(employer.uuid),
        sections=consent.sections,
    )
    return consent


@transaction.atomic
def consent_withdraw(*, consent: SharingConsent, by: User, on: datetime.date | None = None) -> SharingConsent:
    _require_member(by, consent.introduction.client.agency_id)
    if consent.withdrawn_on is None:
        consent.withdrawn_on = on or timezone.localdate()
        consent.withdrawn_by = by
        consent.save(update_fields=["withdrawn_on", "withdrawn_by"])
        audit(by=by, agency=consent.introduction.client.agency, action="consent.withdraw", target=consent)
    return consent


def printable_sections(consent: SharingConsent) -> set[str]:
    """What the employer's copy may show: the consented sections; health notes only while the
    client's consent to hold sensitive data also stands."""
    sections = set(consent.sections)
    if not consent.introduction.client.has_sensitive_consent:
        sections.discard(IntroSection.HEALTH)
    return sections


# --- Referrals ----------------------------------------------------------------------------------

# status → the statuses it may move to
TRANSITIONS = {
    ReferralStatus.PROPOSED: {ReferralStatus.SCHEDULED, ReferralStatus.CANCELLED},
    ReferralStatus.SCHEDULED: {ReferralStatus.SCHEDULED, ReferralStatus.DONE, ReferralStatus.CANCELLED},
    ReferralStatus.DONE: set(),
    ReferralStatus.CANCELLED: set(),
}


class TransitionNotAllowed(Exception):
    pass


def _locked(referral: Referral, version: int | None) -> Referral:
    current = Referral.objects.select_for_update().get(pk=referral.pk)
    if version is not None and current.version != version:
        raise StaleEditError
    return current


def _save_referral(referral: Referral, by: User, action: str, **detail: Any) -> Referral:
    referral.version += 1
    referral.full_clean()
    referral.save()
    audit(by=by, agency=referral.client.agency, action=action, target=referral, **detail)
    return referral


def _move(referral: Referral, to: ReferralStatus) -> None:
    if to not in TRANSITIONS[ReferralStatus(referral.status)]:
        raise TransitionNotAllowed
    referral.status = to


@transaction.atomic
def referral_propose(
    *, client: Client, program: Program, by: User, introduction: SelfIntroduction | None = None
) -> Referral:
    _require_member(by, client.agency_id)
    if introduction is not None and introduction.client_id != client.pk:
        raise PermissionDenied
    referral = Referral(
        client=client, program=program, introduction=introduction, proposed_on=timezone.localdate(), created_by=by
    )
    referral.full_clean()
    referral.save()
    audit(by=by, agency=client.agency, action="referral.propose", target=referral, program=str(program.uuid))
    return referral


@transaction.atomic
def referral_schedule(
    *, referral: Referral, by: User, starts_on: datetime.date, ends_on: datetime.date | None, version: int | None = None
) -> Referral:
    _require_member(by, referral.client.agency_id)
    referral = _locked(referral, version)
    _move(referral, ReferralStatus.SCHEDULED)
    referral.starts_on, referral.ends_on = starts_on, ends_on
    return _save_referral(referral, by, "referral.schedule")


@transaction.atomic
def referral_complete(*, referral: Referral, by: User, done_on: datetime.date, version: int | None = None) -> Referral:
    _require_member(by, referral.client.agency_id)
    referral = _locked(referral, version)
    _move(referral, ReferralStatus.DONE)
    referral.done_on = done_on
    return _save_referral(referral, by, "referral.complete")


@transaction.atomic
def referral_cancel(
    *, referral: Referral, by: User, reason: str, on: datetime.date | None = None, version: int | None = None
) -> Referral:
    _require_member(by, referral.client.agency_id)
    referral = _locked(referral, version)
    _move(referral, ReferralStatus.CANCELLED)
    referral.cancel_reason = (reason or "").strip()
    referral.cancelled_on = on or timezone.localdate()
    return _save_referral(referral, by, "referral.cancel")


FEEDBACK_FIELDS = ("self_ratings", "employer_ratings", "reflection", "employer_feedback", "next_try")
OUTCOME_FIELDS = ("outcome", "next_program", "hired_on", "working_1m", "working_3m", "working_6m", "tried_first")


@transaction.atomic
def referral_feedback(*, referral: Referral, by: User, version: int | None = None, **fields: Any) -> Referral:
    """The client's reflection and the employer's feedback, once the referral has started."""
    _require_member(by, referral.client.agency_id)
    referral = _locked(referral, version)
    if referral.status not in (ReferralStatus.SCHEDULED, ReferralStatus.DONE):
        raise TransitionNotAllowed
    for name in FEEDBACK_FIELDS:
        if name in fields:
            setattr(referral, name, fields[name] if fields[name] is not None else "")
    return _save_referral(referral, by, "referral.feedback")


@transaction.atomic
def referral_outcome(*, referral: Referral, by: User, version: int | None = None, **fields: Any) -> Referral:
    """What followed a finished referral: another program, a hire and the 1/3/6-month follow-ups."""
    _require_member(by, referral.client.agency_id)
    referral = _locked(referral, version)
    for name in OUTCOME_FIELDS:
        if name in fields:
            setattr(referral, name, fields[name])
    referral.outcome = referral.outcome or ""
    if referral.outcome != Outcome.ANOTHER_PROGRAM:
        referral.next_program = None
    return _save_referral(referral, by, "referral.outcome", outcome=referral.outcome)


# --- Erasure on request (APPI) ------------------------------------------------------------------


def may_erase(user: User, agency_id: int) -> bool:
    """Coordinators and agency admins of the client's agency erase; a counselor asks one of them."""
    membership = acting_membership(user)
    return membership is not None and membership.agency_id == agency_id and membership.has_role(Role.COORDINATOR)


@transaction.atomic
def client_erase(*, client: Client, by: User, reason: str) -> dict[str, int]:
    """Remove the client with their self-introduction forms, consents and referrals. What became
    of the referrals is kept as anonymous numbers per program (ErasedOutcomeCount), so programs
    show the same outcome counts as before. The audit entry names the agency, the staff member,
    the reason category and the numbers removed — no name, code, id or note of the client."""
    from sheets.clients.selectors import referral_tallies

    if not may_erase(by, client.agency_id):
        raise PermissionDenied
    if reason not in ErasureReason.values:
        raise ValidationError({"reason": _("Choose why the data is erased.")})
    client = Client.objects.select_for_update().select_related("agency").get(pk=client.pk)
    referrals = Referral.objects.filter(client=client)
    for program_id, tally in referral_tallies(referrals).items():
        for key, value in tally.items():
            if value:
                kept, _created = ErasedOutcomeCount.objects.select_for_update().get_or_create(
                    program_id=program_id, key=key
                )
                ErasedOutcomeCount.objects.filter(pk=kept.pk).update(value=F("value") + value)
    removed: dict[str, Any] = {
        "introductions": SelfIntroduction.objects.filter(client=client).count(),
        "consents": SharingConsent.objects.filter(introduction__client=client).count(),
        "referrals": referrals.count(),
    }
    for _receiver, counts in client_erasing.send(sender=Client, client=client, by=by, day=timezone.localdate()):
        removed.update(cast(dict[str, int], counts))
    referrals.delete()
    client.delete()  # its forms and their consents go with it (on_delete=CASCADE)
    audit(by=by, agency=client.agency, action="client.erase", reason=reason, **removed)
    return removed
