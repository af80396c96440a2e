"""Reads of programs worth naming: the re-verification queue, the coordinator's home section."""

import datetime

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from registry.access import is_coordinator_of
from registry.dates import add_months
from registry.models import Agency, acting_membership
from sheets.programs.models import Program, ProgramQuerySet, ProgramStatus, ReviewApproval, ReviewComment


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


RECENT_REVIEW_DAYS = 14


def coordinator_work_section(request: HttpRequest) -> dict | None:
    """The home page of a coordinator (registry.extensions.HOME): the acting agency's drafts,
    programs in review, the employer's comments and approvals of the last two weeks, and the
    re-verify queue — each a count and a link. Nothing for counselors."""
    membership = acting_membership(request.user)
    if membership is None or not is_coordinator_of(request.user, membership.agency_id):
        return None
    agency = membership.agency
    own = Program.objects.filter(owner=agency)
    since = timezone.now() - datetime.timedelta(days=RECENT_REVIEW_DAYS)
    comments = list(
        ReviewComment.objects.filter(program__owner=agency, created_at__gte=since)
        .exclude(program__status=ProgramStatus.ARCHIVED)
        .select_related("program")
        .order_by("-created_at")
    )
    approvals = list(
        ReviewApproval.objects.filter(program__owner=agency, created_at__gte=since, confirmed_by=None)
        .select_related("program")
        .order_by("-created_at")
    )
    search = reverse("program_list")
    return {
        "drafts": own.filter(status=ProgramStatus.DRAFT).count(),
        "drafts_url": f"{search}?status={ProgramStatus.DRAFT}",
        "in_review": own.filter(status=ProgramStatus.IN_REVIEW).count(),
        "in_review_url": f"{search}?status={ProgramStatus.IN_REVIEW}",
        "comments": comments[:5],
        "comment_count": len(comments),
        "approvals": approvals[:5],
        "approval_count": len(approvals),
        "reverify": reverify_candidates(agency).count(),
        "reverify_url": reverse("reverify_queue"),
        "days": RECENT_REVIEW_DAYS,
    }
