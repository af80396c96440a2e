"""Matching with strengths (issue 20 item 5): strengths are reasons, light demands no longer
dominate, reasons merged, at most four plain reasons on a card and every conflict. Place and time:
tests/sheets/test_matching_place_time.py."""

from django.utils import translation

from sheets.clients.matching import MAX_PLAIN_REASONS, ClientProfile, ProgramProfile, match, rank

SEATED_FINE = ProgramProfile(demands={"dexterity": 2, "stamina": 0}, confirmable=frozenset({"dexterity"}))
STANDING_LIGHT = ProgramProfile(demands={"dexterity": 0, "stamina": 1, "people": 1, "pace": 0, "change": 0})


def texts(m) -> list[str]:
    with translation.override("ja"):
        return [str(r.text) for r in m.reasons]


def test_a_strength_the_program_asks_for_is_a_reason_and_ranks_first():
    client = ClientProfile(confidence={"dexterity": 3, "stamina": 0, "people": 0, "pace": 0, "change": 0})
    ranked = rank(client, [("standing", STANDING_LIGHT), ("seated", SEATED_FINE)])
    assert [m.key for m in ranked] == ["seated", "standing"]
    assert "得意な『手先の器用さ』を活かせる" in texts(ranked[0])


def test_light_demands_are_one_reason_with_capped_points():
    client = ClientProfile(confidence={"stamina": 0, "people": 0, "pace": 0, "change": 0})
    (reason,) = match(client, "p", STANDING_LIGHT).reasons
    with translation.override("ja"):
        assert str(reason.text) == "「作業ペース」「体力・持久力」「人と接する」「変化への対応」の負担が小さい"
    assert reason.points == 4


def test_wanting_to_confirm_stays_a_reason():
    client = ClientProfile(want_to_confirm=frozenset({"dexterity"}))
    assert any(
        "確認したい" in text or "確かめ" in text or "確認" in text for text in texts(match(client, "p", SEATED_FINE))
    )


def test_a_card_shows_at_most_four_plain_reasons_and_every_conflict():
    client = ClientProfile(
        confidence={"dexterity": 3, "accuracy": 3, "comprehension": 2, "stamina": 0, "pace": 0},
        want_to_confirm=frozenset({"accuracy", "teamwork"}),
        days=frozenset({"mon"}),
        accommodations=frozenset({"extra_breaks", "shorter_hours"}),
        region_ids=frozenset({1}),
    )
    program = ProgramProfile(
        demands={"dexterity": 2, "accuracy": 3, "comprehension": 2, "stamina": 0, "pace": 3},
        confirmable=frozenset({"accuracy", "teamwork"}),
        days=frozenset({"mon"}),
        accommodations=frozenset({"extra_breaks"}),
        region_id=1,
    )
    m = match(client, "p", program)
    assert len(m.all_advantages) > MAX_PLAIN_REASONS == len(m.advantages) == 4
    assert len(m.conflicts) == 2  # pace above confidence, shorter hours not offered
    assert m.score == sum(r.points for r in m.reasons)  # the score counts every reason
    assert m.advantages == sorted(m.all_advantages, key=lambda r: -r.points)[:4]


def test_the_same_words_twice_are_one_reason():
    client = ClientProfile(accommodations=frozenset({"extra_breaks"}))
    program = ProgramProfile(accommodations=frozenset({"extra_breaks"}))
    assert len(match(client, "p", program).reasons) == 1
