"""Explainable matching: ranks programs for a client and says why, in words a counselor can check.

Pure: no database access. Callers turn a self-introduction into a `ClientProfile` and each
visible program into a `ProgramProfile`; `rank()` orders them and never drops one — a program
with a conflict is ranked lower and its conflict is named.

Rules (domain guide, "Matching dimensions"):
- dimension fit: a demand up to one level above today's confidence is a fit; more is a conflict,
  the larger the gap the lower the rank. Confidence "わからない" (None) neither helps nor hurts;
- every dimension the client wants to confirm that the program lets them confirm counts for it;
- availability (days and hours), area, engagement type, accommodations and interest tags filter
  in the counselor's head rather than in the query: they add or subtract and are explained.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import time

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from sheets.dimensions import Dimension

# Weights: a single conflict must outweigh any number of small advantages of the same kind,
# so that e.g. a standing-all-day program never outranks a seated one for someone who cannot stand.
CONFLICT_PER_LEVEL = 40
CONFIRM_BONUS = 8
LOW_BURDEN_BONUS = 2
AVAILABILITY_BONUS = 6
AVAILABILITY_CONFLICT = 25
AREA_BONUS = 4
AREA_CONFLICT = 10
TYPE_BONUS = 5
TYPE_CONFLICT = 10
ACCOMMODATION_BONUS = 4
ACCOMMODATION_CONFLICT = 15
INTEREST_BONUS = 3


@dataclass(frozen=True)
class ClientProfile:
    """What the client (with the counselor) said on the 自己紹介書."""

    confidence: dict[str, int | None] = field(default_factory=dict)  # dimension → 0..3, None = わからない
    want_to_confirm: frozenset[str] = frozenset()  # dimensions
    accommodations: frozenset[str] = frozenset()  # requested Accommodation keys
    days: frozenset[str] = frozenset()  # Weekday keys they can attend; empty = not said
    available_from: time | None = None
    available_until: time | None = None
    region_ids: frozenset[int] = frozenset()  # areas they can reach; empty = not said
    engagement_types: frozenset[str] = frozenset()  # wanted; empty = any
    interests: frozenset[str] = frozenset()  # interest tags


@dataclass(frozen=True)
class ProgramProfile:
    demands: dict[str, int] = field(default_factory=dict)  # dimension → 0..3
    confirmable: frozenset[str] = frozenset()
    accommodations: frozenset[str] = frozenset()
    days: frozenset[str] = frozenset()
    start_time: time | None = None
    end_time: time | None = None
    region_id: int | None = None
    engagement_type: str = ""
    tags: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Reason:
    text: Promise | str
    points: int

    @property
    def is_conflict(self) -> bool:
        return self.points < 0


@dataclass
class Match[K]:
    key: K
    reasons: list[Reason]

    @property
    def score(self) -> int:
        return sum(reason.points for reason in self.reasons)

    @property
    def conflicts(self) -> list[Reason]:
        return [r for r in self.reasons if r.is_conflict]

    @property
    def advantages(self) -> list[Reason]:
        return [r for r in self.reasons if not r.is_conflict]


def _label(choices, key: str) -> str:
    try:
        return choices(key).label
    except ValueError:
        return key


def dimension_reasons(client: ClientProfile, program: ProgramProfile) -> list[Reason]:
    reasons = []
    for dimension in Dimension:
        demand = program.demands.get(dimension.value)
        confidence = client.confidence.get(dimension.value)
        if demand is None or confidence is None:
            continue
        gap = demand - (confidence + 1)
        if gap > 0:
            text = format_lazy(
                _("The demand on “{label}” ({demand}) is above today's confidence ({confidence})"),
                label=dimension.label,
                demand=demand,
                confidence=confidence,
            )
            reasons.append(Reason(text, -CONFLICT_PER_LEVEL * gap))
        elif demand <= 1 and confidence <= 1:
            reasons.append(Reason(format_lazy(_("Light demand on “{label}”"), label=dimension.label), LOW_BURDEN_BONUS))
    return reasons


def confirm_reasons(client: ClientProfile, program: ProgramProfile) -> list[Reason]:
    return [
        Reason(
            format_lazy(_("You can confirm “{label}”, which you want to confirm"), label=_label(Dimension, key)),
            CONFIRM_BONUS,
        )
        for key in sorted(client.want_to_confirm & program.confirmable)
    ]


def _hours_fit(client: ClientProfile, program: ProgramProfile) -> bool | None:
    if not (client.available_from and client.available_until and program.start_time and program.end_time):
        return None
    return client.available_from <= program.start_time and program.end_time <= client.available_until


def availability_reasons(client: ClientProfile, program: ProgramProfile) -> list[Reason]:
    from sheets.models import Weekday

    reasons = []
    if client.days and program.days:
        common = [day for day in Weekday.values if day in client.days and day in program.days]
        if common:
            days = "・".join(str(_label(Weekday, day)) for day in common)
            reasons.append(Reason(format_lazy(_("You can attend on {days}"), days=days), AVAILABILITY_BONUS))
        else:
            reasons.append(Reason(_("None of its days suits you"), -AVAILABILITY_CONFLICT))
    hours = _hours_fit(client, program)
    if hours is True:
        reasons.append(Reason(_("Its hours are within your available time"), AVAILABILITY_BONUS))
    elif hours is False:
        text = format_lazy(
            _("Its hours ({start}–{end}) are outside your available time"),
            start=program.start_time.strftime("%H:%M"),
            end=program.end_time.strftime("%H:%M"),
        )
        reasons.append(Reason(text, -AVAILABILITY_CONFLICT))
    return reasons


def condition_reasons(client: ClientProfile, program: ProgramProfile) -> list[Reason]:
    from sheets.models import Accommodation, EngagementType

    reasons = []
    if client.region_ids and program.region_id is not None:
        if program.region_id in client.region_ids:
            reasons.append(Reason(_("In an area you can reach"), AREA_BONUS))
        else:
            reasons.append(Reason(_("Outside the areas you said you can reach"), -AREA_CONFLICT))
    if client.engagement_types and program.engagement_type:
        label = _label(EngagementType, program.engagement_type)
        if program.engagement_type in client.engagement_types:
            reasons.append(Reason(format_lazy(_("“{label}” is a kind you want"), label=label), TYPE_BONUS))
        else:
            reasons.append(Reason(format_lazy(_("“{label}” is not a kind you asked for"), label=label), -TYPE_CONFLICT))
    for key in sorted(client.accommodations):
        label = _label(Accommodation, key)
        if key in program.accommodations:
            text = format_lazy(_("The employer can offer “{label}”"), label=label)
            reasons.append(Reason(text, ACCOMMODATION_BONUS))
        else:
            text = format_lazy(_("“{label}” is not among the accommodations offered"), label=label)
            reasons.append(Reason(text, -ACCOMMODATION_CONFLICT))
    shared = sorted(client.interests & program.tags)
    if shared:
        reasons.append(Reason(format_lazy(_("Matches your interests: {tags}"), tags="・".join(shared)), INTEREST_BONUS))
    return reasons


def match[K](client: ClientProfile, key: K, program: ProgramProfile) -> Match[K]:
    reasons = [
        *dimension_reasons(client, program),
        *confirm_reasons(client, program),
        *availability_reasons(client, program),
        *condition_reasons(client, program),
    ]
    # Conflicts first: they are what a counselor must check before proposing.
    reasons.sort(key=lambda reason: (not reason.is_conflict, -abs(reason.points)))
    return Match(key=key, reasons=reasons)


def rank[K](client: ClientProfile, programs: Iterable[tuple[K, ProgramProfile]]) -> list[Match[K]]:
    """Every program, best first: higher score, then fewer conflicts. Stable for equal scores."""
    matches = [match(client, key, program) for key, program in programs]
    return sorted(matches, key=lambda m: (-m.score, len(m.conflicts)))
