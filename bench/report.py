"""The bench report: every target of issue 7 with its measured value, ratio and pass/fail,
then the figures behind them. `write(results, json_path, md_path)`."""

import datetime
import json
from dataclasses import asdict, dataclass
from pathlib import Path

SEARCHES = ("search_keyword", "search_keyword_2_facets", "search_facets_only", "search_2_characters")
DETAILS = ("program_detail", "employer_detail", "dashboard")
MAX_QUERIES = 12
# page → its p95 limit as a multiple of the floor's p95
PAGE_LIMITS = {**dict.fromkeys(SEARCHES, 3.0), **dict.fromkeys(DETAILS, 1.5), "matching": 5.0}


@dataclass
class Target:
    name: str
    limit: str
    measured: str
    ratio: float | None
    passed: bool


def _p95(results: dict, page: str) -> float:
    return results["pages"]["timings"][page]["p95_ms"]


def ratio_to_floor(page: str, p95: float, floor: float) -> tuple[float, bool]:
    """(p95 / floor, whether that is within the page's limit): judged unrounded, 3.004× is over 3×."""
    ratio = p95 / floor
    return ratio, ratio <= PAGE_LIMITS[page]


def page_targets(results: dict) -> list[Target]:
    floor = _p95(results, "floor")
    targets = []
    for page, factor in PAGE_LIMITS.items():
        ratio, passed = ratio_to_floor(page, _p95(results, page), floor)
        measured = f"p95 {_p95(results, page):.1f} ms (floor {floor:.1f} ms)"
        targets.append(Target(f"{page} p95", f"≤ {factor}× floor", measured, round(ratio, 2), passed))
    return targets


def query_targets(results: dict) -> list[Target]:
    full, small = results["pages"]["queries"], results["pages_small"]["queries"]
    targets = []
    for page, count in full.items():
        constant = small.get(page) == count
        measured = f"{count} (small data: {small.get(page)})"
        passed = count <= MAX_QUERIES and constant
        targets.append(Target(f"queries: {page}", f"≤ {MAX_QUERIES}, same at both sizes", measured, None, passed))
    return targets


def pdf_targets(results: dict) -> list[Target]:
    pdfs = results["pdfs"]
    first, alone = pdfs["first_print"]["p50_ms"], pdfs["weasyprint_alone"]["p50_ms"]
    repeat, right_after_first = pdfs["repeat_print"]["p95_ms"], pdfs["repeat_right_after_first"]["p95_ms"]
    binder = pdfs["binder"]
    binder_ratio = binder["binder_ms"] / binder["singles_total_ms"]
    first_ratio = first / alone
    return [
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


def http_targets(results: dict) -> list[Target]:
    total = results["http"]["total"]
    measured = f"{total['failures']} of {total['requests']} requests"
    return [Target("HTTP errors", "0", measured, None, total["failures"] == 0)]


def all_targets(results: dict) -> list[Target]:
    return page_targets(results) + query_targets(results) + pdf_targets(results) + http_targets(results)


def _table(header: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return [*lines, ""]


def markdown(results: dict, targets: list[Target]) -> str:
    passed = sum(t.passed for t in targets)
    lines = [
        "# Benchmark report",
        "",
        f"Written by `make bench` on {results['written_at']} ({results['bench_seconds']} s). "
        f"Machine: {results['machine_before']['cpus']} cores, load average "
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
    lines += ["## Pages (in-process, Django test client, logged-in counselor)", ""]
    pages, queries = results["pages"], results["pages"]["queries"]
    floor = _p95(results, "floor")
    lines += [f"Counselor `{pages['user']}` sees {pages['programs_visible']:,} programs "
              f"({pages['programs_visible_published']:,} published). Milliseconds; \"beyond the floor\" is a "
              "page's p95 less the floor's: its own work, without what every signed-in request costs "
              "(session, user, memberships, middleware, the base template):", ""]  # fmt: skip
    lines += _table(
        ["page", "n", "p50", "p95", "mean", "beyond the floor", "queries (full)", "queries (small)"],
        [[name, t["n"], t["p50_ms"], t["p95_ms"], t["mean_ms"], round(t["p95_ms"] - floor, 2), queries[name],
          results["pages_small"]["queries"][name]]
         for name, t in pages["timings"].items()],
    )  # fmt: skip
    lines += probe_section(pages.get("probes"))
    lines += pdf_section(results["pdfs"]) + http_section(results["http"]) + seed_section(results["seed"])
    return "\n".join(lines)


PROBE_TITLES = {
    "without_template": "without its template",
    "access_check_only": "the access check alone",
}


def probe_section(probes: dict | None) -> list[str]:
    """Each page's p95 under the probes of bench/probes.py, as a ratio to the floor timed beside
    them: a page over its limit here cannot meet it by anything done to its template."""
    if not probes:
        return []
    floor = probes["floor"]["p95_ms"]
    lines = [
        "## How low the pages can go (probes)",
        "",
        "Each page timed again with its template replaced by the bare base template the floor renders "
        "(`bench/probes.py`; the querysets it would show are still read), and the program page with its "
        f"lookup through the access door alone. Ratios to the floor timed beside them (p95 {floor:.1f} ms). "
        "A page over its limit here cannot meet it by template work or by caching what it renders: "
        "only by less work in its lookups and queries.",
        "",
    ]
    rows = []
    for probe, title in PROBE_TITLES.items():
        for page, timing in probes.get(probe, {}).items():
            ratio, within = ratio_to_floor(page, timing["p95_ms"], floor)
            rows.append([page, title, timing["n"], timing["p50_ms"], timing["p95_ms"],
                         f"{ratio:.2f}×", f"≤ {PAGE_LIMITS[page]}×", "within" if within else "**over**"])  # fmt: skip
    return lines + _table(["page", "probe", "n", "p50", "p95", "ratio", "limit", "limit met?"], rows)


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
    return lines


def http_section(http: dict) -> list[str]:
    total = http["total"]
    lines = [
        f"## HTTP (gunicorn {http['workers']} workers, DEBUG off; locust {http['users']} users for {http['duration']})",
        "",
        f"{total['requests']:,} requests, {total['failures']} errors, {total['rps']} requests/s, "
        f"p50 {total['p50_ms']:.0f} ms, p95 {total['p95_ms']:.0f} ms.",
        "",
    ]
    rows = [
        [name, s["requests"], s["failures"], s["p50_ms"], s["p95_ms"], s["rps"]]
        for name, s in http["by_request"].items()
    ]
    return lines + _table(["request", "requests", "errors", "p50 ms", "p95 ms", "req/s"], rows)


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


def write(results: dict, json_path: Path, md_path: Path) -> None:
    results["written_at"] = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    targets = all_targets(results)
    results["targets"] = [asdict(t) for t in targets]
    json_path.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    md_path.write_text(markdown(results, targets), encoding="utf-8")
