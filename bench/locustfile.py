"""Counselors at work, for locust: log in, search programs (keywords and facets), open
programs from the results and print their sheets. Used by `make bench` (a 5-user and a 50-user
run) and `make load` (50 counselors for 10 minutes). Accounts are the bench seed's
counselor<N>@bench.invalid, one per simulated user (wrapping round after LOCUST_ACCOUNTS).

Every request is written to LOCUST_REQUEST_LOG (one line: end time, name, milliseconds, ok), so
that bench/http.py can take the steady state apart from the login ramp. With
LOCUST_STEADY_SECONDS, the run stops that many seconds after the last simulated user logged in."""

import itertools
import os
import random
import re
import time

import gevent
from locust import HttpUser, between, events, task

PASSWORD = "bench-pass-2026"  # bench.seed.PASSWORD (not imported: locust runs without Django)
KEYWORDS = ["袋詰め", "検品", "清掃", "ねぎ", "出荷", "品出し", "組み立て", "仕分け", "体験", "見学"]
FACETS = [
    {"days": "mon"},
    {"place": "indoor"},
    {"engagement_type": "experience"},
    {"low_demand": "stamina"},
    {"time_of_day": "morning"},
    {"accommodations": "extra_breaks"},
]
PROGRAM_LINK = re.compile(r'href="/programs/([0-9a-f-]{36})/"')
LOGIN_NAMES = ("login form", "login")
_numbers = itertools.count(1)
_logged_in = itertools.count(1)
ACCOUNTS = int(os.environ.get("LOCUST_ACCOUNTS", "0"))  # 0: as many as there are users
# Line-buffered: the drill reads the log while locust runs.
_log = open(os.environ["LOCUST_REQUEST_LOG"], "a", buffering=1) if os.environ.get("LOCUST_REQUEST_LOG") else None  # noqa: SIM115


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, **kwargs) -> None:
    if _log is not None:
        _log.write(f"{time.time():.3f}\t{name}\t{response_time:.1f}\t{0 if exception else 1}\n")


@events.quitting.add_listener
def _close(environment, **kwargs) -> None:
    if _log is not None:
        _log.flush()


def account_number() -> int:
    number = next(_numbers)
    return (number - 1) % ACCOUNTS + 1 if ACCOUNTS else number


def logged_in(environment) -> None:
    """Counts the simulated users through their log-in; the last one starts the steady clock."""
    users = int(os.environ.get("LOCUST_USERS", "0"))
    steady = float(os.environ.get("LOCUST_STEADY_SECONDS", "0"))
    if next(_logged_in) != users:
        return
    if _log is not None:
        _log.write(f"{time.time():.3f}\t__all_logged_in__\t0\t1\n")
    if steady and environment.runner is not None:
        gevent.spawn_later(steady, environment.runner.quit)


def log_in(user: HttpUser, email: str) -> bool:
    user.client.get("/accounts/login/", name="login form")
    token = user.client.cookies.get("csrftoken", "")
    with user.client.post(
        "/accounts/login/",
        {"username": email, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{user.host}/accounts/login/"},
        name="login",
        allow_redirects=False,
        catch_response=True,
    ) as response:
        if response.status_code != 302:
            response.failure(f"login of {email} answered {response.status_code}")
            return False
    return True


class Counselor(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.email = f"counselor{account_number()}@bench.invalid"
        self.found: list[str] = []
        log_in(self, self.email)
        logged_in(self.environment)

    @task(4)
    def search(self) -> None:
        params = {"q": random.choice(KEYWORDS)} if random.random() < 0.7 else {}
        for facet in random.sample(FACETS, random.randint(0, 2)):
            params |= facet
        response = self.client.get("/programs/", params=params, name="search")
        self.found = PROGRAM_LINK.findall(response.text) or self.found

    @task(3)
    def open_program(self) -> None:
        if self.found:
            self.client.get(f"/programs/{random.choice(self.found)}/", name="program detail")

    @task(1)
    def print_sheet(self) -> None:
        if self.found:
            kind = random.choice(["employer", "client", "supporter"])
            self.client.get(f"/programs/{random.choice(self.found)}/sheets/{kind}.pdf", name=f"sheet PDF {kind}")
