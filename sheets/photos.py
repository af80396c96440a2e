"""Photos on the sheets (employer photos on ①, program photos on ②, task photos on the
task breakdown sheet) and the employer-introduction fields that only ① prints.

Uploads are checked by decoding them with Pillow (never trusting the name or the browser's
content type), refused when they carry markup or trailing data (polyglots), and stored as a
re-encoded copy: EXIF (GPS location, camera serial) is dropped and the size is reduced for
print. Files live under MEDIA_ROOT and are served only by `photo_serve`, after the same
access check as the employer/program they belong to — there is no public media URL."""

import io
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import MaxLengthValidator
from django.db import models, transaction
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError
from simple_history.models import HistoricalRecords

from registry.models import Employer, User

ALLOWED_FORMATS = {"JPEG": (".jpg", ".jpeg"), "PNG": (".png",), "WEBP": (".webp",)}
PRINT_MAX_PIXELS = 1600  # longest side after resizing: sharp at 150 dpi over a full A4 width
# Markup that makes a file "also" an HTML/SVG/script document: such polyglots are refused.
MARKUP_SIGNATURES = (b"<html", b"<script", b"<svg", b"<!doctype", b"<?php", b"<?xml", b"<body", b"<iframe")


def photo_max_bytes() -> int:
    return settings.SHEETS_PHOTO_MAX_MB * 1024 * 1024


def _photo_path(instance: "Photo", filename: str) -> str:
    return f"sheets/photos/{instance.uuid.hex[:2]}/{instance.uuid.hex}{instance.extension}"


class PhotoQuerySet(models.QuerySet):
    def for_user(self, user) -> "PhotoQuerySet":
        return self.filter(photo_visibility(user))


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
    image = models.FileField(_("photo"), upload_to=_photo_path)
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
INTRO_LIMITS = {"atmosphere": 200, "house_rules": 200, "message": 200}


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


# --- Access ---------------------------------------------------------------------------------


def photo_visibility(user) -> Q:
    """Program photos: whoever sees the program. Breakdown photos: whoever sees the breakdown.
    Employer photos: whoever sees the employer or any of its programs (① prints for them)."""
    from registry.access import NOTHING, acting_membership
    from sheets.models import Program, TaskBreakdown

    if getattr(user, "is_platform_admin", False):
        return Q()
    if acting_membership(user) is None:
        return NOTHING
    programs = Program.objects.for_user(user)
    employers = Employer.objects.for_user(user)
    return (
        Q(program__in=programs)
        | Q(program__isnull=True, breakdown__in=TaskBreakdown.objects.for_user(user))
        | (
            Q(program__isnull=True, breakdown__isnull=True)
            & (Q(employer__in=employers) | Q(employer_id__in=programs.values("employer_id")))
        )
    )


def get_photo_for_user(user, photo_uuid, *, write: bool = False) -> Photo:
    from sheets.access import is_coordinator_of

    photo = Photo.objects.for_user(user).select_related("employer").filter(uuid=photo_uuid).first()
    if photo is None:
        raise Http404
    if write and not is_coordinator_of(user, photo.employer.owner_id):
        raise PermissionDenied
    return photo


# --- Checking and re-encoding an upload -----------------------------------------------------


@dataclass(frozen=True)
class PrintImage:
    data: bytes
    mime_type: str
    width: int
    height: int


def _has_trailing_data(data: bytes, image_format: str) -> bool:
    """Bytes after the image's end marker are how polyglots (image + zip/HTML) are built."""
    body = data.rstrip(b"\x00\r\n ")
    if image_format == "JPEG":
        return not body.endswith(b"\xff\xd9")
    if image_format == "PNG":
        return not body.endswith(b"IEND\xaeB`\x82")
    if image_format == "WEBP":
        return int.from_bytes(data[4:8], "little") + 8 != len(data)
    return True


def check_and_reencode(uploaded) -> PrintImage:
    """The uploaded file as a clean, resized JPEG/PNG, or ValidationError with the reason."""
    if uploaded.size > photo_max_bytes():
        raise ValidationError(
            _("The photo is too large. Upload a photo of at most %(mb)d MB."),
            params={"mb": settings.SHEETS_PHOTO_MAX_MB},
        )
    data = uploaded.read()
    lowered = data.lower()
    if any(signature in lowered for signature in MARKUP_SIGNATURES):
        raise ValidationError(_("This file is not a plain photo. Upload a JPEG, PNG or WebP photo."))
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format
            probe.verify()
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError(_("This file could not be read as a photo. Upload a JPEG, PNG or WebP photo.")) from error
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(_("Upload a JPEG, PNG or WebP photo."))
    name = (uploaded.name or "").lower()
    if not name.endswith(ALLOWED_FORMATS[image_format]):
        raise ValidationError(_("The file name does not match its content. Upload a JPEG, PNG or WebP photo."))
    if _has_trailing_data(data, image_format):
        raise ValidationError(_("This file is not a plain photo. Upload a JPEG, PNG or WebP photo."))
    return _reencode(image)


def _reencode(image: Image.Image) -> PrintImage:
    # Apply the camera's rotation first: the EXIF that carried it is about to be dropped.
    image = ImageOps.exif_transpose(image)
    image.thumbnail((PRINT_MAX_PIXELS, PRINT_MAX_PIXELS))
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    out = io.BytesIO()
    if has_alpha:
        image = image.convert("RGBA")
        image.save(out, format="PNG", optimize=True)
        mime_type = "image/png"
    else:
        image = image.convert("RGB")
        image.save(out, format="JPEG", quality=85, optimize=True)  # no exif= : nothing is copied
        mime_type = "image/jpeg"
    return PrintImage(out.getvalue(), mime_type, image.width, image.height)


# --- Writes ---------------------------------------------------------------------------------


@transaction.atomic
def photo_add(*, employer: Employer, by: User, upload, caption: str, program=None, breakdown=None) -> Photo:
    from registry.services import audit
    from sheets.access import is_coordinator_of

    if not is_coordinator_of(by, employer.owner_id):
        raise PermissionDenied
    if (program and program.employer_id != employer.pk) or (breakdown and breakdown.employer_id != employer.pk):
        raise PermissionDenied
    try:
        clean = check_and_reencode(upload)
    except ValidationError as error:
        raise ValidationError({"image": error.messages}) from error
    photo = Photo(
        employer=employer,
        program=program,
        breakdown=breakdown,
        caption=caption,
        mime_type=clean.mime_type,
        width=clean.width,
        height=clean.height,
        uploaded_by=by,
    )
    photo.image.save("photo", ContentFile(clean.data), save=False)
    try:
        photo.full_clean()
        photo.save()
    except Exception:
        photo.image.delete(save=False)  # nothing half-saved: no orphan file either
        raise
    audit(by=by, agency=employer.owner, action="photo.add", target=photo, employer=str(employer.uuid))
    return photo


@transaction.atomic
def photo_remove(*, photo: Photo, by: User) -> None:
    from registry.services import audit
    from sheets.access import is_coordinator_of

    if not is_coordinator_of(by, photo.employer.owner_id):
        raise PermissionDenied
    audit(by=by, agency=photo.employer.owner, action="photo.remove", target=photo)
    storage, name = photo.image.storage, photo.image.name
    photo.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def intro_update(*, employer: Employer, by: User, version: int, **fields) -> EmployerIntro:
    from registry.services import StaleEditError, audit
    from sheets.access import is_coordinator_of

    if not is_coordinator_of(by, employer.owner_id):
        raise PermissionDenied
    intro, _created = EmployerIntro.objects.select_for_update().get_or_create(employer=employer)
    if intro.version != version:
        raise StaleEditError
    for name in ("atmosphere", "facilities", "house_rules", "message"):
        if name in fields:
            setattr(intro, name, fields[name])
    intro.version += 1
    intro.full_clean()
    intro._history_user = by
    intro.save()
    audit(by=by, agency=employer.owner, action="employer.intro_update", target=employer, fields=sorted(fields))
    return intro
