"""The matching judged against a labelled set (issue 20 item 6): 22 client profiles written from
the seed report's cases, each with the programs a counselor would put first
(tests/data/matching/cases.json), among 66 programs frozen from the demo sheets
(tests/data/matching/programs.json). The test reports hit@3 and nDCG@5 and fails below the level
the ranking reached (docs/matching-evaluation.md): a change to the rules that makes the
suggestions worse for these clients is caught, one that makes them better raises the floor.

Run with `-s` to see the figures and each case's top five."""

import json
import math
from pathlib import Path

import pytest
from django.utils import translation

from sheets.clients.matching import ClientProfile, ProgramProfile, match, rank_scores
from sheets.clients.ranking import program_interests
from sheets.dimensions import KEYS

DATA = Path(__file__).parent.parent / "data" / "matching"
# The level reached (docs/matching-evaluation.md); raise it when the ranking gets better.
HIT_AT_3_FLOOR = 0.81  # reached: 18 of 22 = 0.818 (the rules before issue 20: 0.682)
NDCG_AT_5_FLOOR = 0.61  # reached: 0.622 (before: 0.500)
FIRST, GOOD = 2, 1  # graded relevance


def _ratings(code: str) -> dict[str, int | None]:
    return {key: (None if ch == "-" else int(ch)) for key, ch in zip(KEYS, code, strict=True)}


@pytest.fixture(scope="module")
def catalogue():
    data = json.loads((DATA / "programs.json").read_text(encoding="utf-8"))
    region_ids = {name: number for number, name in enumerate(sorted(data["regions"]), start=1)}
    programs = {}
    for program in data["programs"]:
        demands = {k: v for k, v in _ratings(program["demands"]).items() if v is not None}
        programs[program["key"]] = ProgramProfile(
            demands=demands,
            confirmable=frozenset(program["confirmable"]),
            days=frozenset(program["days"]),
            region_id=region_ids[program["region"]],
            engagement_type="experience",
            tags=frozenset(program_interests(program["industry"], demands)),
        )
    return programs, region_ids


def _cases() -> list[dict]:
    return json.loads((DATA / "cases.json").read_text(encoding="utf-8"))["cases"]


def client_of(case: dict, region_ids: dict) -> ClientProfile:
    """The counselor ticks the client's own municipality among the areas they can reach (the form
    asks so): matching knows no other place of the client."""
    return ClientProfile(
        confidence=_ratings(case["confidence"]),
        want_to_confirm=frozenset(case["want_to_confirm"]),
        region_ids=frozenset(region_ids[name] for name in [case["home"], *case["can_reach"]]),
    )


def ranked(case, catalogue) -> list[str]:
    programs, region_ids = catalogue
    return [s.key for s in rank_scores(client_of(case, region_ids), programs.items())]


def relevance(case: dict) -> dict[str, int]:
    return {key: FIRST for key in case["first"]} | {key: GOOD for key in case["also_good"]}


def hit_at(k: int, order: list[str], case: dict) -> float:
    return 1.0 if set(order[:k]) & set(case["first"]) else 0.0


def ndcg_at(k: int, order: list[str], case: dict) -> float:
    grades = relevance(case)
    dcg = sum((2 ** grades.get(key, 0) - 1) / math.log2(i + 2) for i, key in enumerate(order[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2**grade - 1) / math.log2(i + 2) for i, grade in enumerate(ideal))
    return dcg / idcg


def evaluate(catalogue) -> tuple[float, float, list[tuple]]:
    rows = []
    for case in _cases():
        order = ranked(case, catalogue)
        rows.append((case["id"], hit_at(3, order, case), ndcg_at(5, order, case), order[:5]))
    hit3 = sum(row[1] for row in rows) / len(rows)
    ndcg5 = sum(row[2] for row in rows) / len(rows)
    return hit3, ndcg5, rows


def test_the_labelled_set_is_well_formed(catalogue):
    programs, region_ids = catalogue
    cases = _cases()
    assert len(cases) >= 20
    assert len({case["id"] for case in cases}) == len(cases)
    for case in cases:
        assert case["first"], case["id"]
        assert set(case["first"]).isdisjoint(case["also_good"]), case["id"]
        for key in case["first"] + case["also_good"]:
            assert key in programs, (case["id"], key)
        assert case["home"] in region_ids and set(case["can_reach"]) <= set(region_ids)
        assert set(case["want_to_confirm"]) <= set(KEYS)


def test_hit_at_3_and_ndcg_at_5_hold_the_level_reached(catalogue):
    hit3, ndcg5, rows = evaluate(catalogue)
    print(f"\nmatching on {len(rows)} labelled cases: hit@3 = {hit3:.3f}, nDCG@5 = {ndcg5:.3f}")
    for case_id, hit, ndcg, top in rows:
        print(f"  {case_id:28} hit@3={hit:.0f} nDCG@5={ndcg:.3f}  " + " / ".join(k.split("|")[1] for k in top))
    assert hit3 >= HIT_AT_3_FLOOR
    assert ndcg5 >= NDCG_AT_5_FLOOR


def test_the_demo_case_puts_seated_fine_work_first(catalogue):
    """器用さ 3, 体力 0 (the issue's case): 部品の袋詰め comes before 返却本の配架, a seated fine-work
    program is first, and her strength is a reason."""
    (case,) = [case for case in _cases() if case["id"] == "demo-dexterity"]
    order = ranked(case, catalogue)
    assert order[0] in case["first"]
    assert order.index("伊丹内職センター協同組合|部品の袋詰め") < order.index("伊丹市立図書館ことば蔵|返却本の配架")
    programs, region_ids = catalogue
    client = client_of(case, region_ids)
    with translation.override("ja"):
        reasons = [str(r.text) for r in match(client, order[0], programs[order[0]]).advantages]
    assert any("手先の器用さ" in reason and "得意" in reason for reason in reasons), reasons
