"""Every write to photos and to the employer's ① introduction: checked, in one transaction,
with one audit entry."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from registry.access import is_coordinator_of
from registry.models import Employer, User
from registry.services import StaleEditError, audit, save_with_history
from sheets.breakdowns.models import TaskBreakdown
from sheets.printing.models import EmployerIntro, Photo
from sheets.printing.photos import check_and_reencode
from sheets.programs.models import Program


@transaction.atomic
def photo_add(
    *,
    employer: Employer,
    by: User,
    upload: UploadedFile[bytes],
    caption: str,
    program: Program | None = None,
    breakdown: TaskBreakdown | None = None,
) -> Photo:
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
    if not is_coordinator_of(by, photo.employer.owner_id):
        raise PermissionDenied
    audit(by=by, agency=photo.employer.owner, action="photo.remove", target=photo)
    storage, name = photo.image.storage, photo.image.name or ""
    photo.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def intro_update(*, employer: Employer, by: User, version: int, **fields: Any) -> EmployerIntro:
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
    save_with_history(intro, by=by)
    audit(by=by, agency=employer.owner, action="employer.intro_update", target=employer, fields=sorted(fields))
    return intro
