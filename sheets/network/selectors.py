"""Reads of つなぎ worth naming: the inbox and the sent list, hand-offs waiting too long (both
home pages), and the home page's section."""

from django.db.models import Q
from django.http import HttpRequest

from registry.models import Agency, acting_membership
from sheets.clients.ranking import ranked_programs
from sheets.network.access import directory_agencies
from sheets.network.models import Handoff, HandoffStatus
from sheets.network.services import overdue_before
from sheets.programs.models import Program


def inbox(user):
    membership = acting_membership(user)
    if membership is None:
        return Handoff.objects.none()
    return (
        Handoff.objects.for_user(user)
        .filter(to_agency_id=membership.agency_id)
        .select_related("from_agency", "to_agency")
        .order_by("-sent_on", "-created_at")
    )


def sent(user):
    membership = acting_membership(user)
    if membership is None:
        return Handoff.objects.none()
    return (
        Handoff.objects.for_user(user)
        .filter(from_agency_id=membership.agency_id)
        .select_related("from_agency", "to_agency", "client")
        .order_by("-sent_on", "-created_at")
    )


def overdue(user):
    """Sent, unanswered for HANDOFF_REMIND_DAYS or more: shown to the sender and the receiver."""
    return (
        Handoff.objects.for_user(user)
        .filter(status=HandoffStatus.SENT, sent_on__lte=overdue_before())
        .select_related("from_agency", "to_agency")
    )


def mark_late(user, handoffs) -> list[Handoff]:
    """The hand-offs with `late` set on each: waiting for an answer HANDOFF_REMIND_DAYS or more."""
    late_ids = set(overdue(user).values_list("pk", flat=True))
    handoffs = list(handoffs)
    for handoff in handoffs:
        handoff.late = handoff.pk in late_ids
    return handoffs


def handoffs_section(request: HttpRequest) -> dict | None:
    """The home page's つなぎ: hand-offs waiting for this agency, and those waiting too long."""
    membership = acting_membership(request.user)
    if membership is None:
        return None
    waiting = mark_late(request.user, inbox(request.user).filter(status=HandoffStatus.SENT)[:10])
    late = list(overdue(request.user).filter(~Q(to_agency_id=membership.agency_id))[:10])
    if not waiting and not late:
        return None
    return {"waiting": waiting, "late_sent": late, "agency": membership.agency}


# What kinds of support fit each wish to work (registry.models.SupportKind keys), for the
# needs check's suggested agencies.
SUPPORT_FOR_WISH = {
    "now": {"free_placement", "work_training", "job_retention", "disability_employment"},
    "soon": {"work_readiness", "work_training", "disability_employment"},
    "unsure": {"life_consultation", "work_readiness"},
    "not_now": {"life_consultation"},
}


def needs_check_suggestions(user, check) -> dict:
    """Next steps after a needs check: programs that fit (the existing matching, from the
    client's latest self-introduction) and agencies of the prefecture whose support fits."""
    introduction = check.client.introductions.order_by("-created_at").first()
    matches = list(ranked_programs(introduction, user)[:5]) if introduction is not None else []
    agency = check.client.agency
    agencies = Agency.objects.filter(is_active=True, region__prefecture_id=agency.region.prefecture_id).exclude(
        pk=agency.pk
    )
    wanted = SUPPORT_FOR_WISH.get(check.wish_to_work, set())
    fitting = [a for a in agencies.select_related("region") if wanted & set(a.support_kinds or [])]
    return {"matches": matches, "agencies": fitting[:8]}


def directory(user, *, kind: str = "", region=None, query: str = "") -> list[Agency]:
    """The agency directory, searchable by kind of support and area (a region of the prefecture:
    agencies in it, or whose area served names it) and by words in the name or the profile."""
    agencies = directory_agencies(user).order_by("region__code", "name_kana", "name")
    if region is not None:
        agencies = agencies.filter(Q(region=region) | Q(service_area__icontains=region.name))
    if query:
        agencies = agencies.filter(
            Q(name__icontains=query) | Q(support_other__icontains=query) | Q(serves__icontains=query)
        )
    agencies = list(agencies)
    if kind:  # a JSON list: filtered here, the same on SQLite and PostgreSQL (a prefecture has few agencies)
        agencies = [agency for agency in agencies if kind in (agency.support_kinds or [])]
    return agencies


def agency_programs(user, agency: Agency):
    """The agency's published programs this user may see (the directory links them)."""
    return (
        Program.objects.published_for(user)
        .filter(employer__owner=agency)
        .select_related("employer")
        .order_by("employer__name_kana", "title")
    )
