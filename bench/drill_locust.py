"""The drill's counselors, for locust (`make drill`, bench/drill.py): the bench's counselors
(search, open, print) who also write — propose referrals for their clients, edit their agency's
draft programs (their coordinators), and (one in five counselors, once) queue a binder for the
task worker.

Every request goes to LOCUST_REQUEST_LOG like the bench's (end time, name, ms, ok). Every write
goes to DRILL_WRITES_LOG when it is sent and again when the server acknowledged it (a redirect to
the saved thing): bench/drill.py then looks each acknowledged write up in PostgreSQL. DRILL_PLAN
names, per agency number, the clients and programs to use (read from the database by bench/drill.py)."""

import json
import os
import random
import re
import time
import uuid
from html.parser import HTMLParser
from pathlib import Path

from locust import between, task

# The module, not its class: locust runs every user class it finds in this file's namespace.
from bench import locustfile as bench_locust

PLAN = json.loads(Path(os.environ["DRILL_PLAN"]).read_text(encoding="utf-8")) if os.environ.get("DRILL_PLAN") else {}
_writes = open(os.environ["DRILL_WRITES_LOG"], "a", buffering=1) if os.environ.get("DRILL_WRITES_LOG") else None  # noqa: SIM115
REFERRAL_LOCATION = re.compile(r"/referrals/([0-9a-f-]{36})/")
JOB_LOCATION = re.compile(r"/jobs/([0-9a-f-]{36})/")
SHEET_KINDS = ("employer", "client", "supporter")


def write_log(kind: str, key: str, value: str, state: str) -> None:
    """state: "sent" before the request, "acked" when the server confirmed it, "failed" else."""
    if _writes is not None:
        _writes.write(f"{time.time():.3f}\t{kind}\t{key}\t{value}\t{state}\n")


class FormFields(HTMLParser):
    """The named fields of every <form> of a page, as a browser would submit them."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[list[list]] = []
        self._select: tuple[str, bool] | None = None
        self._select_values: list[str] = []
        self._first_option: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs) -> None:
        a = dict(attrs)
        if tag == "form":
            self.forms.append([])
        elif not self.forms:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file", "image", "reset"):
                self.forms[-1].append([a["name"], a.get("value", "on" if kind == "checkbox" else "")])
        elif tag == "select" and a.get("name"):
            self._select, self._select_values, self._first_option = (a["name"], "multiple" in a), [], None
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in a:
                self._select_values.append(value)
        elif tag == "textarea" and a.get("name"):
            self._textarea, self._text = a["name"], ""

    def handle_endtag(self, tag) -> None:
        if tag == "select" and self._select is not None:
            name, multiple = self._select
            values = self._select_values or ([] if multiple or self._first_option is None else [self._first_option])
            self.forms[-1] += [[name, value] for value in values]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.forms[-1].append([self._textarea, self._text.removeprefix("\n")])
            self._textarea = None

    def handle_data(self, data) -> None:
        if self._textarea is not None:
            self._text += data


def form_with(html: str, field: str) -> list[list] | None:
    parser = FormFields()
    parser.feed(html)
    return next((form for form in parser.forms if any(name == field for name, _v in form)), None)


class DrillCounselor(bench_locust.Counselor):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        """Simulated user N works for bench agency N: one in five as its coordinator (who edits
        the agency's programs: counselors may not), the others as its counselor; one in five
        counselors queues one binder."""
        self.number = bench_locust.account_number()
        self.role = "coordinator" if self.number % 5 == 0 else "counselor"
        self.email = f"{self.role}{self.number}@bench.invalid"
        self.plan = PLAN.get(str(self.number), {"clients": [], "published": [], "drafts": []})
        self.found: list[str] = []
        self.binder_queued = self.number % 5 != 1
        bench_locust.log_in(self, self.email)
        bench_locust.logged_in(self.environment)

    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")

    def post(self, url: str, data, name: str):
        return self.client.post(
            url,
            data=data,
            headers={"Referer": f"{self.host}{url}", "X-CSRFToken": self.csrf()},
            name=name,
            allow_redirects=False,
            catch_response=True,
        )

    @task(2)
    def propose_referral(self) -> None:
        if not self.plan["clients"] or not self.plan["published"]:
            return
        client, program = random.choice(self.plan["clients"]), random.choice(self.plan["published"])
        attempt = uuid.uuid4().hex[:12]
        write_log("referral", attempt, f"{client}:{program}", "sent")
        url = f"/clients/{client}/referrals/"
        with self.post(url, {"program": program, "csrfmiddlewaretoken": self.csrf()}, "write: referral") as response:
            found = REFERRAL_LOCATION.search(response.headers.get("Location", ""))
            if response.status_code == 302 and found:
                write_log("referral", attempt, found.group(1), "acked")
            else:
                write_log("referral", attempt, "", "failed")
                response.failure(f"referral answered {response.status_code}")

    @task(2)
    def edit_program(self) -> None:
        if self.role != "coordinator" or not self.plan["drafts"]:
            return
        program = random.choice(self.plan["drafts"])
        page = self.client.get(f"/programs/{program}/edit/", name="program edit form")
        form = form_with(page.text, "version") if page.status_code == 200 else None
        if form is None:
            return
        marker = f"drill {uuid.uuid4().hex[:12]}"
        data = [[name, marker if name == "cautions" else value] for name, value in form]
        write_log("program", program, marker, "sent")
        with self.post(f"/programs/{program}/edit/", data, "write: program edit") as response:
            if response.status_code == 302:
                write_log("program", program, marker, "acked")
            else:
                write_log("program", program, marker, "failed")
                response.failure(f"program edit answered {response.status_code}")

    @task(1)
    def queue_binder(self) -> None:
        if self.binder_queued or len(self.plan["published"]) < 4:
            return
        self.binder_queued = True
        programs = self.plan["published"][:4]  # 12 sheets: over the background threshold (10)
        for program in programs:
            self.post(f"/programs/{program}/print-list/", {"csrfmiddlewaretoken": self.csrf()}, "print list add")
        data = [["csrfmiddlewaretoken", self.csrf()], ["download", "1"]]
        data += [[f"kinds_{p}", kind] for p in programs for kind in SHEET_KINDS]
        attempt = uuid.uuid4().hex[:12]
        write_log("binder", attempt, "", "sent")
        with self.post("/programs/print-list/", data, "write: binder") as response:
            found = JOB_LOCATION.search(response.headers.get("Location", ""))
            if response.status_code == 302 and found:
                write_log("binder", attempt, found.group(1), "acked")
            else:
                write_log("binder", attempt, "", "failed")
                response.failure(f"binder answered {response.status_code} {response.headers.get('Location')}")

    @task(1)
    def print_sheet(self) -> None:  # the bench's weight is 1 of 8; here a little rarer than the writes
        if self.found and random.random() < 0.5:
            kind = random.choice(SHEET_KINDS)
            self.client.get(f"/programs/{random.choice(self.found)}/sheets/{kind}.pdf", name=f"sheet PDF {kind}")
