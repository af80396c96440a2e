"""The growth figures: every page timed on the two data sizes in alternating rounds.

The growth targets compare a page's p95 on the larger data with its p95 on the smaller. Timed one
size after the other, the two halves ran minutes apart on a shared machine whose speed moves by
30 % within an hour: back-to-back runs of the same code gave the same page 1.01× and 1.35×, the
machine's drift rather than the page's growth. So one process per size (`bench.pages --serve`)
waits for its turn, and the sizes take turns every ROUND requests, the first turn alternating:
both halves of a ratio are measured in the same minutes.

    interleaved(smaller_url, larger_url, repeat) -> (smaller result, larger result)"""

import json
import subprocess
import sys

from bench.db import django_env
from bench.pages import WARMUP, scaled, summary
from bench.serving import ROOT

ROUND = 5  # requests per turn: a few hundred milliseconds, short against the machine's drift


class PagesProcess:
    """`python -m bench.pages --serve` against one database, asked one round at a time."""

    def __init__(self, database_url: str) -> None:
        command = [sys.executable, "-m", "bench.pages", "--serve"]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=django_env(database_url), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        self.repetitions: dict[str, int] = self._answer()["repetitions"]

    def _answer(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"bench: bench.pages --serve ended (exit code {self.process.wait()})")
        return json.loads(line)

    def ask(self, **request) -> dict:
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        return self._answer()

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()


def rounds(repetitions: int) -> list[int]:
    """The turn sizes that add up to `repetitions`."""
    full, rest = divmod(repetitions, ROUND)
    return [ROUND] * full + ([rest] if rest else [])


def interleaved(smaller_url: str, larger_url: str, repeat: float = 1.0) -> tuple[dict, dict]:
    """Both sizes' pages results ({"timings", "queries", …} as `bench.pages --out` writes)."""
    sizes = [PagesProcess(smaller_url), PagesProcess(larger_url)]
    try:
        results = [size.ask(facts=True) | {"timings": {}} for size in sizes]
        for page, repetitions in sizes[0].repetitions.items():
            samples: list[list[float]] = [[], []]
            for size in sizes:
                size.ask(page=page, count=WARMUP)
            for turn, count in enumerate(rounds(scaled(repetitions, repeat))):
                order = (0, 1) if turn % 2 == 0 else (1, 0)
                for index in order:
                    samples[index] += sizes[index].ask(page=page, count=count)["samples"]
            for result, timed in zip(results, samples, strict=True):
                result["timings"][page] = summary(timed)
            print(
                f"  {page}: p95 {results[1]['timings'][page]['p95_ms']} / {results[0]['timings'][page]['p95_ms']} ms",
                flush=True,
            )
    finally:
        for size in sizes:
            size.close()
    return results[0], results[1]
