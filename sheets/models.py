"""Task breakdowns (業務・作業洗い出しシート), their task rows, and programs (the one record
behind sheets ① ② ③), with the employer's review and the re-verification trail."""

import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.models import Agency, Employer, User
from sheets.dimensions import Dimension
from sheets.fields import ChoiceListField, RatingsField
from sheets.print_limits import print_cap
from sheets.textsearch import BigramsField

# --- Choice lists (keep them in code: coordinators will refine them) ---------------------


class Frequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    SEASONAL = "seasonal", _("Seasonal")


class Month(models.IntegerChoices):
    JAN = 1, _("January")
    FEB = 2, _("February")
    MAR = 3, _("March")
    APR = 4, _("April")
    MAY = 5, _("May")
    JUN = 6, _("June")
    JUL = 7, _("July")
    AUG = 8, _("August")
    SEP = 9, _("September")
    OCT = 10, _("October")
    NOV = 11, _("November")
    DEC = 12, _("December")


class Place(models.TextChoices):
    INDOOR_AC = "indoor_ac", _("Indoors with air conditioning")
    INDOOR = "indoor", _("Indoors without air conditioning")
    OUTDOOR = "outdoor", _("Outdoors")


class Posture(models.TextChoices):
    SITTING = "sitting", _("Sitting")
    STANDING = "standing", _("Standing")
    WALKING = "walking", _("Walking")
    CROUCHING = "crouching", _("Crouching")


class EnvironmentFactor(models.TextChoices):
    NOISE = "noise", _("Noise")
    SMELL = "smell", _("Smell")
    HEAT_COLD = "heat_cold", _("Heat or cold")
    DUST = "dust", _("Dust")
    INSECTS = "insects", _("Insects")
    DIRT = "dirt", _("Dirt")


class TeachingMethod(models.TextChoices):
    SPOKEN = "spoken", _("Spoken explanation")
    WRITTEN = "written", _("Written steps")
    DEMONSTRATION = "demonstration", _("Demonstration")
    SAMPLE = "sample", _("Finished sample")


class CutOut(models.TextChoices):
    YES = "yes", _("Yes")
    CONDITIONAL = "conditional", _("With conditions")
    NO = "no", _("No")


class EngagementType(models.TextChoices):
    VISIT = "visit", _("Workplace visit")
    EXPERIENCE = "experience", _("Work experience")
    PART_TIME = "part_time", _("Short-term / short-hours part-time job")
    FLEXIBLE = "flexible", _("Flexible employment")


class Weekday(models.TextChoices):
    MON = "mon", _("Mon")
    TUE = "tue", _("Tue")
    WED = "wed", _("Wed")
    THU = "thu", _("Thu")
    FRI = "fri", _("Fri")
    SAT = "sat", _("Sat")
    SUN = "sun", _("Sun")


class TaskChange(models.TextChoices):
    RARELY = "rarely", _("The same task all day")
    SOMETIMES = "sometimes", _("Two or three tasks a day, announced in advance")
    OFTEN = "often", _("Tasks change often during the day")


class Accommodation(models.TextChoices):
    SHORTER_HOURS = "shorter_hours", _("Shorter hours")
    EXTRA_BREAKS = "extra_breaks", _("Extra breaks")
    CLINIC_VISITS = "clinic_visits", _("Time off for clinic visits")
    FIXED_TASKS = "fixed_tasks", _("The same task every time")
    WRITTEN_STEPS = "written_steps", _("Written or illustrated steps")
    QUIET_PLACE = "quiet_place", _("A quiet place to work")
    ONE_CONTACT = "one_contact", _("One fixed person to ask")
    GRADUAL_START = "gradual_start", _("Gradual start")


class ProgramStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class SharingScope(models.TextChoices):
    """Who sees the program once published (drafts are always the owning agency's only)."""

    OWN_AGENCY = "own_agency", _("Own agency only")
    REGION = "region", _("Agencies of the region")
    PREFECTURE = "prefecture", _("Agencies of the prefecture")


class VerificationMethod(models.TextChoices):
    VISIT = "visit", _("Visit")
    PHONE = "phone", _("Phone")
    REVIEW_LINK = "review_link", _("Review link")


class ReviewSection(models.TextChoices):
    EMPLOYER = "employer", _("① Employer introduction")
    CLIENT = "client", _("② For clients")
    SUPPORTER = "supporter", _("③ For supporters")
    GENERAL = "general", _("General")


# --- Task breakdown sheet -------------------------------------------------------------------


class TaskBreakdownQuerySet(models.QuerySet):
    def for_user(self, user) -> "TaskBreakdownQuerySet":
        from sheets.access import breakdown_visibility

        return self.filter(breakdown_visibility(user))


class TaskBreakdown(models.Model):
    """業務・作業洗い出しシート: one interview with an employer and the tasks listed in it.
    Owned by the employer's owning agency."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="breakdowns", verbose_name=_("employer")
    )
    visited_on = models.DateField(_("visit date"))
    visitors = models.CharField(_("visitors"), max_length=200, help_text=_("Who visited, e.g. 伊藤（社協）"))
    interviewee = models.CharField(_("interviewee"), max_length=200, blank=True)
    unmet_needs = models.TextField(
        _("the employer's unmet needs"), blank=True, help_text=_("Which work do they lack hands for?")
    )
    culture_notes = models.TextField(
        _("workplace culture and unwritten rules"), blank=True, help_text=_("Greetings, breaks, who to ask, etc.")
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
    steps = models.TextField(_("steps"), blank=True)
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
    cut_out_conditions = models.TextField(_("conditions for cutting out"), blank=True)
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
        if self.months and self.frequency and self.frequency != Frequency.SEASONAL:
            raise ValidationError({"months": _("Months are for seasonal work only.")})
        if self.cut_out_conditions and self.cut_out == CutOut.YES:
            # Conditions only make sense with "with conditions"; say so rather than drop text.
            raise ValidationError({"cut_out": _("Choose “with conditions” when you write conditions.")})


# --- Programs -------------------------------------------------------------------------------


class ProgramQuerySet(models.QuerySet):
    def for_user(self, user) -> "ProgramQuerySet":
        from sheets.access import program_visibility

        return self.filter(program_visibility(user))

    def published(self) -> "ProgramQuerySet":
        return self.filter(status=ProgramStatus.PUBLISHED)


class Program(models.Model):
    """A program (見学・体験・アルバイト・柔軟な雇用) of one employer: the single record that
    sheets ① ② ③ render for different readers."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="programs", verbose_name=_("employer")
    )
    # The employer's owning agency when the program was made; visibility is computed from it.
    owner = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="programs", verbose_name=_("owning agency")
    )
    source_rows = models.ManyToManyField(
        TaskRow, blank=True, related_name="programs", verbose_name=_("task rows it was made from")
    )
    # 管理番号 chosen by the owning agency: re-importing a spreadsheet updates the program.
    external_id = models.CharField(
        _("external ID"),
        max_length=50,
        blank=True,
        help_text=_("Your agency's own number for this program, used by spreadsheet imports."),
    )

    title = models.CharField(_("title"), max_length=100, validators=[print_cap("title")])
    engagement_type = models.CharField(_("engagement type"), max_length=12, choices=EngagementType.choices)
    is_paid = models.BooleanField(_("paid"), default=False)
    has_contract = models.BooleanField(_("employment contract"), default=False)
    has_insurance = models.BooleanField(_("insurance arranged"), default=False)
    supporter_may_accompany = models.BooleanField(_("a supporter may accompany"), default=True)

    # ② for clients: plain words.
    what_you_do = models.TextField(_("what you will do"), blank=True, validators=[print_cap("what_you_do")])
    days = ChoiceListField(_("days of the week"), item_choices=Weekday)
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)
    breaks = models.CharField(_("breaks"), max_length=200, blank=True, validators=[print_cap("breaks")])
    period = models.CharField(
        _("period"),
        max_length=200,
        blank=True,
        help_text=_("e.g. 1日だけ, 12月〜3月"),
        validators=[print_cap("period")],
    )
    meeting_point = models.CharField(
        _("meeting point"), max_length=200, blank=True, validators=[print_cap("meeting_point")]
    )
    clothing = models.CharField(_("clothing"), max_length=200, blank=True, validators=[print_cap("clothing")])
    belongings = models.CharField(_("what to bring"), max_length=200, blank=True, validators=[print_cap("belongings")])
    lunch = models.CharField(_("lunch"), max_length=200, blank=True, validators=[print_cap("lunch")])
    pay = models.CharField(_("pay or incentive"), max_length=200, blank=True, validators=[print_cap("pay")])
    travel_costs = models.CharField(
        _("travel costs"), max_length=200, blank=True, validators=[print_cap("travel_costs")]
    )
    capacity = models.PositiveSmallIntegerField(
        _("capacity (people)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(999)]
    )
    application_window = models.CharField(
        _("application window"), max_length=200, blank=True, validators=[print_cap("application_window")]
    )
    suits = models.TextField(_("who it suits"), blank=True, validators=[print_cap("suits")])
    can_find_out = models.TextField(_("what you can find out"), blank=True, validators=[print_cap("can_find_out")])
    how_to_apply = models.TextField(_("how to apply"), blank=True, validators=[print_cap("how_to_apply")])

    # ③ for supporters.
    demands = RatingsField(_("demand profile"))
    confirmable = ChoiceListField(_("what this experience lets you confirm"), item_choices=Dimension)
    physical_notes = models.TextField(
        _("physical load and environment"), blank=True, validators=[print_cap("physical_notes")]
    )
    instructions = models.TextField(_("how instructions are given"), blank=True, validators=[print_cap("instructions")])
    task_change = models.CharField(_("how often tasks change"), max_length=10, choices=TaskChange.choices, blank=True)
    onsite_supporter = models.CharField(
        _("who supports the person on site"), max_length=200, blank=True, validators=[print_cap("onsite_supporter")]
    )
    accommodations = ChoiceListField(_("accommodations the employer can make"), item_choices=Accommodation)
    accommodations_notes = models.TextField(
        _("accommodations (details)"), blank=True, validators=[print_cap("accommodations_notes")]
    )
    cautions = models.TextField(_("cautions"), blank=True, validators=[print_cap("cautions")])
    next_step = models.CharField(
        _("next step"),
        max_length=200,
        blank=True,
        help_text=_("e.g. 体験 → 短時間アルバイト → 雇用"),
        validators=[print_cap("next_step")],
    )

    # 最終確認日: when the content was last confirmed with the employer, by whom, how.
    last_verified_on = models.DateField(_("date last verified"), null=True, blank=True)
    verified_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("verified by")
    )
    verification_method = models.CharField(
        _("how it was verified"), max_length=12, choices=VerificationMethod.choices, blank=True
    )

    status = models.CharField(_("status"), max_length=10, choices=ProgramStatus.choices, default=ProgramStatus.DRAFT)
    sharing_scope = models.CharField(
        _("sharing scope"), max_length=12, choices=SharingScope.choices, default=SharingScope.REGION
    )
    # Recorded at publish: None before the first publish.
    employer_approved = models.BooleanField(_("approved by the employer"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("published by")
    )
    # Optimistic locking and the revision number printed on the sheets (第N版).
    version = models.PositiveIntegerField(_("revision"), default=1, editable=False)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Program search (sheets/search.py: refresh_search_fields keeps them current; not content,
    # so not in the history): normalised title + "\n" + text, its bigrams (GIN on PostgreSQL),
    # and space-delimited facet tokens (" day:mon place:indoor low:stamina … ").
    search_text = models.TextField(default="", blank=True, editable=False)
    search_bigrams = BigramsField(default="", blank=True, editable=False)
    search_facets = models.TextField(default="", blank=True, editable=False)

    history = HistoricalRecords(
        excluded_fields=["updated_at", "search_text", "search_bigrams", "search_facets"], m2m_fields=[source_rows]
    )
    objects = ProgramQuerySet.as_manager()

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["employer__name_kana", "title"]
        indexes = [
            models.Index(fields=["owner", "status"]),
            # The programs another agency may see: sheets.access.within_reach.
            models.Index(fields=["owner", "sharing_scope", "status"]),
            models.Index(fields=["status", "sharing_scope"]),
            models.Index(fields=["status", "last_verified_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "external_id"],
                condition=~models.Q(external_id=""),
                name="program_unique_external_id_per_owner",
                violation_error_message=_("Another program of your agency already has this external ID."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("The end time must be after the start time.")})
        if self.employer_id and self.owner_id and self.employer.owner_id != self.owner_id:
            raise ValidationError(_("A program belongs to the agency that owns its employer."))

    @property
    def revision(self) -> int:
        return self.version


class TimetableRow(models.Model):
    """One line of ②'s "a day's timetable", e.g. 9:00 あいさつ・作業の説明."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="timetable", verbose_name=_("program"))
    position = models.PositiveIntegerField(_("position"), default=0)
    time = models.CharField(_("time"), max_length=20, help_text=_("e.g. 9:00"))
    activity = models.CharField(_("activity"), max_length=200, validators=[print_cap("timetable_activity")])

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("timetable row")
        verbose_name_plural = _("timetable rows")
        ordering = ["program", "position", "id"]

    def __str__(self) -> str:
        return f"{self.time} {self.activity}"


# --- Employer review ----------------------------------------------------------------------


class ReviewLink(models.Model):
    """An expiring, revocable link for the employer contact to review one program without
    an account. Only a hash of the token is stored: the link itself is shown once."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="review_links", verbose_name=_("program")
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("review link")
        verbose_name_plural = _("review links")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.program} ({self.expires_at:%Y-%m-%d})"

    def is_usable(self, now) -> bool:
        return self.revoked_at is None and self.expires_at > now


class ReviewComment(models.Model):
    """A comment left through a review link, on one section (① ② ③ or general)."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="review_comments", verbose_name=_("program")
    )
    link = models.ForeignKey(ReviewLink, on_delete=models.SET_NULL, null=True, related_name="comments")
    section = models.CharField(_("section"), max_length=10, choices=ReviewSection.choices)
    body = models.TextField(_("comment"), max_length=2000)
    author_name = models.CharField(_("name"), max_length=100, blank=True)
    program_version = models.PositiveIntegerField(_("revision reviewed"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.get_section_display()}: {self.body[:30]}"


class ReviewApproval(models.Model):
    """The employer contact's approval of one revision, with the name they typed."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="approvals", verbose_name=_("program"))
    link = models.ForeignKey(ReviewLink, on_delete=models.SET_NULL, null=True, related_name="approvals")
    approver_name = models.CharField(_("name"), max_length=100)
    program_version = models.PositiveIntegerField(_("revision approved"))
    created_at = models.DateTimeField(_("approved"), auto_now_add=True)

    class Meta:
        verbose_name = _("employer approval")
        verbose_name_plural = _("employer approvals")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.approver_name} ({self.created_at:%Y-%m-%d})"


from sheets.clients import Client, Referral, SelfIntroduction, SharingConsent  # noqa: E402,F401  (clients, issue 4)
from sheets.import_batches import ImportBatch  # noqa: E402,F401  (spreadsheet imports, issue 8)
from sheets.photos import EmployerIntro, Photo  # noqa: E402,F401  (printing: photos and ① intro)
from sheets.saved_searches import SavedSearch  # noqa: E402,F401  (search: saved searches)
