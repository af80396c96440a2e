"""Task breakdown sheets (業務・作業洗い出しシート) and their task rows: the interview with an
employer and the tasks listed in it. Working papers of the employer's owning agency
(sheets/breakdowns/access.py)."""

import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.dates import not_in_future
from registry.models import NOTHING, Agency, Employer, EmployerVisit, User, acting_membership, is_platform_admin
from sheets.fields import ChoiceListField, RatingsField
from sheets.vocabulary import (
    CutOut,
    EngagementType,
    EnvironmentFactor,
    Frequency,
    Month,
    Place,
    Posture,
    TeachingMethod,
    Weekday,
)

# Caps of the breakdown's free texts: its printout gives each task one box that does not
# break across pages (a longer 手順 pushed the box to the next page, leaving a blank one) and
# prints the two notes side by side above the tasks. Checked with every field at its cap in
# tests/sheets/test_print_budget.py.
BREAKDOWN_TEXT_LIMITS: dict[str, int] = {"unmet_needs": 400, "culture_notes": 400}
TASK_TEXT_LIMITS: dict[str, int] = {"steps": 400, "cut_out_conditions": 200}


class TaskBreakdownQuerySet(models.QuerySet["TaskBreakdown"]):
    def for_user(self, user) -> "TaskBreakdownQuerySet":
        """Working papers of the employer's owning agency: its staff see them (platform admins all)."""
        if is_platform_admin(user):
            return self.all()
        membership = acting_membership(user)
        if membership is None:
            return self.filter(NOTHING)
        return self.filter(employer__owner_id=membership.agency_id)


class TaskBreakdown(models.Model):
    """業務・作業洗い出しシート: one interview with an employer and the tasks listed in it.
    Owned by the employer's owning agency."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="breakdowns", verbose_name=_("employer")
    )
    # The visit of the employer's visit log this sheet was made from (its date and visitors
    # filled the form). Optional: older sheets and sheets made without a logged visit have none.
    visit = models.ForeignKey(
        EmployerVisit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="breakdowns",
        verbose_name=_("visit record"),
    )
    visited_on = models.DateField(_("visit date"), validators=[not_in_future])
    visitors = models.CharField(_("visitors"), max_length=200, help_text=_("Who visited, e.g. 伊藤（社協）"))
    interviewee = models.CharField(_("interviewee"), max_length=200, blank=True)
    unmet_needs = models.TextField(
        _("the employer's unmet needs"),
        blank=True,
        help_text=_("Which work do they lack hands for?"),
        validators=[MaxLengthValidator(BREAKDOWN_TEXT_LIMITS["unmet_needs"])],
    )
    culture_notes = models.TextField(
        _("workplace culture and unwritten rules"),
        blank=True,
        help_text=_("Greetings, breaks, who to ask, etc."),
        validators=[MaxLengthValidator(BREAKDOWN_TEXT_LIMITS["culture_notes"])],
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = TaskBreakdownQuerySet.as_manager()

    class Meta:
        verbose_name = _("task breakdown sheet")
        verbose_name_plural = _("task breakdown sheets")
        ordering = ["-visited_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.employer} {self.visited_on}"

    @property
    def owner(self) -> Agency:
        return self.employer.owner


class TaskRow(models.Model):
    """One duty/task (業務／作業) of a breakdown, with what it demands (0–3 per dimension)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    breakdown = models.ForeignKey(
        TaskBreakdown, on_delete=models.CASCADE, related_name="rows", verbose_name=_("task breakdown sheet")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    duty = models.CharField(_("duty"), max_length=100, help_text=_("e.g. 内職, 農作業"))
    task = models.CharField(_("task"), max_length=100, help_text=_("e.g. 部品の袋詰め, ねぎの出荷調整"))
    steps = models.TextField(_("steps"), blank=True, validators=[MaxLengthValidator(TASK_TEXT_LIMITS["steps"])])
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices, blank=True)
    months = ChoiceListField(_("months"), item_choices=Month, help_text=_("For seasonal work."))
    duration_minutes = models.PositiveIntegerField(
        _("typical duration (minutes)"), null=True, blank=True, validators=[MaxValueValidator(24 * 60)]
    )
    batch_size = models.CharField(_("batch size"), max_length=100, blank=True, help_text=_("e.g. 100個で1箱"))
    place = models.CharField(_("place"), max_length=10, choices=Place.choices, blank=True)
    postures = ChoiceListField(_("postures"), item_choices=Posture)
    lifting_kg = models.PositiveSmallIntegerField(
        _("heaviest lifting (kg)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    tools = models.CharField(_("tools and machines"), max_length=200, blank=True)
    protective_gear = models.CharField(_("protective gear"), max_length=200, blank=True)
    environment_factors = ChoiceListField(_("environment"), item_choices=EnvironmentFactor)
    teaching_methods = ChoiceListField(_("how it is taught"), item_choices=TeachingMethod)
    demands = RatingsField(_("demand ratings"))
    cut_out = models.CharField(_("can it be cut out"), max_length=12, choices=CutOut.choices, blank=True)
    cut_out_conditions = models.TextField(
        _("conditions for cutting out"),
        blank=True,
        validators=[MaxLengthValidator(TASK_TEXT_LIMITS["cut_out_conditions"])],
    )
    engagement_types = ChoiceListField(_("possible engagement types"), item_choices=EngagementType)
    capacity = models.PositiveSmallIntegerField(
        _("capacity (people)"), null=True, blank=True, validators=[MaxValueValidator(999)]
    )
    days = ChoiceListField(_("days"), item_choices=Weekday)
    time_slots = models.CharField(_("time slots"), max_length=100, blank=True, help_text=_("e.g. 9:00〜12:00"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("task row")
        verbose_name_plural = _("task rows")
        ordering = ["breakdown", "position", "id"]

    def __str__(self) -> str:
        return f"{self.duty}: {self.task}" if self.duty else self.task

    def clean(self) -> None:
        errors = {}  # every rule broken is said at once, not one per save
        if self.months and self.frequency and self.frequency != Frequency.SEASONAL:
            errors["months"] = _("Months are for seasonal work only.")
        if self.cut_out_conditions and self.cut_out == CutOut.YES:
            # Conditions only make sense with "with conditions"; say so rather than drop text.
            errors["cut_out"] = _("Choose “with conditions” when you write conditions.")
        if errors:
            raise ValidationError(errors)
