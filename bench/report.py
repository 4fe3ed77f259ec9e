"""What a run leaves behind: the table on stdout, and under bench/results/ the same table in
Markdown and JSON with the machine and the command, and a chart of the latencies per query
kind (through the API beside straight to the database)."""

from __future__ import annotations

import json
import math
import os
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from api.config import Settings
from bench.results import LatencySamples, Measurement, percentile

HEADERS = ("section", "name", "value", "baseline", "ratio", "target", "met", "note")
# The columns holding numbers: right-aligned in both tables.
NUMERIC = frozenset({"value", "baseline", "ratio"})


def _proc_field(path: str, field: str) -> str | None:
    """The value of the first `field: value` line of a /proc file (None off Linux)."""
    try:
        for line in Path(path).read_text().splitlines():
            name, _, value = line.partition(":")
            if name.strip() == field:
                return value.strip()
    except OSError:
        pass
    return None


def machine_description() -> dict[str, str]:
    """What the figures depend on, written beside them so that runs can be compared."""
    settings = Settings()
    mem_kib = _proc_field("/proc/meminfo", "MemTotal")
    return {
        "cpu": _proc_field("/proc/cpuinfo", "model name") or platform.processor() or platform.machine(),
        "cores": str(os.cpu_count() or "unknown"),
        "memory": f"{int(mem_kib.split()[0]) / 1024**2:.1f} GiB" if mem_kib else "unknown",
        "os": platform.platform(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "neo4j": settings.neo4j_version,
        "elasticsearch": settings.es_version,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }


# ---------- formatting ----------


def number(value: float, unit: str = "") -> str:
    """ms with one decimal, whole numbers as they are, anything else to 3 significant digits."""
    if math.isnan(value) or math.isinf(value):
        return str(value)
    if unit == "ms":
        return f"{value:,.1f}"
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    magnitude = math.floor(math.log10(abs(value)))
    rounded = round(value, 2 - magnitude)
    return f"{rounded:,.0f}" if magnitude >= 2 else f"{rounded:.{2 - magnitude}f}"


def _with_unit(value: float | None, unit: str) -> str:
    return "" if value is None else f"{number(value, unit)} {unit}".rstrip()


def _met(measurement: Measurement) -> str:
    return {True: "yes", False: "no", None: ""}[measurement.met]


def rows(measurements: list[Measurement]) -> list[list[str]]:
    """The cells of the table, in the order of HEADERS."""
    return [
        [
            m.section,
            m.name,
            _with_unit(m.value, m.unit),
            _with_unit(m.baseline, m.unit),
            "" if m.ratio is None else f"{number(m.ratio)}x",
            m.target,
            _met(m),
            m.note,
        ]
        for m in measurements
    ]


def missed(measurements: list[Measurement]) -> list[str]:
    """A line per target that does not hold."""
    return [
        f"MISSED: {m.section} / {m.name}: {_with_unit(m.value, m.unit)} against a baseline of "
        f"{_with_unit(m.baseline, m.unit)} (ratio {number(m.ratio or 0)}x, target {m.target})"
        for m in measurements
        if m.met is False
    ]


def table_text(measurements: list[Measurement]) -> str:
    cells = rows(measurements)
    widths = [max(len(row[i]) for row in [list(HEADERS), *cells]) for i in range(len(HEADERS))]

    def line(row: list[str]) -> str:
        return "  ".join(
            cell.rjust(w) if header in NUMERIC else cell.ljust(w)
            for header, cell, w in zip(HEADERS, row, widths, strict=True)
        ).rstrip()

    ruler = "  ".join("-" * w for w in widths)
    return "\n".join([line(list(HEADERS)), ruler, *(line(row) for row in cells)])


def print_table(measurements: list[Measurement]) -> None:
    print(table_text(measurements))
    for line in missed(measurements):
        print(line)


def table_markdown(measurements: list[Measurement]) -> str:
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    align = ["---:" if header in NUMERIC else "---" for header in HEADERS]
    return "\n".join([line(list(HEADERS)), line(align), *(line(row) for row in rows(measurements))])


# ---------- latencies ----------


def _finite(value: float | None) -> float | None:
    """JSON has no NaN: an empty list's percentile becomes null."""
    return None if value is None or math.isnan(value) or math.isinf(value) else value


def _summary(values: list[float]) -> dict[str, Any]:
    return {
        "p50": _finite(percentile(values, 50)),
        "p95": _finite(percentile(values, 95)),
        "count": len(values),
    }


def latency_summary(samples: list[LatencySamples]) -> dict[str, dict[str, dict[str, Any]]]:
    return {s.kind: {"api": _summary(s.api), "raw": _summary(s.raw)} for s in samples}


def _latency_markdown(samples: list[LatencySamples]) -> str:
    def cell(values: list[float], p: float) -> str:
        return _with_unit(_finite(percentile(values, p)), "ms")

    lines = [
        "| kind | API p50 | API p95 | raw p50 | raw p95 | n (API / raw) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        *(
            f"| {s.kind} | {cell(s.api, 50)} | {cell(s.api, 95)} | {cell(s.raw, 50)} | {cell(s.raw, 95)} "
            f"| {len(s.api)} / {len(s.raw)} |"
            for s in samples
        ),
    ]
    return "\n".join(lines)


def latency_chart(samples: list[LatencySamples], path: Path) -> None:
    """Per kind, a box of the API's latencies beside a box of the raw database's."""
    import matplotlib

    matplotlib.use("Agg")  # no display: before pyplot is imported
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter

    colours = {"api": "tab:blue", "raw": "tab:orange"}
    # Wide enough for ~30 kinds: about half an inch per kind.
    fig, ax = plt.subplots(figsize=(max(8.0, 0.55 * len(samples) + 2), 6.5))
    for side, offset in (("api", -0.2), ("raw", 0.2)):
        series = [(i, getattr(s, side)) for i, s in enumerate(samples) if getattr(s, side)]
        if not series:
            continue
        # The y axis is logarithmic: a 0 ms sample (coarse clock) is drawn at 1 µs.
        data = [[max(v, 1e-3) for v in values] for _, values in series]
        boxes = ax.boxplot(
            data,
            positions=[i + offset for i, _ in series],
            widths=0.35,
            patch_artist=True,
            flierprops={"markersize": 2, "alpha": 0.5},
            medianprops={"color": "black"},
        )
        for box in boxes["boxes"]:
            box.set_facecolor(colours[side])
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))  # 1, 10, 100 rather than 10^n
    ax.set_ylabel("latency (ms, log scale)")
    ax.set_xticks(range(len(samples)))
    ax.set_xticklabels([s.kind for s in samples], rotation=45, ha="right", rotation_mode="anchor")
    ax.set_xlim(-0.7, len(samples) - 0.3)
    ax.grid(axis="y", which="both", alpha=0.3)
    ax.set_title("Latency per query kind: through the API and straight to the database")
    ax.legend(
        handles=[Patch(color=colours["api"], label="API"), Patch(color=colours["raw"], label="raw database")]
    )
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


# ---------- the files ----------


def _measurement_json(m: Measurement) -> dict[str, Any]:
    return {
        "section": m.section,
        "name": m.name,
        "value": _finite(m.value),
        "unit": m.unit,
        "baseline": _finite(m.baseline),
        "ratio": _finite(m.ratio),
        "max_ratio": m.max_ratio,
        "allowance": m.allowance,
        "target": m.target,
        "met": m.met,
        "note": m.note,
    }


def _markdown(
    measurements: list[Measurement], samples: list[LatencySamples], machine: dict[str, str], command: str
) -> str:
    parts = [
        "# SHERLOC benchmarks",
        "\n".join(f"- **{name}**: {value}" for name, value in machine.items()),
        f"Produced by:\n\n```\n{command}\n```",
        table_markdown(measurements),
    ]
    if samples:
        parts += ["## Latency per query kind", _latency_markdown(samples), "![latency](latency.png)"]
    if lines := missed(measurements):
        parts.append("\n".join(f"{line}  " for line in lines))
    return "\n\n".join(parts) + "\n"


def write_report(
    measurements: list[Measurement],
    samples: list[LatencySamples],
    machine: dict[str, str],
    out_dir: Path,
    command: str,
) -> list[Path]:
    """latest.md, latest.json and (when there are samples) latency.png; returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    markdown, data = out_dir / "latest.md", out_dir / "latest.json"
    markdown.write_text(_markdown(measurements, samples, machine, command))
    document = {
        "machine": machine,
        "command": command,
        "measurements": [_measurement_json(m) for m in measurements],
        "latency": latency_summary(samples),
    }
    data.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    written = [markdown, data]
    if samples:
        chart = out_dir / "latency.png"
        latency_chart(samples, chart)
        written.append(chart)
    return written
