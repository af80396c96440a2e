"""The HTTP run: gunicorn (config/gunicorn.conf.py, 2 workers, production settings with DEBUG
off, plain HTTP on a local port) against the bench database, and locust headless with N
counselors (bench/locustfile.py). `python -m bench.http --users 50 --duration 60s --out FILE`."""

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PORT = os.environ.get("BENCH_HTTP_PORT", "8765")


def server_env(database_url: str) -> dict:
    return os.environ | {
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-only-not-a-secret",
        "DJANGO_HTTPS": "false",  # no TLS on the local port; everything else as in production
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_LOG_LEVEL": "WARNING",
        "GUNICORN_BIND": f"127.0.0.1:{PORT}",
        "GUNICORN_WORKERS": "2",
    }


def start_gunicorn(database_url: str, log_path: Path) -> subprocess.Popen:
    command = [str(VENV_BIN / "gunicorn"), "-c", "config/gunicorn.conf.py", "config.wsgi"]
    log = open(log_path, "w")  # noqa: SIM115 (closed with the process)
    server = subprocess.Popen(command, cwd=ROOT, env=server_env(database_url), stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    stop(server)
    raise SystemExit(f"bench: gunicorn did not answer /healthz (see {log_path})")


def stop(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


def run_locust(users: int, duration: str, csv_prefix: Path) -> None:
    command = [
        str(VENV_BIN / "locust"), "-f", "bench/locustfile.py", "--headless", "--only-summary",
        "-u", str(users), "-r", str(max(1, users // 10)), "-t", duration,
        "--host", f"http://127.0.0.1:{PORT}", "--csv", str(csv_prefix), "--stop-timeout", "30",
    ]  # fmt: skip
    subprocess.run(command, cwd=ROOT, check=False, stdout=subprocess.DEVNULL)


def read_stats(csv_prefix: Path) -> dict:
    """Per request name and in total: requests, failures, p50/p95 (ms), requests per second."""
    rows = {}
    with open(f"{csv_prefix}_stats.csv") as handle:
        for row in csv.DictReader(handle):
            rows[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50_ms": float(row["50%"]),
                "p95_ms": float(row["95%"]),
                "rps": round(float(row["Requests/s"]), 2),
            }
    return {"total": rows.pop("Aggregated"), "by_request": rows}


def http_run(database_url: str, users: int, duration: str, work_dir: Path) -> dict:
    work_dir.mkdir(parents=True, exist_ok=True)
    server = start_gunicorn(database_url, work_dir / "gunicorn.log")
    try:
        run_locust(users, duration, work_dir / "locust")
    finally:
        stop(server)
    total = read_stats(work_dir / "locust")
    errors = (work_dir / "locust_failures.csv").read_text(encoding="utf-8").splitlines()[1:]
    return {"users": users, "duration": duration, "workers": 2, **total, "failure_lines": errors[:20]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", default="60s")
    parser.add_argument("--work-dir", default=tempfile.mkdtemp(prefix="shigoto-bench-http-"))
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    result = http_run(args.database_url, args.users, args.duration, Path(args.work_dir))
    with open(args.out, "w") as handle:
        json.dump(result, handle, ensure_ascii=False, indent=2)


if __name__ == "__main__":
    main()
