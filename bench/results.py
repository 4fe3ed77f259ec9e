"""What the benchmarks produce: measurements beside their baselines, and latency samples."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Measurement:
    section: str  # ingest, search, graph, api
    name: str
    value: float
    unit: str  # s, ms, docs/s, MiB, round trips, ...
    baseline: float | None = None  # the same work on the raw database, in the same run
    # The target as a largest ratio to the baseline (value / baseline), or None.
    max_ratio: float | None = None
    # A fixed allowance added to the baseline before the ratio is checked (search: a few ms).
    allowance: float = 0.0
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline == 0:
            return None
        return self.value / self.baseline

    @property
    def met(self) -> bool | None:
        """Whether the target holds: value <= max_ratio * baseline + allowance."""
        if self.max_ratio is None or self.baseline is None:
            return None
        return self.value <= self.max_ratio * self.baseline + self.allowance

    @property
    def target(self) -> str:
        if self.max_ratio is None:
            return ""
        extra = f" + {self.allowance:g} {self.unit}" if self.allowance else ""
        return f"<= {self.max_ratio:g}x{extra}"


@dataclass
class LatencySamples:
    """Latencies (ms) of one kind of request, through the API and straight to the database."""

    kind: str
    api: list[float] = field(default_factory=list)
    raw: list[float] = field(default_factory=list)


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0-100) by linear interpolation; values need not be sorted."""
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(sorted(values), n=100, method="inclusive")[max(0, min(98, round(p) - 1))]
