"""The bench report judges each target of issue 24 by its own rule: a page's p95 on the larger
data against the smaller, queries at most 12 and the same at both sizes, the 50-user p95 against
the 5-user p95 over at least 60 s of steady state, the PDFs against WeasyPrint alone; a page
slower than in the previous report is flagged, not failed. Measured results are made up here;
`make bench` supplies real ones. Also: the HTTP run's request log is split at the moment the
last simulated user logged in."""

import pytest

from bench import http, report

PAGES = ("floor", *report.GROWTH_PAGES)


def timing(p95: float) -> dict:
    return {"n": 100, "p50_ms": p95 * 0.8, "p95_ms": p95, "mean_ms": p95 * 0.85}


def steady_run(search_p95: float, program_p95: float, seconds: float = 60.0, errors: int = 0) -> dict:
    by_request = {
        "search": {"requests": 100, "failures": 0, "p50_ms": 1.0, "p95_ms": search_p95, "rps": 1.0},
        "program detail": {"requests": 80, "failures": 0, "p50_ms": 1.0, "p95_ms": program_p95, "rps": 1.0},
    }
    total = {"requests": 180, "failures": errors, "p50_ms": 1.0, "p95_ms": 1.0, "rps": 3.0}
    phase = {"seconds": seconds, "total": total, "by_request": by_request}
    return {"all_logged_in": True, "ramp": {**phase, "seconds": 10.0}, "steady": phase, "errors": errors}


def long_pdf(first_p50: float, alone_p50: float) -> dict:
    return {
        "first": {**timing(first_p50), "p50_ms": first_p50},
        "alone": {**timing(alone_p50), "p50_ms": alone_p50},
        "pages": 3,
        "layouts": 1,
    }


@pytest.fixture
def results() -> dict:
    """Every target exactly at its limit, so each one passes."""
    return {
        "sizes": {"smaller": "small", "larger": "full"},
        "pages": {"timings": {page: timing(12.5) for page in PAGES}, "queries": dict.fromkeys(PAGES, 12)},
        "pages_small": {"timings": {page: timing(10.0) for page in PAGES}, "queries": dict.fromkeys(PAGES, 12)},
        "pdfs": {
            "first_print": {**timing(420.0), "p50_ms": 390.0},  # the target compares p50s
            "weasyprint_alone": {**timing(300.0), "p50_ms": 300.0},
            "repeat_print": timing(20.0),
            "repeat_right_after_first": timing(23.0),
            "binder": {"binder_ms": 1200.0, "singles_total_ms": 1000.0},
            "peak_rss_mb": 300.0,
            "long": {key: long_pdf(1500.0, 1000.0) for key in report.LONG_PDFS},
        },
        "http": {"runs": {"5": steady_run(100.0, 40.0), "50": steady_run(300.0, 120.0)}},
    }


def target_named(results: dict, name: str) -> report.Target:
    return next(target for target in report.all_targets(results) if target.name == name)


def judged(results: dict) -> dict[str, bool]:
    return {target.name: target.passed for target in report.all_targets(results)}


def test_every_target_at_its_limit_passes(results):
    verdicts = judged(results)
    assert len(verdicts) == 8 + 9 + 3 + 6
    assert all(verdicts.values()), [name for name, passed in verdicts.items() if not passed]


def test_every_target_has_a_name_limit_measured_value_ratio_and_verdict(results):
    for target in report.all_targets(results):
        assert target.name and target.limit and target.measured and isinstance(target.passed, bool)


def test_a_page_whose_p95_grows_over_a_quarter_with_the_data_fails(results):
    results["pages"]["timings"]["matching"] = timing(12.51)
    target = target_named(results, "growth: matching")
    assert (target.passed, target.ratio, target.limit) == (False, 1.25, "≤ 1.25× p95 on small")
    assert target_named(results, "growth: search_keyword").passed


def test_queries_fail_when_they_grow_with_the_data_even_under_twelve(results):
    results["pages"]["queries"]["program_detail"] = 8
    results["pages_small"]["queries"]["program_detail"] = 7
    results["pages"]["queries"]["dashboard"] = 13
    results["pages_small"]["queries"]["dashboard"] = 13
    verdicts = judged(results)
    assert verdicts["queries: program_detail"] is False
    assert verdicts["queries: dashboard"] is False
    assert verdicts["queries: search_keyword"] is True


def test_under_load_compares_the_steady_p95_of_50_users_with_5(results):
    results["http"]["runs"]["50"] = steady_run(300.1, 120.0)
    verdicts = judged(results)
    assert verdicts["under load: search"] is False
    assert verdicts["under load: program detail"] is True
    assert target_named(results, "under load: search").ratio == 3.0  # shown rounded, judged unrounded


def test_under_load_needs_a_minute_of_steady_state_in_both_runs(results):
    results["http"]["runs"]["5"] = steady_run(100.0, 40.0, seconds=59.0)
    target = target_named(results, "under load: program detail")
    assert not target.passed and "steady 59 s and 60 s" in target.measured


def test_an_error_in_either_run_ramp_included_fails(results):
    results["http"]["runs"]["5"]["errors"] = 1
    target = target_named(results, "HTTP errors")
    assert not target.passed and target.measured == "1 of 720 requests"


def test_printing_memory_binder_and_long_pdfs_fail_past_their_limits(results):
    results["pdfs"]["first_print"]["p50_ms"] = 391.0  # 1.303× WeasyPrint alone, shown as 1.3×
    results["pdfs"]["peak_rss_mb"] = 300.1
    results["pdfs"]["binder"]["binder_ms"] = 1201.0
    results["pdfs"]["long"]["breakdown_10_tasks"]["first"]["p50_ms"] = 1501.0
    verdicts = judged(results)
    assert not verdicts["sheet PDF first print"]
    assert not verdicts["peak RSS (printing process)"]
    assert not verdicts["20-sheet binder"]
    assert not verdicts["breakdown PDF with 10 tasks first print"]
    assert verdicts["maximum-length ③ first print"]


def test_a_missing_measurement_fails_rather_than_passing(results):
    del results["pdfs"]["long"]
    del results["http"]["runs"]["5"]
    verdicts = judged(results)
    assert not verdicts["maximum-length ③ first print"]
    assert not verdicts["under load: search"]


def test_a_page_slower_than_in_the_previous_report_is_flagged_not_failed(results):
    previous = {"pages": {"timings": {"search_keyword": timing(9.6), "matching": timing(9.62)}}}
    found = report.regressions(results, previous)
    assert found["search_keyword"]["flagged"] and found["search_keyword"]["ratio"] == 1.3  # 12.5 / 9.6 = 1.302
    assert not found["matching"]["flagged"]  # 12.5 / 9.62 = 1.299
    assert "program_detail" not in found  # not in the previous report
    assert all(judged(results).values())


def written(results: dict, previous: dict | None = None) -> str:
    """The report's text for `results`, with the facts of a run that only describe it."""
    results = {
        **results,
        "written_at": "2026-12-06 01:00 UTC",
        "bench_seconds": 120.0,
        "machine_before": {"cpus": 2, "load_average_1m": 0.1},
        "machine_after": {"load_average_1m": 0.9},
        "seed": {},
        "regressions": report.regressions(results, previous),
    }
    for pages in (results["pages"], results["pages_small"]):
        pages |= {"user": "counselor1@bench.invalid", "programs_visible": 1000, "programs_visible_published": 800}
    results["pdfs"] |= {"kind": "supporter"}
    results["pdfs"]["binder"] |= {"peak_rss_before_binder_mb": 200.0}
    results["http"] |= {
        "steady_seconds_asked": 60,
        "serving": {
            "balancer": "HAProxy",
            "app_servers": 1,
            "pages_pool": {"worker_class": "sync", "workers": 3},
            "pdf_pool": {"worker_class": "sync", "workers": 2, "nice": 10},
        },
    }
    return report.markdown(results, report.all_targets(results))


def test_the_report_shows_the_previous_figures_beside_the_current_ones(results):
    text = written(results, {"pages": {"timings": {"search_keyword": timing(9.0)}}})
    assert "## Targets: 26 of 26 met" in text
    assert "| search_keyword | 100 | 10.0 | 12.5 | 8.0 | 10.0 | 7.2 / 9.0 | 1.39× ⚠ |" in text
    assert "Flagged: search_keyword." in text
    assert "### 50 users: login ramp 10.0 s, steady state 60.0 s, 0 errors" in text


def test_the_report_lists_each_searchs_results_and_warns_of_a_page_that_is_not_full(results):
    """The growth target compares a search's page at both sizes: a page of 6 cards against 20
    would compare unequal pages, so the report says so."""
    results["pages"]["search_results"] = {"search_keyword": 195, "search_2_characters": 118}
    results["pages_small"]["search_results"] = {"search_keyword": 34, "search_2_characters": 18}
    text = written(results, {})
    assert (
        "Results of each search (full / small; a page shows 20): search_keyword 195 / 34, "
        "search_2_characters 118 / 18 ⚠ not a full page." in text
    )


def test_the_request_log_is_split_where_the_last_user_logged_in():
    """Each request in the phase it was sent in (the log has when it ended): a search sent
    during the ramp that waited behind the logins is not a steady-state figure."""
    rows = [
        (100.5, "login form", 500.0, True),
        (101.0, "login", 900.0, True),
        (102.0, "search", 400.0, True),
        (102.5, http.ALL_LOGGED_IN, 0.0, True),
        (103.0, "search", 40.0, True),
        (104.0, "search", 4000.0, True),  # sent at 100.0, during the ramp
        (163.0, "program detail", 20.0, False),
    ]
    run = http.analyse(rows, users=2)
    assert run["ramp"]["seconds"] == 2.5 and run["ramp"]["total"]["requests"] == 4
    assert run["steady"]["seconds"] == 60.5
    assert run["steady"]["by_request"]["search"]["p95_ms"] == 40.0
    assert run["errors"] == 1 and run["failure_lines"] == ["program detail (20 ms)"]


def test_a_run_whose_users_never_all_logged_in_has_no_steady_state():
    run = http.analyse([(1.0, "login", 900.0, False)], users=5)
    assert not run["all_logged_in"] and run["steady"]["total"]["requests"] == 0


def test_a_pages_only_run_judges_growth_and_queries_only(results):
    """BENCH_SCALE=1m measures the pages at 100,000 and 1,000,000 programs, not PDFs or HTTP."""
    del results["pdfs"], results["http"]
    results["pages_only"] = True
    names = [target.name for target in report.all_targets(results)]
    assert len(names) == 8 + 9 and all(name.startswith(("growth", "queries")) for name in names)


def test_make_load_reports_the_steady_state_after_the_login_ramp():
    from bench import load

    assert (load.seconds("10m"), load.seconds("90s"), load.seconds("120")) == (600, 90, 120)
    run = steady_run(300.0, 120.0)
    run["failure_lines"] = []
    result = {
        "written_at": "2026-12-06 01:00 UTC",
        "users": 50,
        "programs": 100000,
        "machine": {"cpus": 2, "load_average_1m": 0.5},
        "serving": {"pages_pool": {"workers": 3}, "pdf_pool": {"workers": 2}},
        "runs": {"50": run},
    }
    text = load.markdown(result)
    assert "for 60 s of steady state after a login ramp of 10 s" in text
    assert "| search | 100 | 0 | 1 | 300 | 1.0 |" in text


def test_the_growth_rounds_add_up_to_the_repetitions():
    """bench/growth.py times the two data sizes in turns of ROUND requests; every repetition
    is timed, the last turn taking what is left."""
    from bench.growth import ROUND, rounds

    assert rounds(2 * ROUND + 3) == [ROUND, ROUND, 3]
    assert rounds(4 * ROUND) == [ROUND] * 4
    assert sum(rounds(101)) == 101
