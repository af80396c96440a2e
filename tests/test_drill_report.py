"""The drill's verdicts (bench/drill.py), on made-up logs: an error counts against the drill
unless its request was in flight at a kill instant, and a write counts as lost when the database
holds less than what the client was told was saved. `make drill` supplies real logs."""

from bench import drill


def request(end: float, name: str, ms: float, ok: bool = True) -> tuple:
    return (end, name, ms, ok)


def test_only_errors_in_flight_at_a_kill_are_excused():
    phases = [{"name": "app server killed", "start": 100.0, "end": 130.0}]
    kills = [{"what": "app1", "at": 110.0}]
    log = [
        request(109.0, "search", 50.0),
        request(110.5, "search", 900.0, ok=False),  # started 109.6, in flight at 110
        request(110.8, "program detail", 5.0, ok=False),  # started 0.8 s after the kill: within the margin
        request(115.0, "search", 5.0, ok=False),  # long after: the balancer should have rerouted it
        request(140.0, "search", 5.0, ok=False),  # another phase
    ]
    (row,) = drill.errors_by_phase(log, phases, kills)
    assert (row["requests"], row["errors_at_kill"], row["errors_other"]) == (4, 2, 1)
    assert row["failed"][-1] == "search (5 ms)"


class FakeCluster:
    def __init__(self, referrals=(), jobs=(), cautions=None) -> None:
        self.referrals, self.jobs, self.cautions = set(referrals), set(jobs), cautions or {}

    def sql(self, query: str, params=()):
        if "sheets_referral" in query:
            return [(u,) for u in params[0] if u in self.referrals]
        if "jobs_job" in query:
            return [(u,) for u in params[0] if u in self.jobs]
        return [(self.cautions[params[0]],)]


def write(at: float, kind: str, key: str, value: str, state: str) -> tuple:
    return (at, kind, key, value, state)


def test_an_acknowledged_referral_or_binder_missing_afterwards_is_lost():
    writes = [
        write(1, "referral", "a", "", "sent"), write(2, "referral", "a", "r1", "acked"),
        write(3, "referral", "b", "", "sent"), write(4, "referral", "b", "r2", "acked"),
        write(5, "referral", "c", "", "sent"), write(6, "referral", "c", "", "failed"),
        write(7, "binder", "d", "", "sent"), write(8, "binder", "d", "j1", "acked"),
    ]  # fmt: skip
    found = drill.check_writes(writes, FakeCluster(referrals={"r1"}, jobs={"j1"}))
    assert found["acknowledged"] == {"referrals": 2, "program edits": 0, "binders": 1}
    assert found["lost"] == {"referrals": 1, "program edits": 0, "binders": 0}


def test_a_program_may_hold_a_later_unanswered_edit_but_never_an_earlier_one():
    writes = [
        write(1, "program", "p", "drill 1", "sent"), write(2, "program", "p", "drill 1", "acked"),
        write(3, "program", "p", "drill 2", "sent"), write(4, "program", "p", "drill 2", "acked"),
        write(5, "program", "p", "drill 3", "sent"),  # in flight at a kill: saved or not
    ]  # fmt: skip
    for held, lost in (("drill 2", 0), ("drill 3", 0), ("drill 1", 1), ("", 1)):
        found = drill.check_writes(writes, FakeCluster(cautions={"p": held}))
        assert found["lost"]["program edits"] == lost, held
    assert found["acknowledged"]["program edits"] == 2 and found["programs_checked"] == 1
