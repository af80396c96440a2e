"""`make bench`: seed (or re-use) the bench databases, measure, write bench/report.md and
bench/report.json. Each measurement runs in a process of its own (the database URL is read at
start-up, and the PDF run's peak memory must be its own).

    python -m bench.run [--force-seed] [--http-duration 60s] [--http-users 50] [--quick]"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import db, report

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "bench"


def django_step(module: str, database_url: str, *args: str) -> dict:
    """Runs `python -m bench.<module>` against one database; returns the JSON it wrote."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = handle.name
    env = os.environ | {"DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    subprocess.run([sys.executable, "-m", f"bench.{module}", *args, "--out", out], cwd=ROOT, env=env, check=True)
    return json.loads(Path(out).read_text(encoding="utf-8"))


def seed_both(force: bool) -> dict:
    seeded = {}
    for scale, url in (("small", db.bench_url("_small")), ("full", db.bench_url())):
        db.ensure_database(url, drop=force)
        print(f"bench: seeding {scale} ({db.database_name(url)})", flush=True)
        seeded[scale] = django_step("seed", url, "--scale", scale)
        seeded[scale]["database_bytes"] = db.database_size(url)
    return seeded


def machine() -> dict:
    load1, load5, _load15 = os.getloadavg()
    return {"cpus": os.cpu_count(), "load_average_1m": round(load1, 2), "load_average_5m": round(load5, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--force-seed", action="store_true", help="drop and re-seed the bench databases")
    parser.add_argument("--http-users", type=int, default=50)
    parser.add_argument("--http-duration", default="60s")
    parser.add_argument("--quick", action="store_true", help="a tenth of the repetitions (trying things out)")
    args = parser.parse_args()
    started = time.perf_counter()
    results = {"machine_before": machine(), "seed": seed_both(args.force_seed)}
    repeat = ["--repeat", "0.1"] if args.quick else []
    print("bench: pages (full data)", flush=True)
    results["pages"] = django_step("pages", db.bench_url(), *repeat)
    print("bench: queries per page (small data)", flush=True)
    results["pages_small"] = django_step("pages", db.bench_url("_small"), "--queries-only")
    print("bench: PDFs", flush=True)
    results["pdfs"] = django_step("pdfs", db.bench_url())
    print(f"bench: HTTP ({args.http_users} users, {args.http_duration})", flush=True)
    from bench.http import http_run

    results["http"] = http_run(db.bench_url(), args.http_users, args.http_duration, Path(tempfile.mkdtemp()))
    results["machine_after"] = machine()
    results["bench_seconds"] = round(time.perf_counter() - started, 1)
    report.write(results, OUT_DIR / "report.json", OUT_DIR / "report.md")
    print(f"bench: report written to {OUT_DIR / 'report.md'} ({results['bench_seconds']} s)", flush=True)


if __name__ == "__main__":
    main()
