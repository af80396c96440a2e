"""Issue 23 item 6: password reset is throttled, and the request does the same work whether or
not the address has an account (the e-mail is sent by the task worker)."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from tests.jobs.worker import run_worker

RESET = "/accounts/password/reset/"


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def _ask(client, email: str, address: str = "127.0.0.1"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=address)


def test_twelve_requests_send_three_links(client, world):
    responses = [_ask(client, world.counselor_a.email) for _ in range(12)]
    assert {r.status_code for r in responses} == {302}  # the same answer every time
    assert {r["Location"] for r in responses} == {"/accounts/password/reset/done/"}
    assert DBTaskResult.objects.count() == 3


def test_one_address_asking_for_many_accounts_is_stopped(client, world, settings):
    settings.PASSWORD_RESET_ADDRESS_LIMIT = (5, 3600)
    answers = [_ask(client, f"someone{n}@example.jp").status_code for n in range(7)]
    assert answers == [302] * 5 + [429] * 2
    refused = _ask(client, world.counselor_a.email)
    assert refused.status_code == 429 and "しばらく" in refused.content.decode()
    assert _ask(client, world.counselor_a.email, address="10.1.2.3").status_code == 302


def test_the_request_does_the_same_work_for_known_and_unknown_addresses(client, world):
    work = {}
    for label, email in [("known", world.counselor_a.email), ("unknown", "nobody-here@example.jp")]:
        with CaptureQueriesContext(connection) as queries:
            assert _ask(client, email).status_code == 302
        tables = sorted(q["sql"].split()[0] + " " + q["sql"].split('"')[1] for q in queries.captured_queries)
        work[label] = tables
    assert work["known"] == work["unknown"]
    assert not any("registry_user" in q for q in work["known"])  # the look-up is the worker's
    assert mail.outbox == []  # nothing sent inside the request
    assert DBTaskResult.objects.count() == 2


def test_the_worker_sends_the_link_to_accounts_only(client, transactional_db):
    from tests.factories import MembershipFactory

    user = MembershipFactory().user
    _ask(client, user.email)
    _ask(client, "nobody-here@example.jp")
    run_worker()
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert "/accounts/reset/" in mail.outbox[0].body
