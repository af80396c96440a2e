"""Program search: normalisation through the page, 2-character words, every facet, sorting,
visibility (another agency's drafts never appear, not even in facets or counts), htmx
fragment vs full page, saved searches, the refresh hooks, and a constant query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from registry.models import Industry
from registry.services import employer_update
from sheets.breakdowns import services as breakdown_services
from sheets.programs import services
from sheets.programs.models import Program, ProgramStatus, SharingScope
from sheets.programs.search_fields import search_values
from sheets.search.models import SavedSearch
from tests.factories import EmployerFactory, RegionFactory
from tests.sheets.factories import TaskBreakdownFactory, TaskRowFactory
from tests.sheets.search_factories import SearchableProgramFactory

URL = reverse("program_list")


def published(**kwargs):
    kwargs.setdefault("status", ProgramStatus.PUBLISHED)
    kwargs.setdefault("sharing_scope", SharingScope.REGION)
    return SearchableProgramFactory(**kwargs)


def titles(response) -> list[str]:
    return [card["program"].title for card in response.context["cards"]]


def search(client, **params) -> list[str]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return titles(response)


@pytest.fixture
def counselor_a(world, login):
    return login(world.counselor_a)


# --- Keywords -------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["ｹﾝﾋﾟﾝ", "けんぴん", "ケンピン", "ケンピン"])
def test_half_width_katakana_hiragana_and_katakana_find_the_same_programs(world, counselor_a, query):
    published(employer=world.employer_a, title="ケンピンの体験")
    published(employer=world.employer_a, title="けんぴん作業")
    published(employer=world.employer_a, title="清掃の体験")
    assert sorted(search(counselor_a, q=query)) == ["けんぴん作業", "ケンピンの体験"]


def test_full_width_latin_and_digits_are_folded(world, counselor_a):
    published(employer=world.employer_a, title="ＰＣ入力（Ａ４）の体験")
    assert search(counselor_a, q="pc a4") == ["ＰＣ入力（Ａ４）の体験"]


@pytest.mark.parametrize("word", ["検品", "清掃"])
def test_two_character_words_are_found(world, counselor_a, word):
    published(employer=world.employer_a, title="部品の検品", what_you_do="")
    published(employer=world.employer_a, title="館内の清掃", what_you_do="")
    published(employer=world.employer_a, title="ねぎの出荷調整", what_you_do="")
    found = search(counselor_a, q=word)
    assert len(found) == 1 and word in found[0]


def test_every_word_must_match_and_text_beyond_the_title_counts(world, counselor_a):
    employer = EmployerFactory(owner=world.agency_a, name="いたみ農園", name_kana="イタミノウエン")
    published(employer=employer, title="収穫の体験", what_you_do="ねぎを抜いて束ねます", meeting_point="JR伊丹駅")
    published(employer=world.employer_a, title="袋詰め", what_you_do="ねぎは扱いません")
    assert search(counselor_a, q="ねぎ いたみのうえん") == ["収穫の体験"]
    assert search(counselor_a, q="伊丹駅") == ["収穫の体験"]
    assert search(counselor_a, q="ねぎ　束ね") == ["収穫の体験"]  # full-width space splits words


def test_task_text_of_the_rows_is_searched(world, counselor_a):
    row = TaskRowFactory(breakdown=TaskBreakdownFactory(employer=world.employer_a), task="封入とラベル貼り")
    published(employer=world.employer_a, title="軽作業の体験", rows=[row])
    assert search(counselor_a, q="ラベル貼り") == ["軽作業の体験"]


def test_like_wildcards_in_a_keyword_are_literal(world, counselor_a):
    published(employer=world.employer_a, title="袋詰め")
    assert search(counselor_a, q="%") == []
    assert search(counselor_a, q="_") == []


@pytest.mark.parametrize(
    ("keyword", "found", "not_found"),
    [
        ("a.c", "a.c検品", "abc検品"),  # a regular expression's "any character"
        ("(a)", "(a)ひかり", "aひかり"),  # parentheses: a group
        ("c++", "c++入力", "cc入力"),  # a repeat sign
        ("1|2", "1|2交代", "1交代"),  # an alternative
        ("$5^", "$5^値札", "5値札"),  # anchors
        ("[a]", "[a]区分", "a区分"),  # a bracket expression
        ("\\d", "\\d印字", "5印字"),  # a backslash escape (a digit)
    ],
)
def test_signs_in_a_keyword_are_literal(world, counselor_a, keyword, found, not_found):
    """On PostgreSQL the forms are matched by one regular expression per column: every sign of
    the keyword must mean itself there."""
    published(employer=world.employer_a, title=found)
    published(employer=world.employer_a, title=not_found)
    assert search(counselor_a, q=keyword) == [found]


# --- Refresh hooks ----------------------------------------------------------------------------


def test_services_keep_the_search_fields_current(world):
    breakdown = breakdown_services.breakdown_create(
        employer=world.employer_a, by=world.coordinator_a, visited_on=datetime.date(2026, 11, 1), visitors="伊藤"
    )
    row = breakdown_services.row_add(
        breakdown=breakdown, by=world.coordinator_a, duty="内職", task="部品の袋詰め", place="outdoor"
    )
    program = breakdown_services.program_create_from_rows(
        employer=world.employer_a, rows=[row], by=world.coordinator_a, title="袋詰め体験", engagement_type="experience"
    )
    program.refresh_from_db()
    assert "部品の袋詰め" in program.search_text and " place:outdoor " in program.search_facets

    program = services.program_update(
        program=program, by=world.coordinator_a, version=program.version, title="検品体験"
    )
    program.refresh_from_db()
    assert program.search_text.startswith("検品体験\n")

    revisions = program.history.count()
    breakdown_services.row_update(row=row, by=world.coordinator_a, task="シール貼り", place="indoor")
    program.refresh_from_db()
    assert "しーる貼り" in program.search_text and " place:indoor " in program.search_facets

    employer = world.employer_a
    employer_update(employer=employer, by=world.coordinator_a, version=employer.version, name="緑紙工株式会社")
    program.refresh_from_db()
    assert "緑紙工株式会社" in program.search_text
    assert program.history.count() == revisions  # a refresh is not a new revision


def test_search_values_put_the_normalised_title_first(world):
    program = SearchableProgramFactory.build(employer=world.employer_a, title="ピッキング")
    program.save()
    values = search_values(program)
    assert values["search_text"].split("\n")[0] == "ぴっきんぐ"
    assert "ぴっ" in values["search_bigrams"].split(" ")


# --- Facets ---------------------------------------------------------------------------------


def test_region_and_prefecture_facets(world, counselor_a):
    elsewhere = RegionFactory(prefecture=world.region_x.prefecture, name="川西市")
    far_employer = EmployerFactory(owner=world.agency_a, region=elsewhere, name="川西の農園")
    published(employer=far_employer, title="川西の収穫")
    published(employer=world.employer_a, title="伊丹の袋詰め")
    assert search(counselor_a, region=str(elsewhere.uuid)) == ["川西の収穫"]
    assert sorted(search(counselor_a, prefecture=world.region_x.prefecture.code)) == ["伊丹の袋詰め", "川西の収穫"]
    # Not a choice (no visible program there): ignored, and said so next to the field.
    response = counselor_a.get(URL, {"prefecture": world.region_y.prefecture.code})
    assert len(titles(response)) == 2 and "prefecture" in response.context["filter"].form.errors


def test_engagement_paid_supporter_and_industry_facets(world, counselor_a):
    farm = EmployerFactory(owner=world.agency_a, industry=Industry.A, name="農園")
    published(employer=world.employer_a, title="見学", engagement_type="visit", supporter_may_accompany=False)
    published(employer=farm, title="アルバイト", engagement_type="part_time", is_paid=True)
    assert search(counselor_a, engagement_type="visit") == ["見学"]
    assert sorted(search(counselor_a, engagement_type=["visit", "part_time"])) == ["アルバイト", "見学"]
    assert search(counselor_a, paid="yes") == ["アルバイト"]
    assert search(counselor_a, paid="no") == ["見学"]
    assert search(counselor_a, supporter_may_accompany="no") == ["見学"]
    assert search(counselor_a, industry="A") == ["アルバイト"]


def test_days_time_of_day_and_hours_facets(world, counselor_a):
    t = datetime.time
    published(employer=world.employer_a, title="朝", days=["mon", "wed"], start_time=t(9), end_time=t(11))
    published(employer=world.employer_a, title="昼", days=["tue"], start_time=t(13), end_time=t(16))
    published(employer=world.employer_a, title="終日", days=["sat"], start_time=t(9), end_time=t(18))
    assert search(counselor_a, days="mon") == ["朝"]
    assert sorted(search(counselor_a, days=["tue", "sat"])) == ["昼", "終日"]
    assert sorted(search(counselor_a, time_of_day="morning")) == ["朝", "終日"]
    assert sorted(search(counselor_a, time_of_day="afternoon")) == ["昼", "終日"]
    assert search(counselor_a, time_of_day="evening") == ["終日"]
    assert search(counselor_a, max_hours="2") == ["朝"]
    assert sorted(search(counselor_a, max_hours="3")) == ["昼", "朝"]


def test_accommodations_place_and_low_demand_facets(world, counselor_a):
    sheet = TaskBreakdownFactory(employer=world.employer_a)
    inside = TaskRowFactory(breakdown=sheet, place="indoor_ac")
    outside = TaskRowFactory(breakdown=sheet, place="outdoor")
    published(
        employer=world.employer_a,
        title="屋内",
        rows=[inside],
        accommodations=["extra_breaks", "quiet_place"],
        demands={"stamina": 0, "pace": 2},
    )
    published(
        employer=world.employer_a,
        title="屋外",
        rows=[outside],
        accommodations=["extra_breaks"],
        demands={"stamina": 3, "pace": 1},
    )
    assert sorted(search(counselor_a, accommodations="extra_breaks")) == ["屋内", "屋外"]
    assert search(counselor_a, accommodations=["extra_breaks", "quiet_place"]) == ["屋内"]
    assert search(counselor_a, place="indoor") == ["屋内"]
    assert search(counselor_a, place="outdoor") == ["屋外"]
    assert search(counselor_a, low_demand="stamina") == ["屋内"]
    assert search(counselor_a, low_demand="pace") == ["屋外"]
    assert search(counselor_a, low_demand=["stamina", "pace"]) == []
    assert search(counselor_a, low_demand="people") == []  # not rated is not "low"


def test_verified_within_and_status_facets(world, counselor_a):
    today = timezone.localdate()
    published(employer=world.employer_a, title="最近", last_verified_on=today - datetime.timedelta(days=30))
    published(employer=world.employer_a, title="昔", last_verified_on=today - datetime.timedelta(days=300))
    published(employer=world.employer_a, title="未確認", last_verified_on=None)
    published(employer=world.employer_a, title="下書き", status=ProgramStatus.DRAFT, last_verified_on=today)
    published(employer=world.employer_a, title="終了", status=ProgramStatus.ARCHIVED, last_verified_on=today)
    assert search(counselor_a, verified_within="3") == ["最近"]
    assert sorted(search(counselor_a, verified_within="12")) == ["昔", "最近"]
    # The default list is published programs only; the others behind an explicit filter.
    assert set(search(counselor_a)) == {"未確認", "昔", "最近"}
    assert search(counselor_a, status="draft") == ["下書き"]
    assert search(counselor_a, status="archived") == ["終了"]
    assert set(search(counselor_a, status="all")) == {"下書き", "未確認", "昔", "最近", "終了"}


# --- Sorting --------------------------------------------------------------------------------


def test_relevance_puts_title_hits_first_then_text_hits(world, counselor_a):
    published(employer=world.employer_a, title="あ 本文に一回", what_you_do="袋詰め")
    published(employer=world.employer_a, title="い 本文に二回", what_you_do="袋詰めと袋詰め")
    published(employer=world.employer_a, title="う 袋詰め体験", what_you_do="")
    assert search(counselor_a, q="袋詰め") == ["う 袋詰め体験", "い 本文に二回", "あ 本文に一回"]


def test_newest_last_verified_and_kana_sorts(world, counselor_a):
    late = EmployerFactory(owner=world.agency_a, name_kana="わかば")
    early = EmployerFactory(owner=world.agency_a, name_kana="あおば")
    published(employer=late, title="古い", last_verified_on=datetime.date(2026, 10, 1))
    published(employer=early, title="新しい", last_verified_on=datetime.date(2026, 1, 1))
    published(employer=early, title="未確認", last_verified_on=None)
    assert search(counselor_a, sort="newest")[0] == "未確認"
    assert search(counselor_a, sort="verified") == ["古い", "新しい", "未確認"]
    assert search(counselor_a, sort="kana") == ["新しい", "未確認", "古い"]
    assert search(counselor_a) == ["新しい", "未確認", "古い"]  # no keyword: relevance means kana


def test_pagination_keeps_the_search(world, counselor_a):
    for i in range(25):
        published(employer=world.employer_a, title=f"袋詰め{i:02d}")
    response = counselor_a.get(URL, {"q": "袋詰め", "page": 2})
    assert response.context["page"].paginator.count == 25
    assert len(response.context["cards"]) == 5
    assert "q=%E8%A2%8B%E8%A9%B0%E3%82%81&amp;page=1" in response.content.decode()


# --- Visibility ------------------------------------------------------------------------------


def test_other_agencies_drafts_never_show_in_results_facets_or_counts(world, login):
    hidden_region = RegionFactory(prefecture=world.region_x.prefecture, name="秘密市")
    secret = EmployerFactory(owner=world.agency_a, region=hidden_region, industry=Industry.A, name="秘密農園")
    published(employer=secret, title="下書きの袋詰め", status=ProgramStatus.DRAFT)
    published(employer=world.employer_a, title="公開の袋詰め")
    published(employer=world.employer_a, title="自機関だけ", sharing_scope=SharingScope.OWN_AGENCY)
    client = login(world.counselor_b)
    response = client.get(URL, {"q": "袋詰め"})
    html = response.content.decode()
    assert titles(response) == ["公開の袋詰め"]
    assert response.context["page"].paginator.count == 1
    assert "下書きの袋詰め" not in html and "秘密" not in html
    form = response.context["filter"].form
    assert [label for _, label in form.fields["region"].choices if _] == ["伊丹市"]
    assert [v for v, _ in form.fields["industry"].choices if v] == ["E"]
    # Not offered; asking for it anyway is ignored and finds nothing more.
    assert search(client, industry="A") == ["公開の袋詰め"]
    assert search(client, region=str(hidden_region.uuid)) == ["公開の袋詰め"]
    assert search(client) == ["公開の袋詰め"]
    assert search(client, status="all") == ["公開の袋詰め"]
    assert search(client, status="draft") == []
    assert search(login(world.counselor_c), q="袋詰め") == []


def test_own_agency_sees_its_drafts_behind_the_status_filter(world, counselor_a):
    published(employer=world.employer_a, title="下書きの袋詰め", status=ProgramStatus.DRAFT)
    assert search(counselor_a, q="袋詰め") == []
    assert search(counselor_a, q="袋詰め", status="draft") == ["下書きの袋詰め"]
    assert search(counselor_a, q="袋詰め", status="all") == ["下書きの袋詰め"]


# --- Page, htmx, empty state -------------------------------------------------------------------


def test_full_page_and_htmx_fragment(world, counselor_a):
    published(employer=world.employer_a, title="袋詰め体験")
    full = counselor_a.get(URL, {"q": "袋詰め"}).content.decode()
    assert "<html" in full and 'id="search-form"' in full and "袋詰め体験" in full
    fragment = counselor_a.get(URL, {"q": "袋詰め"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and 'id="search-form"' not in fragment and "袋詰め体験" in fragment
    assert 'hx-swap-oob="true"' in fragment and 'value="q=%E8%A2%8B%E8%A9%B0%E3%82%81"' in fragment


def test_result_card_shows_the_facts_pictograms_and_print_toggle(world, counselor_a):
    row = TaskRowFactory(
        breakdown=TaskBreakdownFactory(employer=world.employer_a), place="indoor", postures=["sitting"]
    )
    program = published(
        employer=world.employer_a,
        title="袋詰め体験",
        rows=[row],
        days=["mon"],
        start_time=datetime.time(9),
        end_time=datetime.time(12),
        meeting_point="工場の正門",
    )
    html = counselor_a.get(URL).content.decode()
    for text in (
        "袋詰め体験",
        "有限会社みどり紙工",
        "工場の正門",
        "体験",
        "月",
        "9:00〜12:00",
        "屋内",
        "印刷リストに追加",
    ):
        assert text in html, text
    assert reverse("print_list_toggle", args=[program.uuid]) in html


def test_empty_state_names_each_filter_with_a_link_that_removes_it(world, counselor_a):
    published(employer=world.employer_a, title="袋詰め体験", is_paid=False)
    response = counselor_a.get(URL, {"q": "袋詰め", "paid": "yes", "days": ["mon", "tue"]})
    assert response.context["page"].paginator.count == 0
    filters = {f"{f.label}: {f.value}": f.remove_url for f in response.context["filters_in_use"]}
    assert set(filters) == {"キーワード: 袋詰め", "有償・無償: 有償", "曜日（いずれか）: 月", "曜日（いずれか）: 火"}
    html = response.content.decode()
    assert "一致するプログラムはありません" in html
    without_paid = filters["有償・無償: 有償"]
    assert "paid" not in without_paid and "days=mon" in without_paid and "days=tue" in without_paid
    assert search(counselor_a, **_params(without_paid)) == []  # days still filter (no days set)
    assert search(counselor_a, q="袋詰め", paid="no") == ["袋詰め体験"]


def _params(url: str) -> dict:
    from django.http import QueryDict

    query = QueryDict(url.split("?", 1)[1])
    return {key: query.getlist(key) for key in query}


# --- Saved searches ------------------------------------------------------------------------


def test_counselor_saves_lists_and_deletes_a_search(world, counselor_a):
    response = counselor_a.post(
        reverse("saved_search_add"), {"name": "伊丹の袋詰め", "query": "q=袋詰め&paid=no&page=3&csrfmiddlewaretoken=x"}
    )
    saved = SavedSearch.objects.get()
    assert saved.user == world.counselor_a and saved.agency == world.agency_a
    assert saved.query == "paid=no&q=%E8%A2%8B%E8%A9%B0%E3%82%81"  # search parameters only
    assert response.url == URL + "?" + saved.query
    page = counselor_a.get(URL).content.decode()
    assert "伊丹の袋詰め" in page and reverse("saved_search_remove", args=[saved.uuid]) in page
    dashboard = counselor_a.get(reverse("dashboard")).content.decode()
    assert "伊丹の袋詰め" in dashboard
    counselor_a.post(reverse("saved_search_remove", args=[saved.uuid]))
    assert not SavedSearch.objects.exists()


def test_saved_searches_are_only_for_their_owner(world, login):
    saved = SavedSearch.objects.create(user=world.counselor_a, agency=world.agency_a, name="わたしの検索", query="q=x")
    for user in (world.coordinator_a, world.counselor_b, world.platform_admin):
        client = login(user)
        assert "わたしの検索" not in client.get(URL).content.decode()
        assert "わたしの検索" not in client.get(reverse("dashboard")).content.decode()
        assert client.post(reverse("saved_search_remove", args=[saved.uuid])).status_code in (403, 404)
    assert SavedSearch.objects.filter(pk=saved.pk).exists()


def test_saving_without_a_name_or_twice_shows_an_error_next_to_the_field(world, counselor_a):
    response = counselor_a.post(reverse("saved_search_add"), {"name": "", "query": "q=袋詰め"})
    assert response.status_code == 200 and "この項目は必須です" in response.content.decode()
    counselor_a.post(reverse("saved_search_add"), {"name": "同じ名前", "query": ""})
    response = counselor_a.post(reverse("saved_search_add"), {"name": "同じ名前", "query": "q=x"})
    assert "同じ名前の保存した検索があります" in response.content.decode()
    assert SavedSearch.objects.count() == 1


def test_saved_search_views_are_post_only(world, counselor_a):
    assert counselor_a.get(reverse("saved_search_add")).status_code == 405


# --- Query count ---------------------------------------------------------------------------


def _count_queries(client, params) -> int:
    client.get(URL, params)  # warm: the facet choices are read once, then kept (sheets/search_facets.py)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(queries)


def test_query_count_is_the_same_for_10_and_1000_matching_programs(world, login):
    client = login(world.coordinator_a)
    sheet = TaskBreakdownFactory(employer=world.employer_a)
    row = TaskRowFactory(breakdown=sheet, place="outdoor", postures=["standing"], lifting_kg=10)
    template = published(employer=world.employer_a, title="袋詰め 0", rows=[row])
    _bulk_copies(template, 9, row)
    params = {"q": "袋詰め", "place": "outdoor", "sort": "relevance"}
    few = _count_queries(client, params)
    _bulk_copies(template, 990, row)
    assert client.get(URL, params).context["page"].paginator.count == 1000
    many = _count_queries(client, params)
    assert few == many


def _bulk_copies(template: Program, count: int, row) -> None:
    fields = {
        f.attname: getattr(template, f.attname)
        for f in Program._meta.concrete_fields
        if f.attname not in ("id", "uuid")
    }
    import uuid

    programs = Program.objects.bulk_create([Program(**fields, uuid=uuid.uuid4()) for _ in range(count)])
    Program.source_rows.through.objects.bulk_create(
        [Program.source_rows.through(program_id=p.pk, taskrow_id=row.pk) for p in programs]
    )
