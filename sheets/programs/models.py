"""Programs (the one record behind sheets ① ② ③), their day's timetable, the employer's
review, and the re-verification trail."""

import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.models import NOTHING, Agency, Employer, Region, User, acting_membership, is_platform_admin
from registry.sql import among
from sheets.dimensions import Dimension
from sheets.fields import ChoiceListField, RatingsField, ReadingsField
from sheets.programs.limits import print_cap
from sheets.textsearch import BigramsField
from sheets.vocabulary import Accommodation, EngagementType, TaskChange, Weekday


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


# --- Programs -------------------------------------------------------------------------------


def _shared_by_scope(region_id: int, prefecture_id: int) -> models.Q:
    """Published programs of active employers whose sharing scope reaches an agency of this
    region: region scope from the owner's region, prefecture scope from the owner's prefecture.

    "The owner's region is this region" is written as "the owner is one of the region's
    agencies": PostgreSQL then reads, through the index on (owner, sharing scope, status), only
    the programs these agencies share, whatever the size of the registry — joined to the
    owner's region instead, it walked every employer of the country (docs/performance.md)."""
    region_agencies = Agency.objects.filter(region_id=region_id)
    prefecture_agencies = Agency.objects.filter(region__prefecture_id=prefecture_id)
    published = models.Q(status=ProgramStatus.PUBLISHED, employer__is_active=True)
    return published & (
        (models.Q(sharing_scope=SharingScope.REGION) & among("owner_id", region_agencies))
        | (models.Q(sharing_scope=SharingScope.PREFECTURE) & among("owner_id", prefecture_agencies))
    )


def visible_to(user) -> models.Q:
    """ProgramQuerySet's rule as a condition on a program's columns. A program's history records
    hold the same columns as they were at each version, so filtered by it they are the versions
    the user's agency could see then: another agency never sees a draft's text through the history
    of what was published later (sheets/programs/history.py)."""
    if is_platform_admin(user):
        return models.Q()
    membership = acting_membership(user)
    if membership is None:
        return NOTHING
    return _visible_to_agency(membership.agency)


def _visible_to_agency(agency: Agency) -> models.Q:
    return models.Q(owner_id=agency.pk) | _shared_by_scope(agency.region_id, agency.region.prefecture_id)


class ProgramQuerySet(models.QuerySet["Program"]):
    """Who sees which program — the rule, stated once (sheets/programs/access.py is the door
    built on it):

    - the owning agency sees its own programs in every status;
    - other agencies see PUBLISHED programs of active employers whose sharing scope covers them
      (region: agencies of the owner's region; prefecture: of the owner's prefecture);
    - platform admins see everything; a user acting for no agency sees nothing.
    """

    def for_user(self, user) -> "ProgramQuerySet":
        """Everything the user may open: own agency's programs in every status and the shared ones."""
        return self.filter(visible_to(user))

    def for_agency(self, agency: Agency) -> "ProgramQuerySet":
        return self.filter(_visible_to_agency(agency))

    def published_for(self, viewer: "User | Agency | Region") -> "ProgramQuerySet":
        """Published and shared with this viewer: what the API, HSDS, the published-only lists
        and the region's figures start from.

        - an agency: its own published programs and those shared with it;
        - a region: what every agency of the region may see (its own-agency programs aside);
        - a user: what their acting agency may see (platform admins: every published program).
        """
        if isinstance(viewer, Region):
            return self.filter(_shared_by_scope(viewer.pk, viewer.prefecture_id))
        visible = self.for_agency(viewer) if isinstance(viewer, Agency) else self.for_user(viewer)
        return visible.published()

    def published(self) -> "ProgramQuerySet":
        """Published and live: an archived employer's programs are off the registry."""
        return self.filter(status=ProgramStatus.PUBLISHED, employer__is_active=True)


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
        "sheets.TaskRow", blank=True, related_name="programs", verbose_name=_("task rows it was made from")
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
    # Furigana on ② (sheets/programs/furigana.py): the choice, and the readings the coordinator
    # corrected — content, so kept in the history like the text they belong to.
    furigana = models.BooleanField(
        _("add furigana to ②"),
        default=False,
        help_text=_("Prints the reading above every kanji of the sheet for clients. You can correct readings."),
    )
    readings = ReadingsField(_("corrected readings"))

    # ③ for supporters.
    # 人材ニーズ・困りごと: which work the employer lacks hands for (the matching weighs it). It
    # starts from the task breakdown's unmet needs; the breakdown itself stays the agency's own.
    employer_needs = models.TextField(
        _("the employer's staffing needs"),
        blank=True,
        help_text=_("Which work the employer lacks hands for. Printed on ③."),
        validators=[print_cap("employer_needs")],
    )
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
    # Optimistic locking: rises on every save (content, status, re-verification).
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # The revision printed on the sheets (第N版): rises only when the content changes, so a
    # review, a publication or a re-verification does not make a new 第N版.
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)
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
    # How the text reads and its normalised forms (けんぴん finds 検品), and their bigrams.
    search_reading = models.TextField(default="", blank=True, editable=False)
    search_reading_bigrams = BigramsField(default="", blank=True, editable=False)

    history = HistoricalRecords(
        excluded_fields=[
            *("updated_at", "search_text", "search_bigrams", "search_facets"),
            *("search_reading", "search_reading_bigrams"),
        ],
        m2m_fields=[source_rows],
    )
    objects = ProgramQuerySet.as_manager()

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["employer__name_kana", "title"]
        indexes = [
            models.Index(fields=["owner", "status"]),
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
    # One link, one revision: it shows this revision of the content and nothing later (after
    # a change the coordinator sends the changed content through the same link, or the link
    # waits). Publishing ends it. None: a link made before links were bound to a revision.
    revision = models.PositiveIntegerField(_("revision shown"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked on"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended by publishing on"), null=True, blank=True)
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
        return self.revoked_at is None and self.ended_at is None and self.expires_at > now


class ReviewComment(models.Model):
    """A comment left through a review link, on one section (① ② ③ or general)."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="review_comments", verbose_name=_("program")
    )
    link = models.ForeignKey(ReviewLink, on_delete=models.SET_NULL, null=True, related_name="comments")
    section = models.CharField(_("section"), max_length=10, choices=ReviewSection.choices)
    body = models.TextField(_("comment"), max_length=2000)
    author_name = models.CharField(_("name"), max_length=100, blank=True)
    program_version = models.PositiveIntegerField(_("version reviewed"))
    revision = models.PositiveIntegerField(_("revision reviewed"), null=True, blank=True)
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
    program_version = models.PositiveIntegerField(_("version approved"))
    # The content revision approved (None: an approval recorded before revisions were counted).
    revision = models.PositiveIntegerField(_("revision approved"), null=True, blank=True)
    # Set when the coordinator recorded that the changes since the employer's approval were the
    # ones the employer asked for (no new approval through the link): who, and which approval.
    confirmed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("recorded by")
    )
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approval carried over"),
    )
    created_at = models.DateTimeField(_("approved"), auto_now_add=True)

    class Meta:
        verbose_name = _("employer approval")
        verbose_name_plural = _("employer approvals")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.approver_name} ({self.created_at:%Y-%m-%d})"
