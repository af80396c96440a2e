"""Matching ranks every visible program but renders one page of them at a time: a prefecture's
hundreds of programs on one page took seconds (docs/performance-history.md section 2). Nothing is hidden."""

import datetime
import re
from itertools import product
from unittest.mock import Mock

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from registry.models import Industry
from sheets.clients import ranking as client_matching
from sheets.clients.matching import ProgramProfile, rank
from sheets.clients.models import ReferralStatus
from sheets.clients.ranking import client_profile, program_profile, ranked_programs
from sheets.clients.views import MATCHES_PER_PAGE
from sheets.programs.models import Program
from sheets.vocabulary import EngagementType
from tests.factories import EmployerFactory, RegionFactory
from tests.sheets.client_factories import ClientFactory, ReferralFactory, SelfIntroductionFactory
from tests.sheets.test_referrals import published

PROPOSE = 'name="program" value='  # one hidden field per "propose a referral" form


def test_matches_come_a_page_at_a_time_and_the_next_page_has_the_rest(world, login):
    client = ClientFactory(agency=world.agency_a)
    introduction = SelfIntroductionFactory(client=client)
    titles = {published(world.employer_a, title=f"ページ分けの確認{n:02d}").title for n in range(MATCHES_PER_PAGE + 3)}
    http = login(world.counselor_a)
    url = reverse("client_matches", args=[client.uuid])

    first = http.get(url).content.decode()
    assert first.count(PROPOSE) == MATCHES_PER_PAGE
    assert f"{MATCHES_PER_PAGE + 3}件" in first  # the count names every program, not the page
    next_link = re.search(r'href="\?([^"]*page=2)"', first).group(1).replace("&amp;", "&")
    assert f"introduction={introduction.uuid}" in next_link

    second = http.get(f"{url}?{next_link}").content.decode()
    assert second.count(PROPOSE) == 3
    shown = {t for t in titles if t in first or t in second}
    assert shown == titles


def test_each_match_proposes_a_referral_of_this_client_to_that_program(world, login):
    client = ClientFactory(agency=world.agency_a)
    introduction = SelfIntroductionFactory(client=client)
    program = published(world.employer_a, title="提案の確認")
    http = login(world.counselor_a)
    page = http.get(reverse("client_matches", args=[client.uuid])).content.decode()
    action = reverse("referral_create", args=[client.uuid])
    assert page.count(f'<form method="post" action="{action}">') == page.count(PROPOSE) == 1
    http.post(action, {"program": str(program.uuid), "introduction": str(introduction.uuid)})
    assert client.referrals.get().program == program


def test_a_page_of_matches_reads_its_programs_in_one_query(world, login, django_assert_max_num_queries):
    """The cards read the few columns they show; a column a card reads without loading it would
    cost a query per card."""
    client = ClientFactory(agency=world.agency_a)
    SelfIntroductionFactory(client=client)
    http = login(world.counselor_a)
    url = reverse("client_matches", args=[client.uuid])
    published(world.employer_a, title="一件目")
    http.get(url)
    with CaptureQueriesContext(connection) as one:
        assert "一件目" in http.get(url).content.decode()
    other = EmployerFactory(owner=world.agency_a, name="第二の事業所", region=RegionFactory(name="別の地域"))
    for n in range(12):
        published(world.employer_a if n % 2 else other, title=f"十二件目まで{n:02d}")
    with django_assert_max_num_queries(len(one)):
        page = http.get(url).content.decode()
    assert page.count(PROPOSE) == 13 and "第二の事業所" in page and "別の地域" in page


def varied_programs(world) -> None:
    """Programs that rank apart and tie: employers of different industries and regions, demands,
    days, hours, kinds and accommodations that fit, conflict or say nothing."""
    employers = [
        world.employer_a,
        EmployerFactory(owner=world.agency_a, name_kana="あいうえお", industry=Industry.M),
        EmployerFactory(owner=world.agency_b, name_kana="かきくけこ", industry=Industry.J, region=RegionFactory()),
    ]
    variations = [
        {"demands": {"stamina": 3, "people": 2}, "days": ["mon"], "accommodations": []},
        {"demands": {"stamina": 0, "accuracy": 2}, "days": ["tue", "thu"], "confirmable": ["accuracy"]},
        {"start_time": datetime.time(9, 30), "end_time": datetime.time(12), "accommodations": ["extra_breaks"]},
        {"start_time": datetime.time(13), "end_time": datetime.time(17), "engagement_type": EngagementType.PART_TIME},
        {"demands": {"dexterity": 2, "accuracy": 3, "change": 0}, "days": ["tue"]},
    ]
    for n, (employer, fields) in enumerate(product(employers, variations)):
        published(employer, title=f"並べ替えの確認{n % 4}", **fields)  # equal titles: the pk settles them


def profile_of(program) -> ProgramProfile:
    """What the full model instance says, as the ranking read it before it read plain values."""
    return program_profile(
        program.demands,
        program.confirmable,
        program.accommodations,
        program.days,
        program.start_time,
        program.end_time,
        program.engagement_type,
        program.employer.region_id,
        program.employer.industry,
    )


def said(matches) -> list[tuple]:
    with translation.override("ja"):
        return [(m.key.pk, m.score, [(str(r.text), r.points) for r in m.reasons]) for m in matches]


def test_pages_say_what_ranking_every_full_program_says(world):
    varied_programs(world)
    introduction = SelfIntroductionFactory(client=ClientFactory(agency=world.agency_a), interest_tags=["social"])
    introduction.regions.set([world.region_x])
    programs = (
        Program.objects.for_user(world.counselor_a)
        .published()
        .select_related("employer")
        .order_by("employer__name_kana", "title", "pk")
    )
    full = rank(client_profile(introduction), [(program, profile_of(program)) for program in programs])
    assert len({m.score for m in full}) > 5 and any(m.conflicts for m in full)

    ranking = ranked_programs(introduction, world.counselor_a)
    assert len(ranking) == len(full) == 15
    assert said(ranking[: MATCHES_PER_PAGE // 2]) == said(full[: MATCHES_PER_PAGE // 2])
    assert said(ranking[MATCHES_PER_PAGE // 2 :]) == said(full[MATCHES_PER_PAGE // 2 :])
    assert ranking[-1].key == full[-1].key


def test_only_the_shown_page_is_put_into_words(world, login, monkeypatch):
    client = ClientFactory(agency=world.agency_a)
    SelfIntroductionFactory(client=client)
    for n in range(MATCHES_PER_PAGE + 3):
        published(world.employer_a, title=f"言葉にするのは表示分だけ{n:02d}", demands={"stamina": n % 4})
    explained = Mock(wraps=client_matching.match)
    monkeypatch.setattr(client_matching, "match", explained)
    http = login(world.counselor_a)
    url = reverse("client_matches", args=[client.uuid])

    first = http.get(url)
    assert explained.call_count == MATCHES_PER_PAGE
    assert first.context["match_count"] == MATCHES_PER_PAGE + 3
    assert all(m.reasons for m in first.context["matches"])
    explained.reset_mock()
    second = http.get(url, {"page": 2})
    assert explained.call_count == 3 and len(second.context["matches"]) == 3


def test_a_proposed_program_on_a_later_page_shows_as_proposed(world, login):
    client = ClientFactory(agency=world.agency_a)
    SelfIntroductionFactory(client=client)
    programs = [published(world.employer_a, title=f"提案済みの確認{n:02d}") for n in range(MATCHES_PER_PAGE + 3)]
    ReferralFactory(client=client, program=programs[-1])
    ReferralFactory(client=client, program=programs[-2], status=ReferralStatus.CANCELLED, cancel_reason="見送り")
    http = login(world.counselor_a)
    url = reverse("client_matches", args=[client.uuid])

    second = http.get(url, {"page": 2})
    body = second.content.decode()
    assert second.context["proposed"] == {programs[-1].pk}
    assert body.count("紹介を提案済み") == 1
    assert body.count(PROPOSE) == 2  # the cancelled one may be proposed again
    assert http.get(url).context["proposed"] == set()


def test_the_page_shows_what_the_reasons_are_checked_against(world, login):
    """The form's days, hours, areas and kinds above the reasons: a counselor checks 「通える地域にある」
    or 「火・木に参加できる」 without opening the form."""
    client = ClientFactory(agency=world.agency_a)
    introduction = SelfIntroductionFactory(
        client=client,
        days=["tue", "thu"],
        available_from=datetime.time(9, 30),
        available_until=datetime.time(12, 0),
        engagement_types=[],
    )
    introduction.regions.set([world.region_x])
    page = login(world.counselor_a).get(reverse("client_matches", args=[client.uuid])).content.decode()
    section = page.split('id="match-conditions"', 1)[1].split("</section>", 1)[0]
    assert "火・木" in section and "9:30〜12:00" in section and world.region_x.name in section
    assert "（書かれていません）" in section  # no kind of program chosen
    assert reverse("introduction_detail", args=[client.uuid, introduction.uuid]) in section


def test_the_conditions_include_the_strengths_trials_and_accommodations_the_reasons_read(world, login):
    """「得意」「確かめたい」「配慮」 reasons come from these, so they are shown with the rest."""
    client = ClientFactory(agency=world.agency_a)
    SelfIntroductionFactory(
        client=client,
        confidence={"accuracy": 3, "stamina": 0, "pace": None},
        want_to_confirm=["teamwork"],
        accommodations=["extra_breaks"],
        interest_tags=[],
    )
    page = login(world.counselor_a).get(reverse("client_matches", args=[client.uuid])).content.decode()
    section = page.split('id="match-conditions"', 1)[1].split("</section>", 1)[0]
    assert "いまの自信" in section and "正確性・ていねいさ 3、体力・持久力 0" in section
    assert "作業ペース" not in section  # わからない: not rated, not listed
    assert "試したい・確かめたい" in section and "協力・報連相" in section
    assert "してほしい配慮" in section and "休憩を多めに" in section
