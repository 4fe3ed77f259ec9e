"""Ingest: `sherloc ingest` against the raw baseline (bench/baseline.py) on the same file,
each from the same empty state, in alternation; and the ingest's peak memory at two
scales (it streams, so it must not grow with the file)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from api.config import Settings
from bench.results import Measurement
from bench.runtime import SHERLOC, empty_content, run_measured

MAX_RATIO = 1.3


def baseline_once(settings: Settings, corpus: Path) -> float:
    """The baseline (a program of its own, as `sherloc ingest` is) from an empty state."""
    asyncio.run(empty_content(settings))
    return run_measured([sys.executable, "-m", "bench.baseline", str(corpus)], settings).seconds


def ingest_once(settings: Settings, corpus: Path) -> tuple[float, int]:
    """`sherloc ingest` from an empty state: seconds and peak resident memory (KiB)."""
    asyncio.run(empty_content(settings))
    finished = run_measured([str(SHERLOC), "ingest", str(corpus)], settings)
    if "rejected: 0" not in finished.output:
        raise RuntimeError(f"the corpus was not ingested whole:\n{finished.output[-2000:]}")
    return finished.seconds, finished.peak_rss_kib


def measure_ingest(
    settings: Settings, corpus: Path, documents: int, label: str, rounds: int
) -> list[Measurement]:
    """Best of `rounds` alternations (baseline, project) of ingesting `corpus`."""
    project: list[float] = []
    baseline: list[float] = []
    peak = 0
    for round_number in range(rounds):
        print(f"  ingest {label}, round {round_number + 1}/{rounds}: baseline ...", flush=True)
        baseline.append(baseline_once(settings, corpus))
        print(f"  ingest {label}, round {round_number + 1}/{rounds}: sherloc ingest ...", flush=True)
        seconds, rss = ingest_once(settings, corpus)
        project.append(seconds)
        peak = max(peak, rss)
    best, best_baseline = min(project), min(baseline)
    return [
        Measurement(
            "ingest",
            f"{label}: time for {documents:,} documents",
            best,
            "s",
            baseline=best_baseline,
            max_ratio=MAX_RATIO,
            note=f"best of {rounds}; {documents / best:,.0f} docs/s vs {documents / best_baseline:,.0f}",
        ),
        Measurement("ingest", f"{label}: peak memory of sherloc ingest", peak / 1024, "MiB"),
    ]


def memory_flatness(
    small: Measurement, large: Measurement, small_label: str, large_label: str
) -> Measurement:
    """The ingest's peak memory at the larger scale against the smaller (must stay flat)."""
    return Measurement(
        "ingest",
        f"peak memory, {large_label} vs {small_label}",
        large.value,
        "MiB",
        baseline=small.value,
        max_ratio=1.2,
        note="streams: memory must not grow with the file",
    )
