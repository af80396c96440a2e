"""Reads of つなぎ worth naming: the inbox and the sent list, hand-offs waiting too long (both
home pages), and the home page's section."""

import datetime
import math

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.models import Agency, Region, acting_membership
from registry.smallcounts import SUPPRESS_BELOW
from sheets.clients.models import ReferralStatus, SelfIntroduction
from sheets.clients.ranking import ranked_programs
from sheets.clients.selectors import OutcomeCount, introduction_dimensions
from sheets.fields import ChoiceListField
from sheets.network.access import directory_agencies, incoming_referrals
from sheets.network.models import Handoff, HandoffItem, HandoffStatus
from sheets.network.services import ITEM_FIELDS, overdue_before
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


def handoff_sections(introduction: SelfIntroduction, items: set[str]) -> list[dict]:
    """The self-introduction as a hand-off shows it before acceptance: for each consented item,
    every field acceptance copies (ITEM_FIELDS) with its value — both sides see exactly what will
    be transferred (docs/consent.md), and a field added to an item shows without a template edit.
    The confidence levels show as the form's table; the dimensions marked 「確かめたい」 or 「配慮」
    are listed under the item that carries them."""
    sections = []
    for key, label in HandoffItem.choices:
        if key not in items or key not in ITEM_FIELDS:
            continue
        names = ITEM_FIELDS[key]
        rows = [
            {"label": SelfIntroduction._meta.get_field(name).verbose_name, "value": _field_text(introduction, name)}
            for name in names
            if name != "confidence"
        ]
        confidence = _confidence_levels(introduction) if "confidence" in names else []
        sections.append({"key": key, "label": label, "rows": rows, "confidence": confidence})
    return sections


def _confidence_levels(introduction: SelfIntroduction) -> list[dict]:
    """Each dimension with its level only: its marks belong to other items and may not be consented."""
    return [{"label": row["label"], "confidence": row["confidence"]} for row in introduction_dimensions(introduction)]


def _field_text(introduction: SelfIntroduction, name: str) -> str:
    """A field's value as words: choice labels, not keys; an empty value is ""."""
    field = SelfIntroduction._meta.get_field(name)
    value = getattr(introduction, name)
    if field.many_to_many:
        return "・".join(getattr(each, "name", str(each)) for each in value.all())
    if isinstance(field, ChoiceListField):
        return "・".join(field.choice_labels(value))
    if getattr(field, "choices", None):
        return str(getattr(introduction, f"get_{name}_display")())
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    return "" if value is None else str(value)


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


# --- Region figures ----------------------------------------------------------------------------

QUARTERS_SHOWN = 4
DIAGRAM = (560, 320)


def _quarter(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _quarter_label(year: int, quarter: int) -> str:
    first = 3 * (quarter - 1) + 1
    return _("%(year)d, %(first)d–%(last)d") % {"year": year, "first": first, "last": first + 2}


def region_handoff_count(region: Region, start: datetime.date, end: datetime.date) -> int:
    """Hand-offs sent from `start` to `end` (excluded) with an agency of the region on either
    side, cancelled ones not counted: the evaluation page's figure (registry.extensions)."""
    return _region_handoffs(region).filter(sent_on__gte=start, sent_on__lt=end).count()


def _region_handoffs(region: Region) -> QuerySet[Handoff]:
    """Hand-offs that count for a region: an agency of the region on either side, not cancelled."""
    return Handoff.objects.filter(Q(from_agency__region=region) | Q(to_agency__region=region)).exclude(
        status=HandoffStatus.CANCELLED
    )


NODE_BOX = (200, 40)  # width and height of an agency's box in the hand-off picture


def _to_box_edge(dx: float, dy: float) -> float:
    """How far from a box's centre a line in direction (dx, dy) leaves the box."""
    half_width, half_height = NODE_BOX[0] / 2, NODE_BOX[1] / 2
    return min(half_width / abs(dx) if dx else math.inf, half_height / abs(dy) if dy else math.inf)


def region_handoff_figures(region: Region, *, today: datetime.date | None = None) -> dict | None:
    """Hand-offs between agencies with an agency of the region on either side, per quarter (the
    last QUARTERS_SHOWN), as bare counts — each under 3 shown as 「3件未満」 (SUPPRESS_BELOW) —
    and a network picture (agencies on an ellipse, an arrow per pair). Withdrawn hand-offs that
    were cancelled are not counted; a pair under 3 in every quarter is not shown. None when no
    pair is left.

    No total over the quarters, on the table or the arrows: beside its parts it would give a
    「3件未満」 quarter back, and as the window moves on, one quarter's page against the next would
    (the small-count rule, registry/smallcounts.py)."""
    today = today or timezone.localdate()
    year, quarter = _quarter(today)
    quarters = []
    for _step in range(QUARTERS_SHOWN):
        quarters.append((year, quarter))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    quarters.reverse()
    start = datetime.date(quarters[0][0], 3 * (quarters[0][1] - 1) + 1, 1)
    rows = _region_handoffs(region).filter(sent_on__gte=start).values_list("from_agency_id", "to_agency_id", "sent_on")
    counts: dict[tuple[int, int], dict[tuple[int, int], int]] = {}
    for from_id, to_id, sent_on in rows:
        pair = counts.setdefault((from_id, to_id), {})
        pair[_quarter(sent_on)] = pair.get(_quarter(sent_on), 0) + 1
    # A row is itself a count: a pair listed with 「3件未満」 in every quarter would tell every
    # agency of the region that this one sent that one a client (and, live, about when). Only
    # pairs with a quarter of 3 or more are shown; nothing says how many were left out.
    counts = {pair: per_quarter for pair, per_quarter in counts.items() if max(per_quarter.values()) >= SUPPRESS_BELOW}
    if not counts:
        return None
    agency_ids = sorted({pk for pair in counts for pk in pair})
    agencies = Agency.objects.in_bulk(agency_ids)
    pairs = [
        {
            "from": agencies[from_id],
            "to": agencies[to_id],
            "cells": [OutcomeCount("", per_quarter.get(q, 0)) for q in quarters],
        }
        for (from_id, to_id), per_quarter in sorted(
            counts.items(), key=lambda item: (agencies[item[0][0]].name_kana, agencies[item[0][1]].name_kana)
        )
    ]
    width, height = DIAGRAM
    order = sorted(agency_ids, key=lambda pk: (agencies[pk].region_id != region.pk, agencies[pk].name_kana))
    places = {}
    for index, pk in enumerate(order):
        angle = -math.pi / 2 + 2 * math.pi * index / len(order)
        places[pk] = (
            round(width / 2 + (width / 2 - 110) * math.cos(angle), 1),
            round(height / 2 + (height / 2 - 40) * math.sin(angle), 1),
        )
    nodes = [
        {
            "agency": agencies[pk],
            "x": places[pk][0],
            "y": places[pk][1],
            "box_x": round(places[pk][0] - NODE_BOX[0] / 2, 1),
            "box_y": round(places[pk][1] - NODE_BOX[1] / 2, 1),
            "text_y": round(places[pk][1] + 4, 1),
        }
        for pk in order
    ]
    edges = []
    for pair in pairs:
        (x1, y1), (x2, y2) = places[pair["from"].pk], places[pair["to"].pk]
        length = math.hypot(x2 - x1, y2 - y1) or 1
        dx, dy = (x2 - x1) / length, (y2 - y1) / length
        # From the edge of one box to just short of the other's, where the arrowhead shows (a
        # fixed distance from the centres hid it under a box on near-level lines); offset both
        # ways so that A→B and B→A do not overlap.
        edge = _to_box_edge(dx, dy)
        ox, oy = -dy * 6, dx * 6
        edges.append(
            {
                **pair,
                "x1": round(x1 + dx * (edge + 2) + ox, 1),
                "y1": round(y1 + dy * (edge + 2) + oy, 1),
                "x2": round(x2 - dx * (edge + 6) + ox, 1),
                "y2": round(y2 - dy * (edge + 6) + oy, 1),
            }
        )
    return {
        "quarters": [_quarter_label(y, q) for y, q in quarters],
        "pairs": pairs,
        "nodes": nodes,
        "edges": edges,
        "box": NODE_BOX,
        "width": width,
        "height": height,
    }


def referral_notices(user):
    """Other agencies' referrals to the acting agency's programs: the program, the dates, the
    referring agency — never the client (only these fields are read)."""
    return (
        incoming_referrals(user)
        .select_related("program", "client__agency")
        .only(
            "uuid",
            "status",
            "proposed_on",
            "starts_on",
            "ends_on",
            "host_confirmed_on",
            "program__uuid",
            "program__title",
            "client__agency__name",
        )
        .order_by("-proposed_on", "-created_at")
    )


def referral_notices_section(request: HttpRequest) -> dict | None:
    """The home page: referrals by other agencies to this agency's programs, not yet confirmed."""
    waiting = list(
        referral_notices(request.user).filter(
            status__in=[ReferralStatus.PROPOSED, ReferralStatus.SCHEDULED], host_confirmed_on__isnull=True
        )[:5]
    )
    return {"notices": waiting} if waiting else None
