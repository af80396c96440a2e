"""Reads worth naming: the photo panel of an employer, program or task breakdown."""

from django.http import HttpRequest
from django.urls import reverse

from registry.access import is_coordinator_of
from registry.models import Employer
from sheets.breakdowns.models import TaskBreakdown
from sheets.printing.forms import PhotoForm
from sheets.printing.models import EmployerIntro, Photo
from sheets.printing.sheets import PHOTOS_PRINTED
from sheets.programs.models import Program


def photo_panel_context(request: HttpRequest, owner: Employer | Program | TaskBreakdown, form=None) -> dict:
    """Photos of an employer, program or task breakdown, with the upload form for coordinators."""
    if isinstance(owner, Program):
        photos = Photo.objects.filter(program=owner)
        upload_url = reverse("program_photo_upload", args=[owner.uuid])
        employer = owner.employer
    elif isinstance(owner, TaskBreakdown):
        photos = Photo.objects.filter(breakdown=owner)
        upload_url = reverse("breakdown_photo_upload", args=[owner.employer.uuid, owner.uuid])
        employer = owner.employer
    else:
        photos = Photo.objects.filter(employer=owner, program=None, breakdown=None)
        upload_url = reverse("employer_photo_upload", args=[owner.uuid])
        employer = owner
    can_edit = is_coordinator_of(request.user, employer.owner_id)
    return {
        "request": request,
        "photos": photos,
        "upload_url": upload_url,
        "can_edit": can_edit,
        "form": (form or PhotoForm()) if can_edit else None,
        "employer": employer,
        "is_employer": owner is employer,
        "is_breakdown": isinstance(owner, TaskBreakdown),
        "photos_printed": PHOTOS_PRINTED,
        "panel_id": f"photos-{owner._meta.model_name}-{owner.uuid}",
    }


def employer_photos_section(request: HttpRequest, *, employer: Employer) -> dict | None:
    """The employer page's photos and print links (registry.extensions.EMPLOYER)."""
    if not request.user.is_authenticated:
        return None
    return photo_panel_context(request, employer)


def intro_gaps(employer: Employer) -> list[str]:
    """The sections of ① that would print empty: the introduction's people and atmosphere,
    facilities, house rules and message (the employer page and the program page name them)."""
    intro = EmployerIntro.objects.filter(employer=employer).first()
    fields = ("atmosphere", "facilities", "house_rules", "message")
    return [
        str(EmployerIntro._meta.get_field(name).verbose_name)
        for name in fields
        if intro is None or not getattr(intro, name)
    ]


def employer_intro_section(request: HttpRequest, *, employer: Employer) -> dict | None:
    """The employer page's ① introduction card (registry.extensions.EMPLOYER): which sections
    are written, which are empty, and the way to write them — part of the employer journey."""
    if not request.user.is_authenticated or not is_coordinator_of(request.user, employer.owner_id):
        return None
    return {"employer": employer, "gaps": intro_gaps(employer)}
