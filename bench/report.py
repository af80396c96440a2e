"""The bench report: every target of issue 24 with its limit, measured value, ratio and pass/fail,
then the figures behind them, with the previous report's page figures beside the current ones.
`write(results, json_path, md_path, previous=None)`.

The targets are ratios within one run (this machine's speed varies by 30 % an hour apart):
- growth: a page's p95 on the larger data ≤ 1.25× its p95 on the smaller data; queries per page
  ≤ 12 and the same at both sizes;
- under load: the p95 of search and of the program page with 50 users ≤ 3× with 5 users, both
  over ≥ 60 s of steady state after every user logged in, against the same servers; 0 errors;
- PDFs: first print ≤ 1.3× WeasyPrint alone, repeat ≤ 20 ms, 20-sheet binder ≤ 1.2× 20 singles,
  RSS ≤ 300 MB; a maximum-length ③ and a 10-task breakdown ≤ 1.5× WeasyPrint alone.
A page whose p95 grew over 1.3× since the previous report is flagged, not failed."""

import datetime
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.growth import ROUND

SEARCHES = ("search_keyword", "search_keyword_2_facets", "search_facets_only", "search_2_characters")
DETAILS = ("program_detail", "employer_detail", "dashboard")
GROWTH_PAGES = (*SEARCHES, *DETAILS, "matching")
MAX_QUERIES = 12
GROWTH_LIMIT = 1.25
LOAD_LIMIT = 3.0
LOAD_REQUESTS = ("search", "program detail")
LOAD_USERS = ("5", "50")
STEADY_SECONDS = 60
LONG_PDF_LIMIT = 1.5
LONG_PDFS = {"max_supporter": "maximum-length ③", "breakdown_10_tasks": "breakdown PDF with 10 tasks"}
REGRESSION = 1.3


@dataclass
class Target:
    name: str
    limit: str
    measured: str
    ratio: float | None
    passed: bool


def _p95(pages: dict, page: str) -> float:
    return pages["timings"][page]["p95_ms"]


def sizes(results: dict) -> tuple[str, str]:
    named = results.get("sizes") or {"smaller": "small", "larger": "full"}
    return named["smaller"], named["larger"]


def growth_targets(results: dict) -> list[Target]:
    smaller, larger = sizes(results)
    targets = []
    for page in GROWTH_PAGES:
        big, small = _p95(results["pages"], page), _p95(results["pages_small"], page)
        ratio = big / small
        measured = f"p95 {big:.1f} ms ({larger}) / {small:.1f} ms ({smaller})"
        targets.append(Target(f"growth: {page}", f"≤ {GROWTH_LIMIT}× p95 on {smaller}", measured, round(ratio, 2),
                              ratio <= GROWTH_LIMIT))  # fmt: skip
    return targets


def query_targets(results: dict) -> list[Target]:
    smaller, larger = sizes(results)
    full, small = results["pages"]["queries"], results["pages_small"]["queries"]
    targets = []
    for page, count in full.items():
        constant = small.get(page) == count
        measured = f"{count} ({larger}) / {small.get(page)} ({smaller})"
        passed = count <= MAX_QUERIES and constant
        targets.append(Target(f"queries: {page}", f"≤ {MAX_QUERIES}, same at both sizes", measured, None, passed))
    return targets


def _steady(run: dict | None, request: str) -> dict | None:
    if not run or not run.get("steady"):
        return None
    return run["steady"]["by_request"].get(request)


def load_targets(results: dict) -> list[Target]:
    """The 50-user p95 against the 5-user p95, steady state only; both runs ≥ 60 s steady."""
    runs = results["http"]["runs"]
    few, many = runs.get(LOAD_USERS[0]), runs.get(LOAD_USERS[1])
    steady = {users: (runs.get(users) or {}).get("steady") or {"seconds": 0} for users in LOAD_USERS}
    long_enough = all(steady[u]["seconds"] >= STEADY_SECONDS for u in LOAD_USERS) and all(
        (runs.get(u) or {}).get("all_logged_in") for u in LOAD_USERS
    )
    window = " and ".join(f"{steady[u]['seconds']:.0f} s" for u in LOAD_USERS)
    targets = []
    for request in LOAD_REQUESTS:
        a, b = _steady(few, request), _steady(many, request)
        if not a or not b or not a["p95_ms"] or b["p95_ms"] is None:
            targets.append(Target(f"under load: {request}", f"≤ {LOAD_LIMIT}× 5 users", "not measured", None, False))
            continue
        ratio = b["p95_ms"] / a["p95_ms"]
        measured = f"p95 {b['p95_ms']:.0f} ms (50 users) / {a['p95_ms']:.0f} ms (5 users); steady {window}"
        limit = f"≤ {LOAD_LIMIT}× 5 users, ≥ {STEADY_SECONDS} s steady each"
        passed = ratio <= LOAD_LIMIT and long_enough
        targets.append(Target(f"under load: {request}", limit, measured, round(ratio, 2), passed))
    errors = sum((run or {}).get("errors", 0) for run in runs.values())
    requests = sum(
        (run.get(part) or {}).get("total", {}).get("requests", 0)
        for run in runs.values()
        if run
        for part in ("ramp", "steady")
    )
    measured = f"{errors} of {requests} requests"
    targets.append(Target("HTTP errors", "0 (both runs, ramp included)", measured, None, errors == 0))
    return targets


def pdf_targets(results: dict) -> list[Target]:
    pdfs = results["pdfs"]
    first, alone = pdfs["first_print"]["p50_ms"], pdfs["weasyprint_alone"]["p50_ms"]
    repeat, right_after_first = pdfs["repeat_print"]["p95_ms"], pdfs["repeat_right_after_first"]["p95_ms"]
    binder = pdfs["binder"]
    binder_ratio = binder["binder_ms"] / binder["singles_total_ms"]
    first_ratio = first / alone
    targets = [
        Target("sheet PDF first print", "≤ 1.3× WeasyPrint alone",
               f"p50 {first:.0f} ms (WeasyPrint alone {alone:.0f} ms)", round(first_ratio, 2), first_ratio <= 1.3),
        Target("sheet PDF repeat print", "≤ 20 ms",
               f"p95 {repeat:.1f} ms (right after a first print: p95 {right_after_first:.1f} ms)", None, repeat <= 20),
        Target("20-sheet binder", "≤ 1.2× 20 single sheets",
               f"{binder['binder_ms']:.0f} ms (singles {binder['singles_total_ms']:.0f} ms)", round(binder_ratio, 2),
               binder_ratio <= 1.2),
        Target("peak RSS (printing process)", "≤ 300 MB", f"{pdfs['peak_rss_mb']:.0f} MB", None,
               pdfs["peak_rss_mb"] <= 300),
    ]  # fmt: skip
    for key, title in LONG_PDFS.items():
        long = pdfs.get("long", {}).get(key)
        name, limit = f"{title} first print", f"≤ {LONG_PDF_LIMIT}× WeasyPrint alone"
        if not long:
            targets.append(Target(name, limit, "not measured", None, False))
            continue
        first, alone = long["first"]["p50_ms"], long["alone"]["p50_ms"]
        ratio = first / alone
        measured = f"p50 {first:.0f} ms (WeasyPrint alone {alone:.0f} ms; {long['pages']} pages)"
        targets.append(Target(name, limit, measured, round(ratio, 2), ratio <= LONG_PDF_LIMIT))
    return targets


def all_targets(results: dict) -> list[Target]:
    """Every target; a pages-only run (BENCH_SCALE=1m) has no load or PDF targets."""
    targets = growth_targets(results) + query_targets(results)
    if not results.get("pages_only"):
        targets += load_targets(results) + pdf_targets(results)
    return targets


def regressions(results: dict, previous: dict | None) -> dict[str, dict]:
    """page → {now, before, ratio, flagged}: the in-process p95 against the previous report's."""
    before = ((previous or {}).get("pages") or {}).get("timings") or {}
    found = {}
    for page, timing in results["pages"]["timings"].items():
        if page in before and before[page].get("p95_ms"):
            ratio = timing["p95_ms"] / before[page]["p95_ms"]
            found[page] = {
                "p50_before_ms": before[page]["p50_ms"],
                "p95_before_ms": before[page]["p95_ms"],
                "ratio": round(ratio, 2),
                "flagged": ratio > REGRESSION,
            }
    return found


def _table(header: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return [*lines, ""]


def markdown(results: dict, targets: list[Target]) -> str:
    passed = sum(t.passed for t in targets)
    smaller, larger = sizes(results)
    lines = [
        "# Benchmark report",
        "",
        f"Written by `make bench` (BENCH_SCALE={results.get('scale', '100k')}) on {results['written_at']} "
        f"({results['bench_seconds']} s). Machine: {results['machine_before']['cpus']} cores, load average "
        f"{results['machine_before']['load_average_1m']} at the start and "
        f"{results['machine_after']['load_average_1m']} at the end (other work on the machine slows every "
        "figure alike; the targets are ratios within this run).",
        "",
        f"## Targets: {passed} of {len(targets)} met",
        "",
    ]
    lines += _table(
        ["target", "limit", "measured", "ratio", "result"],
        [[t.name, t.limit, t.measured, "" if t.ratio is None else f"{t.ratio}×", "pass" if t.passed else "**FAIL**"]
         for t in targets],
    )  # fmt: skip
    lines += pages_section(results, smaller, larger)
    if "pdfs" in results:
        lines += pdf_section(results["pdfs"])
    if "http" in results:
        lines += http_section(results["http"])
    lines += seed_section(results["seed"])
    return "\n".join(lines)


SEARCH_PAGE = 20  # sheets.search.views.PAGE_SIZE: the growth target compares full pages


def pages_section(results: dict, smaller: str, larger: str) -> list[str]:
    pages, small = results["pages"], results["pages_small"]
    flagged = [page for page, r in results.get("regressions", {}).items() if r["flagged"]]
    lines = [
        "## Pages (in-process, Django test client, logged-in counselor)",
        "",
        f"Counselor `{pages['user']}` sees {pages['programs_visible']:,} programs "
        f"({pages['programs_visible_published']:,} published) on {larger}, {small['programs_visible']:,} on {smaller}. "
        f"The two sizes are timed in alternating rounds of {ROUND} requests (bench/growth.py). "
        f'Milliseconds. "Before": the previous report\'s figures (on {results.get("previous_written_at") or "—"}); '
        f"a p95 over {REGRESSION}× its previous value is flagged ⚠ (not failed: the machine's speed varies).",
        "",
    ]
    if flagged:
        lines += [f"Flagged: {', '.join(flagged)}.", ""]
    found, found_small = pages.get("search_results", {}), small.get("search_results", {})
    if found:
        counts = ", ".join(
            f"{name} {found[name]:,} / {found_small.get(name, 0):,}"
            + (" ⚠ not a full page" if min(found[name], found_small.get(name, 0)) < SEARCH_PAGE else "")
            for name in found
        )
        lines += [f"Results of each search ({larger} / {smaller}; a page shows {SEARCH_PAGE}): {counts}.", ""]
    rows = []
    for name, t in pages["timings"].items():
        before = results.get("regressions", {}).get(name)
        s = small["timings"].get(name, {})
        rows.append([
            name, t["n"], t["p50_ms"], t["p95_ms"],
            s.get("p50_ms", ""), s.get("p95_ms", ""),
            f"{before['p50_before_ms']} / {before['p95_before_ms']}" if before else "—",
            (f"{before['ratio']}×" + (" ⚠" if before["flagged"] else "")) if before else "",
            pages["queries"][name], small["queries"].get(name, ""),
        ])  # fmt: skip
    lines += _table(
        ["page", "n", f"p50 {larger}", f"p95 {larger}", f"p50 {smaller}", f"p95 {smaller}",
         "before p50 / p95", "p95 now ÷ before", f"queries {larger}", f"queries {smaller}"],
        rows,
    )  # fmt: skip
    return lines


def pdf_section(pdfs: dict) -> list[str]:
    lines = [f"## PDFs (sheet ③ `{pdfs['kind']}`, milliseconds)", ""]
    lines += _table(
        ["measure", "n", "p50", "p95", "mean"],
        [[name, pdfs[name]["n"], pdfs[name]["p50_ms"], pdfs[name]["p95_ms"], pdfs[name]["mean_ms"]]
         for name in ("first_print", "repeat_print", "repeat_right_after_first", "weasyprint_alone")],
    )  # fmt: skip
    binder = pdfs["binder"]
    lines += [
        f"20-sheet binder: {binder['binder_ms']:.0f} ms; the same 20 sheets printed one by one: "
        f"{binder['singles_total_ms']:.0f} ms. Peak RSS of the printing process: {pdfs['peak_rss_mb']} MB "
        f"({binder['peak_rss_before_binder_mb']} MB before the binder).",
        "",
    ]
    if pdfs.get("long"):
        lines += ["The longest PDFs (first print with an empty cache, and WeasyPrint alone on the same HTML):", ""]
        lines += _table(
            ["PDF", "pages", "layout passes", "n", "first print p50", "WeasyPrint alone p50", "ratio"],
            [[LONG_PDFS.get(key, key), long["pages"], long.get("layouts", ""), long["first"]["n"],
              long["first"]["p50_ms"], long["alone"]["p50_ms"],
              f"{long['first']['p50_ms'] / long['alone']['p50_ms']:.2f}×"]
             for key, long in pdfs["long"].items()],
        )  # fmt: skip
    return lines


def http_section(http: dict) -> list[str]:
    serving = http["serving"]
    pages_pool, pdf_pool = serving["pages_pool"], serving["pdf_pool"]
    lines = [
        "## HTTP (the production serving set-up, DEBUG off)",
        "",
        f"{serving['balancer']} in front of {serving['app_servers']} app server: a pages pool of "
        f"{pages_pool['workers']} {pages_pool['worker_class']} gunicorn workers and a PDF pool of "
        f"{pdf_pool['workers']} {pdf_pool['worker_class']} workers at nice {pdf_pool['nice']}"
        f"{' under SCHED_IDLE' if pdf_pool.get('sched_idle') else ''} "
        "(config/gunicorn.conf.py, docs/deploy.md). Locust counselors (bench/locustfile.py) log in, search, open "
        "programs and print sheets; each run lasts until "
        f"{http['steady_seconds_asked']} s after its last user logged in. The login ramp is reported apart.",
        "",
    ]
    for users, run in http["runs"].items():
        if not run.get("steady"):
            lines += [f"### {users} users: no requests", ""]
            continue
        ramp, steady = run["ramp"], run["steady"]
        lines += [
            f"### {users} users: login ramp {ramp['seconds']} s, steady state {steady['seconds']} s, "
            f"{run['errors']} errors",
            "",
        ]
        rows = []
        for part, data in (("ramp", ramp), ("steady", steady)):
            for name, s in {**data["by_request"], "all": data["total"]}.items():
                rows.append([part, name, s["requests"], s["failures"], s["p50_ms"], s["p95_ms"], s["rps"]])
        lines += _table(["phase", "request", "requests", "errors", "p50 ms", "p95 ms", "req/s"], rows)
        if run.get("failure_lines"):
            lines += ["Failures:", "", *[f"- `{line}`" for line in run["failure_lines"]], ""]
    return lines


def seed_section(seed: dict) -> list[str]:
    lines = ["## Data", ""]
    rows = []
    for scale, info in seed.items():
        size = f"{info['database_bytes'] / 2**20:.0f} MB"
        counts = [f"{info['rows'].get(table, 0):,}" for table in ("sheets_program", "sheets_referral")]
        rows.append([scale, info["fingerprint"], f"{info['seconds']} s", size, *counts])
    lines += _table(["database", "fingerprint", "seeding time", "size", "programs", "referrals"], rows)
    lines += ["Seeding time is that of the run that seeded the database (later runs re-use it).", ""]
    return lines


def write(results: dict, json_path: Path, md_path: Path, previous: dict | None = None) -> None:
    results["written_at"] = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    results["previous_written_at"] = (previous or {}).get("written_at")
    results["regressions"] = regressions(results, previous)
    targets = all_targets(results)
    results["targets"] = [asdict(t) for t in targets]
    json_path.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    md_path.write_text(markdown(results, targets), encoding="utf-8")
