"""Regions, agencies, staff accounts and their roles, employers."""

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.api_tokens import LAST_USED_EVERY, PREFIX_LENGTH, TOKEN_SCHEME, hash_secret
from registry.columns import EMPLOYER_TEXT_CAPS
from registry.dates import not_in_future
from registry.postal import validate_postal_code
from registry.sql import among

kana_validator = RegexValidator(
    r"^[\u3040-\u309F\u30A0-\u30FF\u3000\s・ー－\-A-Za-z0-9０-９]*$",
    _("Enter the reading in hiragana or katakana."),
)


# --- Accounts -------------------------------------------------------------------------


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)  # None gives an unusable password (invited staff)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A staff member. Logs in with e-mail; platform admins are Django superusers."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_kana = models.CharField(_("name (kana)"), max_length=100, blank=True, validators=[kana_validator])
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("can use Django admin"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # The agency last worked for: a new session starts there (registry.security.on_login), so
    # joining another agency never changes whom the person works for without them choosing it.
    last_acting_agency = models.ForeignKey(
        "Agency",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("agency last worked for"),
    )

    objects = UserManager()

    # Set per request, not stored: the agency chosen in the header (registry.middleware), and
    # the caches of acting_membership() below.
    acting_agency_id: int | None = None
    # Added per request by django-otp's OTPMiddleware: whether this session entered a code.
    is_verified: Callable[[], bool]

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["name_kana", "name"]

    def __str__(self) -> str:
        return self.name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    @property
    def is_platform_admin(self) -> bool:
        return self.is_active and self.is_superuser


# --- Places and agencies ----------------------------------------------------------------


# Who a view or a door may be called with: a staff member or the anonymous visitor.
type AnyUser = User | AnonymousUser


class Prefecture(models.Model):
    code = models.CharField(_("prefecture code"), max_length=2, unique=True, validators=[RegexValidator(r"^\d{2}$")])
    name = models.CharField(_("name"), max_length=10, unique=True)

    class Meta:
        verbose_name = _("prefecture")
        verbose_name_plural = _("prefectures")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


def local_government_check_digit(first_five: str) -> int:
    """Check digit of the 全国地方公共団体コード (JIS X 0401/0402 + modulus 11)."""
    total = sum(int(d) * w for d, w in zip(first_five, (6, 5, 4, 3, 2), strict=True))
    return (11 - total % 11) % 10


def validate_local_government_code(value: str) -> None:
    if not (len(value) == 6 and value.isdigit()):
        raise ValidationError(_("Enter the 6-digit local government code."))
    if local_government_check_digit(value[:5]) != int(value[5]):
        raise ValidationError(_("The check digit of this local government code is wrong."))


class Region(models.Model):
    """A municipality, identified by its 全国地方公共団体コード (6 digits with check digit)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    prefecture = models.ForeignKey(Prefecture, on_delete=models.PROTECT, related_name="regions")
    code = models.CharField(
        _("local government code"), max_length=6, unique=True, validators=[validate_local_government_code]
    )
    name = models.CharField(_("name"), max_length=50)
    name_kana = models.CharField(_("name (kana)"), max_length=100, blank=True, validators=[kana_validator])

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.prefecture.name}{self.name}"

    def clean(self) -> None:
        if self.code and self.prefecture_id and not self.code.startswith(self.prefecture.code):
            raise ValidationError({"code": _("The code does not belong to the chosen prefecture.")})


class AgencyKind(models.TextChoices):
    SELF_RELIANCE = "self_reliance", _("Self-reliance consultation agency")
    SOCIAL_WELFARE_COUNCIL = "social_welfare_council", _("Social welfare council")
    MUNICIPALITY = "municipality", _("Municipality (welfare / multi-layered support)")
    FREE_PLACEMENT = "free_placement", _("Free job placement")
    HELLO_WORK = "hello_work", _("Hello Work")
    YOUTH_SUPPORT = "youth_support", _("Youth support station")
    DISABILITY_SUPPORT = "disability_support", _("Employment and life support centre for persons with disabilities")
    NPO = "npo", _("NPO")
    OTHER = "other", _("Other")


class SupportKind(models.TextChoices):
    """Kinds of support an agency offers (the agency directory): a fixed list plus free text."""

    LIFE_CONSULTATION = "life_consultation", _("Life consultation")
    WORK_READINESS = "work_readiness", _("Work readiness support")
    WORK_TRAINING = "work_training", _("Work training")
    FREE_PLACEMENT = "free_placement", _("Free job placement")
    JOB_RETENTION = "job_retention", _("Support to stay in work")
    DISABILITY_EMPLOYMENT = "disability_employment", _("Employment support for persons with disabilities")
    YOUTH = "youth", _("Employment support for young people")
    HOUSEHOLD_FINANCE = "household_finance", _("Household budget consultation")


def validate_support_kinds(value: Any) -> None:
    if not isinstance(value, list) or any(item not in SupportKind.values for item in value):
        raise ValidationError(_("Choose from the list."))


class Agency(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100)
    name_kana = models.CharField(_("name (kana)"), max_length=200, blank=True, validators=[kana_validator])
    kind = models.CharField(_("kind"), max_length=30, choices=AgencyKind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("region"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    require_2fa = models.BooleanField(
        _("require two-factor authentication"),
        default=False,
        help_text=_("Staff must confirm each login with a code from an authenticator app."),
    )
    # The agency directory (kept by the agency's admin, seen by every agency of the prefecture).
    support_kinds = models.JSONField(
        _("kinds of support"), default=list, blank=True, validators=[validate_support_kinds]
    )
    support_other = models.CharField(_("other support"), max_length=200, blank=True)
    serves = models.TextField(_("who it serves"), max_length=300, blank=True)
    service_area = models.CharField(_("area served"), max_length=200, blank=True)
    hours = models.CharField(_("opening hours"), max_length=100, blank=True)
    contact_note = models.CharField(
        _("how to contact"), max_length=200, blank=True, help_text=_("E.g. phone first; visits by appointment.")
    )
    accepts_handoffs = models.BooleanField(
        _("accepts hand-offs"), default=True, help_text=_("Other agencies may hand clients over to this agency.")
    )
    profile_updated_at = models.DateTimeField(_("profile updated"), null=True, blank=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["region__code", "name_kana", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="agency_unique_name_in_region")]

    def __str__(self) -> str:
        return self.name

    @property
    def support_kind_labels(self) -> list[str]:
        """The directory's kinds of support, as labels in the order of the list."""
        chosen = set(self.support_kinds or [])
        return [str(label) for value, label in SupportKind.choices if value in chosen]


class Role(models.TextChoices):
    """Roles in one agency. Each role includes the rights of the ones before it."""

    COUNSELOR = "counselor", _("Counselor")
    COORDINATOR = "coordinator", _("Coordinator")
    AGENCY_ADMIN = "agency_admin", _("Agency admin")

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def includes(self, other: "Role") -> bool:
        return self.rank >= Role(other).rank


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> "MembershipQuerySet":
        return self.filter(is_active=True, user__is_active=True, agency__is_active=True)

    def can_log_in(self) -> "MembershipQuerySet":
        """Active members who have a password: someone invited who never set one cannot log in."""
        return self.active().exclude(user__password__startswith=UNUSABLE_PASSWORD_PREFIX)


class Membership(models.Model):
    """A user's role in one agency. A user may belong to several agencies."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("agency"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.COUNSELOR)
    is_active = models.BooleanField(_("active"), default=True)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["agency", "user__name_kana"]
        constraints = [models.UniqueConstraint(fields=["user", "agency"], name="membership_unique_user_agency")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.agency} ({self.get_role_display()})"

    def has_role(self, role: Role) -> bool:
        return self.is_active and Role(self.role).includes(role)


# --- Who a user acts for ------------------------------------------------------------------------
# The membership chosen in the header when a user belongs to several agencies, and the role it
# gives: every visibility rule starts here, including the `for_user` methods of the querysets.

_UNSET = object()
ACTING_AGENCY_SESSION_KEY = "acting_agency_id"
# A condition that matches no row: what a user without an agency sees.
NOTHING = Q(pk__in=[])


def is_platform_admin(user: Any) -> bool:
    return bool(getattr(user, "is_platform_admin", False))


def acting_membership(user: Any) -> Membership | None:
    """The membership the user acts under; cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_acting_membership", _UNSET)
    if cached is not _UNSET:
        return cached  # type: ignore[return-value]
    memberships = _active_memberships(user)
    wanted = getattr(user, "acting_agency_id", None)  # set from the session by the middleware
    chosen = next((m for m in memberships if m.agency_id == wanted), memberships[0] if memberships else None)
    user._acting_membership = chosen
    return chosen


def _active_memberships(user: Any) -> list[Membership]:
    """The user's active memberships, read once per request (cached on the user object): the
    acting membership and the header's agency switcher share one query."""
    cached = getattr(user, "_active_memberships", None)
    if cached is None:
        cached = list(
            user.memberships.active()
            .select_related("agency__region__prefecture")
            .order_by("agency__region__code", "agency__name_kana", "agency_id")
        )
        user._active_memberships = cached
    return cached


def is_stopped(user: Any) -> bool:
    """Every agency of the user has stopped their membership (利用停止): what they are refused
    is refused for that, not for their role."""
    if not getattr(user, "is_authenticated", False) or is_platform_admin(user) or _active_memberships(user):
        return False
    return bool(user.memberships.filter(is_active=False).exists())


def memberships_of(user: Any) -> list[Membership]:
    """The user's active memberships, for the agency switcher."""
    if not getattr(user, "is_authenticated", False):
        return []
    return sorted(_active_memberships(user), key=lambda m: m.agency.name_kana)


def has_role(user: Any, role: Role) -> bool:
    if is_platform_admin(user):
        return True
    membership = acting_membership(user)
    return membership is not None and membership.has_role(role)


def acting_agency_id(user: Any) -> int | None:
    membership = acting_membership(user)
    return membership.agency_id if membership else None


def has_role_in(user: Any, agency_id: int, role: Role) -> bool:
    """True for platform admins and for staff acting for `agency_id` with `role` (or above)."""
    if is_platform_admin(user):
        return True
    membership = acting_membership(user)
    return membership is not None and membership.agency_id == agency_id and membership.has_role(role)


# --- Employers ------------------------------------------------------------------------------


class EmployerKind(models.TextChoices):
    COMPANY = "company", _("Company")
    FARM = "farm", _("Farm")
    AGRICULTURAL_CORPORATION = "agricultural_corporation", _("Agricultural corporation")
    WELFARE_SERVICE = "welfare_service", _("Welfare service")
    ORGANISATION = "organisation", _("Organisation")
    SOLE_PROPRIETOR = "sole_proprietor", _("Sole proprietor")


class Industry(models.TextChoices):
    """日本標準産業分類 大分類 (Japan Standard Industrial Classification, divisions)."""

    A = "A", _("Agriculture and forestry")
    B = "B", _("Fisheries")
    C = "C", _("Mining and quarrying of stone and gravel")
    D = "D", _("Construction")
    E = "E", _("Manufacturing")
    F = "F", _("Electricity, gas, heat supply and water")
    G = "G", _("Information and communications")
    H = "H", _("Transport and postal activities")
    I = "I", _("Wholesale and retail trade")  # noqa: E741 (the JSIC letter)
    J = "J", _("Finance and insurance")
    K = "K", _("Real estate and goods rental and leasing")
    L = "L", _("Scientific research, professional and technical services")
    M = "M", _("Accommodations, eating and drinking services")
    N = "N", _("Living-related and personal services and amusement services")
    O = "O", _("Education, learning support")  # noqa: E741 (the JSIC letter)
    P = "P", _("Medical, health care and welfare")
    Q = "Q", _("Compound services")
    R = "R", _("Services, not elsewhere classified")
    S = "S", _("Government, except elsewhere classified")
    T = "T", _("Industries unable to classify")


# Printed on the sheets ① and ②: capped so that the sheets keep their page budgets.
# Print caps of the employer's texts (① and ②): from its column table.
EMPLOYER_TEXT_LIMITS = EMPLOYER_TEXT_CAPS


class EmployerQuerySet(models.QuerySet["Employer"]):
    def for_user(self, user: AnyUser) -> "EmployerQuerySet":
        """Own agency's employers, plus active ones owned by agencies of the same region."""
        if is_platform_admin(user):
            return self.all()
        membership = acting_membership(user)
        if membership is None:
            return self.filter(NOTHING)
        return self.for_agency(membership.agency)

    def for_agency(self, agency: "Agency") -> "EmployerQuerySet":
        # "Owned by an agency of the region" as the list of those agencies, so that PostgreSQL
        # reads the region's employers through the owner index, not all of them (the dashboard).
        region_agencies = Agency.objects.filter(region_id=agency.region_id)
        return self.filter(models.Q(owner=agency) | (among("owner_id", region_agencies) & models.Q(is_active=True)))

    def active(self) -> "EmployerQuerySet":
        return self.filter(is_active=True)


class Employer(models.Model):
    """A cooperating employer (company, farm, workshop…) and the agency that looks after it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100)
    name_kana = models.CharField(_("name (kana)"), max_length=200, validators=[kana_validator])
    kind = models.CharField(_("kind"), max_length=30, choices=EmployerKind.choices)
    industry = models.CharField(_("industry"), max_length=1, choices=Industry.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="employers", verbose_name=_("region"))
    postal_code = models.CharField(
        _("postal code"),
        max_length=8,
        blank=True,
        validators=[validate_postal_code],
        help_text=_("Seven digits, such as 664-0851. The address can be filled in from it."),
    )
    address = models.CharField(_("address"), max_length=200)
    access_notes = models.TextField(
        _("access"),
        blank=True,
        help_text=_("Nearest station or bus stop, minutes on foot, parking."),
        validators=[MaxLengthValidator(EMPLOYER_TEXT_LIMITS["access_notes"])],
    )
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    staff_count = models.PositiveIntegerField(_("number of staff"), null=True, blank=True)
    description = models.TextField(
        _("what the business does"),
        blank=True,
        validators=[MaxLengthValidator(EMPLOYER_TEXT_LIMITS["description"])],
    )
    owner = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="employers", verbose_name=_("owning agency")
    )
    # 管理番号: the owning agency's own number for the employer, chosen by the agency, so that
    # re-importing the same spreadsheet updates the employer instead of adding it again.
    external_id = models.CharField(
        _("external ID"),
        max_length=50,
        blank=True,
        help_text=_("Your agency's own number for this employer, used by spreadsheet imports."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Optimistic locking: a form saved from a stale version is refused (see services).
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["version", "updated_at"])
    objects = EmployerQuerySet.as_manager()

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["name_kana", "name"]
        indexes = [models.Index(fields=["owner", "is_active"]), models.Index(fields=["region", "is_active"])]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "external_id"],
                condition=~models.Q(external_id=""),
                name="employer_unique_external_id_per_owner",
                violation_error_message=_("Another employer of your agency already has this external ID."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class EmployerVisit(models.Model):
    """One visit to an employer: the log coordinators keep of their outreach."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="visits", verbose_name=_("employer"))
    visited_on = models.DateField(_("visit date"), validators=[not_in_future])
    visitors = models.CharField(_("visitors"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("employer visit")
        verbose_name_plural = _("employer visits")
        ordering = ["-visited_on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.employer} {self.visited_on}"


# --- Audit ------------------------------------------------------------------------------------


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    """Append-only: the ORM refuses to change or delete audit entries (on PostgreSQL a trigger
    refuses it too). Only `manage.py purge_audit` removes entries past their retention."""

    def update(self, **kwargs: Any) -> int:
        raise AuditLogIsAppendOnly

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly

    def for_user(self, user: AnyUser) -> "AuditEntryQuerySet":
        """Platform admins read the whole log; agency admins the entries of their agency."""
        if is_platform_admin(user):
            return self.all()
        membership = acting_membership(user)
        if membership is None or not membership.has_role(Role.AGENCY_ADMIN):
            return self.filter(NOTHING)
        return self.filter(agency_id=membership.agency_id)


class AuditLogIsAppendOnly(Exception):
    pass


class AuditEntry(models.Model):
    """Who did what, when, acting for which agency. Written by services; never edited.
    Holds no passwords, tokens or health notes: services pass only ids, keys and counts."""

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("who"))
    agency = models.ForeignKey(
        Agency, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("agency")
    )
    action = models.CharField(_("action"), max_length=50)
    target_type = models.CharField(_("object type"), max_length=50, blank=True)
    target_id = models.CharField(_("object id"), max_length=64, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at"]
        indexes = [models.Index(fields=["agency", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AuditLogIsAppendOnly
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly

    def detail_text(self) -> str:
        """The detail as "key=value, …" for the log page: a list value reads as its items.
        (A template cannot loop over `detail.items` — a detail with an "items" key shadows it.)"""
        return ", ".join(f"{key}={_detail_value(key, value)}" for key, value in self.detail.items())


def _detail_value(key: str, value: Any) -> str:
    if isinstance(value, list):
        return "・".join(map(str, value))
    if key == "role" and value in Role.values:  # a role by its name (相談員), not its code
        return str(Role(value).label)
    return str(value)


class UserSession(models.Model):
    """A logged-in session of a user, so that they can see their sessions and end them all."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("user"))
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(_("logged in"), auto_now_add=True)
    last_seen = models.DateTimeField(_("last active"), default=timezone.now)
    ip = models.CharField(_("address"), max_length=45, blank=True)
    user_agent = models.CharField(_("browser"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return f"{self.user} {self.last_seen:%Y-%m-%d %H:%M}"

    @property
    def browser(self) -> str:
        """「Chrome（Windows）」: what a person recognises of their own devices in the browser's
        self-description; the description itself where neither is known."""
        return browser_label(self.user_agent)


# In the order they are tried: Edge and Opera describe themselves as Chrome too, Chrome as Safari.
BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
SYSTEMS = (
    *(("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"), ("CrOS", "ChromeOS")),
    *(("Windows", "Windows"), ("Mac OS X", "Mac"), ("Linux", "Linux")),
)


def browser_label(user_agent: str) -> str:
    browser = next((name for mark, name in BROWSERS if mark in user_agent), "")
    system = next((name for mark, name in SYSTEMS if mark in user_agent), "")
    if not browser:
        return user_agent[:80]
    return f"{browser}（{system}）" if system else browser


# --- API tokens (sheets/interop/api) ---------------------------------------------------------


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True, agency__is_active=True)

    def for_secret(self, secret: str) -> "ApiToken | None":
        """The usable token with this secret, or None (unknown, revoked, inactive agency)."""
        if not secret.startswith(TOKEN_SCHEME):
            return None
        return self.usable().select_related("agency__region__prefecture").filter(key_hash=hash_secret(secret)).first()


class ApiToken(models.Model):
    """A read-only API token of one agency (see sheets/api)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("agency"))
    name = models.CharField(_("name"), max_length=100, help_text=_("Which system uses it, e.g. 県ポータル"))
    prefix = models.CharField(_("token starts with"), max_length=PREFIX_LENGTH, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def note_use(self) -> None:
        """Record roughly when the token was last used (one write per LAST_USED_EVERY at most)."""
        now = timezone.now()
        if self.last_used_at is None or self.last_used_at < now - LAST_USED_EVERY:
            type(self).objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now
