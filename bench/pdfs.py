"""PDF timings in a process of their own (so that its peak RSS is the printing's): a sheet's
first print (empty cache) and repeat print (cache), WeasyPrint alone on the same HTML, 20
single sheets against one 20-sheet binder, and the longest PDFs — a maximum-length ③ and a
breakdown of 10 filled tasks — against WeasyPrint alone on their HTML.
`python -m bench.pdfs --out FILE`."""

import argparse
import json
import os
import resource
import tempfile
import time
from unittest import mock

import django

from bench.pages import COUNSELOR_EMAIL, summary

KIND = "supporter"  # ③: the longest sheet (two pages, chart, outcomes)
SAMPLES = 10
# Repeat prints of each sheet: 30 samples, so that the p95 is not simply the slowest of ten.
REPEATS = 3
# psycopg prepares a statement on its fifth run (config/env.py): one sheet's warm-up left the
# first sampled sheets' queries unprepared, ≈ 3 ms slower than any later print of any sheet.
WARMUP_SHEETS = 3
BINDER_SHEETS = 20


def _ms(work) -> float:
    started = time.perf_counter()
    work()
    return (time.perf_counter() - started) * 1000


def peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def get_pdf(client, url: str, expect_cache: str):
    response = client.get(url)
    if response.status_code != 200 or response.get("X-Sheet-Cache", expect_cache) != expect_cache:
        raise SystemExit(f"bench: {url} answered {response.status_code} {response.get('X-Sheet-Cache')}")
    return response


def sheet_prints(client, programs) -> dict:
    """First print, repeat prints and WeasyPrint alone, program by program. The repeat right
    after a first print is also reported alone: it can run slower than later ones
    (docs/performance-history.md, section 6)."""
    from django.core.cache import cache
    from django.urls import reverse

    from sheets.printing import pdf
    from sheets.printing import sheets as printing

    first, repeat, right_after_first, alone = [], [], [], []
    for program in programs:
        url = reverse("sheet_pdf", args=[program.uuid, KIND])
        cache.clear()
        first.append(_ms(lambda url=url: get_pdf(client, url, "miss")))
        repeats = [_ms(lambda url=url: get_pdf(client, url, "hit")) for _ in range(REPEATS)]
        repeat += repeats
        right_after_first.append(repeats[0])
        html = printing.render_sheet_html(KIND, printing.program_context(program, KIND, user=client.user))
        alone.append(_ms(lambda html=html: pdf.render_pdf(html)))
    return {
        "first_print": summary(first),
        "repeat_print": summary(repeat),
        "repeat_right_after_first": summary(right_after_first),
        "weasyprint_alone": summary(alone),
    }


def binder_against_singles(client, programs) -> dict:
    """The same 20 sheets one by one (empty cache) and as one binder. A binder over the
    background threshold is made by the task worker: this times the worker's own build."""
    from django.core.cache import cache
    from django.urls import reverse

    from sheets.printing.binder import build
    from sheets.printing.print_list import entries_for

    cache.clear()
    singles = sum(_ms(lambda p=p: get_pdf(client, reverse("sheet_pdf", args=[p.uuid, KIND]), "miss")) for p in programs)
    entries = entries_for(client.user, {str(p.uuid): [KIND] for p in programs})
    rss_before = peak_rss_mb()
    binder = _ms(lambda: build(client.user, entries))
    return {
        "sheets": len(entries),
        "singles_total_ms": round(singles, 1),
        "binder_ms": round(binder, 1),
        "peak_rss_before_binder_mb": rss_before,
    }


LONG_SAMPLES = 3
BREAKDOWN_TASKS = 10


class _Rollback(Exception):
    """Leaves the bench database as it was: the long PDFs' programs are made for one run."""


def breakdown_of_ten_tasks(employer):
    """A filled breakdown sheet: 10 tasks with every text the form takes."""
    from tests.sheets.factories import TaskBreakdownFactory, TaskRowFactory
    from tests.sheets.print_fixtures import filled

    breakdown = TaskBreakdownFactory(
        employer=employer, unmet_needs=filled(200, "〔困終〕"), culture_notes=filled(200, "〔風終〕")
    )
    for n in range(BREAKDOWN_TASKS):
        TaskRowFactory(
            breakdown=breakdown, steps=filled(100, f"〔手{n}〕"), batch_size="100個で1箱", tools=filled(30, "〔具〕"),
            protective_gear="手袋・マスク", cut_out_conditions=filled(60, f"〔切{n}〕"), time_slots="9:00〜12:00",
            postures=["sitting", "standing"], environment_factors=["noise"],
        )  # fmt: skip
    return breakdown


def timed_against_alone(client, url: str, html_of, expect_cache: str) -> dict:
    """First prints of `url` (cache emptied before each) against WeasyPrint alone on its HTML;
    the layout passes of one first print are counted."""
    from django.core.cache import cache

    from sheets.printing import pdf

    first, alone = [], []
    with mock.patch.object(pdf, "layout", wraps=pdf.layout) as layout:
        cache.clear()
        get_pdf(client, url, expect_cache)  # warm: this document's fonts and glyphs
        layouts = layout.call_count
    for _ in range(LONG_SAMPLES):
        cache.clear()
        first.append(_ms(lambda: get_pdf(client, url, expect_cache)))
        html = html_of()
        alone.append(_ms(lambda html=html: pdf.render_pdf(html)))
    pages = len(pdf.layout(html_of()).pages)
    return {"first": summary(first), "alone": summary(alone), "layouts": layouts, "pages": pages}


def long_pdfs(client) -> dict:
    """A maximum-length ③ (tests/sheets/print_fixtures.max_program) and a 10-task breakdown,
    made inside a transaction that is rolled back."""
    from django.db import transaction
    from django.urls import reverse

    from registry.models import acting_membership
    from sheets.printing import sheets as printing
    from tests.sheets.print_fixtures import max_program

    result = {}
    try:
        with transaction.atomic():
            program, _texts = max_program(acting_membership(client.user).agency)
            url = reverse("sheet_pdf", args=[program.uuid, KIND])

            def supporter_html():
                printed = printing.sheet_pdf(program, KIND, user=client.user)
                context = printing.program_context(program, KIND, user=client.user)
                return printing.render_sheet_html(KIND, context, density=printed.density)

            result["max_supporter"] = timed_against_alone(client, url, supporter_html, "miss")
            breakdown = breakdown_of_ten_tasks(program.employer)
            url = reverse("breakdown_pdf", args=[program.employer.uuid, breakdown.uuid])
            html = lambda: printing.render_sheet_html("breakdown", printing.breakdown_context(breakdown))  # noqa: E731
            result["breakdown_10_tasks"] = timed_against_alone(client, url, html, "")
            raise _Rollback
    except _Rollback:
        pass
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_MEDIA_ROOT", tempfile.mkdtemp(prefix="shigoto-bench-media-"))  # the photos
    django.setup()
    from config.wsgi import freeze_loaded_app

    freeze_loaded_app()  # as every production worker starts (config/gunicorn.conf.py pre_fork)
    from django.test import Client as TestClient

    from registry.models import User
    from sheets.programs.models import Program

    client = TestClient()
    client.user = User.objects.get(email=COUNSELOR_EMAIL)
    client.force_login(client.user)
    visible = Program.objects.published_for(client.user).select_related("employer", "owner__region")
    programs = list(visible.order_by("pk")[: WARMUP_SHEETS + SAMPLES + BINDER_SHEETS])
    sampled = programs[WARMUP_SHEETS:-BINDER_SHEETS]
    sheet_prints(client, programs[:WARMUP_SHEETS])  # fonts, WeasyPrint's imports, the prepared statements
    result = {"kind": KIND, **sheet_prints(client, sampled)}
    result["binder"] = binder_against_singles(client, programs[-BINDER_SHEETS:])
    result["peak_rss_mb"] = peak_rss_mb()  # before the long PDFs: the target is the usual sheets'
    result["long"] = long_pdfs(client)
    result["peak_rss_with_long_mb"] = peak_rss_mb()
    print(json.dumps(result, indent=2), flush=True)
    with open(args.out, "w") as handle:
        json.dump(result, handle, indent=2)


if __name__ == "__main__":
    main()
