"""`make load` (issue 6, item 7): 50 counselors searching, opening programs and printing for
10 minutes (LOAD_DURATION) against gunicorn with 2 workers and the seeded PostgreSQL bench
database. Writes bench/load-report.md and bench/load-report.json. Not part of the tests.

    python -m bench.load [--users 50] [--duration 10m]"""

import argparse
import datetime
import json
import tempfile
from pathlib import Path

from bench import db
from bench.http import http_run
from bench.run import OUT_DIR, django_step, machine


def markdown(result: dict) -> str:
    total = result["total"]
    lines = [
        "# Load test report",
        "",
        f"Written by `make load` on {result['written_at']}: {result['users']} counselors (locust, bench/locustfile.py) "
        f"searching, opening programs and printing sheets for {result['duration']} against gunicorn with "
        f"{result['workers']} workers (DEBUG off) and PostgreSQL holding {result['programs']:,} programs. "
        f"Machine: {result['machine']['cpus']} cores, "
        f"load average {result['machine']['load_average_1m']} at the start.",
        "",
        f"**{total['requests']:,} requests, {total['failures']} errors**, {total['rps']} requests/s, "
        f"p50 {total['p50_ms']:.0f} ms, p95 {total['p95_ms']:.0f} ms.",
        "",
        "| request | requests | errors | p50 ms | p95 ms | req/s |",
        "|---|---|---|---|---|---|",
    ]
    for name, s in result["by_request"].items():
        lines.append(
            f"| {name} | {s['requests']:,} | {s['failures']} | {s['p50_ms']:.0f} | {s['p95_ms']:.0f} | {s['rps']} |"
        )
    if result["failure_lines"]:
        lines += ["", "Failures:", "", *[f"- `{line}`" for line in result["failure_lines"]]]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", default="10m")
    args = parser.parse_args()
    url = db.bench_url()
    db.ensure_database(url)
    seeded = django_step("seed", url, "--scale", "full")
    result = {"machine": machine(), "programs": seeded["rows"]["sheets_program"]}
    result |= http_run(url, args.users, args.duration, Path(tempfile.mkdtemp()))
    result["written_at"] = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    (OUT_DIR / "load-report.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (OUT_DIR / "load-report.md").write_text(markdown(result), encoding="utf-8")
    print(f"load: {result['total']['requests']} requests, {result['total']['failures']} errors", flush=True)


if __name__ == "__main__":
    main()
