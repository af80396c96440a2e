"""Table-driven cases for the pure matching module."""

from datetime import time
from itertools import product

import pytest
from django.utils import translation

from sheets.clients import matching
from sheets.clients.matching import ClientProfile, ProgramProfile, match, rank, rank_scores
from sheets.dimensions import Dimension
from sheets.vocabulary import Accommodation, EngagementType

SEATED = {"stamina": 0, "dexterity": 2, "accuracy": 2}
STANDING_ALL_DAY = {"stamina": 3, "dexterity": 2, "accuracy": 2}


def texts(m) -> list[str]:
    with translation.override("ja"):
        return [str(r.text) for r in m.reasons]


@pytest.mark.parametrize("order", [["seated", "standing"], ["standing", "seated"]])
def test_client_who_cannot_stand_long_never_gets_standing_all_day_above_seated(order):
    client = ClientProfile(confidence={"stamina": 0, "dexterity": 2, "accuracy": 2})
    programs = {"seated": ProgramProfile(demands=SEATED), "standing": ProgramProfile(demands=STANDING_ALL_DAY)}
    ranked = rank(client, [(key, programs[key]) for key in order])
    assert [m.key for m in ranked] == ["seated", "standing"]
    assert ranked[1].conflicts and not ranked[0].conflicts


@pytest.mark.parametrize(
    ("confidence", "demand", "conflict"),
    [(0, 0, False), (0, 1, False), (0, 2, True), (1, 2, False), (1, 3, True), (2, 3, False), (None, 3, False)],
)
def test_demand_fits_up_to_one_level_above_confidence(confidence, demand, conflict):
    m = match(ClientProfile(confidence={"pace": confidence}), "p", ProgramProfile(demands={"pace": demand}))
    assert bool(m.conflicts) is conflict


def test_a_bigger_gap_ranks_lower():
    client = ClientProfile(confidence={"people": 0})
    ranked = rank(
        client, [("gap2", ProgramProfile(demands={"people": 3})), ("gap1", ProgramProfile(demands={"people": 2}))]
    )
    assert [m.key for m in ranked] == ["gap1", "gap2"]


def test_wanting_to_confirm_what_the_program_lets_you_confirm_ranks_higher_and_is_explained():
    client = ClientProfile(want_to_confirm=frozenset({"accuracy"}))
    ranked = rank(
        client,
        [("other", ProgramProfile(confirmable=frozenset({"pace"}))), ("fit", ProgramProfile(confirmable={"accuracy"}))],
    )
    assert ranked[0].key == "fit"
    with translation.override("ja"):
        expected = f"確認したい「{Dimension.ACCURACY.label}」をこの体験で確認できる"
    assert expected in texts(ranked[0])


def test_days_and_hours():
    client = ClientProfile(days=frozenset({"tue", "thu"}), available_from=time(9), available_until=time(12, 30))
    morning = ProgramProfile(days=frozenset({"tue", "thu", "fri"}), start_time=time(9, 30), end_time=time(11, 30))
    afternoon = ProgramProfile(days=frozenset({"mon"}), start_time=time(13), end_time=time(16))
    ranked = rank(client, [("afternoon", afternoon), ("morning", morning)])
    assert ranked[0].key == "morning"
    assert "火・木の午前に参加できる" in texts(ranked[0])
    assert texts(ranked[1]) == ["参加できる曜日が合わない"]  # no day in common: one conflict, its hours aside


def test_nothing_is_hidden_and_every_conflict_is_named():
    client = ClientProfile(
        confidence={"environment": 0},
        accommodations=frozenset({"quiet_place"}),
        engagement_types=frozenset({"experience"}),
        region_ids=frozenset({1}),
    )
    outdoor_job = ProgramProfile(demands={"environment": 3}, engagement_type="part_time", region_id=2)
    ranked = rank(client, [("outdoor", outdoor_job)])
    assert [m.key for m in ranked] == ["outdoor"]
    names = texts(ranked[0])
    assert len(ranked[0].conflicts) == 4
    with translation.override("ja"):
        labels = [str(Dimension.ENVIRONMENT.label), str(Accommodation.QUIET_PLACE.label)]
        labels.append(str(EngagementType.PART_TIME.label))
    for label in labels:
        assert any(label in t for t in names), label
    assert any("通える" in t for t in names)


def test_requested_accommodation_offered_counts_for_the_program():
    client = ClientProfile(accommodations=frozenset({"extra_breaks"}))
    ranked = rank(
        client,
        [("no", ProgramProfile()), ("yes", ProgramProfile(accommodations=frozenset({"extra_breaks"})))],
    )
    assert ranked[0].key == "yes"
    assert ranked[1].score < 0


def test_equal_programs_keep_their_order():
    client = ClientProfile()
    ranked = rank(client, [(n, ProgramProfile()) for n in ["a", "b", "c"]])
    assert [m.key for m in ranked] == ["a", "b", "c"]


def test_shared_interests_are_named_in_the_readers_language():
    client = ClientProfile(interests=frozenset({"realistic", "social", "artistic"}))
    m = match(client, "p", ProgramProfile(tags=frozenset({"social", "realistic", "conventional"})))
    assert m.score == matching.INTEREST_BONUS
    assert texts(m) == ["興味に合う: ものづくり・からだを動かす・人の役に立つ"]


# --- Ranking by numbers first: rank()'s order and scores without building the words ------------

CLIENTS = {
    "nothing said": ClientProfile(),
    "everything said": ClientProfile(
        confidence={"stamina": 0, "people": 1, "accuracy": 2, "pace": None},
        want_to_confirm=frozenset({"accuracy", "pace"}),
        accommodations=frozenset({"extra_breaks", "quiet_place"}),
        days=frozenset({"tue", "thu"}),
        available_from=time(9),
        available_until=time(12, 30),
        region_ids=frozenset({1}),
        engagement_types=frozenset({"experience"}),
        interests=frozenset({"realistic", "social"}),
    ),
}


def varied_programs() -> list[tuple[int, ProgramProfile]]:
    """Every combination of a fit, a conflict and nothing said on each rule: many equal scores
    (the order among them must be kept) and many different ones."""
    combinations = product(
        [{}, SEATED, STANDING_ALL_DAY, {"people": 3, "pace": 0}],
        [frozenset(), frozenset({"accuracy", "pace"})],
        [frozenset(), frozenset({"tue"}), frozenset({"mon", "sat"})],
        [(None, None), (time(9, 30), time(11, 30)), (time(13), time(17))],
        [frozenset(), frozenset({"extra_breaks"}), frozenset({"extra_breaks", "quiet_place"})],
        [(None, ""), (1, "experience"), (2, "part_time")],
        [frozenset(), frozenset({"realistic"})],
    )
    return [
        (
            key,
            ProgramProfile(
                demands=demands,
                confirmable=confirmable,
                days=days,
                start_time=start,
                end_time=end,
                accommodations=accommodations,
                region_id=region_id,
                engagement_type=kind,
                tags=tags,
            ),
        )
        for key, (demands, confirmable, days, (start, end), accommodations, (region_id, kind), tags) in enumerate(
            combinations
        )
    ]


@pytest.mark.parametrize("client", CLIENTS.values(), ids=CLIENTS.keys())
def test_ranking_by_numbers_gives_the_order_scores_and_conflicts_of_every_match(client):
    programs = varied_programs()
    full = rank(client, programs)
    by_numbers = rank_scores(client, programs)
    assert [(s.key, s.score, s.conflicts) for s in by_numbers] == [(m.key, m.score, len(m.conflicts)) for m in full]
    # A page explained afterwards says exactly what the full ranking says about it.
    profiles = dict(programs)
    page = [match(client, s.key, profiles[s.key]) for s in by_numbers[25:50]]
    assert [(m.key, texts(m), [r.points for r in m.reasons]) for m in page] == [
        (m.key, texts(m), [r.points for r in m.reasons]) for m in full[25:50]
    ]


def test_the_varied_programs_rank_apart_and_tie():
    full = rank(CLIENTS["everything said"], varied_programs())
    scores = [m.score for m in full]
    assert len(set(scores)) > 20 and len(set(scores)) < len(scores)
    assert full[0].advantages and not full[0].conflicts and full[-1].conflicts


def test_ranking_by_numbers_builds_no_words(monkeypatch):
    def no_words(*args, **kwargs):
        raise AssertionError("words were built while ranking by numbers")

    monkeypatch.setattr(matching, "format_lazy", no_words)
    monkeypatch.setattr(matching, "_", no_words)
    client = CLIENTS["everything said"]
    assert len(rank_scores(client, varied_programs())) == len(varied_programs())
    with pytest.raises(AssertionError, match="words were built"):
        match(client, "the words are patched out", ProgramProfile(demands=STANDING_ALL_DAY))


def test_ranking_by_numbers_tells_apart_demand_profiles_made_one_after_another():
    """rank_scores() works each rule out once per distinct demand profile, telling dicts apart by
    identity: profiles made and dropped one at a time (a generator) must not be mistaken for an
    earlier one whose memory was given to them."""
    client = CLIENTS["everything said"]

    def fresh_profiles():
        for key in range(400):
            yield key, ProgramProfile(demands={"stamina": key % 4, "people": key // 4 % 4})

    assert [(s.key, s.score, s.conflicts) for s in rank_scores(client, fresh_profiles())] == [
        (m.key, m.score, len(m.conflicts)) for m in rank(client, fresh_profiles())
    ]
