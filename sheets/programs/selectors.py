"""Reads of programs worth naming: the re-verification queue."""

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from registry.dates import add_months
from registry.models import Agency
from sheets.programs.models import Program, ProgramQuerySet, ProgramStatus


def reverify_due_before(today: datetime.date | None = None) -> datetime.date:
    """Programs last verified before this day are due: SHEETS_REVERIFY_MONTHS ago."""
    return add_months(today or timezone.localdate(), -settings.SHEETS_REVERIFY_MONTHS)


def reverify_candidates(agency: Agency) -> ProgramQuerySet:
    """Published programs of the agency whose 最終確認日 is older than SHEETS_REVERIFY_MONTHS (or missing)."""
    return (
        Program.objects.filter(owner=agency, status=ProgramStatus.PUBLISHED)
        .filter(Q(last_verified_on__isnull=True) | Q(last_verified_on__lt=reverify_due_before()))
        .order_by("last_verified_on", "employer__name_kana", "title")
    )
