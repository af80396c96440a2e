"""From the database to the pure matching module (sheets/matching.py) and back: a
self-introduction becomes a ClientProfile, each visible published program a ProgramProfile.

Interest tags: programs have no tags of their own, so the six plain-language RIASEC interests
are derived from the employer's industry and the program's demand profile. Both sides use the
translated labels, so the matching reason names them in the reader's language."""

from registry.models import Industry
from sheets.clients import InterestTag, SelfIntroduction
from sheets.matching import ClientProfile, Match, ProgramProfile, rank
from sheets.models import Program

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


def program_interests(program: Program) -> set[str]:
    tags = set(INDUSTRY_INTERESTS.get(program.employer.industry, set()))
    demands = program.demands or {}
    if demands.get("people", 0) >= 2:
        tags.add(InterestTag.SOCIAL)
    if demands.get("dexterity", 0) >= 2 or demands.get("stamina", 0) >= 2:
        tags.add(InterestTag.REALISTIC)
    if demands.get("accuracy", 0) >= 2 and demands.get("change", 0) <= 1:
        tags.add(InterestTag.CONVENTIONAL)
    return tags


def _labels(keys) -> frozenset[str]:
    return frozenset(str(InterestTag(key).label) for key in keys if key in InterestTag.values)


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
        interests=_labels(introduction.interest_tags),
    )


def program_profile(program: Program) -> ProgramProfile:
    return ProgramProfile(
        demands=dict(program.demands or {}),
        confirmable=frozenset(program.confirmable),
        accommodations=frozenset(program.accommodations),
        days=frozenset(program.days),
        start_time=program.start_time,
        end_time=program.end_time,
        region_id=program.employer.region_id,
        engagement_type=program.engagement_type,
        tags=_labels(program_interests(program)),
    )


def ranked_programs(introduction: SelfIntroduction, user) -> list[Match[Program]]:
    """Every published program the user may see, best first, each with its reasons.
    One query for the programs (employer and region joined); nothing is dropped."""
    programs = (
        Program.objects.for_user(user)
        .published()
        .select_related("employer__region")
        .order_by("employer__name_kana", "title")
    )
    return rank(client_profile(introduction), ((program, program_profile(program)) for program in programs))
