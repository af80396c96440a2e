"""Reads of つなぎ worth naming: the inbox and the sent list, hand-offs waiting too long (both
home pages), and the home page's section."""

from django.db.models import Q
from django.http import HttpRequest

from registry.models import Agency, acting_membership
from sheets.clients.ranking import ranked_programs
from sheets.network.models import Handoff, HandoffStatus
from sheets.network.services import overdue_before


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
