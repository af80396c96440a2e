"""`make load` (issue 6, item 7): 50 counselors searching, opening programs and printing for
10 minutes of steady state (LOAD_DURATION, after every counselor logged in) against the
production serving set-up (bench/serving.py) and the seeded PostgreSQL bench database. Writes
bench/load-report.md and bench/load-report.json. Not part of the tests.

    python -m bench.load [--users 50] [--duration 10m]"""

import argparse
import datetime
import json
import tempfile
from pathlib import Path

from bench import db
from bench.http import http_run
from bench.run import OUT_DIR, django_step, machine


def seconds(duration: str) -> int:
    """ "10m", "90s", "1h" or a number of seconds."""
    units = {"s": 1, "m": 60, "h": 3600}
    if duration[-1:] in units:
        return int(float(duration[:-1]) * units[duration[-1]])
    return int(duration)


def markdown(result: dict) -> str:
    run = result["runs"][str(result["users"])]
    steady, ramp = run["steady"], run["ramp"]
    total = steady["total"]
    serving = result["serving"]
    lines = [
        "# Load test report",
        "",
        f"Written by `make load` on {result['written_at']}: {result['users']} counselors (locust, bench/locustfile.py) "
        f"searching, opening programs and printing sheets for {steady['seconds']:.0f} s of steady state after a "
        f"login ramp of {ramp['seconds']:.0f} s, against HAProxy and an app server of "
        f"{serving['pages_pool']['workers']} page workers and {serving['pdf_pool']['workers']} PDF workers "
        f"(DEBUG off) with PostgreSQL holding {result['programs']:,} programs. "
        f"Machine: {result['machine']['cpus']} cores, "
        f"load average {result['machine']['load_average_1m']} at the start.",
        "",
        f"**Steady state: {total['requests']:,} requests, {total['failures']} errors**, {total['rps']} requests/s, "
        f"p50 {total['p50_ms']:.0f} ms, p95 {total['p95_ms']:.0f} ms. Errors over the whole run: {run['errors']}.",
        "",
        "| request | requests | errors | p50 ms | p95 ms | req/s |",
        "|---|---|---|---|---|---|",
    ]
    for name, s in steady["by_request"].items():
        lines.append(
            f"| {name} | {s['requests']:,} | {s['failures']} | {s['p50_ms']:.0f} | {s['p95_ms']:.0f} | {s['rps']} |"
        )
    if run["failure_lines"]:
        lines += ["", "Failures:", "", *[f"- `{line}`" for line in run["failure_lines"]]]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", default="10m")
    args = parser.parse_args()
    url = db.bench_url()
    db.ensure_database(url)
    seeded = django_step("seed", url, "--scale", "full")
    result = {"machine": machine(), "programs": seeded["rows"]["sheets_program"], "users": args.users}
    accounts = seeded["rows"].get("registry_agency", 0)
    result |= http_run(url, [args.users], seconds(args.duration), Path(tempfile.mkdtemp()), accounts)
    result["written_at"] = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    (OUT_DIR / "load-report.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (OUT_DIR / "load-report.md").write_text(markdown(result), encoding="utf-8")
    run = result["runs"][str(args.users)]
    steady_requests = run["steady"]["total"]["requests"]
    print(f"load: {steady_requests} requests in the steady state, {run['errors']} errors", flush=True)


if __name__ == "__main__":
    main()
