"""Multi-agency workshops (多機関参加型ワークショップ): series, sessions, opinion cards, the
logic model goal guide (ロジックモデル目標ガイド), participant surveys and region progress."""

import unicodedata
import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from registry.models import NOTHING, Agency, Region, Role, User, acting_membership, is_platform_admin


class Theme(models.TextChoices):
    """Group-work themes. Session 1 asks about needs and initiatives, session 2 about
    priorities and the outcome images for three audiences."""

    NEEDS = "needs", _("Needs")
    INITIATIVES = "initiatives", _("Initiatives")
    PRIORITIES = "priorities", _("Priorities")
    OUTCOMES_CLIENTS = "outcomes_clients", _("Outcome image: for clients")
    OUTCOMES_AGENCIES = "outcomes_agencies", _("Outcome image: for support agencies")
    OUTCOMES_COMMUNITY = "outcomes_community", _("Outcome image: for the community")


DEFAULT_THEMES = {
    1: [Theme.NEEDS, Theme.INITIATIVES],
    2: [Theme.PRIORITIES, Theme.OUTCOMES_CLIENTS, Theme.OUTCOMES_AGENCIES, Theme.OUTCOMES_COMMUNITY],
}


def default_themes(number: int) -> list[str]:
    return [str(t) for t in DEFAULT_THEMES.get(number, [])]


# --- Series and sessions --------------------------------------------------------------------


class SeriesQuerySet(models.QuerySet["WorkshopSeries"]):
    def for_user(self, user) -> "SeriesQuerySet":
        """The organiser agency's series; a participating agency's coordinators see them too."""
        if is_platform_admin(user):
            return self.all()
        membership = acting_membership(user)
        if membership is None:
            return self.filter(NOTHING)
        visible = models.Q(organiser=membership.agency)
        if membership.has_role(Role.COORDINATOR):
            joined = WorkshopSeries.objects.filter(participants=membership.agency).values("pk")
            visible |= models.Q(pk__in=joined)
        return self.filter(visible)


class WorkshopSeries(models.Model):
    """A region's workshop series. Owned by the organising agency."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=150)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="workshop_series", verbose_name=_("region")
    )
    organiser = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="organised_workshops", verbose_name=_("organising agency")
    )
    participants = models.ManyToManyField(
        Agency, blank=True, related_name="joined_workshops", verbose_name=_("participating agencies")
    )
    facilitator_notes = models.TextField(_("facilitator notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SeriesQuerySet.as_manager()

    class Meta:
        verbose_name = _("workshop series")
        verbose_name_plural = _("workshop series")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.organiser_id and self.region_id and self.organiser.region_id != self.region_id:
            raise ValidationError({"region": _("The organising agency must belong to this region.")})


class WorkshopSession(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    series = models.ForeignKey(WorkshopSeries, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField(_("session number"), validators=[MinValueValidator(1)])
    held_on = models.DateField(_("session date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=150, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=150, validators=[MinValueValidator(15), MaxValueValidator(600)]
    )
    themes = models.JSONField(_("themes"), default=list, blank=True)
    # While open, coordinators of participating agencies may add cards too.
    is_open = models.BooleanField(_("open for cards"), default=True)
    # Organisers close the survey when they have enough answers; its links then stop working.
    survey_open = models.BooleanField(_("survey open"), default=True)
    # Raised each time a closed survey is opened again: links carry it, so links handed out
    # before the survey was closed stay dead (workshops.survey).
    survey_round = models.PositiveIntegerField(_("survey round"), default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("workshop session")
        verbose_name_plural = _("workshop sessions")
        ordering = ["series", "number"]
        constraints = [models.UniqueConstraint(fields=["series", "number"], name="session_unique_number")]

    def __str__(self) -> str:
        return f"{self.series} #{self.number}"

    def clean(self) -> None:
        unknown = [t for t in self.themes or [] if t not in Theme.values]
        if unknown:
            raise ValidationError({"themes": _("Unknown theme.")})
        if not self.themes:
            raise ValidationError({"themes": _("Choose at least one theme.")})

    def theme_labels(self) -> list[str]:
        return [Theme(t).label for t in self.themes]


# --- Cards ------------------------------------------------------------------------------------


def heading_key(title: str) -> str:
    """What makes two headings the same: ＡＢＣ and abc, 「就労 体験」 and 「就労体験」 (NFKC folds
    full-width letters and half-width kana, case is folded, spaces do not count)."""
    return "".join(unicodedata.normalize("NFKC", title).casefold().split())


class CardHeading(models.Model):
    """A heading that opinion cards are grouped under while sorting them (KJ-method style).
    One theme of one session has each heading once."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(WorkshopSession, on_delete=models.CASCADE, related_name="headings")
    theme = models.CharField(_("theme"), max_length=30, choices=Theme.choices)
    title = models.CharField(_("heading"), max_length=100)
    # heading_key(title), kept by save(): the database refuses a second 「ブランク」 in a theme.
    title_key = models.TextField(editable=False)  # NFKC may lengthen a title (㌔ → キロ)

    class Meta:
        verbose_name = _("card heading")
        verbose_name_plural = _("card headings")
        ordering = ["theme", "title"]
        constraints = [
            models.UniqueConstraint(fields=["session", "theme", "title_key"], name="card_heading_unique_title")
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.title_key = heading_key(self.title)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "title" in update_fields:
            kwargs["update_fields"] = {*update_fields, "title_key"}
        super().save(*args, **kwargs)


class CardQuerySet(models.QuerySet["OpinionCard"]):
    def live(self) -> "CardQuerySet":
        """Cards on the board: merged originals are kept but hidden behind their merged card."""
        return self.filter(merged_into__isnull=True)


class OpinionCard(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(WorkshopSession, on_delete=models.CASCADE, related_name="cards")
    theme = models.CharField(_("theme"), max_length=30, choices=Theme.choices)
    text = models.CharField(_("opinion"), max_length=300)
    table = models.CharField(_("group table"), max_length=20, blank=True)
    agency = models.ForeignKey(
        Agency, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("agency")
    )
    heading = models.ForeignKey(
        CardHeading,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cards",
        verbose_name=_("heading"),
    )
    votes = models.PositiveIntegerField(_("votes"), default=0)
    # Merging never deletes: the originals point at the card that replaced them.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="originals", verbose_name=_("merged into")
    )
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CardQuerySet.as_manager()

    class Meta:
        verbose_name = _("opinion card")
        verbose_name_plural = _("opinion cards")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["session", "theme"])]

    def __str__(self) -> str:
        return self.text[:40]

    def clean(self) -> None:
        if self.session_id and self.theme and self.theme not in self.session.themes:
            raise ValidationError({"theme": _("This theme is not on this session's agenda.")})
        if self.heading_id and self.heading.session_id != self.session_id:
            raise ValidationError({"heading": _("Choose a heading of this session.")})


# --- Logic model ------------------------------------------------------------------------------


class Column(models.TextChoices):
    """The columns of the goal guide, left to right; links go only rightwards."""

    NEEDS = "needs", _("Needs")
    INITIATIVES = "initiatives", _("Initiatives")
    SHORT = "short", _("Short-term outcomes")
    MID = "mid", _("Mid-term outcomes")
    LONG = "long", _("Long-term outcomes")


COLUMN_ORDER = {c.value: i for i, c in enumerate(Column)}
COLUMN_CODES = {"needs": "N", "initiatives": "I", "short": "S", "mid": "M", "long": "L"}


class Category(models.TextChoices):
    """Outcome kinds within the outcome columns."""

    LIFE = "life", _("Independence in daily life")
    SOCIAL = "social", _("Social independence")
    WORK = "work", _("Independence through work")
    INTERMEDIATE = "intermediate", _("Intermediate (supported) work")
    GENERAL = "general", _("Regular employment")
    RETENTION = "retention", _("Staying in work")
    ECONOMIC = "economic", _("Economic independence")


COLUMN_CATEGORIES: dict[str, list[str]] = {
    Column.SHORT: [Category.LIFE, Category.SOCIAL, Category.WORK],
    Column.MID: [Category.INTERMEDIATE, Category.GENERAL],
    Column.LONG: [Category.RETENTION, Category.ECONOMIC],
}


class FigureKind(models.TextChoices):
    """Registry figures an initiative may cite; counted live, never typed in."""

    PROGRAMS_ALL = "programs_all", _("Published programs in the region")
    PROGRAMS_VISIT = "programs_visit", _("Published visit programs in the region")
    PROGRAMS_EXPERIENCE = "programs_experience", _("Published work-experience programs in the region")
    PROGRAMS_PART_TIME = "programs_part_time", _("Published short / part-time job programs in the region")
    PROGRAMS_FLEXIBLE = "programs_flexible", _("Published flexible-employment programs in the region")


class IndicatorKind(models.TextChoices):
    """Region figures an outcome may be measured by (workshops/evaluation): counted per quarter
    across agencies, through the small-count rule, never typed in."""

    EMPLOYERS = "employers", _("Cooperating employers")
    PROGRAMS = "programs", _("Published programs")
    PROPOSED = "proposed", _("Referrals proposed")
    COMPLETED = "completed", _("Referrals completed")
    EXPERIENCES = "experiences", _("Work experiences completed")
    HIRES = "hires", _("Hires")
    WORKING_1M = "working_1m", _("Hires still working after 1 month")
    WORKING_3M = "working_3m", _("Hires still working after 3 months")
    WORKING_6M = "working_6m", _("Hires still working after 6 months")


OUTCOME_COLUMNS = (Column.SHORT, Column.MID, Column.LONG)


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class LogicModel(models.Model):
    """The ロジックモデル目標ガイド of one workshop series."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    series = models.OneToOneField(WorkshopSeries, on_delete=models.CASCADE, related_name="logic_model")
    title = models.CharField(_("title"), max_length=150)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # Bumped on every change: printed on the PDF so paper copies can be traced.
    revision = models.PositiveIntegerField(_("revision"), default=1)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("logic model goal guide")
        verbose_name_plural = _("logic model goal guides")

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED


class LogicModelItem(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    logic_model = models.ForeignKey(LogicModel, on_delete=models.CASCADE, related_name="items")
    column = models.CharField(_("column"), max_length=20, choices=Column.choices)
    category = models.CharField(_("outcome kind"), max_length=20, choices=Category.choices, blank=True)
    text = models.CharField(_("item text"), max_length=200)
    position = models.PositiveIntegerField(_("position"), default=0)
    source_card = models.ForeignKey(
        OpinionCard,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="logic_model_items",
        verbose_name=_("from card"),
    )
    figure = models.CharField(_("registry figure"), max_length=30, choices=FigureKind.choices, blank=True)
    # Check → Act: an outcome measured by a region figure, shown with its value and trend.
    indicator = models.CharField(_("indicator"), max_length=20, choices=IndicatorKind.choices, blank=True)

    class Meta:
        verbose_name = _("logic model item")
        verbose_name_plural = _("logic model items")
        ordering = ["logic_model", "column", "category", "position", "id"]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        # Every choice that does not fit the column is named at its own field, all at once.
        errors = {}
        allowed = COLUMN_CATEGORIES.get(self.column, [])
        if allowed and self.category not in allowed:
            errors["category"] = _("Choose the outcome kind for this column.")
        if not allowed and self.category:
            errors["category"] = _("Only outcomes (short, mid and long term) have an outcome kind.")
        if self.figure and self.column != Column.INITIATIVES:
            errors["figure"] = _("Only initiatives can cite registry figures.")
        if self.indicator and self.column not in OUTCOME_COLUMNS:
            errors["indicator"] = _("Only outcomes can be measured by an indicator.")
        if errors:
            raise ValidationError(errors)


class LogicModelLink(models.Model):
    """An arrow from an item to one in a column further right (need → initiative → outcome)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.ForeignKey(
        LogicModelItem, on_delete=models.CASCADE, related_name="links_out", verbose_name=_("from item")
    )
    target = models.ForeignKey(
        LogicModelItem, on_delete=models.CASCADE, related_name="links_in", verbose_name=_("to item")
    )

    class Meta:
        verbose_name = _("logic model link")
        verbose_name_plural = _("logic model links")
        constraints = [models.UniqueConstraint(fields=["source", "target"], name="logic_link_unique")]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"

    def clean(self) -> None:
        if not (self.source_id and self.target_id):
            return
        if self.source.logic_model_id != self.target.logic_model_id:
            raise ValidationError(_("Both items must belong to the same logic model."))
        if COLUMN_ORDER[self.target.column] <= COLUMN_ORDER[self.source.column]:
            raise ValidationError({"target": _("A link must point to an item in a column further right.")})


# --- Participant survey -------------------------------------------------------------------------


class SurveyAnswer(models.Model):
    """One participant's answer, given through the session link without an account."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(WorkshopSession, on_delete=models.CASCADE, related_name="survey_answers")
    # Random id put in the form when it is shown: a double POST of the same form is one answer.
    submission_id = models.UUIDField(unique=True)
    new_connections = models.PositiveSmallIntegerField(
        _("people from other agencies you got to know"), null=True, blank=True, validators=[MaxValueValidator(99)]
    )
    connections = models.TextField(_("new connections with other agencies"), blank=True)
    insights = models.TextField(_("insights from the workshop"), blank=True)
    next_steps = models.TextField(_("what you would like to try next"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        ordering = ["submitted_at"]

    def __str__(self) -> str:
        return f"{self.session} {self.submitted_at:%Y-%m-%d}"

    def clean(self) -> None:
        if not (self.connections.strip() or self.insights.strip() or self.next_steps.strip()):
            raise ValidationError(_("Answer at least one question."))


# --- Region progress and platform design --------------------------------------------------------


class Step(models.TextChoices):
    TEAM = "team", _("Set up the steering team")
    WORKSHOPS = "workshops", _("Plan and hold the workshops")
    MECHANISMS = "mechanisms", _("Consider the mechanisms needed")
    PLATFORM = "platform", _("Design the regional platform")


class StepStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class RegionStep(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="workshop_steps")
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    status = models.CharField(_("status"), max_length=20, choices=StepStatus.choices, default=StepStatus.NOT_STARTED)
    started_on = models.DateField(_("started"), null=True, blank=True)
    completed_on = models.DateField(_("completed"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("region step")
        verbose_name_plural = _("region steps")
        constraints = [models.UniqueConstraint(fields=["region", "step"], name="region_step_unique")]

    def __str__(self) -> str:
        return f"{self.region} {self.get_step_display()}"

    @property
    def number(self) -> int:
        return Step.values.index(self.step) + 1

    def clean(self) -> None:
        if self.started_on and self.completed_on and self.completed_on < self.started_on:
            raise ValidationError({"completed_on": _("The completion date is before the start date.")})
        if self.status == StepStatus.DONE and not self.completed_on:
            raise ValidationError({"completed_on": _("Enter the date the step was completed.")})


class MechanismKind(models.TextChoices):
    SHIGOTO_INFO = "shigoto_info", _("Gathering work information")
    NEEDS_DETECTION = "needs_detection", _("Detecting employment needs at first contact")
    CASE_WORK = "case_work", _("Case work with experience programs")
    EMPLOYER_OUTREACH = "employer_outreach", _("Employer outreach")
    TRANSPORT = "transport", _("Transport support")
    CUSTOM = "custom", _("Other (name it)")


class Mechanism(models.Model):
    """One mechanism of the regional platform and the agency that runs it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="platform_mechanisms")
    kind = models.CharField(_("mechanism"), max_length=30, choices=MechanismKind.choices)
    custom_name = models.CharField(_("name"), max_length=100, blank=True)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="platform_mechanisms", verbose_name=_("agency that runs it")
    )
    description = models.TextField(_("how it works"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("platform mechanism")
        verbose_name_plural = _("platform mechanisms")
        ordering = ["region", "position", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.custom_name if self.kind == MechanismKind.CUSTOM else str(self.get_kind_display())

    def clean(self) -> None:
        if self.kind == MechanismKind.CUSTOM and not self.custom_name.strip():
            raise ValidationError({"custom_name": _("Name the mechanism.")})
        if self.agency_id and self.region_id and self.agency.region_id != self.region_id:
            raise ValidationError({"agency": _("Choose an agency of this region.")})
