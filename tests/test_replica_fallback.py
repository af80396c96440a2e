"""With a read replica (DATABASE_REPLICA_URL), reads fall back to the primary while the replica
does not answer and try it again a few seconds later; a browser that has just written reads
from the primary for a few seconds (config/routers.py). `make drill` stops a real replica for a
minute under load; these tests stand a fake connection in for it."""

import time

import pytest
from django.db import OperationalError
from django.http import HttpResponse
from django.test import RequestFactory

from config import routers
from registry.models import Employer


class FakeReplica:
    """The replica's connection wrapper: connects unless `down`."""

    health_check_enabled = True

    def __init__(self) -> None:
        self.down = False
        self.connection = None
        self.health_check_done = False
        self.attempts = 0

    def ensure_connection(self) -> None:
        if self.connection is None:
            self.attempts += 1
            if self.down:
                raise OperationalError("connection refused")
            self.connection = object()

    def close_if_health_check_failed(self) -> None:
        self.health_check_done = True
        if self.down:
            self.connection = None

    def close(self) -> None:
        self.connection = None


@pytest.fixture
def replica(monkeypatch):
    fake = FakeReplica()
    monkeypatch.setattr(routers, "connections", {routers.REPLICA: fake})
    monkeypatch.setattr(routers, "_down_until", 0.0)
    return fake


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(routers.time, "monotonic", lambda: now[0])
    return now


def read_db() -> str:
    return routers.PrimaryReplicaRouter().db_for_read(Employer)


def test_reads_go_to_the_replica_while_it_answers(transactional_db, replica):
    assert read_db() == "replica"
    assert read_db() == "replica" and replica.attempts == 1  # one connection, kept


def test_reads_fall_back_to_the_primary_while_the_replica_is_down_and_return_after(transactional_db, replica, clock):
    replica.down = True
    assert read_db() == "default"
    assert read_db() == "default" and replica.attempts == 1  # marked down: not tried on every read
    replica.down = False
    clock[0] += routers.REPLICA_RETRY_SECONDS + 0.1
    assert read_db() == "replica" and replica.attempts == 2


def test_a_connection_that_broke_since_the_last_request_is_noticed_before_the_query(transactional_db, replica, clock):
    assert read_db() == "replica"
    replica.down, replica.health_check_done = True, False  # a new request: Django resets the check
    assert read_db() == "default"


def test_jobs_are_always_read_from_the_primary(transactional_db, replica):
    from jobs.models import Job

    assert routers.PrimaryReplicaRouter().db_for_read(Job) == "default" and replica.attempts == 0


def pinned_during(request) -> tuple[bool, HttpResponse]:
    seen = []

    def view(_request):
        seen.append(routers._pinned.get())
        return HttpResponse("ok")

    response = routers.ReadYourWritesMiddleware(view)(request)
    return seen[0], response


def test_a_write_reads_from_the_primary_and_so_do_the_writers_next_pages(transactional_db, replica):
    pinned, response = pinned_during(RequestFactory().post("/programs/"))
    assert pinned is True
    cookie = response.cookies[routers.PIN_COOKIE]
    assert cookie["max-age"] == routers.REPLICA_PIN_SECONDS and cookie["httponly"]
    follow = RequestFactory().get("/programs/")
    follow.COOKIES[routers.PIN_COOKIE] = cookie.value
    assert pinned_during(follow)[0] is True


def test_reads_return_to_the_replica_when_the_pin_expired_or_is_nonsense(transactional_db, replica):
    for value in (f"{time.time() - 1:.0f}", "soon"):
        request = RequestFactory().get("/programs/")
        request.COOKIES[routers.PIN_COOKIE] = value
        pinned, response = pinned_during(request)
        assert pinned is False and routers.PIN_COOKIE not in response.cookies
    assert read_db() == "replica"


def test_inside_a_pinned_request_the_router_reads_from_the_primary(transactional_db, replica):
    token = routers._pinned.set(True)
    try:
        assert read_db() == "default" and replica.attempts == 0
    finally:
        routers._pinned.reset(token)
