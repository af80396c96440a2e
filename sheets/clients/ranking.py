"""From the database to the pure matching module (sheets/matching.py) and back: a
self-introduction becomes a ClientProfile, each visible published program a ProgramProfile.

A counselor's prefecture has hundreds of visible programs: every one is ranked, a page of them
is shown. So the ranking reads plain values (no model instances, no texts), and only the
programs a caller takes from it — the page — are loaded with employer and region and explained
in words.

Interest tags: programs have no tags of their own, so the six plain-language RIASEC interests
are derived from the employer's industry and the program's demand profile. Both sides keep the
InterestTag keys; the matching reason names them by their translated labels."""

import json
from collections.abc import Iterable, Sequence
from functools import cache

from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast

from registry.models import Industry
from sheets.clients.matching import ClientProfile, Match, ProgramProfile, Scored, match, rank_scores
from sheets.clients.models import InterestTag, SelfIntroduction
from sheets.programs.models import Program

INDUSTRY_INTERESTS = {
    Industry.A: {InterestTag.REALISTIC},
    Industry.B: {InterestTag.REALISTIC},
    Industry.D: {InterestTag.REALISTIC},
    Industry.E: {InterestTag.REALISTIC},
    Industry.H: {InterestTag.REALISTIC},
    Industry.G: {InterestTag.INVESTIGATIVE},
    Industry.L: {InterestTag.INVESTIGATIVE},
    Industry.I: {InterestTag.ENTERPRISING},
    Industry.M: {InterestTag.SOCIAL},
    Industry.N: {InterestTag.SOCIAL},
    Industry.O: {InterestTag.SOCIAL},
    Industry.P: {InterestTag.SOCIAL},
    Industry.J: {InterestTag.CONVENTIONAL},
    Industry.R: {InterestTag.CONVENTIONAL},
}
INTEREST_TAGS = frozenset(InterestTag.values)

# What the ranking reads of a program, in program_profile()'s order: the JSON columns come as
# text and each distinct text is decoded once a ranking (see _profiles).
JSON_FIELDS = ("demands", "confirmable", "accommodations", "days")
PLAIN_FIELDS = ("start_time", "end_time", "engagement_type", "employer__region_id", "employer__industry")
INDUSTRY = PLAIN_FIELDS.index("employer__industry")


def program_interests(industry: str, demands: dict[str, int]) -> set[str]:
    tags = set(INDUSTRY_INTERESTS.get(industry, set()))
    if demands.get("people", 0) >= 2:
        tags.add(InterestTag.SOCIAL)
    if demands.get("dexterity", 0) >= 2 or demands.get("stamina", 0) >= 2:
        tags.add(InterestTag.REALISTIC)
    if demands.get("accuracy", 0) >= 2 and demands.get("change", 0) <= 1:
        tags.add(InterestTag.CONVENTIONAL)
    return tags


def client_profile(introduction: SelfIntroduction) -> ClientProfile:
    return ClientProfile(
        confidence=dict(introduction.confidence or {}),
        want_to_confirm=frozenset(introduction.want_to_confirm),
        accommodations=frozenset(introduction.accommodations),
        days=frozenset(introduction.days),
        available_from=introduction.available_from,
        available_until=introduction.available_until,
        region_ids=frozenset(region.pk for region in introduction.regions.all()),
        engagement_types=frozenset(introduction.engagement_types),
        interests=frozenset(introduction.interest_tags) & INTEREST_TAGS,
    )


def program_profile(
    demands,
    confirmable,
    accommodations,
    days,
    start_time,
    end_time,
    engagement_type,
    region_id,
    industry,
    *,
    tags: frozenset[str] | None = None,
) -> ProgramProfile:
    """From the values of JSON_FIELDS (decoded) and PLAIN_FIELDS, in that order. `tags`: the
    interests, where the caller has already derived them from this industry and these demands."""
    demands = demands or {}
    return ProgramProfile(
        demands=demands,
        confirmable=frozenset(confirmable),  # a frozenset is kept as it is, not copied
        accommodations=frozenset(accommodations),
        days=frozenset(days),
        start_time=start_time,
        end_time=end_time,
        region_id=region_id,
        engagement_type=engagement_type,
        tags=frozenset(program_interests(industry, demands)) if tags is None else tags,
    )


class RankedPrograms(Sequence[Match[Program]]):
    """Every visible published program, best first, ranked in numbers (`scored`). Taking a slice
    — what Paginator does for a page — loads those programs and explains them, in one query."""

    def __init__(
        self,
        client: ClientProfile,
        profiles: dict[int, ProgramProfile],
        scored: list[Scored[int]],
        shown: QuerySet[Program],
    ) -> None:
        self.client = client
        self.profiles = profiles
        self.scored = scored
        self.shown = shown

    def __len__(self) -> int:
        return len(self.scored)

    def __getitem__(self, index: int | slice) -> Match[Program] | list[Match[Program]]:
        if isinstance(index, slice):
            return self.explain(self.scored[index])
        return self.explain([self.scored[index]])[0]

    def explain(self, scored: list[Scored[int]]) -> list[Match[Program]]:
        programs = self.shown.select_related("employer__region").in_bulk([s.key for s in scored])
        # From the very profiles the scores came from, so the reasons add up to the score shown.
        # A program deleted since the ranking is left out rather than failing the page.
        return [match(self.client, programs[s.key], self.profiles[s.key]) for s in scored if s.key in programs]


def _profiles(rows: Iterable[tuple]) -> dict[int, ProgramProfile]:
    """pk → profile from (pk, *JSON texts, *plain values). Hundreds of programs share a few day
    lists and sets of accommodations (their vocabularies are small) and many share a demand
    profile: each distinct text is decoded once, straight into what a profile holds, and the
    interests of an industry with a demand profile are derived once. Doing both for every row
    was two thirds of building the profiles."""
    # This ranking's own memos: what they return is shared between profiles, never changed.
    decode_demands = cache(lambda text: json.loads(text) or {})
    decode_set = cache(lambda text: frozenset(json.loads(text)))
    interests = cache(lambda industry, demands: frozenset(program_interests(industry, decode_demands(demands))))
    return {
        pk: program_profile(
            decode_demands(demands),
            decode_set(confirmable),
            decode_set(accommodations),
            decode_set(days),
            *plain,
            tags=interests(plain[INDUSTRY], demands),
        )
        for pk, demands, confirmable, accommodations, days, *plain in rows
    }


def ranked_programs(
    introduction: SelfIntroduction, user, *, page_annotations: dict | None = None, page_fields: tuple[str, ...] = ()
) -> RankedPrograms:
    """Every published program the user may see, best first; nothing is dropped. One query reads
    the values all are ranked by; the programs taken from the ranking (a page) are loaded through
    the same door, with `page_annotations` (the matching page adds whether each was proposed),
    and only `page_fields` of them where given (what a page shows)."""
    client = client_profile(introduction)
    visible = Program.objects.published_for(user)
    rows = (
        # Equal scores keep this order; the pk settles equal names and titles the same way every time.
        visible.order_by("employer__name_kana", "title", "pk").values_list(
            "pk", *(Cast(name, TextField()) for name in JSON_FIELDS), *PLAIN_FIELDS
        )
    )
    profiles = _profiles(rows)
    shown = visible.annotate(**(page_annotations or {}))
    if page_fields:
        shown = shown.only(*page_fields)
    return RankedPrograms(client, profiles, rank_scores(client, profiles.items()), shown)
