"""In-process page timings with Django's test client: the floor, search, detail pages, the
dashboard and matching, each many times after warm-up, as a counselor of a seeded agency;
and SQL queries per page; with --probes, then the probes of bench/probes.py (each page without
its template). `python -m bench.pages --out FILE [--queries-only] [--probes]`.

`--serve` answers timing requests on stdin (bench/growth.py drives two of them, one per data
size, in alternating rounds)."""

import argparse
import json
import re
import statistics
import sys
import time
from itertools import cycle
from urllib.parse import urlencode

import django

# BEGIN/COMMIT around the session save are logged like queries, but ask nothing of the data.
TRANSACTION_CONTROL = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT)\b", re.IGNORECASE)
COUNSELOR_EMAIL = "counselor1@bench.invalid"  # the first agency's counselor: works for two agencies
WARMUP = 10

# name → (query string of /programs/, repetitions). Each search fills its first page (20
# results) on both data sizes, so that the growth target compares the same page: with 袋詰め the
# small data's counselor found 6 programs, 2 with two facets, and 検品 18 — pages of 6, 2 and 18
# cards against 20 on the full data, whose cards alone made the difference (issue 24 note,
# docs/performance.md). The report shows each search's number of results at both sizes.
SEARCHES = {
    "search_keyword": ({"q": "ラベル"}, 100),  # 3 characters: 34 results (small), 195 (full)
    # 体験 has the most forms (its synonyms: お試し, 職場体験…): 35 and 191 results
    "search_keyword_2_facets": ({"q": "体験", "days": "mon", "place": "indoor"}, 100),
    "search_facets_only": ({"engagement_type": "experience", "low_demand": "stamina"}, 100),
    "search_2_characters": ({"q": "清掃"}, 100),  # 25 and 118 results
}


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summary(samples: list[float]) -> dict:
    return {
        "n": len(samples),
        "p50_ms": round(percentile(samples, 0.50), 2),
        "p95_ms": round(percentile(samples, 0.95), 2),
        "mean_ms": round(statistics.fmean(samples), 2),
    }


def time_urls(client, urls, repetitions: int, warmup: int = WARMUP) -> list[float]:
    """Milliseconds per GET after `warmup` untimed ones, cycling through `urls`; every answer
    must be 200."""
    samples = []
    source = cycle(urls)
    for index in range(warmup + repetitions):
        url = next(source)
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"bench: {url} answered {response.status_code}")
        if index >= warmup:
            samples.append(elapsed)
    return samples


def count_queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm: first-time work (e.g. the header's memberships) is not counted
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len([q for q in captured.captured_queries if not TRANSACTION_CONTROL.match(q["sql"])])


def bench_pages(user) -> dict[str, tuple[list[str], int]]:
    """name → (URLs to cycle through, repetitions)."""
    from django.urls import reverse

    from registry.models import Employer, acting_membership
    from sheets.clients.models import Client
    from sheets.programs.models import Program

    agency = acting_membership(user).agency
    programs = Program.objects.published_for(user).order_by("pk").values_list("uuid", flat=True)[:50]
    employers = Employer.objects.for_user(user).order_by("pk").values_list("uuid", flat=True)[:50]
    clients = Client.objects.filter(agency=agency).order_by("pk").values_list("uuid", flat=True)[:25]
    pages = {"floor": ([reverse("bench_floor")], 300)}
    search = reverse("program_list")
    pages |= {name: ([f"{search}?{urlencode(query)}"], n) for name, (query, n) in SEARCHES.items()}
    pages |= {
        "program_detail": ([reverse("program_detail", args=[u]) for u in programs], 200),
        "employer_detail": ([reverse("employer_detail", args=[u]) for u in employers], 200),
        "dashboard": ([reverse("dashboard")], 200),
        "matching": ([reverse("client_matches", args=[u]) for u in clients], 50),
    }
    return pages


def visible_counts(user) -> dict:
    from sheets.programs.models import Program

    visible = Program.objects.for_user(user)
    return {"programs_visible": visible.count(), "programs_visible_published": visible.published().count()}


def search_results(user) -> dict[str, int]:
    """How many programs each bench search finds for `user` (the page shows the first 20)."""
    from django.http import QueryDict

    from sheets.programs.models import Program
    from sheets.search.filters import ProgramSearch

    visible = Program.objects.for_user(user)
    return {
        name: ProgramSearch(QueryDict(urlencode(query)), queryset=visible).qs.count()
        for name, (query, _n) in SEARCHES.items()
    }


def scaled(repetitions: int, fraction: float) -> int:
    """A fraction of the usual repetitions (quick runs), never fewer than 10."""
    return max(10, round(repetitions * fraction))


def time_probes(client, pages: dict, repeat: float) -> dict:
    """The floor again, then the pages under each probe of bench/probes.py (half the
    repetitions): how low their p95 can go whatever their templates cost."""
    from bench.probes import PROBES

    floor_urls, floor_repetitions = pages["floor"]
    timings: dict[str, dict] = {"floor": summary(time_urls(client, floor_urls, scaled(floor_repetitions, repeat)))}
    for probe_name, (probe, names) in PROBES.items():
        timings[probe_name] = {}
        with probe():
            for name in names:
                urls, repetitions = pages[name]
                timings[probe_name][name] = summary(time_urls(client, urls, scaled(repetitions, repeat / 2)))
                print(f"  {name} ({probe_name}): {timings[probe_name][name]}", flush=True)
    return timings


def page_facts(client, user, pages: dict) -> dict:
    """What a pages result holds besides its timings: the user, what they see, each search's
    number of results and the queries of every page."""
    return {
        "user": COUNSELOR_EMAIL,
        **visible_counts(user),
        "queries": {name: count_queries(client, urls[0]) for name, (urls, _n) in pages.items()},
        "search_results": search_results(user),
    }


def serve(client, user, pages: dict) -> None:
    """One JSON line per request on stdin, one answer per line on stdout:
    {"facts": true} → page_facts(); {"page": name, "count": n} → the
    milliseconds of n GETs of that page (each page cycles through its own URLs across rounds);
    end of input → exit."""
    sources = {name: cycle(urls) for name, (urls, _n) in pages.items()}
    repetitions = {name: n for name, (_urls, n) in pages.items()}
    print(json.dumps({"repetitions": repetitions}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        if request.get("facts"):
            answer = page_facts(client, user, pages)
        else:
            urls = [next(sources[request["page"]]) for _ in range(request["count"])]
            answer = {"samples": time_urls(client, urls, len(urls), warmup=0)}
        print(json.dumps(answer), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out")
    parser.add_argument("--serve", action="store_true", help="answer timing requests on stdin (bench/growth.py)")
    parser.add_argument("--queries-only", action="store_true")
    parser.add_argument("--repeat", type=float, default=1.0, help="fraction of the usual repetitions (quick runs)")
    parser.add_argument("--probes", action="store_true", help="also time the pages under bench/probes.py")
    args = parser.parse_args()
    django.setup()
    from config.wsgi import freeze_loaded_app

    freeze_loaded_app()  # as every production worker starts (config/gunicorn.conf.py pre_fork)
    from django.test import Client as TestClient

    from registry.models import User

    user = User.objects.get(email=COUNSELOR_EMAIL)
    client = TestClient()
    client.force_login(user)
    pages = bench_pages(user)
    if args.serve:
        return serve(client, user, pages)
    if not args.out:
        parser.error("--out is required")
    result = page_facts(client, user, pages) | {"timings": {}}
    for name, (urls, repetitions) in pages.items():
        if not args.queries_only:
            result["timings"][name] = summary(time_urls(client, urls, scaled(repetitions, args.repeat)))
            print(f"  {name}: {result['timings'][name]} queries={result['queries'][name]}", flush=True)
    if args.probes and not args.queries_only:
        result["probes"] = time_probes(client, pages, args.repeat)
    with open(args.out, "w") as handle:
        json.dump(result, handle, ensure_ascii=False, indent=2)


if __name__ == "__main__":
    main()
