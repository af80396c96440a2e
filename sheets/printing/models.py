"""Photos on the sheets (employer photos on ①, program photos on ②, task photos on the
task breakdown sheet) and the employer-introduction fields that only ① prints.

Files live under MEDIA_ROOT and are served only by `photo_serve`, after the same access check
as the employer/program they belong to — there is no public media URL. Uploads are checked
and re-encoded by sheets/printing/photos.py."""

import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from registry.models import NOTHING, Agency, Employer, User, acting_membership, is_platform_admin
from sheets.breakdowns.models import TaskBreakdown
from sheets.programs.limits import INTRO_LIMITS
from sheets.programs.models import Program


def photo_path(instance: "Photo", filename: str) -> str:
    return f"sheets/photos/{instance.uuid.hex[:2]}/{instance.uuid.hex}{instance.extension}"


class PhotoQuerySet(models.QuerySet["Photo"]):
    def for_user(self, user) -> "PhotoQuerySet":
        """Program photos: whoever sees the program. Breakdown photos: whoever sees the breakdown.
        Employer photos: whoever sees the employer or any of its programs (① prints for them)."""
        if is_platform_admin(user):
            return self.all()
        if acting_membership(user) is None:
            return self.filter(NOTHING)
        programs = Program.objects.for_user(user)
        employers = Employer.objects.for_user(user)
        return self.filter(
            models.Q(program__in=programs)
            | models.Q(program__isnull=True, breakdown__in=TaskBreakdown.objects.for_user(user))
            | (
                models.Q(program__isnull=True, breakdown__isnull=True)
                & (models.Q(employer__in=employers) | models.Q(employer_id__in=programs.values("employer_id")))
            )
        )


class Photo(models.Model):
    """A photo of an employer (①), of a program (②), or of a task breakdown (visit sheet)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="photos", verbose_name=_("employer"))
    program = models.ForeignKey(
        "sheets.Program", on_delete=models.CASCADE, null=True, blank=True, related_name="photos"
    )
    breakdown = models.ForeignKey(
        "sheets.TaskBreakdown", on_delete=models.CASCADE, null=True, blank=True, related_name="photos"
    )
    image = models.FileField(_("photo"), upload_to=photo_path)
    mime_type = models.CharField(max_length=20, editable=False)
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    caption = models.CharField(
        _("caption"), max_length=60, help_text=_("What the photo shows, read aloud to screen-reader users.")
    )
    uploaded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.caption

    @property
    def extension(self) -> str:
        return ".png" if self.mime_type == "image/png" else ".jpg"


class Facility(models.TextChoices):
    REST_AREA = "rest_area", _("Rest area")
    TOILET = "toilet", _("Toilet")
    CHANGING_ROOM = "changing_room", _("Changing room")
    LOCKERS = "lockers", _("Lockers")
    CANTEEN = "canteen", _("Canteen or place to eat")
    PARKING = "parking", _("Parking")


# Caps that keep ① on one A4 page with every field at its maximum (tests/sheets/test_print_budget.py).


class EmployerIntro(models.Model):
    """What ① 事業所紹介シート says beyond the employer record: people and atmosphere,
    facilities, house rules and a message from the employer."""

    employer = models.OneToOneField(Employer, on_delete=models.CASCADE, related_name="intro")
    atmosphere = models.TextField(
        _("people and atmosphere"), blank=True, validators=[MaxLengthValidator(INTRO_LIMITS["atmosphere"])]
    )
    facilities = models.JSONField(_("facilities"), default=list, blank=True)
    house_rules = models.TextField(
        _("house rules"), blank=True, validators=[MaxLengthValidator(INTRO_LIMITS["house_rules"])]
    )
    message = models.TextField(
        _("message from the employer"), blank=True, validators=[MaxLengthValidator(INTRO_LIMITS["message"])]
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("employer introduction")
        verbose_name_plural = _("employer introductions")

    def __str__(self) -> str:
        return str(self.employer)

    def clean(self) -> None:
        allowed = set(Facility.values)
        if not isinstance(self.facilities, list) or any(item not in allowed for item in self.facilities):
            raise ValidationError({"facilities": _("Choose from the list.")})

    def facility_labels(self) -> list[str]:
        labels = dict(Facility.choices)
        return [str(labels[item]) for item in Facility.values if item in self.facilities]


class SavedPrintList(models.Model):
    """The 印刷リスト of one person acting for one agency: kept across logins and devices (the
    programs ticked before lunch are still there after logging in again). `items` lists
    [program uuid, sheets wanted] in the order they were added; visibility is checked on every
    read (sheets.printing.print_list.entries_for)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+", verbose_name=_("user"))
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+", verbose_name=_("agency"))
    items = models.JSONField(_("programs and sheets"), default=list, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("print list")
        verbose_name_plural = _("print lists")
        constraints = [models.UniqueConstraint(fields=["user", "agency"], name="saved_print_list_unique_owner")]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.agency_id}"
