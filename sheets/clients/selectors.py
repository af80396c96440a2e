"""Reads of clients and referrals worth naming: the follow-ups due, and figures that cross
agency lines, made safe to show.

`program_outcome_counts`: what became of the referrals to a program, from EVERY agency's
referrals (so regions can see whether sheets reduce early turnover) but as numbers only,
each one suppressed below 3 (registry/smallcounts.py, the one rule) so that nobody can be
identified from them.
Referrals of clients erased on request live on only as numbers (ErasedOutcomeCount), added in
here: erasing a client does not change what a program shows."""

from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.smallcounts import SUPPRESSED as SUPPRESSED  # named here by older tests
from registry.smallcounts import safe
from sheets.clients.models import (
    FOLLOW_UPS,
    ClientQuerySet,
    ErasedOutcomeCount,
    Outcome,
    Referral,
    ReferralStatus,
    SelfIntroduction,
)
from sheets.dimensions import DIMENSIONS
from sheets.textsearch import keywords, normalise


@dataclass(frozen=True)
class OutcomeCount:
    label: object
    value: int

    @property
    def shown(self):
        """The number, or "fewer than 3" (0 included: a zero beside a small total identifies too)."""
        return safe(self.value).shown

    @property
    def suppressed(self) -> bool:
        return safe(self.value).suppressed


COUNTS = {
    "referrals": (_("Referrals"), Q()),
    "completed": (_("Completed"), Q(status=ReferralStatus.DONE)),
    "hired": (_("Hired"), Q(outcome=Outcome.HIRED)),
    "working_6m": (_("Still working after 6 months"), Q(outcome=Outcome.HIRED, working_6m=True)),
}


def _tally_rows(referrals):
    """One row per program with a number per COUNTS key, over a queryset of referrals."""
    counts = {key: Count("pk", filter=condition) for key, (_label, condition) in COUNTS.items()}
    return referrals.order_by().values("program_id").annotate(**counts)


def referral_tallies(referrals) -> dict[int, dict[str, int]]:
    """{program id: {key: number}} over a queryset of referrals, counted by COUNTS — the one
    place that says what each count means (used for the pages and to keep erased clients' counts)."""
    return {row["program_id"]: {key: row[key] for key in COUNTS} for row in _tally_rows(referrals)}


def _kept_rows(program_ids):
    """The numbers kept from erased clients, in the same columns as _tally_rows."""
    kept = ErasedOutcomeCount.objects.filter(program_id__in=program_ids).order_by().values("program_id")
    return kept.annotate(**{key: Coalesce(Sum("value", filter=Q(key=key)), 0) for key in COUNTS})


def outcome_counts(program_ids) -> dict[int, dict[str, OutcomeCount]]:
    """{program id: {key: OutcomeCount}} for many programs in one query (no N+1 on lists): the
    referrals on record and, in the same answer, the numbers kept from erased clients."""
    program_ids = list(program_ids)
    found: dict[int, dict[str, int]] = {}
    on_record = _tally_rows(Referral.objects.filter(program_id__in=program_ids))
    for row in on_record.union(_kept_rows(program_ids), all=True).order_by():  # not the referrals' order
        tally = found.setdefault(row["program_id"], dict.fromkeys(COUNTS, 0))
        for key in COUNTS:
            tally[key] += row[key]
    return {
        program_id: {
            key: OutcomeCount(label, found.get(program_id, {}).get(key, 0)) for key, (label, _c) in COUNTS.items()
        }
        for program_id in program_ids
    }


def program_outcome_counts(program) -> dict[str, OutcomeCount]:
    """The four counts of one program: referrals, completed, hired, still working at 6 months."""
    return outcome_counts([program.pk])[program.pk]


def followups_due(user, *, today=None, limit: int = 10) -> list[dict]:
    """Hires of the acting agency's clients whose 1/3/6-month check is due and not recorded,
    earliest hire first, each with how many days late its check is (0: due today)."""
    today = today or timezone.localdate()
    hires = (
        Referral.objects.for_user(user)
        .filter(outcome=Outcome.HIRED, hired_on__isnull=False)
        .filter(Q(working_1m__isnull=True) | Q(working_3m__isnull=True) | Q(working_6m__isnull=True))
        .exclude(Q(working_1m=False) | Q(working_3m=False))
        .select_related("client", "program")
        # What the dashboard's list shows and follow_ups() reads: every page opens with it, and
        # whole rows of referrals, clients and programs took most of its time.
        .only("uuid", "outcome", "hired_on", *(name for name, _months in FOLLOW_UPS), "client__code", "program__title")
        .order_by("hired_on")
    )
    due = []
    for referral in hires:
        for check in referral.follow_ups():
            if check["value"] is None and check["due"] <= today:
                url = reverse("referral_detail", args=[referral.uuid])
                due.append({"referral": referral, **check, "url": url, "days_late": (today - check["due"]).days})
                break
    return due[:limit]


def upcoming_experiences(user, *, today=None, limit: int = 10) -> list[Referral]:
    """The acting agency's scheduled referrals that have not ended yet, soonest first: who goes
    where, and when (the home page shows them beside the follow-ups)."""
    today = today or timezone.localdate()
    return list(
        Referral.objects.for_user(user)
        .filter(status=ReferralStatus.SCHEDULED, starts_on__isnull=False)
        .filter(Q(ends_on__gte=today) | Q(ends_on__isnull=True, starts_on__gte=today))
        .select_related("client", "program__employer")
        .only("uuid", "starts_on", "ends_on", "client__code", "program__title", "program__employer__name")
        .order_by("starts_on", "pk")[:limit]
    )


def upcoming_section(request: HttpRequest) -> dict | None:
    """The home page's upcoming experiences (registry.extensions.HOME)."""
    upcoming = upcoming_experiences(request.user)
    return {"upcoming": upcoming, "today": timezone.localdate()} if upcoming else None


def followups_section(request: HttpRequest) -> dict | None:
    """The home page's follow-ups due (registry.extensions.HOME)."""
    due = followups_due(request.user)
    return {"due": due} if due else None


def clients_matching(clients: ClientQuerySet, query: str) -> ClientQuerySet:
    """The clients whose code or name holds every word of the query, written as the program
    search reads words (sheets.textsearch.normalise): full- or half-width, hiragana or katakana
    alike (ユウヒ finds ゆうひ, ００４６ finds 0046). Matched here, over the code and name of the
    clients the user may see (`clients`: one agency's, a few hundred): the same on SQLite and
    PostgreSQL, with no stored search column to keep in step with every rename."""
    words = keywords(query)
    if not words:
        return clients
    found = [
        pk
        for pk, code, name in clients.values_list("pk", "code", "preferred_name")
        if all(word in normalise(f"{code} {name}") for word in words)
    ]
    return clients.filter(pk__in=found)


def introduction_dimensions(introduction: SelfIntroduction) -> list[dict]:
    """The ten dimensions of a self-introduction as the form and its print show them."""
    confidence = introduction.confidence or {}
    return [
        {
            "label": info.label,
            "confidence": confidence.get(info.key),
            "confirm": info.key in introduction.want_to_confirm,
            "accommodation": info.key in introduction.wants_accommodation,
        }
        for info in DIMENSIONS
    ]
