"""つなぎ: the first-contact needs check on a client and the warm hand-off of a client to
another agency, with the client's consent (APPI 第27条: provision to a third party).

A hand-off is visible to exactly two agencies, the sender and the receiver (acting staff with
the counselor role); a third agency gets 404. Before acceptance the receiver sees only the
consented items; on acceptance a client record is made in the receiving agency holding exactly
those items (sheets/network/services.py `handoff_accept`). The needs check is part of the client
record: agency-private like the rest of it (`client_visibility`)."""

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from registry.dates import not_in_future
from registry.models import NOTHING, Agency, Role, User, acting_membership
from sheets.clients.models import Client, SelfIntroduction, client_visibility, consent_period_error
from sheets.fields import ChoiceListField

NEEDS_TEXT_MAX = 200

# --- First-contact needs check (一次相談での就労ニーズの把握) ---------------------------------


class WishToWork(models.TextChoices):
    NOW = "now", _("Wants to work now")
    SOON = "soon", _("Wants to work some day")
    UNSURE = "unsure", _("Not sure yet")
    NOT_NOW = "not_now", _("Not thinking of work now")


class NeedsCheckQuerySet(models.QuerySet["NeedsCheck"]):
    def for_user(self, user) -> "NeedsCheckQuerySet":
        return self.filter(client_visibility(user, prefix="client__"))


class NeedsCheck(models.Model):
    """A short structured record a 生活相談 counselor fills at first contact."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="needs_checks", verbose_name=_("client"))
    checked_on = models.DateField(_("checked on"), validators=[not_in_future])
    wish_to_work = models.CharField(_("wish to work"), max_length=10, choices=WishToWork.choices)
    situation = models.TextField(_("present situation"), max_length=NEEDS_TEXT_MAX, blank=True)
    time_available = models.CharField(
        _("time available"), max_length=100, blank=True, help_text=_("E.g. weekday mornings, about 3 days a week.")
    )
    care_constraints = models.TextField(
        _("care constraints"), max_length=NEEDS_TEXT_MAX, blank=True, help_text=_("Childcare, caring for family…")
    )
    # 要配慮個人情報: only while the client's consent to hold sensitive data is recorded.
    health_constraints = models.TextField(_("health constraints"), max_length=NEEDS_TEXT_MAX, blank=True)
    past_work = models.TextField(_("past work"), max_length=NEEDS_TEXT_MAX, blank=True)
    want_to_try = models.TextField(_("what they want to try"), max_length=NEEDS_TEXT_MAX, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = NeedsCheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("first-contact needs check")
        verbose_name_plural = _("first-contact needs checks")
        ordering = ["-checked_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.client.code} {self.checked_on}"

    def clean(self) -> None:
        if self.health_constraints.strip() and not self.client.has_sensitive_consent:
            raise ValidationError(
                {
                    "health_constraints": _(
                        "Health constraints can be kept only after the client's consent to hold sensitive personal "
                        "data (要配慮個人情報) is recorded on the client page."
                    )
                }
            )


# --- Warm hand-off ------------------------------------------------------------------------------


class HandoffItem(models.TextChoices):
    """What a hand-off may carry: the needs check and the parts of the self-introduction
    (the same keys as sheets.clients.models.IntroSection)."""

    NEEDS_CHECK = "needs_check", _("First-contact needs check")
    PROFILE = "profile", _("Name, age band and referring agency")
    INTERESTS = "interests", _("Interests and things I like")
    STRENGTHS = "strengths", _("Strengths and confidence")
    EXPERIENCE = "experience", _("Experience")
    GOALS = "goals", _("What I want to confirm or grow")
    WORRIES = "worries", _("Worries and my ways of coping")
    REQUESTS = "requests", _("Requests to the workplace")
    AVAILABILITY = "availability", _("When and how I can come")
    HEALTH = "health", _("Health notes")


INTRODUCTION_ITEMS = [item for item in HandoffItem.values if item != HandoffItem.NEEDS_CHECK]


class HandoffStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    MET = "met", _("First meeting held")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled (consent withdrawn)")


OPEN_STATUSES = (HandoffStatus.SENT,)


class ConsentGivenBy(models.TextChoices):
    CLIENT = "client", _("The client")
    REPRESENTATIVE = "representative", _("A legal representative")


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", _("Signed form")
    ORAL = "oral", _("Orally, noted by the counselor")
    ELECTRONIC = "electronic", _("Electronically")


def handoff_visibility(user) -> Q:
    """A hand-off is the sender's and the receiver's: staff acting for either agency."""
    membership = acting_membership(user)
    if membership is None or not membership.has_role(Role.COUNSELOR):
        return NOTHING
    return Q(from_agency_id=membership.agency_id) | Q(to_agency_id=membership.agency_id)


class HandoffQuerySet(models.QuerySet["Handoff"]):
    def for_user(self, user) -> "HandoffQuerySet":
        return self.filter(handoff_visibility(user))


class Handoff(models.Model):
    """つなぎ: a client handed from one agency to another with the client's consent."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    from_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="handoffs_sent", verbose_name=_("sending agency")
    )
    to_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="handoffs_received", verbose_name=_("receiving agency")
    )
    # The sending agency's client (kept when the client is erased there: the hand-off stays).
    client = models.ForeignKey(
        Client, on_delete=models.SET_NULL, null=True, blank=True, related_name="handoffs", verbose_name=_("client")
    )
    items = ChoiceListField(_("items shared"), item_choices=HandoffItem)
    introduction = models.ForeignKey(
        SelfIntroduction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("self-introduction form"),
    )
    needs_check = models.ForeignKey(
        NeedsCheck, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("needs check")
    )
    note = models.TextField(_("note to the receiving agency"), max_length=500, blank=True)
    # The client's consent to the provision (APPI 第27条): who, when, how, for how long.
    consent_given_by = models.CharField(_("consent given by"), max_length=20, choices=ConsentGivenBy.choices)
    consent_on = models.DateField(_("consent given on"))
    consent_method = models.CharField(_("how consent was given"), max_length=20, choices=ConsentMethod.choices)
    consent_until = models.DateField(_("consent valid until"))
    consent_withdrawn_on = models.DateField(_("consent withdrawn on"), null=True, blank=True)

    status = models.CharField(_("status"), max_length=10, choices=HandoffStatus.choices, default=HandoffStatus.SENT)
    sent_on = models.DateField(_("sent on"))
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    met_on = models.DateField(_("first meeting on"), null=True, blank=True)
    declined_on = models.DateField(_("declined on"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), max_length=300, blank=True)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    # The record made in the receiving agency on acceptance.
    received_client = models.ForeignKey(
        Client,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handoffs_received",
        verbose_name=_("client record in the receiving agency"),
    )

    sent_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("sent by")
    )
    answered_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("answered by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = HandoffQuerySet.as_manager()

    class Meta:
        verbose_name = _("hand-off")
        verbose_name_plural = _("hand-offs")
        ordering = ["-sent_on", "-created_at"]
        indexes = [models.Index(fields=["to_agency", "status"]), models.Index(fields=["from_agency", "status"])]

    def __str__(self) -> str:
        return f"{self.from_agency} → {self.to_agency} {self.sent_on}"

    def consent_has_ended(self, today: datetime.date) -> bool:
        """Past the end date the client agreed to: nothing more may be provided on it."""
        return self.consent_until < today

    @staticmethod
    def period_errors(consent_on: datetime.date | None, consent_until: datetime.date | None) -> dict:
        """The consent's period: it ends on or after the day it was given, at most a year later."""
        error = consent_period_error(
            consent_on, consent_until, _("The consent's end date must be on or after the day the consent was given.")
        )
        return {"consent_until": error} if error else {}

    def clean(self) -> None:
        errors = self.period_errors(self.consent_on, self.consent_until)
        if not self.items:
            errors["items"] = _("Choose at least one item the client agrees to share.")
        if self.from_agency_id and self.from_agency_id == self.to_agency_id:
            errors["to_agency"] = _("Choose another agency.")
        if self.status == HandoffStatus.DECLINED and not self.decline_reason.strip():
            errors["decline_reason"] = _("Write why the hand-off is declined.")
        if HandoffItem.NEEDS_CHECK in (self.items or []) and not self.needs_check_id:
            errors["items"] = _("There is no needs check to share.")
        if set(self.items or []) & set(INTRODUCTION_ITEMS) and not self.introduction_id:
            errors["items"] = _("Choose the self-introduction form the parts come from.")
        if errors:
            raise ValidationError(errors)

    def steps(self) -> list[dict]:
        """送付済み → 受付済み → 初回面談済み (or 辞退 / 取り消し), each with its date."""
        steps = [{"label": HandoffStatus.SENT.label, "on": self.sent_on}]
        if self.status == HandoffStatus.DECLINED:
            return [*steps, {"label": HandoffStatus.DECLINED.label, "on": self.declined_on}]
        if self.status == HandoffStatus.CANCELLED:
            return [*steps, {"label": HandoffStatus.CANCELLED.label, "on": self.cancelled_on}]
        return [
            *steps,
            {"label": HandoffStatus.ACCEPTED.label, "on": self.accepted_on},
            {"label": HandoffStatus.MET.label, "on": self.met_on},
        ]
