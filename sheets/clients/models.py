"""Clients, their self-introduction forms (しごと体験等参加者の自己紹介書), consent to share
them with a host employer, and referrals to programs with their outcomes.

Personal data: everything here belongs to the client's ONE agency (sheets/client_access.py).
Other agencies never see it; programs show only suppressed counts (sheets/selectors.py).
Minimal data: a generated pseudonymous code and the name the client wants to be called —
no legal name, address or birth date. Health notes (要配慮個人情報) are kept only while the
client's consent to hold sensitive data is recorded on the client."""

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from registry.dates import add_months
from registry.models import NOTHING, Agency, Employer, Region, Role, User, acting_membership
from sheets.dimensions import Dimension
from sheets.fields import ChoiceListField, RatingsField
from sheets.programs.models import Program
from sheets.vocabulary import Accommodation, EngagementType, Weekday

# The form prints on ONE A4 page in type large enough for the client: each free text is short.
INTRO_TEXT_MAX = 200

# --- Choice lists ---------------------------------------------------------------------------


class AgeBand(models.TextChoices):
    TEENS = "10s", _("Teens")
    TWENTIES = "20s", _("20s")
    THIRTIES = "30s", _("30s")
    FORTIES = "40s", _("40s")
    FIFTIES = "50s", _("50s")
    SIXTIES = "60s", _("60s")
    SEVENTY_PLUS = "70s", _("70 or older")


class InterestTag(models.TextChoices):
    """Plain-language versions of the six RIASEC interests (domain guide)."""

    REALISTIC = "realistic", _("Making things, moving your body")
    INVESTIGATIVE = "investigative", _("Finding things out")
    ARTISTIC = "artistic", _("Expressing yourself")
    SOCIAL = "social", _("Helping people")
    ENTERPRISING = "enterprising", _("Organising and leading")
    CONVENTIONAL = "conventional", _("Keeping things neat and in order")


class Commute(models.TextChoices):
    WALK = "walk", _("On foot")
    BICYCLE = "bicycle", _("Bicycle")
    PUBLIC = "public", _("Bus or train")
    CAR = "car", _("Own car or motorbike")
    ESCORT = "escort", _("Taken by a supporter or family")


class IntroSection(models.TextChoices):
    """The parts of the form a consent can share. The agency's contact line always prints."""

    PROFILE = "profile", _("Name, age band and referring agency")
    INTERESTS = "interests", _("Interests and things I like")
    STRENGTHS = "strengths", _("Strengths and confidence")
    EXPERIENCE = "experience", _("Experience")
    GOALS = "goals", _("What I want to confirm or grow")
    WORRIES = "worries", _("Worries and my ways of coping")
    REQUESTS = "requests", _("Requests to the workplace")
    AVAILABILITY = "availability", _("When and how I can come")
    HEALTH = "health", _("Health notes")


class ReferralStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    SCHEDULED = "scheduled", _("Scheduled")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Outcome(models.TextChoices):
    ANOTHER_PROGRAM = "another_program", _("Went on to another program")
    HIRED = "hired", _("Hired")
    ENDED = "ended", _("Nothing followed for now")


class TriedFirst(models.TextChoices):
    """Whether a hire followed a work experience (the report's question: does trying the work
    first reduce early turnover?). Empty: not recorded; a hire from a work-experience program, or
    of a client who finished one before, counts as after an experience without it."""

    REGISTRY = "registry", _("After a work experience through the registry")
    NONE = "none", _("Without trying the work first")


# Follow-up checkpoints after a hire: (field name, months).
FOLLOW_UPS = (("working_1m", 1), ("working_3m", 3), ("working_6m", 6))


def client_visibility(user, *, prefix: str = "") -> models.Q:
    """Personal data is the agency's: only staff acting for the client's agency see it.
    Platform admins see NO client by default — they run the platform, not the case work; a
    platform admin who also works for an agency sees that agency's clients while acting for it."""
    membership = acting_membership(user)
    if membership is None or not membership.has_role(Role.COUNSELOR):
        return NOTHING
    return models.Q(**{f"{prefix}agency_id": membership.agency_id})


# --- Clients --------------------------------------------------------------------------------


class ClientQuerySet(models.QuerySet["Client"]):
    def for_user(self, user) -> "ClientQuerySet":
        return self.filter(client_visibility(user))


# The earliest day a consent to hold health notes may carry: the amended APPI (art. 20(2)) asked
# for it from 2017-05-30. Not the client's registration day: a consent signed at an intake is often
# entered later, and an agency that starts using the registry brings its clients' earlier consents
# (a client received through a hand-off, too, holds the sender's date). Before it, a date is a
# slip of the calendar (1900-01-01), not a consent.
SENSITIVE_CONSENT_EARLIEST = datetime.date(2017, 5, 30)

# A consent to share lasts at most a year: the client is asked again after that, and a period
# beyond it is a slip of the calendar (2099 for 2026). Sharing with an employer and a hand-off alike.
CONSENT_LONGEST_MONTHS = 12
CONSENT_TOO_LONG = _("A consent lasts at most a year from its start: ask the client again after that.")


def consent_period_error(start: datetime.date | None, end: datetime.date | None, before_start: Any) -> Any:
    """What is wrong with a consent's period, or None: it ends on or after its start
    (`before_start` says so in the consent's words), at most CONSENT_LONGEST_MONTHS later."""
    if not (start and end):
        return None
    if end < start:
        return before_start
    if end > consent_longest_end(start):
        return CONSENT_TOO_LONG
    return None


def consent_longest_end(start: datetime.date) -> datetime.date:
    return add_months(start, CONSENT_LONGEST_MONTHS)


# What a client received through a hand-off is called until they tell the receiving agency their
# name: stored in the language of the counselor who accepted it.
NAME_NOT_SHARED = _("(name not shared)")


def is_name_not_shared(name: str) -> bool:
    return any(name == _in(language, NAME_NOT_SHARED) for language, _label in settings.LANGUAGES)


def _in(language: str, text) -> str:
    with translation.override(language):
        return str(text)


class Client(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="clients", verbose_name=_("agency"))
    code = models.CharField(_("client code"), max_length=20, editable=False)
    preferred_name = models.CharField(
        _("name to be called"), max_length=30, help_text=_("The name the person wants to be called, e.g. さとうさん.")
    )
    # 要配慮個人情報: health notes may be stored only while this consent is recorded.
    sensitive_consent_on = models.DateField(_("consent to hold health notes given on"), null=True, blank=True)
    sensitive_consent_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("recorded by")
    )
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ClientQuerySet.as_manager()

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="client_unique_code_in_agency")]

    def __str__(self) -> str:
        return self.code

    @property
    def has_sensitive_consent(self) -> bool:
        return self.sensitive_consent_on is not None

    def sensitive_consent_date_error(self, given_on: datetime.date):
        """Why `given_on` cannot date the consent to hold health notes, or None: it is recorded
        after it was given (not in the future), and not before the law asked for it."""
        if given_on > timezone.localdate():
            return _("The date cannot be in the future.")
        if given_on < SENSITIVE_CONSENT_EARLIEST:
            return _(
                "A consent to hold health notes cannot be dated before %(date)s, when the consent to hold "
                "sensitive personal data (要配慮個人情報) became law."
            ) % {"date": date_format(SENSITIVE_CONSENT_EARLIEST, "DATE_FORMAT")}
        return None


class SelfIntroductionQuerySet(models.QuerySet["SelfIntroduction"]):
    def for_user(self, user) -> "SelfIntroductionQuerySet":
        return self.filter(client_visibility(user, prefix="client__"))


class SelfIntroduction(models.Model):
    """しごと体験等参加者の自己紹介書: written with the client, printed on one A4 page."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="introductions", verbose_name=_("client"))
    # Profile
    preferred_name = models.CharField(_("name to be called"), max_length=30)
    age_band = models.CharField(_("age band"), max_length=3, choices=AgeBand.choices, blank=True)
    counselor_name = models.CharField(_("counselor"), max_length=50, help_text=_("Who at the agency supports them."))
    # Interests
    interests = models.TextField(_("interests and things I like"), max_length=INTRO_TEXT_MAX, blank=True)
    interest_tags = ChoiceListField(_("interest tags"), item_choices=InterestTag)
    # Strengths: text and, per dimension, today's confidence (0–3; missing = わからない).
    strengths = models.TextField(_("strengths"), max_length=INTRO_TEXT_MAX, blank=True)
    confidence = RatingsField(_("confidence today"))
    want_to_confirm = ChoiceListField(_("want to try or confirm"), item_choices=Dimension)
    wants_accommodation = ChoiceListField(_("would like an accommodation"), item_choices=Dimension)
    experience = models.TextField(
        _("experience"), max_length=INTRO_TEXT_MAX, blank=True, help_text=_("Jobs, housework, volunteering.")
    )
    goals = models.TextField(_("what I want to confirm or grow"), max_length=INTRO_TEXT_MAX, blank=True)
    worries = models.TextField(_("worries"), max_length=INTRO_TEXT_MAX, blank=True)
    coping = models.TextField(_("my own ways of coping"), max_length=INTRO_TEXT_MAX, blank=True)
    # Requests to the workplace
    accommodations = ChoiceListField(_("accommodations I would like"), item_choices=Accommodation)
    requests = models.TextField(_("requests to the workplace"), max_length=INTRO_TEXT_MAX, blank=True)
    # Availability
    days = ChoiceListField(_("days I can come"), item_choices=Weekday)
    available_from = models.TimeField(_("available from"), null=True, blank=True)
    available_until = models.TimeField(_("available until"), null=True, blank=True)
    commute = ChoiceListField(_("how I get there"), item_choices=Commute)
    commute_notes = models.CharField(_("getting there (notes)"), max_length=100, blank=True)
    regions = models.ManyToManyField(Region, blank=True, related_name="+", verbose_name=_("areas I can reach"))
    engagement_types = ChoiceListField(_("kinds of program wanted"), item_choices=EngagementType)
    # 要配慮個人情報
    health_notes = models.TextField(_("health notes"), max_length=INTRO_TEXT_MAX, blank=True)

    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SelfIntroductionQuerySet.as_manager()

    class Meta:
        verbose_name = _("self-introduction form")
        verbose_name_plural = _("self-introduction forms")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.client.code} {self.revision_label()}" if self.updated_at else self.client.code

    def revision_label(self) -> str:
        """「第1版（2026年12月8日）」, as every page names the form. The date it was last saved is the
        local one: stored in UTC, a form saved before 9:00 in Japan would show the day before."""
        day = date_format(timezone.localdate(self.updated_at), "DATE_FORMAT")
        return str(_("Revision %(n)s (%(date)s)") % {"n": self.version, "date": day})

    def clean(self) -> None:
        errors = {}
        if self.health_notes.strip() and not self.client.has_sensitive_consent:
            errors["health_notes"] = _(
                "Health notes can be kept only after the client's consent to hold sensitive personal data "
                "(要配慮個人情報) is recorded on the client page. Leave this empty or record the consent first."
            )
        if self.available_from and self.available_until and self.available_until <= self.available_from:
            errors["available_until"] = _("The end of the available time must be after its start.")
        if errors:
            raise ValidationError(errors)


class SharingConsentQuerySet(models.QuerySet["SharingConsent"]):
    def active_on(self, day: datetime.date) -> "SharingConsentQuerySet":
        return self.filter(withdrawn_on__isnull=True, valid_from__lte=day, valid_until__gte=day)


class SharingConsent(models.Model):
    """The client's consent to share chosen sections of one form with one employer (and program)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    introduction = models.ForeignKey(
        SelfIntroduction, on_delete=models.CASCADE, related_name="consents", verbose_name=_("self-introduction form")
    )
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="+", verbose_name=_("employer"))
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("program")
    )
    sections = ChoiceListField(_("sections shared"), item_choices=IntroSection)
    valid_from = models.DateField(_("from"))
    valid_until = models.DateField(_("until"))
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawal recorded by"),
    )

    objects = SharingConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent to share")
        verbose_name_plural = _("consents to share")
        ordering = ["-valid_from", "-recorded_at"]

    def __str__(self) -> str:
        return f"{self.employer} {self.valid_from}–{self.valid_until}"

    @staticmethod
    def period_errors(valid_from: datetime.date | None, valid_until: datetime.date | None) -> dict:
        """Checked here and in the form (ConsentForm.clean), so the form says it with its other errors."""
        error = consent_period_error(valid_from, valid_until, _("The end date must be on or after the start date."))
        return {"valid_until": error} if error else {}

    def clean(self) -> None:
        errors = self.period_errors(self.valid_from, self.valid_until)
        if not self.sections:
            errors["sections"] = _("Choose at least one section the client agrees to share.")
        if self.program_id and self.employer_id and self.program.employer_id != self.employer_id:
            errors["program"] = _("The program belongs to another employer.")
        if errors:
            raise ValidationError(errors)

    def is_active(self, day: datetime.date) -> bool:
        return self.withdrawn_on is None and self.valid_from <= day <= self.valid_until


# --- Referrals -----------------------------------------------------------------------------


class ReferralQuerySet(models.QuerySet["Referral"]):
    def for_user(self, user) -> "ReferralQuerySet":
        return self.filter(client_visibility(user, prefix="client__"))


class Referral(models.Model):
    """A client × program: proposed → scheduled → done / cancelled, the two-sided reflection,
    and what followed (another program, a job and whether they are still working)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="referrals", verbose_name=_("client"))
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("program"))
    introduction = models.ForeignKey(
        SelfIntroduction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("self-introduction form"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.PROPOSED
    )
    proposed_on = models.DateField(_("proposed on"))
    starts_on = models.DateField(_("first day"), null=True, blank=True)
    ends_on = models.DateField(_("last day"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), max_length=300, blank=True)
    # The ジョブ・カード pattern: self rating beside employer rating, on the same dimensions.
    self_ratings = RatingsField(_("client's own rating"))
    employer_ratings = RatingsField(_("employer's rating"))
    reflection = models.TextField(_("client's reflection"), max_length=500, blank=True)
    employer_feedback = models.TextField(_("employer's feedback"), max_length=500, blank=True)
    next_try = models.TextField(_("what to try next"), max_length=300, blank=True)
    # What followed.
    outcome = models.CharField(_("what followed"), max_length=20, choices=Outcome.choices, blank=True)
    next_program = models.ForeignKey(
        Program, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("next program")
    )
    hired_on = models.DateField(_("hired on"), null=True, blank=True)
    working_1m = models.BooleanField(_("still working after 1 month"), null=True, blank=True)
    working_3m = models.BooleanField(_("still working after 3 months"), null=True, blank=True)
    working_6m = models.BooleanField(_("still working after 6 months"), null=True, blank=True)
    tried_first = models.CharField(
        _("tried the work first"), max_length=10, choices=TriedFirst.choices, blank=True, default=""
    )
    # The program's owning agency, when it is another agency, sees the referral (no client data)
    # and confirms the date (sheets/network: referral notices).
    host_confirmed_on = models.DateField(_("date confirmed by the program's agency on"), null=True, blank=True)
    host_confirmed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("confirmed by")
    )

    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-proposed_on", "-created_at"]
        indexes = [models.Index(fields=["program", "status"]), models.Index(fields=["outcome", "hired_on"])]

    def __str__(self) -> str:
        return f"{self.client.code} → {self.program}"

    def clean(self) -> None:
        errors = {}
        if self.status == ReferralStatus.CANCELLED and not self.cancel_reason.strip():
            errors["cancel_reason"] = _("Write why it was cancelled.")
        if self.status == ReferralStatus.SCHEDULED and not self.starts_on:
            errors["starts_on"] = _("Enter the first day.")
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The last day must be on or after the first day.")
        errors |= self._date_order_errors(timezone.localdate())
        if self.outcome == Outcome.HIRED and not self.hired_on:
            errors["hired_on"] = _("Enter the date they were hired.")
        if self.outcome != Outcome.HIRED and (self.hired_on or self.follow_up_values() or self.tried_first):
            errors["outcome"] = _("A hiring date and follow-ups need “Hired”.")
        if self.outcome and self.status != ReferralStatus.DONE:
            errors["outcome"] = _("Record what followed once the program is done.")
        if errors:
            raise ValidationError(errors)

    def _date_order_errors(self, today: datetime.date) -> dict:
        """Dates follow the referral's order — proposed, first day, done, hired — and what has
        already happened (done, cancelled, a follow-up) cannot lie in the future."""
        errors = {}
        proposed = self.proposed_on

        def before_proposal(value) -> bool:
            return bool(value and proposed and value < proposed)

        def on_proposal() -> dict:
            return {"date": date_format(proposed, "DATE_FORMAT")}

        if before_proposal(self.starts_on):
            errors["starts_on"] = _("The first day cannot be before the day it was proposed (%(date)s).") % (
                on_proposal()
            )
        if self.done_on:
            if self.done_on > today:
                errors["done_on"] = _("The date it was done cannot be in the future.")
            elif self.starts_on and self.done_on < self.starts_on:
                errors["done_on"] = _("The date it was done cannot be before the first day.")
            elif before_proposal(self.done_on):
                errors["done_on"] = _("The date it was done cannot be before the day it was proposed (%(date)s).") % (
                    on_proposal()
                )
        if self.cancelled_on and self.cancelled_on > today:
            errors["cancelled_on"] = _("The date it was cancelled cannot be in the future.")
        if self.hired_on:
            if before_proposal(self.hired_on):
                errors["hired_on"] = _("The hiring date cannot be before the day it was proposed (%(date)s).") % (
                    on_proposal()
                )
            elif self.starts_on and self.hired_on < self.starts_on:
                errors["hired_on"] = _("The hiring date cannot be before the program's first day.")
            else:
                for name, months in FOLLOW_UPS:
                    due = add_months(self.hired_on, months)
                    if getattr(self, name) is not None and due > today:
                        errors[name] = _("This can be recorded from %(date)s (%(months)s months after hiring).") % {
                            "date": date_format(due, "DATE_FORMAT"),
                            "months": months,
                        }
        return errors

    def follow_up_values(self) -> list[bool]:
        return [getattr(self, name) for name, _months in FOLLOW_UPS if getattr(self, name) is not None]

    def follow_ups(self) -> list[dict]:
        """The 1/3/6-month checkpoints of a hire: due date and what was recorded."""
        if self.outcome != Outcome.HIRED or not self.hired_on:
            return []
        return [
            {"field": name, "months": months, "due": add_months(self.hired_on, months), "value": getattr(self, name)}
            for name, months in FOLLOW_UPS
        ]


# --- Erasure on request ------------------------------------------------------------------------


class ErasureReason(models.TextChoices):
    """Why a client's data was erased: a category only, so the audit entry holds no free text."""

    CLIENT_REQUEST = "client_request", _("At the client's request")
    SUPPORT_ENDED = "support_ended", _("Support ended and the data is no longer needed")
    REGISTERED_IN_ERROR = "registered_in_error", _("Registered by mistake")


class ErasedOutcomeCount(models.Model):
    """What became of erased clients' referrals, as bare numbers per program and count key
    (sheets.selectors.COUNTS): programs keep showing the same outcome counts after a client
    is erased, and nothing here points back to a person."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="+", verbose_name=_("program"))
    key = models.CharField(_("count"), max_length=20)
    value = models.PositiveIntegerField(_("number"), default=0)

    class Meta:
        verbose_name = _("outcome count of erased clients")
        verbose_name_plural = _("outcome counts of erased clients")
        constraints = [models.UniqueConstraint(fields=["program", "key"], name="erased_outcome_count_unique")]

    def __str__(self) -> str:
        return f"{self.program_id}:{self.key}={self.value}"
