"""`make bench`: seed (or re-use) the bench databases, measure, write bench/report.md and
bench/report.json. Each measurement runs in a process of its own (the database URL is read at
start-up, and the PDF run's peak memory must be its own).

BENCH_SCALE (or --scale) names the pair of data sizes compared for growth:
  100k (default): ~10,000 programs against 100,000 — bench/report.md
  1m:             100,000 against 1,000,000       — bench/report-1m.md (not part of .ci/run)
  small:          ~1,000 against ~10,000          — bench/report-small.md (trying the bench out)

    python -m bench.run [--scale 100k] [--force-seed] [--steady 60] [--quick]"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import db, report
from bench.growth import interleaved
from bench.http import http_run

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "bench"
PARTIAL = Path(tempfile.gettempdir()) / "shigoto-bench-partial.json"
# BENCH_SCALE → (the smaller seed scale, the larger one); the larger one is measured in full.
SCALE_PAIRS = {"100k": ("small", "full"), "1m": ("full", "1m"), "small": ("tiny", "small")}
HTTP_USERS = (5, 50)


def report_paths(scale: str) -> tuple[Path, Path]:
    stem = "report" if scale == "100k" else f"report-{scale}"
    return OUT_DIR / f"{stem}.json", OUT_DIR / f"{stem}.md"


def django_step(module: str, database_url: str, *args: str) -> dict:
    """Runs `python -m bench.<module>` against one database; returns the JSON it wrote."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = handle.name
    command = [sys.executable, "-m", f"bench.{module}", *args, "--out", out]
    subprocess.run(command, cwd=ROOT, env=db.django_env(database_url), check=True)
    return json.loads(Path(out).read_text(encoding="utf-8"))


def seed_pair(scales: tuple[str, str], force: bool) -> dict:
    seeded = {}
    for scale in scales:
        url = db.scale_url(scale)
        db.ensure_database(url, drop=force)
        print(f"bench: seeding {scale} ({db.database_name(url)})", flush=True)
        seeded[scale] = django_step("seed", url, "--scale", scale)
        seeded[scale]["database_bytes"] = db.database_size(url)
    return seeded


def machine() -> dict:
    load1, load5, _load15 = os.getloadavg()
    return {"cpus": os.cpu_count(), "load_average_1m": round(load1, 2), "load_average_5m": round(load5, 2)}


def previous_report(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=sorted(SCALE_PAIRS), default=os.environ.get("BENCH_SCALE") or "100k")
    parser.add_argument("--force-seed", action="store_true", help="drop and re-seed the bench databases")
    parser.add_argument("--steady", type=int, default=60, help="seconds of steady state in each HTTP run")
    parser.add_argument("--quick", action="store_true", help="a tenth of the repetitions (trying things out)")
    parser.add_argument("--resume", action="store_true", help="keep the steps a failed run finished")
    parser.add_argument("--seed-only", action="store_true", help="seed the two databases and stop")
    parser.add_argument(
        "--pages-only",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="only the page figures and their targets (the default for 1m: PDFs and HTTP do not depend on it)",
    )
    args = parser.parse_args()
    pages_only = args.scale == "1m" if args.pages_only is None else args.pages_only
    started = time.perf_counter()
    smaller, larger = SCALE_PAIRS[args.scale]
    json_path, md_path = report_paths(args.scale)
    results = {
        "scale": args.scale,
        "pages_only": pages_only,
        "sizes": {"smaller": smaller, "larger": larger},
        "machine_before": machine(),
        "seed": seed_pair((smaller, larger), args.force_seed),
    }
    if args.seed_only:
        print(json.dumps(results["seed"], indent=2), flush=True)
        return
    larger_url, smaller_url = db.scale_url(larger), db.scale_url(smaller)
    accounts = str(results["seed"][larger]["rows"].get("registry_agency", 0))

    def pages_pair() -> dict:
        # Both sizes in alternating rounds (bench/growth.py): a growth ratio's two halves are
        # measured in the same minutes.
        small, large = interleaved(smaller_url, larger_url, 0.1 if args.quick else 1.0)
        return {"pages_small": small, "pages": large}

    steps = {
        "pages_pair": pages_pair,
        "pdfs": lambda: django_step("pdfs", larger_url),
        "http": lambda: http_run(larger_url, list(HTTP_USERS), args.steady, Path(tempfile.mkdtemp()), int(accounts)),
    }
    if pages_only:
        steps = {name: step for name, step in steps.items() if name.startswith("pages")}
    done = json.loads(PARTIAL.read_text()) if args.resume and PARTIAL.exists() else {}
    for name, step in steps.items():
        print(f"bench: {name}", flush=True)
        results[name] = done.get(name) or step()
        done[name] = results[name]
        PARTIAL.write_text(json.dumps(done))  # a failed run can go on from here (--resume)
    results |= results.pop("pages_pair")
    results["machine_after"] = machine()
    results["bench_seconds"] = round(time.perf_counter() - started, 1)
    report.write(results, json_path, md_path, previous=previous_report(json_path))
    print(f"bench: report written to {md_path} ({results['bench_seconds']} s)", flush=True)


if __name__ == "__main__":
    main()
