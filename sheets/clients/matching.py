"""Explainable matching: ranks programs for a client and says why, in words a counselor can check.

Pure: no database access. Callers turn a self-introduction into a `ClientProfile` and each
visible program into a `ProgramProfile`; `rank()` orders them and never drops one — a program
with a conflict is ranked lower and its conflict is named.

Each rule yields findings: its points and how to say them (a function and its arguments, called
only when shown).
`rank_scores()` gives rank()'s order from the points alone, so a page of hundreds of ranked
programs builds the translated texts of the few it shows; `match()` builds them from the same
findings, so a score never disagrees with its reasons.

Rules (domain guide, "Matching dimensions"):
- dimension fit: a demand up to one level above today's confidence is a fit; more is a conflict,
  the larger the gap the lower the rank. Confidence "わからない" (None) neither helps nor hurts;
- strengths: a dimension the client is confident in (2–3) that the program asks for (demand 2+)
  is a positive reason, 「得意な『手先の器用さ』を活かせる」, worth more when the program also lets
  them confirm it. It outweighs light demands: a seated fine-work program comes before a light
  standing one for someone with 器用さ 3 and 体力 0;
- light demand on dimensions the client is unsure of (0–1) is ONE reason naming them, its points
  capped: it helps, it no longer dominates;
- every dimension the client wants to confirm that the program lets them confirm counts for it;
- place: from what the client said alone — the areas they can reach (通える地域) count for a
  program, one outside them is a conflict; a client who named none is told nothing about place
  (their agency's town is not where they live, nor the only place they can go);
- time: the days and hours the client can come against the program's days and hours. A program
  whose hours lie within theirs on a day it runs is a fit, named (「火・木の午前に参加できる」);
  one whose hours only partly do is a smaller conflict the larger the part that does not suit,
  naming that part (「一部の時間が合わない（火・木の12:00〜15:00）」), below every full fit; no
  day or no hour in common is a conflict;
- availability (days and hours), area, engagement type, accommodations and interest tags filter
  in the counselor's head rather than in the query: they add or subtract and are explained.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import time
from functools import cache, cached_property

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from sheets.dimensions import Dimension

# Weights: a single conflict must outweigh any number of small advantages of the same kind,
# so that e.g. a standing-all-day program never outranks a seated one for someone who cannot stand.
CONFLICT_PER_LEVEL = 40
CONFIRM_BONUS = 8
LOW_BURDEN_BONUS = 2
LOW_BURDEN_CAP = 4  # however many light demands: less than one strength
STRENGTH_BONUS = 10
STRENGTH_CONFIRM_BONUS = 3  # the program also lets them confirm it
STRENGTH_DEMAND = 2  # "asks for it": demand 2 or 3
STRENGTH_CONFIDENCE = 2  # "good at it": confidence 2 or 3
AVAILABILITY_BONUS = 6  # for each of days and hours that fits
AVAILABILITY_CONFLICT = 25  # no day or no hour in common; a part of the hours: its share of this
AREA_BONUS = 15  # an area the client said they can reach (docs/matching-evaluation.md)
AREA_CONFLICT = 10
MAX_PLAIN_REASONS = 4  # a card shows at most this many reasons for a program (and every conflict)
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
    interests: frozenset[str] = frozenset()  # InterestTag keys

    @cached_property
    def rated_dimensions(self) -> tuple[tuple[str, Dimension, int], ...]:
        """(key, dimension, confidence) of the dimensions rated, in the guide's order: asked of
        every program ranked, worked out once per client."""
        rated = ((key, dimension, self.confidence.get(key)) for key, dimension in _IN_GUIDE_ORDER)
        return tuple((key, dimension, confidence) for key, dimension, confidence in rated if confidence is not None)

    @cached_property
    def weekdays(self) -> frozenset[str]:
        """The days they can attend that are days of the week (a stored list may hold others)."""
        return self.days & _weekdays()

    @cached_property
    def accommodations_in_order(self) -> tuple[str, ...]:
        """The accommodations they asked for, in the order their findings are said."""
        return tuple(sorted(self.accommodations))


# Not frozen, though nothing changes a profile once built: a frozen dataclass's __init__ sets each
# field through object.__setattr__, 2.4 µs more for each of the hundreds of programs a ranking builds.
@dataclass(slots=True)
class ProgramProfile:
    demands: dict[str, int] = field(default_factory=dict)  # dimension → 0..3
    confirmable: frozenset[str] = frozenset()
    accommodations: frozenset[str] = frozenset()
    days: frozenset[str] = frozenset()
    start_time: time | None = None
    end_time: time | None = None
    region_id: int | None = None
    engagement_type: str = ""
    tags: frozenset[str] = frozenset()  # InterestTag keys


# How a finding is said: called only for the programs shown, never for the hundreds only ranked.
# A function and its arguments rather than a partial: building a partial for each of the ten or
# so findings of each of hundreds of programs ranked cost more than a tuple.
type Say = Callable[..., Promise | str]
type Finding = tuple[int, Say, tuple]  # points (negative: a conflict), say(*arguments) = the words


def is_conflict(points: int) -> bool:
    return points < 0


@dataclass(frozen=True)
class Reason:
    text: Promise | str
    points: int

    @property
    def is_conflict(self) -> bool:
        return is_conflict(self.points)


@dataclass
class Match[K]:
    key: K
    reasons: list[Reason]

    # Read several times by a page: worked out once (the reasons are not changed after match()).
    @cached_property
    def score(self) -> int:
        return sum(reason.points for reason in self.reasons)

    @cached_property
    def conflicts(self) -> list[Reason]:
        return [r for r in self.reasons if r.is_conflict]

    @cached_property
    def all_advantages(self) -> list[Reason]:
        return [r for r in self.reasons if not r.is_conflict]

    @cached_property
    def advantages(self) -> list[Reason]:
        """What a card shows for the program: its strongest plain reasons, at most
        MAX_PLAIN_REASONS (the score counts them all; every conflict is always shown)."""
        return self.all_advantages[:MAX_PLAIN_REASONS]


@dataclass(slots=True)  # not frozen, as ProgramProfile: one per program ranked
class Scored[K]:
    """A program's place in the ranking in numbers: what rank() sorts a Match by, without words."""

    key: K
    score: int
    conflicts: int  # how many


def _label(choices, key: str) -> str:
    try:
        return choices(key).label
    except ValueError:
        return key


# --- The rules: each yields its findings; the words next to it say them -------------------------

# (key, dimension) in the guide's order: the enum's own iteration and .value are slow for every ranked program.
_IN_GUIDE_ORDER = tuple((dimension.value, dimension) for dimension in Dimension)


def _demand_above_confidence(dimension: Dimension, demand: int, confidence: int) -> Promise:
    return format_lazy(
        _("The demand on “{label}” ({demand}) is above today's confidence ({confidence})"),
        label=dimension.label,
        demand=demand,
        confidence=confidence,
    )


def _light_demands(dimensions: tuple[Dimension, ...]) -> Promise:
    labels = "".join(f"「{dimension.label}」" for dimension in dimensions)
    return format_lazy(_("Light demand on {labels}"), labels=labels)


def _strength(dimension: Dimension) -> Promise:
    return format_lazy(_("Makes use of your strength “{label}”"), label=dimension.label)


def dimension_findings(client: ClientProfile, program: ProgramProfile) -> Iterator[Finding]:
    light: list[Dimension] = []
    for key, dimension, confidence in client.rated_dimensions:
        demand = program.demands.get(key)
        if demand is None:
            continue
        gap = demand - (confidence + 1)
        if gap > 0:
            yield -CONFLICT_PER_LEVEL * gap, _demand_above_confidence, (dimension, demand, confidence)
        elif demand >= STRENGTH_DEMAND and confidence >= STRENGTH_CONFIDENCE:
            points = STRENGTH_BONUS + (STRENGTH_CONFIRM_BONUS if key in program.confirmable else 0)
            yield points, _strength, (dimension,)
        elif demand <= 1 and confidence <= 1:
            light.append(dimension)
    if light:
        yield min(LOW_BURDEN_BONUS * len(light), LOW_BURDEN_CAP), _light_demands, (tuple(light),)


def _can_confirm(key: str) -> Promise:
    return format_lazy(_("You can confirm “{label}”, which you want to confirm"), label=_label(Dimension, key))


def confirm_findings(client: ClientProfile, program: ProgramProfile) -> Iterator[Finding]:
    for key in sorted(client.want_to_confirm & program.confirmable):
        yield CONFIRM_BONUS, _can_confirm, (key,)


@cache
def _weekdays() -> frozenset[str]:
    from sheets.vocabulary import Weekday

    return frozenset(Weekday.values)


def _in_week_order(days: frozenset[str]) -> str:
    from sheets.vocabulary import Weekday

    return "・".join(str(_label(Weekday, day)) for day in Weekday.values if day in days)


NOON = time(12)


def _clock(moment: time) -> str:
    return f"{moment.hour}:{moment.minute:02d}"


def _span(start: time, end: time) -> Promise:
    return format_lazy(_("{start}–{end}"), start=_clock(start), end=_clock(end))


def _part_of_day(start: time, end: time) -> Promise:
    """The program's hours as a counselor says them: 午前 or 午後 when they lie wholly in one."""
    if end <= NOON:
        return _("morning")
    if start >= NOON:
        return _("afternoon")
    return _span(start, end)


def _can_attend_on(days: frozenset[str]) -> Promise:
    return format_lazy(_("You can attend on {days}"), days=_in_week_order(days))


def _can_attend_at(days: frozenset[str], start: time, end: time) -> Promise:
    return format_lazy(
        _("You can attend on {days} ({hours})"), days=_in_week_order(days), hours=_part_of_day(start, end)
    )


def _no_day_suits() -> Promise:
    return _("None of its days suits you")


def _within_hours() -> Promise:
    return _("Its hours are within your available time")


def _outside_hours(start: time, end: time) -> Promise:
    return format_lazy(
        _("Its hours ({start}–{end}) are outside your available time"), start=_clock(start), end=_clock(end)
    )


def _part_does_not_suit(days: frozenset[str], unsuited: tuple[tuple[time, time], ...]) -> Promise:
    hours = "、".join(str(_span(start, end)) for start, end in unsuited)
    if days:
        return format_lazy(
            _("Part of its hours does not suit you ({days}, {hours})"), days=_in_week_order(days), hours=hours
        )
    return format_lazy(_("Part of its hours does not suit you ({hours})"), hours=hours)


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _unsuited_hours(
    start: time, end: time, available_from: time, available_until: time
) -> tuple[tuple[time, time], ...]:
    """The parts of the program's hours (start–end) outside the client's; all of them when no
    hour is in common."""
    if end <= available_from or available_until <= start:
        return ((start, end),)
    before = ((start, available_from),) if start < available_from else ()
    after = ((available_until, end),) if available_until < end else ()
    return before + after


def availability_findings(client: ClientProfile, program: ProgramProfile) -> Iterator[Finding]:
    """Proportionate: hours that only partly suit are a conflict as large as the share that does
    not, never as large as no hour in common, and below any full fit (docs/decisions.md)."""
    days_said = bool(client.days and program.days)
    days = client.weekdays & program.days if days_said else frozenset()
    if days_said and not days:
        yield -AVAILABILITY_CONFLICT, _no_day_suits, ()
        return
    start, end = program.start_time, program.end_time
    if not (start and end and client.available_from and client.available_until):
        if days_said:
            yield AVAILABILITY_BONUS, _can_attend_on, (days,)
        return
    unsuited = _unsuited_hours(start, end, client.available_from, client.available_until)
    if unsuited == ((start, end),):
        yield -AVAILABILITY_CONFLICT, _outside_hours, (start, end)
    elif not unsuited and days_said:
        yield 2 * AVAILABILITY_BONUS, _can_attend_at, (days, start, end)
    elif not unsuited:
        yield AVAILABILITY_BONUS, _within_hours, ()
    else:
        if days_said:
            yield AVAILABILITY_BONUS, _can_attend_on, (days,)
        share = sum(_minutes(to) - _minutes(since) for since, to in unsuited) / (_minutes(end) - _minutes(start))
        # At least a point (it is a conflict to check), at most one less than no hour in common.
        points = min(max(round(AVAILABILITY_CONFLICT * share), 1), AVAILABILITY_CONFLICT - 1)
        yield -points, _part_does_not_suit, (days, unsuited)


def _in_reach() -> Promise:
    return _("In an area you can reach")


def _out_of_reach() -> Promise:
    return _("Outside the areas you said you can reach")


def place_findings(client: ClientProfile, program: ProgramProfile) -> Iterator[Finding]:
    """From the areas the client said they can reach, and nothing else: a client who named none
    is told nothing about place rather than a guess from their agency's town."""
    if program.region_id is None or not client.region_ids:
        return
    if program.region_id in client.region_ids:
        yield AREA_BONUS, _in_reach, ()
    else:
        yield -AREA_CONFLICT, _out_of_reach, ()


def _wanted_kind(engagement_type: str) -> Promise:
    from sheets.vocabulary import EngagementType

    return format_lazy(_("“{label}” is a kind you want"), label=_label(EngagementType, engagement_type))


def _unwanted_kind(engagement_type: str) -> Promise:
    from sheets.vocabulary import EngagementType

    return format_lazy(_("“{label}” is not a kind you asked for"), label=_label(EngagementType, engagement_type))


def _accommodation_offered(key: str) -> Promise:
    from sheets.vocabulary import Accommodation

    return format_lazy(_("The employer can offer “{label}”"), label=_label(Accommodation, key))


def _accommodation_missing(key: str) -> Promise:
    from sheets.vocabulary import Accommodation

    return format_lazy(_("“{label}” is not among the accommodations offered"), label=_label(Accommodation, key))


def _shared_interests(tags: frozenset[str]) -> Promise:
    from sheets.clients.models import InterestTag

    # Named and ordered in the reader's language, as the counselor reads them.
    labels = sorted(str(_label(InterestTag, tag)) for tag in tags)
    return format_lazy(_("Matches your interests: {tags}"), tags="・".join(labels))


def condition_findings(client: ClientProfile, program: ProgramProfile) -> Iterator[Finding]:
    yield from place_findings(client, program)
    if client.engagement_types and program.engagement_type:
        if program.engagement_type in client.engagement_types:
            yield TYPE_BONUS, _wanted_kind, (program.engagement_type,)
        else:
            yield -TYPE_CONFLICT, _unwanted_kind, (program.engagement_type,)
    for key in client.accommodations_in_order:
        if key in program.accommodations:
            yield ACCOMMODATION_BONUS, _accommodation_offered, (key,)
        else:
            yield -ACCOMMODATION_CONFLICT, _accommodation_missing, (key,)
    shared = client.interests & program.tags
    if shared:
        yield INTEREST_BONUS, _shared_interests, (shared,)


type Rule = Callable[[ClientProfile, ProgramProfile], Iterator[Finding]]

# Every rule, in the order its findings are said, with what it reads of a program. A prefecture's
# hundreds of programs share a few dozen areas, day lists and demand profiles, so a ranking works
# each rule out once for each distinct value of what it reads (rank_scores). The demand profile is
# a dict: it is told apart by identity, which a ranking's profiles share for equal demands
# (sheets/clients/ranking.py decodes each distinct text once); equal dicts of separate programs
# only miss the memo.
RULES: tuple[tuple[Rule, Callable[[ProgramProfile], object]], ...] = (
    (dimension_findings, lambda program: (id(program.demands), program.confirmable)),
    (confirm_findings, lambda program: program.confirmable),
    (availability_findings, lambda program: (program.days, program.start_time, program.end_time)),
    (
        condition_findings,
        lambda program: (
            program.region_id,
            program.engagement_type,
            program.accommodations,
            program.tags,
        ),
    ),
)


def findings(client: ClientProfile, program: ProgramProfile) -> list[Finding]:
    return [finding for rule, _reads in RULES for finding in rule(client, program)]


# --- Ranking ---------------------------------------------------------------------------------


def points_of(found: Iterable[Finding]) -> tuple[int, int]:
    """(score, number of conflicts) from findings' points; no words are built."""
    total = conflicts = 0
    for points, _say, _arguments in found:
        total += points
        conflicts += is_conflict(points)
    return total, conflicts


def match[K](client: ClientProfile, key: K, program: ProgramProfile) -> Match[K]:
    # The same words twice (two rules saying one thing) are one reason with both points.
    merged: dict[str, Reason] = {}
    for points, say, arguments in findings(client, program):
        text = say(*arguments)
        previous = merged.get(str(text))
        merged[str(text)] = Reason(text, points + (previous.points if previous else 0))
    reasons = list(merged.values())
    # Conflicts first: they are what a counselor must check before proposing; then the strongest.
    reasons.sort(key=lambda reason: (not reason.is_conflict, -abs(reason.points)))
    return Match(key=key, reasons=reasons)


def _best_first(points: int, conflicts: int) -> tuple[int, int]:
    """Higher score, then fewer conflicts; sorted() is stable, so equal ones keep their order."""
    return -points, conflicts


def rank[K](client: ClientProfile, programs: Iterable[tuple[K, ProgramProfile]]) -> list[Match[K]]:
    """Every program, best first, each with its reasons in words."""
    matches = [match(client, key, program) for key, program in programs]
    return sorted(matches, key=lambda m: _best_first(m.score, len(m.conflicts)))


def rank_scores[K](client: ClientProfile, programs: Iterable[tuple[K, ProgramProfile]]) -> list[Scored[K]]:
    """rank()'s order in numbers alone: for hundreds of programs of which a page is shown
    (match() then says why for that page)."""
    memos: list[dict[object, tuple[int, int]]] = [{} for _rule in RULES]  # per rule: what it read → points
    worked_out = []  # the programs memos were filled from: alive, so no id in a key is given to another
    scored = []
    for key, program in programs:
        total = conflicts = 0
        for (rule, reads), memo in zip(RULES, memos, strict=True):
            read = reads(program)
            known = memo.get(read)
            if known is None:
                known = memo[read] = points_of(rule(client, program))
                worked_out.append(program)
            total += known[0]
            conflicts += known[1]
        scored.append(Scored(key, total, conflicts))
    return sorted(scored, key=lambda s: _best_first(s.score, s.conflicts))
