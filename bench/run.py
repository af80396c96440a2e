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
from bench.http import http_run

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "bench"
PARTIAL = Path(tempfile.gettempdir()) / "shigoto-bench-partial.json"


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
    parser.add_argument("--resume", action="store_true", help="keep the steps a failed run finished")
    args = parser.parse_args()
    started = time.perf_counter()
    results = {"machine_before": machine(), "seed": seed_both(args.force_seed)}
    repeat = ["--repeat", "0.1"] if args.quick else []
    steps = {
        "pages": lambda: django_step("pages", db.bench_url(), *repeat),
        "pages_small": lambda: django_step("pages", db.bench_url("_small"), "--queries-only"),
        "pdfs": lambda: django_step("pdfs", db.bench_url()),
        "http": lambda: http_run(db.bench_url(), args.http_users, args.http_duration, Path(tempfile.mkdtemp())),
    }
    done = json.loads(PARTIAL.read_text()) if args.resume and PARTIAL.exists() else {}
    for name, step in steps.items():
        print(f"bench: {name}", flush=True)
        results[name] = done.get(name) or step()
        done[name] = results[name]
        PARTIAL.write_text(json.dumps(done))  # a failed run can go on from here (--resume)
    results["machine_after"] = machine()
    results["bench_seconds"] = round(time.perf_counter() - started, 1)
    report.write(results, OUT_DIR / "report.json", OUT_DIR / "report.md")
    print(f"bench: report written to {OUT_DIR / 'report.md'} ({results['bench_seconds']} s)", flush=True)


if __name__ == "__main__":
    main()
