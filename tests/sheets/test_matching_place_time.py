"""Place and time in matching, from what the client said (docs/decisions.md, "Matching: place from
the client's own areas, time in proportion"):

- place comes from the areas the client can reach alone, never from their agency's town; a client
  who named none is told nothing about place;
- hours that only partly suit are a conflict the size of the part that does not suit, below any
  full fit and above no hour in common, and that part is named."""

import datetime
from datetime import time

import pytest
from django.utils import translation

from sheets.clients import matching
from sheets.clients.matching import ClientProfile, ProgramProfile, match, rank, rank_scores
from sheets.clients.ranking import ranked_programs
from tests.factories import EmployerFactory, RegionFactory
from tests.sheets.client_factories import ClientFactory, SelfIntroductionFactory
from tests.sheets.test_referrals import published


def texts(m) -> list[str]:
    with translation.override("ja"):
        return [str(r.text) for r in m.reasons]


def conflicts(m) -> list[str]:
    with translation.override("ja"):
        return [str(r.text) for r in m.conflicts]


# --- Place ------------------------------------------------------------------------------------


def test_a_program_in_an_area_the_client_can_reach_says_so():
    client = ClientProfile(region_ids=frozenset({1}))
    m = match(client, "p", ProgramProfile(region_id=1))
    assert texts(m) == ["通える地域にある"]
    assert m.score == matching.AREA_BONUS


def test_every_area_on_the_list_counts_and_one_outside_them_is_a_conflict():
    client = ClientProfile(region_ids=frozenset({1, 2}))
    ranked = rank(
        client,
        [
            ("outside", ProgramProfile(region_id=3)),
            ("second area", ProgramProfile(region_id=2)),
            ("first area", ProgramProfile(region_id=1)),
        ],
    )
    assert [m.key for m in ranked] == ["second area", "first area", "outside"]
    assert texts(ranked[0]) == texts(ranked[1]) == ["通える地域にある"]
    assert conflicts(ranked[2]) == ["通えると答えた地域の外"]


def test_nothing_is_said_of_place_when_the_client_named_no_area():
    client = ClientProfile()
    for region_id in (1, 2, None):
        m = match(client, "p", ProgramProfile(region_id=region_id))
        assert m.reasons == [] and m.score == 0


@pytest.mark.django_db
def test_the_agencys_town_is_not_taken_for_where_the_client_lives(world):
    """The walkers' finding: a program in the agency's town was 「住んでいる市町村にある」 for every
    client of the agency, whatever the client said."""
    published(world.employer_a, title="機関の町の体験")  # employer_a is in region_x, agency_a's town
    introduction = SelfIntroductionFactory(client=ClientFactory(agency=world.agency_a))

    (unknown,) = ranked_programs(introduction, world.counselor_a)[:1]
    assert not any("市町村" in text or "地域" in text for text in texts(unknown))

    elsewhere = RegionFactory(prefecture=world.region_x.prefecture, name="川西市")
    introduction.regions.set([elsewhere])
    (outside,) = ranked_programs(introduction, world.counselor_a)[:1]
    assert "通えると答えた地域の外" in conflicts(outside)
    assert "住んでいる市町村にある" not in texts(outside)

    published(EmployerFactory(owner=world.agency_a, region=elsewhere), title="通える町の体験")
    first = ranked_programs(introduction, world.counselor_a)[0]
    assert first.key.title == "通える町の体験" and "通える地域にある" in texts(first)


# --- Time -------------------------------------------------------------------------------------

TUE_THU_MORNING = ClientProfile(days=frozenset({"tue", "thu"}), available_from=time(9), available_until=time(12))


def program(days=("tue", "thu"), start=time(9, 30), end=time(12)) -> ProgramProfile:
    return ProgramProfile(days=frozenset(days), start_time=start, end_time=end)


def test_a_full_fit_names_the_days_and_the_part_of_the_day():
    m = match(TUE_THU_MORNING, "p", program(days=("mon", "tue", "thu", "fri")))
    assert texts(m) == ["火・木の午前に参加できる"]  # the days it runs that suit the client
    assert m.score == 2 * matching.AVAILABILITY_BONUS and not m.conflicts


def test_hours_across_noon_are_said_as_hours_and_afternoon_as_such():
    whole_day = ClientProfile(days=frozenset({"tue"}), available_from=time(8), available_until=time(17))
    assert texts(match(whole_day, "p", program(start=time(9), end=time(15)))) == ["火の9:00〜15:00に参加できる"]
    assert texts(match(whole_day, "p", program(start=time(13), end=time(16)))) == ["火の午後に参加できる"]


def test_hours_that_partly_suit_are_a_conflict_naming_the_part_that_does_not():
    m = match(TUE_THU_MORNING, "p", program(start=time(9), end=time(15)))
    assert conflicts(m) == ["一部の時間が合わない（火・木の12:00〜15:00）"]
    assert "火・木に参加できる" in texts(m)  # the days do suit
    # 3 of its 6 hours do not suit: half of a conflict with no hour in common.
    assert m.conflicts[0].points == -round(matching.AVAILABILITY_CONFLICT / 2)


def test_both_ends_outside_are_named_and_without_days_only_the_hours():
    client = ClientProfile(available_from=time(10), available_until=time(12))
    m = match(client, "p", ProgramProfile(start_time=time(9), end_time=time(15)))
    assert texts(m) == ["一部の時間が合わない（9:00〜10:00、12:00〜15:00）"]


def test_full_fit_then_partial_by_how_much_suits_then_no_overlap():
    ranked = rank(
        TUE_THU_MORNING,
        [
            ("no hour in common", program(start=time(13), end=time(16))),
            ("most does not suit", program(start=time(11), end=time(17))),
            ("little does not suit", program(start=time(9), end=time(12, 30))),
            ("no day in common", program(days=("mon",))),
            ("full fit", program()),
        ],
    )
    assert [m.key for m in ranked] == [
        "full fit",
        "little does not suit",
        "most does not suit",
        "no hour in common",
        "no day in common",
    ]
    assert not ranked[0].conflicts
    assert conflicts(ranked[3]) == ["時間帯（13:00〜16:00）が参加できる時間の外"]
    assert texts(ranked[3]) == conflicts(ranked[3])  # no day said to suit when no hour does
    assert conflicts(ranked[4]) == ["参加できる曜日が合わない"]
    full_fit_with_days_unsaid = match(TUE_THU_MORNING, "p", ProgramProfile(start_time=time(9), end_time=time(11)))
    assert texts(full_fit_with_days_unsaid) == ["参加できる時間帯に収まる"]
    assert all(m.score < full_fit_with_days_unsaid.score for m in ranked[1:])


def test_hours_that_only_touch_have_no_hour_in_common():
    m = match(TUE_THU_MORNING, "p", program(start=time(12), end=time(14)))
    assert [r.points for r in m.reasons] == [-matching.AVAILABILITY_CONFLICT]


def test_ranking_by_numbers_agrees_with_the_words_for_partial_hours():
    programs = [
        (n, program(days=days, start=start, end=end))
        for n, (days, (start, end)) in enumerate(
            (days, hours)
            for days in (("tue",), ("mon",), ("tue", "thu", "sat"))
            for hours in ((time(9), time(12)), (time(8), time(10)), (time(10), time(18)), (time(13), time(14)))
        )
    ]
    full = rank(TUE_THU_MORNING, programs)
    assert [(s.key, s.score, s.conflicts) for s in rank_scores(TUE_THU_MORNING, programs)] == [
        (m.key, m.score, len(m.conflicts)) for m in full
    ]


@pytest.mark.django_db
def test_a_clients_form_reads_as_its_hours_say(world):
    introduction = SelfIntroductionFactory(
        client=ClientFactory(agency=world.agency_a),
        days=["tue", "thu"],
        available_from=datetime.time(9),
        available_until=datetime.time(13),
    )
    published(world.employer_a, title="午後まで", days=["tue"], start_time=time(10), end_time=time(15))
    (m,) = ranked_programs(introduction, world.counselor_a)[:1]
    assert "一部の時間が合わない（火の13:00〜15:00）" in conflicts(m)
