"""PostgreSQL only: a counselor's 2-character keyword search over 20,000 programs reads the
programs they may see through the owner index and the matches through the GIN index on the
bigram array (migration sheets/0005), not every program by a sequential scan.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/shigoto_search .venv/bin/pytest tests/sheets --create-db"""

import random
import uuid

import pytest
from django.db import connection

from sheets.programs.models import Program, ProgramStatus, SharingScope
from sheets.programs.search_fields import search_values
from sheets.search.conditions import keywords_condition
from sheets.textsearch import keywords
from sheets.vocabulary import EngagementType
from tests.factories import AgencyFactory, EmployerFactory

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")

GIN_INDEX = "sheets_program_search_bigrams_gin"
TASKS = [
    "部品の袋詰め",
    "ねぎの出荷調整",
    "館内の清掃",
    "段ボールの組み立て",
    "封入作業",
    "ラベル貼り",
    "商品の陳列",
    "洗い場の補助",
    "苗のポット上げ",
    "シール貼り",
    "古紙の仕分け",
    "花壇の水やり",
]
PLACES = ["伊丹市中央", "川西市栄町", "宝塚市小林", "尼崎市塚口", "玖珠町帆足"]
RARE_WORD = "検品"  # in 1 program of 100: selective enough for the index to pay


def _programs(employers, count: int) -> list[Program]:
    rng = random.Random(4)  # noqa: S311 (repeatable test data, not a secret)
    programs = []
    for i in range(count):
        employer = employers[i % len(employers)]
        tasks = rng.sample(TASKS, 3) + ([f"部品の{RARE_WORD}"] if i % 100 == 0 else [])
        program = Program(
            uuid=uuid.uuid4(),
            employer=employer,
            owner_id=employer.owner_id,
            title=f"{tasks[0]}の体験（{i}）",
            engagement_type=EngagementType.EXPERIENCE,
            what_you_do="\n".join(f"・{task}" for task in tasks),
            meeting_point=f"{rng.choice(PLACES)}の正門",
            status=ProgramStatus.PUBLISHED,
            sharing_scope=SharingScope.REGION,
        )
        for name, value in search_values(program, rows=[]).items():
            setattr(program, name, value)
        programs.append(program)
    return programs


@pytest.mark.django_db
def test_a_counselors_two_character_keyword_search_over_20000_programs_reads_through_the_indexes(world):
    # As in a registry of many agencies: most programs belong to agencies the counselor's
    # agency does not see (another prefecture), one employer in twenty to a neighbour agency.
    others = [AgencyFactory(region=world.region_y, name=f"機関{i}") for i in range(95)]
    employers = [
        EmployerFactory(owner=world.agency_a if i % 20 == 0 else others[i % 95], name=f"テスト紙工{i}")
        for i in range(200)
    ]
    Program.objects.bulk_create(_programs(employers, 20_000), batch_size=2_000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE sheets_program")
    assert Program.objects.filter(keywords_condition(keywords(RARE_WORD))).count() == 200
    visible = Program.objects.for_user(world.counselor_b).filter(keywords_condition(keywords("清掃 検品")))
    plan = visible.explain()
    assert "Seq Scan on sheets_program" not in plan, plan
    assert GIN_INDEX in plan or "owner" in plan, plan
    expected = [
        p for p in Program.objects.filter(owner=world.agency_a) if "清掃" in p.search_text and "検品" in p.search_text
    ]
    assert expected
    assert visible.count() == len(expected)


def _search_sql(user, query: str) -> tuple[str, list[int]]:
    from django.http import QueryDict
    from django.test import RequestFactory

    from sheets.search.filters import ProgramSearch

    request = RequestFactory().get("/programs/")
    request.user = user
    search = ProgramSearch(QueryDict(query), queryset=Program.objects.for_user(user), request=request)
    return str(search.qs.query), list(search.qs.values_list("pk", flat=True))


@pytest.mark.django_db
def test_only_a_search_over_the_whole_registry_asks_the_bigram_indexes_and_both_ways_find_the_same(world):
    # An agency's reader sees its reach, which the owner index finds; the platform admin sees
    # every program, which only the bigram indexes narrow (sheets/search/conditions.py).
    employer = EmployerFactory(owner=world.agency_b, name="テスト紙工")
    Program.objects.bulk_create(_programs([employer], 40), batch_size=40)
    counselor_sql, counselor_found = _search_sql(world.counselor_b, "q=清掃")
    admin_sql, admin_found = _search_sql(world.platform_admin, "q=清掃")
    assert "string_to_array" not in counselor_sql
    assert "string_to_array" in admin_sql
    expected = {p.pk for p in Program.objects.filter(employer=employer) if "清掃" in p.search_text}
    assert expected
    assert set(counselor_found) == expected
    assert expected <= set(admin_found)
