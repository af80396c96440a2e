"""Counselors at work, for locust: log in, search programs (keywords and facets), open
programs from the results and print their sheets. Used by `make bench` (short HTTP run) and
`make load` (issue 6: 50 counselors for 10 minutes). Accounts are the bench seed's
counselor<N>@bench.invalid, one per simulated user."""

import itertools
import random
import re

from locust import HttpUser, between, task

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
_numbers = itertools.count(1)


class Counselor(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.email = f"counselor{next(_numbers)}@bench.invalid"
        self.found: list[str] = []
        self.client.get("/accounts/login/", name="login form")
        token = self.client.cookies.get("csrftoken", "")
        with self.client.post(
            "/accounts/login/",
            {"username": self.email, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login of {self.email} answered {response.status_code}")

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
