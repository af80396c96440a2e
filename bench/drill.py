"""`make drill`: the scale-out drill, everything on this machine's loopback with real engines from
Debian packages, as docs/deploy.md describes the production set-up:

- PostgreSQL primary and a streaming replica (a second cluster on another port, made with
  pg_basebackup), the replica used through DATABASE_REPLICA_URL;
- Redis for the shared cache and the sessions (cached_db);
- two app servers (each a pages pool and a PDF pool of gunicorn) behind HAProxy;
- the task worker; one media folder shared by all of them.

Locust drives 50 staff through the balancer (bench/drill_locust.py) who search, print and write.
Meanwhile the drill kills one app server with SIGKILL and restarts it, restarts Redis, kills the
task worker in the middle of a binder and restarts it, and stops the replica for a minute. Then
it checks that every write acknowledged to a client is in the database (primary and replica),
that the binders finished, and writes bench/drill-report.md and bench/drill-report.json.
Tear-down stops exactly the processes and clusters it started.

    python -m bench.drill [--dir /tmp/shigoto-drill] [--port-base 55000] [--keep]

Not part of .ci/run (about 12 minutes here)."""

import argparse
import contextlib
import datetime
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import psycopg

from bench.http import ALL_LOGGED_IN, locust_command, locust_env, read_log, server_env, stats
from bench.serving import ROOT, Process, Serving

OUT_DIR = ROOT / "bench"
USERS = 50
QUICK_USERS = 10  # --quick: trying the drill out (10 users, every phase a third as long)
BINDER_PROGRAMS = 8  # the binder the worker is killed in: 8 programs × 3 sheets
PASSWORD = "bench-pass-2026"  # bench.seed.PASSWORD
# How long each phase runs (seconds).
BASELINE, AFTER_KILL_DOWN, AFTER_RESTART, AFTER_REDIS, REPLICA_DOWN, AFTER_REPLICA, RECOVERY = (
    40,
    15,
    20,
    25,
    60,
    30,
    20,
)
# A failed request counts as "at a kill" when it was in flight within this margin of the instant.
KILL_MARGIN = 1.0


def log(message: str) -> None:
    print(f"drill {datetime.datetime.now():%H:%M:%S} {message}", flush=True)


# --- PostgreSQL clusters -------------------------------------------------------------------------


def pg_bin(name: str) -> str:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name), reverse=True)
    for directory in versions:
        if (directory / name).exists():
            return str(directory / name)
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"drill: {name} not found: install PostgreSQL from Debian (apt-get install postgresql)")
    return found


def as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its tools as the postgres account then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def owned_dir(path: Path, mode: int = 0o700) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(mode)  # PostgreSQL refuses a data folder others may read
    if os.geteuid() == 0:
        shutil.chown(path, "postgres", "postgres")
    return path


class Cluster:
    """One PostgreSQL cluster of the drill: its data folder, port and log."""

    def __init__(self, name: str, base: Path, port: int) -> None:
        self.name, self.port = name, port
        self.data = base / f"pg-{name}"
        self.run_dir = base / "pg-run"
        self.log_path = base / "pg-run" / f"pg-{name}.log"  # a folder the postgres account may write
        self.started = False

    def url(self, database: str = "shigoto") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def pg_ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = as_postgres([pg_bin("pg_ctl"), "-D", str(self.data), *args])
        return subprocess.run(command, capture_output=True, text=True, check=check)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.run_dir}"
        self.pg_ctl("-l", str(self.log_path), "-o", options, "-w", "-t", "120", "start")
        self.started = True

    def stop(self, mode: str = "fast") -> None:
        if self.data.exists() and self.pg_ctl("status", check=False).returncode == 0:
            self.pg_ctl("-m", mode, "-w", "-t", "60", "stop", check=False)

    def sql(self, query: str, params=(), database: str = "shigoto"):
        with psycopg.connect(self.url(database), autocommit=True, connect_timeout=3) as connection:
            cursor = connection.execute(query, params)
            return cursor.fetchall() if cursor.description else []


def init_primary(base: Path, port: int) -> Cluster:
    primary = Cluster("primary", base, port)
    owned_dir(primary.run_dir)
    owned_dir(primary.data)
    subprocess.run(
        as_postgres([pg_bin("initdb"), "-D", str(primary.data), "-U", "postgres", "--auth=trust",
                     "-E", "UTF8", "--locale=C.UTF-8"]),
        check=True, capture_output=True,
    )  # fmt: skip
    with open(primary.data / "postgresql.conf", "a", encoding="utf-8") as conf:
        conf.write(
            "\n# the drill\nlisten_addresses = '127.0.0.1'\nwal_level = replica\nmax_wal_senders = 5\n"
            "hot_standby = on\nhot_standby_feedback = on\nmax_standby_streaming_delay = 30s\n"
            "shared_buffers = 64MB\nmax_connections = 200\nwal_keep_size = 256MB\n"
        )
    primary.start()
    primary.sql(
        "CREATE DATABASE shigoto TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'",
        database="postgres",
    )
    return primary


def make_replica(primary: Cluster, base: Path, port: int) -> Cluster:
    replica = Cluster("replica", base, port)
    owned_dir(replica.data)
    subprocess.run(
        as_postgres([pg_bin("pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
                     "-D", str(replica.data), "-R", "-X", "stream", "-c", "fast"]),
        check=True, capture_output=True,
    )  # fmt: skip
    replica.start()
    return replica


# --- Replication lag ---------------------------------------------------------------------------


class LagSampler(threading.Thread):
    """Once a second: how far the replica's replay is behind the primary's WAL (bytes) and the
    age of its last replayed transaction; None while the replica does not answer."""

    def __init__(self, primary: Cluster, replica: Cluster) -> None:
        super().__init__(daemon=True)
        self.primary, self.replica = primary, replica
        self.samples: list[tuple[float, int | None]] = []
        self.halt = threading.Event()

    def run(self) -> None:
        while not self.halt.wait(1.0):
            try:
                (lsn,) = self.primary.sql("SELECT pg_current_wal_lsn()::text")[0]
                (behind,) = self.replica.sql(
                    "SELECT pg_wal_lsn_diff(%s::pg_lsn, pg_last_wal_replay_lsn())::bigint", [lsn]
                )[0]
                self.samples.append((time.time(), max(0, int(behind))))
            except (psycopg.Error, IndexError):
                self.samples.append((time.time(), None))


# --- The drill's data and the binder it kills the worker in ---------------------------------------


def plan(primary: Cluster, path: Path, users: int) -> dict:
    """Per agency number: clients, published programs (referrals, binders), drafts (edits)."""
    result = {}
    for number in range(1, users + 2):
        (agency,) = primary.sql(
            "SELECT m.agency_id FROM registry_membership m JOIN registry_user u ON u.id = m.user_id "
            "WHERE u.email = %s ORDER BY m.id LIMIT 1",
            [f"counselor{number}@bench.invalid"],
        )[0]
        pick = "SELECT uuid::text FROM sheets_program WHERE owner_id = %s AND status = %s ORDER BY id LIMIT %s"
        result[str(number)] = {
            "clients": [r[0] for r in primary.sql(
                "SELECT uuid::text FROM sheets_client WHERE agency_id = %s ORDER BY id LIMIT 5", [agency])],
            "published": [r[0] for r in primary.sql(pick, [agency, "published", BINDER_PROGRAMS])],
            "drafts": [r[0] for r in primary.sql(pick, [agency, "draft", 2])],
        }  # fmt: skip
    path.write_text(json.dumps(result), encoding="utf-8")
    return result


def queue_binder(base_url: str, number: int, programs: list[str]) -> str:
    """Logs in as counselor `number` through the balancer and queues a binder of `programs`
    (3 sheets each); returns the job's uuid."""
    import re

    import requests

    session = requests.Session()
    session.get(f"{base_url}/accounts/login/", timeout=30)
    token = session.cookies.get("csrftoken")
    response = session.post(
        f"{base_url}/accounts/login/",
        {"username": f"counselor{number}@bench.invalid", "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base_url}/accounts/login/"}, allow_redirects=False, timeout=60,
    )  # fmt: skip
    if response.status_code != 302:
        raise SystemExit(f"drill: the binder's counselor could not log in ({response.status_code})")

    def post(url: str, data) -> requests.Response:
        token = session.cookies.get("csrftoken")
        data = [*data, ("csrfmiddlewaretoken", token)]
        return session.post(f"{base_url}{url}", data, headers={"Referer": f"{base_url}{url}"},
                            allow_redirects=False, timeout=60)  # fmt: skip

    for program in programs:
        post(f"/programs/{program}/print-list/", [])
    kinds = [(f"kinds_{p}", kind) for p in programs for kind in ("employer", "client", "supporter")]
    response = post("/programs/print-list/", [*kinds, ("download", "1")])
    found = re.search(r"/jobs/([0-9a-f-]{36})/", response.headers.get("Location", ""))
    if not found:
        raise SystemExit(f"drill: the binder was not queued ({response.status_code} {response.headers})")
    session.close()
    return found.group(1)


def download_binder(base_url: str, number: int, job: str) -> int:
    """The finished binder's size in bytes, fetched through the balancer (from the shared media)."""
    import requests

    session = requests.Session()
    session.get(f"{base_url}/accounts/login/", timeout=30)
    session.post(
        f"{base_url}/accounts/login/",
        {"username": f"counselor{number}@bench.invalid", "password": PASSWORD,
         "csrfmiddlewaretoken": session.cookies.get("csrftoken")},
        headers={"Referer": f"{base_url}/accounts/login/"}, timeout=60,
    )  # fmt: skip
    response = session.get(f"{base_url}/jobs/{job}/download/", timeout=60)
    ok = response.status_code == 200 and response.content.startswith(b"%PDF")
    return len(response.content) if ok else 0


def job_state(primary: Cluster, job: str) -> tuple[str, int, int]:
    rows = primary.sql("SELECT status, done, total FROM jobs_job WHERE uuid = %s", [job])
    return rows[0] if rows else ("missing", 0, 0)


# --- Checking the writes ---------------------------------------------------------------------


def read_writes(path: Path) -> list[tuple[float, str, str, str, str]]:
    rows = []
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            at, kind, key, value, state = line.split("\t")
            rows.append((float(at), kind, key, value, state))
    return sorted(rows)


def check_writes(writes, cluster: Cluster) -> dict:
    """Every acknowledged write, looked up in `cluster`. A program may hold a later edit than the
    last acknowledged one (sent, never answered: in flight at a kill), never an earlier one."""
    acked = [w for w in writes if w[4] == "acked"]
    referrals = [w[3] for w in acked if w[1] == "referral"]
    found = {
        r[0] for r in cluster.sql("SELECT uuid::text FROM sheets_referral WHERE uuid = ANY(%s::uuid[])", [referrals])
    }
    binders = [w[3] for w in acked if w[1] == "binder"]
    jobs = {r[0] for r in cluster.sql("SELECT uuid::text FROM jobs_job WHERE uuid = ANY(%s::uuid[])", [binders])}
    edits = defaultdict(list)
    for at, kind, program, marker, state in writes:
        if kind == "program" and state in ("sent", "acked"):
            edits[program].append((at, marker, state))
    programs_lost = []
    for program, events in edits.items():
        last_acked = max((i for i, e in enumerate(events) if e[2] == "acked"), default=None)
        if last_acked is None:
            continue
        allowed = {e[1] for e in events[last_acked:]}
        (cautions,) = cluster.sql("SELECT cautions FROM sheets_program WHERE uuid = %s", [program])[0]
        if cautions not in allowed:
            programs_lost.append(program)
    program_edits = sum(1 for w in acked if w[1] == "program")
    return {
        "acknowledged": {"referrals": len(referrals), "program edits": program_edits, "binders": len(binders)},
        "lost": {
            "referrals": len(set(referrals) - found),
            "program edits": len(programs_lost),
            "binders": len(set(binders) - jobs),
        },
        "programs_checked": sum(1 for e in edits.values() if any(x[2] == "acked" for x in e)),
    }


# --- Errors by phase ------------------------------------------------------------------------------


def errors_by_phase(requests_log, phases: list[dict], kills: list[dict]) -> list[dict]:
    rows = []
    for phase in phases:
        inside = [r for r in requests_log if r[1] != ALL_LOGGED_IN and phase["start"] <= r[0] < phase["end"]]
        failed = [r for r in inside if not r[3]]
        at_kill = [
            r for r in failed
            if any(r[0] - r[2] / 1000 - KILL_MARGIN <= k["at"] <= r[0] + KILL_MARGIN for k in kills)
        ]  # fmt: skip
        seconds = phase["end"] - phase["start"]
        rows.append({
            "phase": phase["name"], "seconds": round(seconds, 1), **stats(inside, seconds),
            "errors_at_kill": len(at_kill), "errors_other": len(failed) - len(at_kill),
            "failed": [f"{r[1]} ({r[2]:.0f} ms)" for r in failed][:10],
        })  # fmt: skip
    return rows


# --- The drill ------------------------------------------------------------------------------------


class Drill:
    def __init__(self, base: Path, port_base: int, quick: bool = False) -> None:
        self.base = base
        self.users = QUICK_USERS if quick else USERS
        self.scale = 0.33 if quick else 1.0
        self.ports = {
            "primary": port_base + 432, "replica": port_base + 433, "redis": port_base + 379,
            "balancer": port_base + 80, "app1": (port_base + 1, port_base + 2),
            "app2": (port_base + 11, port_base + 12),
        }  # fmt: skip
        self.primary: Cluster | None = None
        self.replica: Cluster | None = None
        self.redis: Process | None = None
        self.worker: Process | None = None
        self.locust: Process | None = None
        self.serving: Serving | None = None
        self.sampler: LagSampler | None = None
        self.events: list[dict] = []
        self.phases: list[dict] = []
        self.kills: list[dict] = []

    def event(self, name: str, **detail) -> float:
        at = time.time()
        self.events.append(
            {"at": at, "time": datetime.datetime.fromtimestamp(at).strftime("%H:%M:%S"), "event": name, **detail}
        )
        log(f"{name} {detail if detail else ''}")
        return at

    def phase(self, name: str, seconds: float, work=None) -> None:
        seconds *= self.scale
        start = time.time()
        if work:
            work()
        time.sleep(max(0.0, seconds - (time.time() - start)))
        self.phases.append({"name": name, "start": start, "end": time.time()})

    def app_env(self) -> dict:
        return server_env(
            self.primary.url(),
            DATABASE_REPLICA_URL=self.replica.url(),
            REDIS_URL=f"redis://127.0.0.1:{self.ports['redis']}/0",
            DJANGO_SESSION_STORE="cached_db",
            DJANGO_MEDIA_ROOT=str(self.base / "media"),
            DJANGO_BEHIND_PROXY="true",
            BINDER_BACKGROUND_THRESHOLD="10",
        )

    def start_redis(self) -> None:
        redis_dir = self.base / "redis"
        redis_dir.mkdir(exist_ok=True)
        command = ["redis-server", "--port", str(self.ports["redis"]), "--bind", "127.0.0.1", "--save", "",
                   "--appendonly", "no", "--dir", str(redis_dir)]  # fmt: skip
        self.redis = Process("redis", command, dict(os.environ), self.base / "redis.log")
        self.redis.start()
        for _ in range(50):
            probe = subprocess.run(
                ["redis-cli", "-p", str(self.ports["redis"]), "ping"],  # noqa: S607 (Debian's redis-tools)
                capture_output=True,
                text=True,
                check=False,
            )
            if probe.stdout.strip() == "PONG":
                return
            time.sleep(0.1)
        raise SystemExit("drill: Redis did not answer")

    def start_worker(self) -> None:
        env = self.app_env()
        manage = [sys.executable, "manage.py"]
        requeued = subprocess.run([*manage, "requeue_interrupted", "--worker-id", "drill-1"], cwd=ROOT, env=env,
                                  capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
        command = [*manage, "db_worker", "--no-reload", "--interval", "1", "--worker-id", "drill-1"]
        self.worker = Process("worker", command, env, self.base / "worker.log")
        self.worker.start()
        self.event("task worker started", requeue=requeued)

    def set_up(self) -> None:
        for tool in ("redis-server", "redis-cli"):
            if not shutil.which(tool):
                raise SystemExit(f"drill: {tool} not found: apt-get install redis-server")
        if self.base.exists():
            raise SystemExit(f"drill: {self.base} exists (a drill running, or left over): remove it first")
        self.base.mkdir(parents=True)
        os.chmod(self.base, 0o755)  # noqa: S103 (the postgres account reaches its folders through it)
        (self.base / "media").mkdir()
        log(f"PostgreSQL primary on {self.ports['primary']}")
        self.primary = init_primary(self.base, self.ports["primary"])
        log("migrating and seeding the drill data (10,000 programs)")
        env = os.environ | {"DATABASE_URL": self.primary.url(), "DJANGO_SETTINGS_MODULE": "bench.settings"}
        subprocess.run([sys.executable, "-m", "bench.seed", "--scale", "drill"], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        log(f"streaming replica on {self.ports['replica']} (pg_basebackup)")
        self.replica = make_replica(self.primary, self.base, self.ports["replica"])
        (in_recovery,) = self.replica.sql("SELECT pg_is_in_recovery()")[0]
        if not in_recovery:
            raise SystemExit("drill: the replica is not in recovery")
        self.sampler = LagSampler(self.primary, self.replica)
        self.sampler.start()
        log(f"Redis on {self.ports['redis']}")
        self.start_redis()
        log(f"two app servers behind HAProxy on {self.ports['balancer']}")
        self.serving = Serving(
            self.app_env(), self.base / "serving", bind=f"127.0.0.1:{self.ports['balancer']}",
            ports=[self.ports["app1"], self.ports["app2"]], pages_workers=2, pdf_workers=1,
        )  # fmt: skip
        self.serving.start()
        self.start_worker()

    def start_locust(self) -> None:
        self.plan = plan(self.primary, self.base / "plan.json", self.users)
        env = locust_env(
            LOCUST_REQUEST_LOG=str(self.base / "requests.tsv"),
            DRILL_WRITES_LOG=str(self.base / "writes.tsv"),
            DRILL_PLAN=str(self.base / "plan.json"),
            LOCUST_USERS=str(self.users),
        )
        command = locust_command("bench/drill_locust.py", self.users, 5, "30m", self.serving.url)
        self.locust = Process("locust", command, env, self.base / "locust.log")
        self.locust.start()

    def wait_logged_in(self, seconds: float = 300) -> None:
        deadline = time.time() + seconds
        while time.time() < deadline:
            if any(r[1] == ALL_LOGGED_IN for r in read_log(self.base / "requests.tsv")):
                return
            time.sleep(1)
        raise SystemExit("drill: not every simulated user logged in")

    def kill_app_server(self) -> None:
        app = self.serving.apps[0]
        self.kills.append({"what": "app server app1 (SIGKILL)", "at": self.event("SIGKILL app server app1")})
        self.serving.kill_app(app)
        time.sleep(AFTER_KILL_DOWN * self.scale)
        self.serving.start_app(app)
        self.event("app server app1 restarted")

    def restart_redis(self) -> None:
        self.kills.append({"what": "Redis restart", "at": self.event("Redis stopping")})
        self.redis.stop()
        self.start_redis()
        self.event("Redis started again (empty: nothing persisted)")

    def kill_worker_mid_binder(self) -> None:
        self.binder_job = queue_binder(self.serving.url, self.users + 1, self.plan[str(self.users + 1)]["published"])
        self.event("binder queued", job=self.binder_job)
        deadline = time.time() + 240  # the staff's binders may be ahead of it in the queue
        while time.time() < deadline:
            status, done, total = job_state(self.primary, self.binder_job)
            if status == "running" and done > 0:
                break
            time.sleep(0.2)
        else:
            raise SystemExit(f"drill: the binder did not start ({status})")
        self.kills.append(
            {"what": "task worker (SIGKILL)", "at": self.event("SIGKILL task worker", binder=f"{done}/{total}")}
        )
        self.worker.kill()
        self.binder_at_kill = f"{done} of {total} sheets"
        time.sleep(5)
        self.start_worker()

    def stop_replica(self) -> None:
        self.kills.append({"what": "replica stopped", "at": self.event("replica stopping (pg_ctl stop -m fast)")})
        self.replica.stop()
        time.sleep(REPLICA_DOWN * self.scale)
        self.replica.start()
        self.event("replica started again")

    def run(self) -> dict:
        started = time.time()
        self.set_up()
        setup_seconds = time.time() - started
        self.start_locust()
        self.event("locust started", users=self.users)
        self.wait_logged_in()
        self.event("every simulated user logged in")
        ramp_end = time.time()
        self.phases.append({"name": "login ramp", "start": started + setup_seconds, "end": ramp_end})
        self.phase("steady (baseline)", BASELINE)
        self.phase("app server killed and restarted", AFTER_RESTART, self.kill_app_server)
        self.phase("Redis restarted", AFTER_REDIS, self.restart_redis)
        self.phase("task worker killed mid-binder", 10, self.kill_worker_mid_binder)
        self.phase("replica stopped for a minute", AFTER_REPLICA, self.stop_replica)
        self.phase("recovery", RECOVERY)
        self.locust.stop()
        self.event("locust stopped")
        binders = self.wait_for_binders()
        time.sleep(2)  # the last WAL reaches the replica
        self.sampler.halt.set()
        writes = read_writes(self.base / "writes.tsv")
        requests_log = read_log(self.base / "requests.tsv")
        result = {
            "written_at": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": {"cpus": os.cpu_count(), "load_average_1m": round(os.getloadavg()[0], 2)},
            "setup_seconds": round(setup_seconds, 1),
            "drill_seconds": round(time.time() - started, 1),
            "set_up": self.description(),
            "events": self.events,
            "kills": [{"what": k["what"], "time": datetime.datetime.fromtimestamp(k["at"]).strftime("%H:%M:%S")}
                      for k in self.kills],
            "phases": errors_by_phase(requests_log, self.phases, self.kills),
            "total": stats([r for r in requests_log if r[1] != ALL_LOGGED_IN], time.time() - started),
            "writes_primary": check_writes(writes, self.primary),
            "writes_replica": check_writes(writes, self.replica),
            "binders": binders,
            "replica_lag": self.lag_summary(),
        }  # fmt: skip
        result["passed"] = self.verdict(result)
        return result

    def wait_for_binders(self) -> dict:
        """The killed binder and the ones the staff queued: all done within 3 minutes."""
        jobs = [w[3] for w in read_writes(self.base / "writes.tsv") if w[1] == "binder" and w[4] == "acked"]
        deadline = time.time() + 180
        states = {}
        while time.time() < deadline:
            states = {job: job_state(self.primary, job)[0] for job in [self.binder_job, *jobs]}
            if all(s in ("done", "failed") for s in states.values()):
                break
            time.sleep(2)
        size = (
            download_binder(self.serving.url, self.users + 1, self.binder_job)
            if states[self.binder_job] == "done"
            else 0
        )
        self.event(
            "binders finished",
            states=dict(sorted({s: list(states.values()).count(s) for s in states.values()}.items())),
        )
        return {
            "killed_binder": {"job": self.binder_job, "worker killed at": self.binder_at_kill,
                              "status": states[self.binder_job], "downloaded_bytes": size},
            "queued_by_staff": len(jobs),
            "staff_binders_done": sum(1 for j in jobs if states.get(j) == "done"),
        }  # fmt: skip

    def lag_summary(self) -> dict:
        samples = self.sampler.samples if self.sampler else []
        seen = [b for _t, b in samples if b is not None]
        replica_start = next((e["at"] for e in self.events if e["event"] == "replica started again"), None)
        caught_up = None
        if replica_start:
            after = [(t, b) for t, b in samples if t >= replica_start and b is not None]
            first_zero = next((t for t, b in after if b == 0), None)
            caught_up = round(first_zero - replica_start, 1) if first_zero else None
        return {
            "samples": len(samples),
            "unanswered_samples": sum(1 for _t, b in samples if b is None),
            "max_bytes": max(seen, default=None),
            "p95_bytes": sorted(seen)[int(0.95 * (len(seen) - 1))] if seen else None,
            "last_bytes": seen[-1] if seen else None,
            "caught_up_seconds_after_restart": caught_up,
        }

    def verdict(self, result: dict) -> bool:
        lost = sum(result["writes_primary"]["lost"].values()) + sum(result["writes_replica"]["lost"].values())
        other_errors = sum(p["errors_other"] for p in result["phases"])
        return lost == 0 and other_errors == 0 and result["binders"]["killed_binder"]["status"] == "done"

    def description(self) -> dict:
        return {
            "postgresql": f"primary on {self.ports['primary']}, streaming replica on {self.ports['replica']} "
                          "(pg_basebackup -R -X stream), reads through DATABASE_REPLICA_URL",
            "redis": f"port {self.ports['redis']}: cache (config.cache.ResilientRedisCache) and sessions (cached_db)",
            "app_servers": (
                "2, each a pages pool (2 sync workers) and a PDF pool (1 sync worker, nice 10, SCHED_IDLE) of gunicorn"
            ),
            "balancer": f"HAProxy on {self.ports['balancer']} (config/haproxy.py)",
            "task_worker": "1 (manage.py db_worker, requeue_interrupted before each start)",
            "media": str(self.base / "media"),
            "users": f"{self.users} (locust, bench/drill_locust.py)",
        }  # fmt: skip

    def tear_down(self, keep: bool) -> None:
        """Stops exactly what this drill started, newest first."""
        for process in (self.locust, self.worker):
            if process is not None:
                process.stop()
        if self.serving is not None:
            self.serving.stop()
        if self.redis is not None:
            self.redis.stop()
        if self.sampler is not None:
            self.sampler.halt.set()
        for cluster in (self.replica, self.primary):
            if cluster is not None:
                cluster.stop()
        if not keep:
            for name in ("pg-primary", "pg-replica", "redis", "media"):
                shutil.rmtree(self.base / name, ignore_errors=True)
        log(f"torn down (logs kept in {self.base})")


def timeline_detail(event: dict) -> str:
    detail = {k: v for k, v in event.items() if k not in ("at", "time", "event")}
    return f" ({', '.join(f'{k}: {v}' for k, v in detail.items())})" if detail else ""


def markdown(result: dict) -> str:
    primary, replica = result["writes_primary"], result["writes_replica"]
    lag = result["replica_lag"]
    binder = result["binders"]["killed_binder"]
    lines = [
        "# Scale-out drill report",
        "",
        f"Written by `make drill` on {result['written_at']} ({result['drill_seconds']:.0f} s, of which "
        f"{result['setup_seconds']:.0f} s setting up). Machine: {result['machine']['cpus']} cores, load average "
        f"{result['machine']['load_average_1m']} at the end. **Result: {'PASSED' if result['passed'] else 'FAILED'}** "
        "(0 lost acknowledged writes, errors only at the kill instants, the killed binder finished).",
        "",
        "## Set-up (docs/deploy.md)",
        "",
        *[f"- {name.replace('_', ' ')}: {text}" for name, text in result["set_up"].items()],
        "",
        f"## Requests: {result['total']['requests']:,}, errors by phase",
        "",
        "An error counts as *at a kill* when its request was in flight within "
        f"{KILL_MARGIN:.0f} s of a kill instant; any other error fails the drill.",
        "",
        "| phase | seconds | requests | errors at a kill | other errors | p50 ms | p95 ms | req/s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for p in result["phases"]:
        cells = [p["phase"], p["seconds"], f"{p['requests']:,}", p["errors_at_kill"], p["errors_other"],
                 p["p50_ms"], p["p95_ms"], p["rps"]]  # fmt: skip
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    failed = [f"{p['phase']}: {', '.join(p['failed'])}" for p in result["phases"] if p["failed"]]
    if failed:
        lines += ["", "Failed requests (first ten of each phase):", "", *[f"- {line}" for line in failed]]
    lines += [
        "",
        "## Writes acknowledged to a client, looked up afterwards",
        "",
        "| write | acknowledged | lost (primary) | lost (replica) |",
        "|---|---|---|---|",
    ]
    for kind, count in primary["acknowledged"].items():
        lines.append(f"| {kind} | {count} | {primary['lost'][kind]} | {replica['lost'][kind]} |")
    lines += [
        "",
        "A program edit counts as lost when the program holds an edit older than the last one the "
        "client was told was saved.",
        "",
        "## The binder the worker was killed in",
        "",
        f"Job {binder['job']}: worker killed at {binder['worker killed at']}; after the restart "
        f"(requeue_interrupted, then db_worker) its status is **{binder['status']}**, "
        f"{binder['downloaded_bytes']:,} bytes of PDF downloaded through the balancer (shared media). "
        f"Binders queued by the staff: {result['binders']['queued_by_staff']}, "
        f"done: {result['binders']['staff_binders_done']}.",
        "",
        "## Replica lag",
        "",
        f"Sampled once a second ({lag['samples']} samples, {lag['unanswered_samples']} while the replica was "
        f"stopped): replay behind the primary's WAL by at most {lag['max_bytes']} bytes (p95 {lag['p95_bytes']}, "
        f"last {lag['last_bytes']}); caught up {lag['caught_up_seconds_after_restart']} s after it was started again.",
        "",
        "## Timeline",
        "",
        *[f"- {e['time']} {e['event']}{timeline_detail(e)}" for e in result["events"]],
        "",
    ]  # fmt: skip
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dir", default="/tmp/shigoto-drill")  # noqa: S108 (loopback drill, made fresh)
    parser.add_argument("--port-base", type=int, default=55000)
    parser.add_argument("--keep", action="store_true", help="keep the clusters' data folders")
    parser.add_argument("--quick", action="store_true", help="10 users, shorter phases: trying the drill out")
    parser.add_argument("--out", default=str(OUT_DIR / "drill-report"), help="report path without .md/.json")
    args = parser.parse_args()
    drill = Drill(Path(args.dir), args.port_base, args.quick)

    def interrupted(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    try:
        result = drill.run()
    finally:
        with contextlib.suppress(Exception):
            drill.tear_down(args.keep)
    Path(f"{args.out}.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    Path(f"{args.out}.md").write_text(markdown(result), encoding="utf-8")
    log(f"report: {args.out}.md ({'passed' if result['passed'] else 'FAILED'})")
    sys.exit(0 if result["passed"] else 1)


if __name__ == "__main__":
    main()
