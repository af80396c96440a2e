"""The standing attack suite: the penetration test of issue 23, replayed on every run (CI too).

Each attack is a function that makes real requests through the test client and returns what it
saw; a bypass or a server error fails the test. The suite's own output — how many attacks,
requests, refusals — is written into docs/security.md between the markers below, and
`test_the_attack_suite` fails when the figures there are not the ones this run produced
(regenerate with `UPDATE_SECURITY_FIGURES=1 .venv/bin/pytest tests/test_attack_suite.py`). The
cross-agency sweep (tests/test_cross_agency_sweep.py) stays the suite's first part: 0 leaks.

Figures are counts only (no timings), so the same code gives the same figures on any machine."""

import os
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from registry.models import Membership, Role
from tests.attacks import bomb_png, long_query
from tests.factories import TEST_PASSWORD
from tests.figures import count

DOC = Path(__file__).resolve().parents[1] / "docs/security.md"
START, END = "<!-- attack-suite:start -->", "<!-- attack-suite:end -->"
LOGIN = "/accounts/login/"


@dataclass
class Tally:
    requests: int = 0
    refused: int = 0  # answers that refused the attack (4xx, a redirect away, nothing done)
    server_errors: int = 0
    bypasses: list = field(default_factory=list)

    def send(self, client, method: str, path: str, data=None, **extra):
        response = getattr(client, method)(path, data or {}, **extra)
        self.requests += 1
        if response.status_code >= 500:
            self.server_errors += 1
        return response

    def expect(self, ok: bool, what: str) -> None:
        if ok:
            self.refused += 1
        else:
            self.bypasses.append(what)


def _code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def _password_only(client, tally, user):
    client.logout()
    tally.send(client, "post", LOGIN, {"username": user.email, "password": TEST_PASSWORD})


def two_factor_with_the_password_alone(client, world, tally, settings):
    """Item 1: after enrolment, a password-only session tries setup, recovery codes, removal."""
    user = world.counselor_a
    own = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    _password_only(client, tally, user)
    answer = tally.send(client, "get", "/accounts/2fa/setup/")
    tally.expect(answer.status_code == 302 and "/2fa/verify/" in answer["Location"], "setup page opened")
    pending = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    tally.send(client, "post", "/accounts/2fa/setup/", {"code": _code(pending), "password": TEST_PASSWORD})
    tally.expect(TOTPDevice.objects.filter(user=user, confirmed=True).get() == own, "device replaced")
    for path in ("/accounts/2fa/recovery-codes/", "/accounts/2fa/disable/"):
        answer = tally.send(client, "post", path, {"password": TEST_PASSWORD})
        tally.expect(TOTPDevice.objects.filter(pk=own.pk).exists() and answer.status_code == 302, path)
    answer = tally.send(client, "get", "/clients/")
    tally.expect(answer.status_code == 302, "client list without a code")
    TOTPDevice.objects.filter(user=user).delete()  # the attacks below use this person without two-factor


def lockout_of_a_colleague(client, world, tally, settings):
    """Item 3: a stranger's five wrong passwords for a staff e-mail; five colleagues' typos."""
    email = world.counselor_a.email
    for _ in range(5):
        tally.send(client, "post", LOGIN, {"username": email, "password": "guess"}, REMOTE_ADDR="203.0.113.9")
    answer = tally.send(client, "post", LOGIN, {"username": email, "password": TEST_PASSWORD}, REMOTE_ADDR="10.0.0.1")
    tally.expect(answer.status_code == 302, "staff locked out by a stranger")
    client.logout()
    for n in range(5):
        tally.send(client, "post", LOGIN, {"username": f"typo{n}@example.jp", "password": "x"}, REMOTE_ADDR="10.0.0.2")
    answer = tally.send(
        client, "post", LOGIN, {"username": world.counselor_b.email, "password": TEST_PASSWORD}, REMOTE_ADDR="10.0.0.2"
    )
    tally.expect(answer.status_code == 302, "office locked by five typos")
    client.logout()


def password_spraying(client, world, tally, settings):
    """Item 3: one address, a few passwords over many names, up to the address ceiling."""
    for n in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        name = f"sprayed{n % 25}@example.jp"
        tally.send(client, "post", LOGIN, {"username": name, "password": f"pw{n}"}, REMOTE_ADDR="198.51.100.7")
    answer = tally.send(
        client,
        "post",
        LOGIN,
        {"username": world.counselor_b.email, "password": TEST_PASSWORD},
        REMOTE_ADDR="198.51.100.7",
    )
    tally.expect(answer.status_code == 429, "spraying address not locked")


def decompression_bomb(client, world, tally, settings):
    """Item 4: a 13000×13000 PNG (169 million pixels)."""
    client.force_login(world.coordinator_a)
    started = time.monotonic()
    answer = tally.send(
        client,
        "post",
        reverse("employer_photo_upload", args=[world.employer_a.uuid]),
        {"image": SimpleUploadedFile("bomb.png", bomb_png()), "caption": "x"},
    )
    quick = time.monotonic() - started < 5
    tally.expect(answer.status_code == 400 and "画素数" in answer.content.decode() and quick, "bomb decoded")


def long_queries(client, world, tally, settings):
    """Item 5 and 6: hundreds of words in the search and its exports; an absurd page number."""
    client.force_login(world.counselor_a)
    # 300 words: the page says why; 1,000 words make an address over MAX_URL_LENGTH: 414 with a message.
    for words, page_status, export_status in ((300, 200, 302), (1000, 414, 414)):
        answer = tally.send(client, "get", "/programs/", {"q": long_query(words)})
        said = ("キーワードは" if page_status == 200 else "長すぎます") in answer.content.decode()
        tally.expect(answer.status_code == page_status and said, f"{words} words")
        for path in ("/programs/export.csv", "/programs/export.xlsx", "/hsds/datapackage.zip"):
            answer = tally.send(client, "get", path, {"q": long_query(words)})
            tally.expect(answer.status_code == export_status, f"{path} with {words} words")
    answer = tally.send(client, "get", "/programs/", {"page": "99999999999999999999"})
    tally.expect(answer.status_code == 200, "absurd page")
    client.logout()  # the login redirect would carry 1,000 words in `next`
    answer = tally.send(client, "get", "/programs/", {"q": long_query(1000)})
    tally.expect(answer.status_code == 414, "1000 words to the login page")


def password_reset_flood(client, world, tally, settings):
    """Item 6: twelve reset requests; the same work for known and unknown addresses."""
    from django_tasks_db.models import DBTaskResult

    cache.clear()
    client.logout()
    for _ in range(12):
        tally.send(client, "post", "/accounts/password/reset/", {"email": world.counselor_a.email})
    tally.expect(DBTaskResult.objects.count() == 3 and mail.outbox == [], "reset not throttled")
    work = []
    for email in (world.counselor_b.email, "nobody@example.jp"):
        with CaptureQueriesContext(connection) as queries:
            tally.send(client, "post", "/accounts/password/reset/", {"email": email})
        work.append([q["sql"].split('"')[1] for q in queries.captured_queries])
    tally.expect(work[0] == work[1], "reset work differs for a known address")
    cache.clear()


def photo_caching(client, world, tally, settings):
    """Item 6: a photo must not be kept by the browser."""
    from sheets.printing.models import Photo
    from tests.sheets.print_factories import jpeg_bytes

    client.force_login(world.coordinator_a)
    tally.send(
        client,
        "post",
        reverse("employer_photo_upload", args=[world.employer_a.uuid]),
        {"image": SimpleUploadedFile("p.jpg", jpeg_bytes()), "caption": "作業場"},
    )
    answer = tally.send(client, "get", reverse("photo_serve", args=[Photo.objects.get().uuid]))
    tally.expect(answer["Cache-Control"] == "private, no-store", "photo cached")


def account_capture(client, world, tally, settings):
    """Item 2: an agency admin invites another agency's existing account."""
    victim = world.counselor_c
    client.force_login(world.agency_admin_a)
    said = []
    for email in (victim.email, "someone-new@example.jp"):
        answer = tally.send(
            client,
            "post",
            "/agency/staff/invite/",
            {"email": email, "name": "x", "name_kana": "", "role": Role.COUNSELOR},
            follow=True,
        )
        page = answer.content.decode().replace(email, "EMAIL")
        said.append(re.search(r'class="messages".*?</div>\s*</div>', page, re.S).group(0))
    tally.expect(not Membership.objects.filter(user=victim, agency=world.agency_a).exists(), "membership added")
    tally.expect(said[0] == said[1], "the invite page tells who has an account")
    client.logout()
    tally.send(client, "post", LOGIN, {"username": victim.email, "password": TEST_PASSWORD})
    answer = tally.send(client, "get", "/")
    tally.expect(answer.context["acting_membership"].agency == world.agency_c, "acting agency switched")


ATTACKS = [
    two_factor_with_the_password_alone,
    lockout_of_a_colleague,
    password_spraying,
    decompression_bomb,
    long_queries,
    password_reset_flood,
    photo_caching,
    account_capture,
]


def figures_block(totals: Counter) -> str:
    return "\n".join(
        [
            START,
            "| attacks | requests | refused as they should be | bypasses | server errors |",
            "|---|---|---|---|---|",
            f"| {totals['attacks']} | {totals['requests']:,} | {totals['refused']} | "
            f"{totals['bypasses']} | {totals['server errors']} |",
            "",
            "Attacks: " + ", ".join(f"`{attack.__name__}`" for attack in ATTACKS) + ".",
            END,
        ]
    )


def test_the_attack_suite(world, client, settings):
    totals: Counter = Counter()
    failures = []
    for attack in ATTACKS:
        tally = Tally()
        attack(client, world, tally, settings)
        client.logout()
        totals.update(attacks=1, requests=tally.requests, refused=tally.refused)
        totals.update({"bypasses": len(tally.bypasses), "server errors": tally.server_errors})
        failures += [f"{attack.__name__}: {what}" for what in tally.bypasses]
        if tally.server_errors:
            failures.append(f"{attack.__name__}: {tally.server_errors} server errors")
    count("attack suite requests", totals["requests"])
    count("attack suite bypasses", totals["bypasses"])
    assert failures == [], failures

    block = figures_block(totals)
    text = DOC.read_text(encoding="utf-8")
    current = text[text.index(START) : text.index(END) + len(END)] if START in text else ""
    if os.environ.get("UPDATE_SECURITY_FIGURES") == "1":
        DOC.write_text(text.replace(current, block) if current else text + "\n" + block + "\n", encoding="utf-8")
        return
    assert current == block, (
        "docs/security.md's attack-suite figures are not this run's: "
        "UPDATE_SECURITY_FIGURES=1 .venv/bin/pytest tests/test_attack_suite.py"
    )
