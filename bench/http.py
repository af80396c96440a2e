"""The HTTP runs: the production serving set-up (bench/serving.py: HAProxy in front of a pages
pool and a PDF pool, production settings with DEBUG off, plain HTTP on loopback) against the
bench database, and locust headless (bench/locustfile.py): first a 5-user run, then a 50-user
run against the same servers. Each run lasts until STEADY seconds after its last user logged in;
the login ramp and the steady state are reported apart.

    python -m bench.http --database-url URL --out FILE [--users 5,50] [--steady 60]"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from bench.pages import percentile
from bench.serving import ROOT, Serving

BIND = os.environ.get("BENCH_HTTP_BIND", "127.0.0.1:8765")
# gunicorn pools of the one app server: (pages port, pdf port)
POOL_PORTS = (int(os.environ.get("BENCH_PAGES_PORT", "8766")), int(os.environ.get("BENCH_PDF_PORT", "8767")))
ALL_LOGGED_IN = "__all_logged_in__"
LOGIN_NAMES = ("login form", "login")
# Where the bench's locust lives (`make bench-setup` installs it there, apart from .venv: locust
# brings a pytest plugin that the test suite must not load).
BENCH_TOOLS = Path(os.environ.get("BENCH_TOOLS", str(ROOT / ".bench-tools")))


def server_env(database_url: str, **extra: str) -> dict:
    return os.environ | {
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-only-not-a-secret",
        "DJANGO_HTTPS": "false",  # no TLS on loopback; everything else as in production
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_LOG_LEVEL": "WARNING",
        **extra,
    }


def locust_command(locustfile: str, users: int, spawn_rate: float, cap: str, host: str) -> list[str]:
    return [
        sys.executable, "-m", "locust", "-f", locustfile, "--headless", "--only-summary",
        "-u", str(users), "-r", str(spawn_rate), "-t", cap, "--host", host, "--stop-timeout", "10",
    ]  # fmt: skip


def locust_env(**extra: str) -> dict:
    # The repository too: the drill's locustfile imports the bench's (bench.locustfile).
    path = os.pathsep.join(p for p in (str(BENCH_TOOLS), str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return os.environ | {"PYTHONPATH": path, **extra}


def run_locust(host: str, users: int, steady: int, log_path: Path, accounts: int = 0) -> None:
    """Until `steady` seconds after the last user logged in (at most the ramp allowance more)."""
    log_path.unlink(missing_ok=True)
    env = locust_env(
        LOCUST_REQUEST_LOG=str(log_path),
        LOCUST_USERS=str(users),
        LOCUST_STEADY_SECONDS=str(steady + 3),  # the last requests end a little before the quit
        LOCUST_ACCOUNTS=str(accounts),
    )
    cap = f"{steady + 60 + 3 * users}s"
    command = locust_command("bench/locustfile.py", users, max(1, users // 10), cap, host)
    subprocess.run(command, cwd=ROOT, env=env, check=False, stdout=subprocess.DEVNULL)


def read_log(path: Path) -> list[tuple[float, str, float, bool]]:
    rows = []
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            at, name, ms, ok = line.split("\t")
            rows.append((float(at), name, float(ms), ok == "1"))
    return sorted(rows)


def stats(rows: list[tuple[float, str, float, bool]], seconds: float) -> dict:
    samples = [ms for _at, _name, ms, _ok in rows]
    return {
        "requests": len(rows),
        "failures": sum(not ok for *_rest, ok in rows),
        "p50_ms": round(percentile(samples, 0.50), 1) if samples else None,
        "p95_ms": round(percentile(samples, 0.95), 1) if samples else None,
        "rps": round(len(rows) / seconds, 2) if seconds > 0 else None,
    }


def by_name(rows, seconds: float) -> dict:
    groups = defaultdict(list)
    for row in rows:
        groups[row[1]].append(row)
    return {name: stats(group, seconds) for name, group in sorted(groups.items())}


def sent_at(row: tuple[float, str, float, bool]) -> float:
    """When a request was sent: the log has when it ended (locust reports a request then)."""
    at, _name, ms, _ok = row
    return at - ms / 1000


def analyse(rows: list[tuple[float, str, float, bool]], users: int) -> dict:
    """The ramp (start to the moment the last user logged in) and the steady state after it.
    A request belongs to the phase it was sent in: one sent during the ramp that waited behind
    the logins is a ramp figure even when it ends after the last login."""
    marks = [at for at, name, _ms, _ok in rows if name == ALL_LOGGED_IN]
    requests = [row for row in rows if row[1] != ALL_LOGGED_IN]
    if not requests:
        return {"users": users, "all_logged_in": False, "ramp": None, "steady": None, "errors": 0}
    start, end = min(map(sent_at, requests)), requests[-1][0]
    cut = marks[0] if marks else end
    ramp = [row for row in requests if sent_at(row) <= cut]
    steady = [row for row in requests if sent_at(row) > cut]
    ramp_seconds, steady_seconds = cut - start, end - cut
    return {
        "users": users,
        "all_logged_in": bool(marks),
        "ramp": {"seconds": round(ramp_seconds, 1), "total": stats(ramp, ramp_seconds),
                 "by_request": by_name(ramp, ramp_seconds)},
        "steady": {"seconds": round(steady_seconds, 1), "total": stats(steady, steady_seconds),
                   "by_request": by_name(steady, steady_seconds)},
        "errors": sum(not ok for *_rest, ok in requests),
        "failure_lines": [f"{name} ({ms:.0f} ms)" for _at, name, ms, ok in requests if not ok][:20],
    }  # fmt: skip


def serving_description(serving: Serving) -> dict:
    return {
        "balancer": "HAProxy (config/haproxy.py)",
        "app_servers": len(serving.apps) or len(serving.ports),
        "pages_pool": {"worker_class": "sync", "workers": serving.pages_workers, "timeout_s": 30},
        "pdf_pool": {
            "worker_class": "sync",
            "workers": serving.pdf_workers,
            "timeout_s": 120,
            "nice": 10,
            # config/gunicorn.conf.py: on for the PDF pool unless GUNICORN_SCHED_IDLE=0
            "sched_idle": os.environ.get("GUNICORN_SCHED_IDLE", "1") not in ("0", "false", ""),
        },
    }


def http_run(database_url: str, user_counts: list[int], steady: int, work_dir: Path, accounts: int = 0) -> dict:
    work_dir.mkdir(parents=True, exist_ok=True)
    serving = Serving(server_env(database_url), work_dir, bind=BIND, ports=[POOL_PORTS])
    serving.start()
    runs = {}
    try:
        for users in user_counts:
            print(f"  locust: {users} users, {steady} s of steady state", flush=True)
            log_path = work_dir / f"requests-{users}.tsv"
            run_locust(serving.url, users, steady, log_path, accounts)
            runs[str(users)] = analyse(read_log(log_path), users)
    finally:
        serving.stop()
    return {"serving": serving_description(serving), "steady_seconds_asked": steady, "runs": runs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--users", default="5,50")
    parser.add_argument("--steady", type=int, default=60)
    parser.add_argument("--accounts", type=int, default=0)
    parser.add_argument("--work-dir", default=tempfile.mkdtemp(prefix="shigoto-bench-http-"))
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    counts = [int(n) for n in args.users.split(",")]
    result = http_run(args.database_url, counts, args.steady, Path(args.work_dir), args.accounts)
    with open(args.out, "w") as handle:
        json.dump(result, handle, ensure_ascii=False, indent=2)


if __name__ == "__main__":
    main()
