"""The benchmark harness's pure parts: targets against baselines, percentiles, the table and
the files a run leaves behind (no servers, no timings)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from bench.api_bench import Done, _reason, errors_note, slope_per_minute
from bench.http import ApiFailed
from bench.report import missed, number, print_table, table_text, write_report
from bench.results import LatencySamples, Measurement, percentile

SLOW = Measurement("search", "p50 simple query", 9.0, "ms", baseline=2.0, max_ratio=1.5, allowance=3)
FAST = Measurement("graph", "party page", 3.0, "ms", baseline=2.0, max_ratio=2.0)
CONTEXT = Measurement("api", "start (cold)", 2.34, "s")
MACHINE = {"cpu": "Test CPU", "cores": "2", "date": "2026-01-01T00:00:00+00:00"}


# ---------- Measurement ----------


def test_the_ratio_is_the_value_over_the_baseline() -> None:
    assert FAST.ratio == 1.5
    assert CONTEXT.ratio is None
    assert Measurement("x", "y", 1.0, "ms", baseline=0.0).ratio is None


def test_a_target_holds_up_to_the_ratio_plus_the_allowance() -> None:
    assert FAST.met is True
    assert Measurement("x", "y", 4.0, "ms", baseline=2.0, max_ratio=2.0).met is True  # the edge holds
    assert Measurement("x", "y", 4.01, "ms", baseline=2.0, max_ratio=2.0).met is False
    assert SLOW.met is False  # 9 > 1.5 * 2 + 3
    assert Measurement("x", "y", 6.0, "ms", baseline=2.0, max_ratio=1.5, allowance=3).met is True


def test_without_a_target_or_a_baseline_nothing_is_met_or_missed() -> None:
    assert CONTEXT.met is None
    assert Measurement("x", "y", 1.0, "ms", baseline=2.0).met is None
    assert Measurement("x", "y", 1.0, "ms", max_ratio=2.0).met is None


def test_the_target_reads_as_the_ratio_and_the_allowance() -> None:
    assert FAST.target == "<= 2x"
    assert SLOW.target == "<= 1.5x + 3 ms"
    assert CONTEXT.target == ""


# ---------- percentile ----------


def test_percentiles_interpolate_whatever_the_order() -> None:
    values = [5.0, 1.0, 4.0, 2.0, 3.0]
    assert percentile(values, 50) == 3.0
    assert percentile(values, 95) == pytest.approx(4.8)
    assert percentile(list(range(1, 101)), 50) == pytest.approx(50.5)


def test_percentiles_of_one_or_no_value() -> None:
    assert percentile([7.0], 95) == 7.0
    assert math.isnan(percentile([], 50))


# ---------- the table ----------


def test_numbers_keep_three_significant_digits_and_ms_one_decimal() -> None:
    assert number(12.345, "ms") == "12.3"
    assert number(0.04, "ms") == "0.0"
    assert number(1234.5678, "docs/s") == "1,230"
    assert number(2.3456, "s") == "2.35"
    assert number(0.012345, "MiB/min") == "0.0123"
    assert number(2185, "requests") == "2,185"  # counts stay whole


def test_the_table_shows_a_missed_target(capsys: pytest.CaptureFixture[str]) -> None:
    print_table([FAST, SLOW, CONTEXT])
    out = capsys.readouterr().out
    header, _, fast, slow, context, *rest = out.splitlines()
    assert header.split() == ["section", "name", "value", "baseline", "ratio", "target", "met", "note"]
    assert "1.50x" in fast and fast.split()[-1] == "yes"
    assert "9.0 ms" in slow and "2.0 ms" in slow and "4.50x" in slow and " no" in slow
    assert context.split()[-2:] == ["2.34", "s"]  # no baseline, no ratio, no verdict
    assert rest == [missed([SLOW])[0]]
    assert rest[0].startswith("MISSED: search / p50 simple query")


def test_values_are_right_aligned_under_their_header() -> None:
    header, ruler, *lines = table_text([FAST, SLOW, CONTEXT]).splitlines()
    end = header.index("value") + len("value")
    assert [line[:end].split("  ")[-1].strip() for line in lines] == ["3.0 ms", "9.0 ms", "2.34 s"]
    assert set(ruler) == {"-", " "}


# ---------- the files ----------


def _samples() -> list[LatencySamples]:
    return [
        LatencySamples("search: one word", api=[4.0, 5.0, 6.0, 30.0], raw=[1.0, 2.0, 3.0]),
        LatencySamples("graph: party page", api=[2.0, 2.5], raw=[]),  # no baseline for this kind
    ]


def test_the_report_writes_markdown_json_and_the_chart(tmp_path: Path) -> None:
    out = tmp_path / "results"
    paths = write_report([FAST, SLOW, CONTEXT], _samples(), MACHINE, out, "python -m bench --quick")
    assert [p.name for p in paths] == ["latest.md", "latest.json", "latency.png"]
    assert all(p.parent == out and p.stat().st_size > 0 for p in paths)

    markdown = (out / "latest.md").read_text()
    assert markdown.startswith("# ")
    assert "Test CPU" in markdown and "python -m bench --quick" in markdown
    assert "| search | p50 simple query | 9.0 ms | 2.0 ms | 4.50x | <= 1.5x + 3 ms | no |" in markdown
    assert "MISSED: search / p50 simple query" in markdown

    data = json.loads((out / "latest.json").read_text())
    assert data["machine"] == MACHINE and data["command"] == "python -m bench --quick"
    slow = data["measurements"][1]
    assert slow["ratio"] == 4.5 and slow["met"] is False and slow["target"] == "<= 1.5x + 3 ms"
    assert data["measurements"][2]["met"] is None
    search = data["latency"]["search: one word"]
    assert search["api"]["p50"] == 5.5 and search["api"]["count"] == 4 and search["raw"]["p95"] is not None
    assert data["latency"]["graph: party page"]["raw"] == {"p50": None, "p95": None, "count": 0}

    assert (out / "latency.png").read_bytes().startswith(b"\x89PNG")


def test_without_samples_there_is_no_chart(tmp_path: Path) -> None:
    paths = write_report([CONTEXT], [], MACHINE, tmp_path, "python -m bench")
    assert [p.name for p in paths] == ["latest.md", "latest.json"]
    assert not (tmp_path / "latency.png").exists()
    assert "MISSED" not in (tmp_path / "latest.md").read_text()


# ---------- the load's arithmetic ----------


def test_memory_growth_is_the_least_squares_slope_per_minute() -> None:
    # 2 MiB a minute with noise around the line.
    samples = [(t, 100 + t / 30 + (0.5 if t % 2 else -0.5)) for t in range(0, 61)]
    assert slope_per_minute(samples) == pytest.approx(2.0, abs=0.1)
    assert slope_per_minute([(t, 150.0) for t in range(30)]) == 0.0
    assert math.isnan(slope_per_minute([(0, 1.0)]))


def test_errors_are_counted_by_their_graphql_code() -> None:
    failure = ApiFailed('200: {"errors":[{"extensions":{"code":"SEARCH_UNAVAILABLE"}}]}')
    assert _reason(failure) == "SEARCH_UNAVAILABLE"
    done = [Done(1, 5, ""), Done(2, 5, "SEARCH_UNAVAILABLE"), Done(3, 5, "SEARCH_UNAVAILABLE")]
    assert errors_note(done) == "must be 0 (2 SEARCH_UNAVAILABLE)"
    assert errors_note(done[:1]) == "must be 0"
