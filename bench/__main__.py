"""`python -m bench` (`make bench`): every benchmark, each figure beside its baseline on the
raw databases in the same run; prints the table and writes it, with the latency chart,
under bench/results/. The servers are those of the `bench` profile (own ports and data)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bench.api_bench import measure_large_page, measure_memory_under_load, measure_start
from bench.corpus import write_corpus, write_depth_corpus
from bench.graph_bench import measure_graph
from bench.ingest_bench import measure_ingest, memory_flatness
from bench.report import machine_description, print_table, write_report
from bench.results import LatencySamples, Measurement
from bench.runtime import ROOT, ApiProcess, bench_settings, servers_up
from bench.search_bench import measure_search
from ops.bootstrap import ingest_files

SECTIONS = ("ingest", "search", "graph", "api")


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="corpus scale (1 = SHERLOC today)")
    parser.add_argument(
        "--large-scale",
        type=float,
        default=None,
        help="also ingest at this scale (e.g. 10) for memory and speed",
    )
    parser.add_argument("--rounds", type=int, default=2, help="ingest alternations at --scale (best kept)")
    parser.add_argument("--repetitions", type=int, default=10, help="requests per query kind and path")
    parser.add_argument(
        "--load-seconds", type=float, default=120.0, help="length of the sustained mixed load"
    )
    parser.add_argument("--api-workers", type=int, default=1, help="processes serving the API")
    parser.add_argument("--only", choices=SECTIONS, action="append", help="run only these sections")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = _arguments(sys.argv[1:] if argv is None else argv)
    sections = set(args.only or SECTIONS)
    settings = bench_settings(args.api_workers)
    print(f"Servers of the bench profile (home {settings.home}) ...", flush=True)
    servers_up(settings)
    corpora = ROOT / "bench" / ".corpus"
    corpus, scale = write_corpus(corpora, args.scale)
    measurements: list[Measurement] = []
    samples: list[LatencySamples] = []

    if "ingest" in sections:
        # Smaller (or larger) first, the main scale last: the graph ends holding the main corpus.
        other_factor = args.large_scale or args.scale / 10
        other, other_scale = write_corpus(corpora, other_factor)
        other_label, label = f"scale {other_factor:g}", f"scale {args.scale:g}"
        first = measure_ingest(settings, other, other_scale.total, other_label, rounds=1)
        main_run = measure_ingest(settings, corpus, scale.total, label, rounds=args.rounds)
        small, large = (main_run, first) if args.large_scale else (first, main_run)
        measurements += [*first, *main_run]
        measurements.append(
            memory_flatness(
                small[1], large[1], *((label, other_label) if args.large_scale else (other_label, label))
            )
        )

    api = ApiProcess(settings)
    if "api" in sections:
        print("  API start ...", flush=True)
        measurements += measure_start(settings)
    api.start()
    try:
        if "search" in sections:
            print("  search ...", flush=True)
            found, latencies = asyncio.run(measure_search(settings, api, args.repetitions))
            measurements += found
            samples += latencies
        if "graph" in sections:
            print("  the knowledge base's other databases ...", flush=True)
            depth = write_depth_corpus(corpora, args.scale)
            asyncio.run(ingest_files(settings, [depth], report=lambda _: None, progress=False))
            print("  graph pages ...", flush=True)
            found, latencies = asyncio.run(measure_graph(settings, api.url))
            measurements += found
            samples += latencies
        if "api" in sections:
            print("  large page ...", flush=True)
            measurements += asyncio.run(measure_large_page(api.url, settings))
            print(f"  sustained mixed load for {args.load_seconds:g} s ...", flush=True)
            measurements += asyncio.run(measure_memory_under_load(api, args.load_seconds, settings, corpora))
    finally:
        api.stop()

    print()
    print_table(measurements)
    command = "python -m bench " + " ".join(sys.argv[1:] if argv is None else argv)
    for path in write_report(measurements, samples, machine_description(), args.out, command.strip()):
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


if __name__ == "__main__":
    main()
