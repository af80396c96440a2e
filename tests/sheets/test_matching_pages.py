"""Matching ranks every visible program but renders one page of them at a time: a prefecture's
hundreds of programs on one page took seconds (docs/performance.md). Nothing is hidden."""

import re

from django.urls import reverse

from sheets.views_clients import MATCHES_PER_PAGE
from tests.sheets.client_factories import ClientFactory, SelfIntroductionFactory
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
