"""Concurrent edits on PostgreSQL: writers that opened the same form save at the same moment.

Each trial: WRITERS threads (each with its own database connection) hold the same version of
one record — a stale form for all but the first to save — and call the real service at once,
released together by a barrier. Exactly one must win, every other must get the stale-edit
refusal (nothing overwritten), and the row afterwards must hold the winner's data. A trial
that breaks any of these is a lost update.

Targets: a program (content and its timetable rows: program_update), an employer
(employer_update), a self-introduction form (introduction_update) and an employer's ① text
(intro_update, whose first save creates the row: a race on creation, not only on update).

PostgreSQL only: SQLite serialises every write with one database lock, so threads there prove
nothing about row locks. Run: DATABASE_URL=postgres://… pytest tests/test_concurrent_edits.py"""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.db import connection

from registry import services as registry_services
from registry.models import Employer, Role
from registry.services import StaleEditError
from sheets.clients import services as client_services
from sheets.clients.models import SelfIntroduction
from sheets.printing import services as photos
from sheets.printing.models import EmployerIntro
from sheets.programs import services
from sheets.programs.models import Program
from tests.factories import EmployerFactory, MembershipFactory
from tests.figures import count
from tests.sheets.client_factories import ClientFactory, SelfIntroductionFactory
from tests.sheets.factories import ProgramFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="PostgreSQL only: SQLite serialises all writes, so row-lock races cannot happen there",
    ),
    pytest.mark.slow,
]

WRITERS = 3


@dataclass
class Target:
    """How to read one record's version, save it as writer `w` from a stale form, and check it."""

    name: str
    version: Callable[[], int]
    save: Callable[[int, int, int], None]  # (trial, writer, version) -> None or StaleEditError
    final: Callable[[], object]  # what the row holds now
    expected: Callable[[int, int], object]  # what it must hold if (trial, writer) won
    prepare: Callable[[int], None] = field(default=lambda trial: None)  # before each trial


def _run_trials(target: Target, trials: int) -> dict[str, int]:
    """Runs `trials` rounds of WRITERS simultaneous saves; returns the tallies."""
    start = threading.Barrier(WRITERS + 1)
    done = threading.Barrier(WRITERS + 1)
    state = {"trial": 0, "version": 0}
    outcomes: list[str | BaseException] = [""] * WRITERS

    def writer(index: int) -> None:
        try:
            for _ in range(trials):
                start.wait()
                try:
                    target.save(state["trial"], index, state["version"])
                    outcomes[index] = "won"
                except StaleEditError:
                    outcomes[index] = "stale"
                except BaseException as error:  # an IntegrityError here is a race: report it
                    outcomes[index] = error
                done.wait()
        except threading.BrokenBarrierError:
            pass  # the main thread stopped early; its failure is the one to report
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=writer, args=(i,), daemon=True) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    tally = {"trials": 0, "lost updates": 0, "winners": 0, "refused": 0}
    failures = []
    try:
        for trial in range(trials):
            target.prepare(trial)
            state["trial"], state["version"] = trial, target.version()
            start.wait(timeout=60)
            done.wait(timeout=60)
            winners = [i for i, outcome in enumerate(outcomes) if outcome == "won"]
            refused = [i for i, outcome in enumerate(outcomes) if outcome == "stale"]
            errors = [outcome for outcome in outcomes if isinstance(outcome, BaseException)]
            tally["trials"] += 1
            tally["winners"] += len(winners)
            tally["refused"] += len(refused)
            ok = len(winners) == 1 and len(refused) == WRITERS - 1 and not errors
            if ok and target.final() != target.expected(trial, winners[0]):
                ok = False
            if not ok:
                tally["lost updates"] += 1
                failures.append((trial, [repr(o) for o in outcomes], target.final()))
            if target.version() != state["version"] + 1:
                failures.append((trial, "version", target.version(), state["version"]))
    finally:
        start.abort()  # a failed check must not leave writers waiting (and holding connections)
        done.abort()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == [], f"{target.name}: {failures[:5]}"
    return tally


@pytest.fixture
def coordinator(transactional_db):
    membership = MembershipFactory(role=Role.COORDINATOR)
    return membership.user, membership.agency


def _record(target: Target, tally: dict[str, int]) -> None:
    count("concurrent-edit trials (PostgreSQL)", tally["trials"])
    count("concurrent-edit lost updates", tally["lost updates"])
    count(f"concurrent-edit trials: {target.name}", tally["trials"])
    assert tally["winners"] == tally["trials"]
    assert tally["refused"] == tally["trials"] * (WRITERS - 1)


def _user_copy(user):
    """A fresh user object per call: the acting membership is cached on the object, and
    threads must not share one."""
    return type(user).objects.get(pk=user.pk)


def test_program_saved_from_stale_forms(coordinator):
    user, agency = coordinator
    program = ProgramFactory(employer=EmployerFactory(owner=agency))

    def save(trial, writer, version):
        services.program_update(
            program=Program.objects.get(pk=program.pk),
            by=_user_copy(user),
            version=version,
            what_you_do=f"試行{trial}の書き手{writer}の作業内容",
            timetable=[("9:00", f"試行{trial}・{writer}の朝"), ("13:00", f"試行{trial}・{writer}の午後")],
        )

    def final():
        current = Program.objects.get(pk=program.pk)
        rows = list(current.timetable.order_by("position").values_list("activity", flat=True))
        return current.what_you_do, rows

    target = Target(
        "program",
        version=lambda: Program.objects.values_list("version", flat=True).get(pk=program.pk),
        save=save,
        final=final,
        expected=lambda t, w: (f"試行{t}の書き手{w}の作業内容", [f"試行{t}・{w}の朝", f"試行{t}・{w}の午後"]),
    )
    _record(target, _run_trials(target, 700))


def test_employer_saved_from_stale_forms(coordinator):
    user, agency = coordinator
    employer = EmployerFactory(owner=agency)

    def save(trial, writer, version):
        registry_services.employer_update(
            employer=Employer.objects.get(pk=employer.pk),
            by=_user_copy(user),
            version=version,
            access_notes=f"試行{trial}の書き手{writer}：駅から徒歩5分",
        )

    target = Target(
        "employer",
        version=lambda: Employer.objects.values_list("version", flat=True).get(pk=employer.pk),
        save=save,
        final=lambda: Employer.objects.values_list("access_notes", flat=True).get(pk=employer.pk),
        expected=lambda t, w: f"試行{t}の書き手{w}：駅から徒歩5分",
    )
    _record(target, _run_trials(target, 150))


def test_self_introduction_saved_from_stale_forms(transactional_db):
    membership = MembershipFactory(role=Role.COUNSELOR)
    introduction = SelfIntroductionFactory(client=ClientFactory(agency=membership.agency))

    def save(trial, writer, version):
        client_services.introduction_update(
            introduction=SelfIntroduction.objects.select_related("client").get(pk=introduction.pk),
            by=_user_copy(membership.user),
            version=version,
            worries=f"試行{trial}の書き手{writer}の心配ごと",
        )

    target = Target(
        "self-introduction",
        version=lambda: SelfIntroduction.objects.values_list("version", flat=True).get(pk=introduction.pk),
        save=save,
        final=lambda: SelfIntroduction.objects.values_list("worries", flat=True).get(pk=introduction.pk),
        expected=lambda t, w: f"試行{t}の書き手{w}の心配ごと",
    )
    _record(target, _run_trials(target, 100))


def test_employer_introduction_first_save_and_later_saves(coordinator):
    """Every other trial starts on a new employer, so the first save (which creates the ①
    text) races too, not only later updates."""
    user, agency = coordinator
    current = {"employer": EmployerFactory(owner=agency)}

    def prepare(trial):
        if trial % 2 == 0:
            current["employer"] = EmployerFactory(owner=agency)

    def version():
        intro = EmployerIntro.objects.filter(employer=current["employer"]).first()
        return intro.version if intro else EmployerIntro._meta.get_field("version").default

    def save(trial, writer, version):
        photos.intro_update(
            employer=current["employer"], by=_user_copy(user), version=version, message=f"試行{trial}・{writer}"
        )

    target = Target(
        "employer introduction (①)",
        version=version,
        save=save,
        final=lambda: EmployerIntro.objects.filter(employer=current["employer"]).values_list("message").first(),
        expected=lambda t, w: (f"試行{t}・{w}",),
        prepare=prepare,
    )
    _record(target, _run_trials(target, 50))


def test_the_harness_catches_a_check_then_write_race(transactional_db):
    """The same trials against a naive save (read the version, check, then write without a
    row lock) must report lost updates — so the zero above means something."""
    program = ProgramFactory()

    def naive_save(trial, writer, version):
        current = Program.objects.get(pk=program.pk)
        if current.version != version:
            raise StaleEditError
        time.sleep(0.005)  # the gap between check and write that a row lock closes
        Program.objects.filter(pk=program.pk).update(what_you_do=f"{trial}-{writer}", version=version + 1)

    target = Target(
        "naive",
        version=lambda: Program.objects.values_list("version", flat=True).get(pk=program.pk),
        save=naive_save,
        final=lambda: Program.objects.values_list("what_you_do", flat=True).get(pk=program.pk),
        expected=lambda t, w: f"{t}-{w}",
    )
    with pytest.raises(AssertionError, match="naive"):
        _run_trials(target, 10)
