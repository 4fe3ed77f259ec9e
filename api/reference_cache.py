"""The reference data (instruments, articles, parties, participations, crime types) held
in the API process: a few hundred rows that change only when `sherloc setup` loads a new
version, and that nearly every request reads. Requests read a snapshot; the snapshot is
reloaded when older than SHERLOC_REFERENCE_CACHE_SECONDS (60 by default), one reload at a
time, outside the request's round-trip count (graph.driver.uncounted). With the speed-up off
(SHERLOC_SPEEDUP_REFERENCE_CACHE, api/speedups), each request reads its own snapshot, a round
trip it counts."""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from graph.driver import Graph, Record, uncounted
from graph.reference import all_reference

T = TypeVar("T")


@dataclass(frozen=True)
class ReferenceSnapshot:
    instruments: dict[str, Record]
    articles: dict[str, Record]
    articles_of_instrument: dict[str, list[Record]]
    parties: dict[str, Record]
    participations: dict[str, list[Record]]
    crime_types: dict[str, Record]
    # The API's objects built from these records (a party, an article ...), built once per
    # snapshot: a page of 100 cases shows ~100 parties and articles. They are shared by
    # the requests that read the snapshot, so nothing may change them.
    _objects: dict[tuple[int, Any, str], Any] = field(default_factory=dict, compare=False, repr=False)

    def object_of(self, records: dict[str, Record], key: str, build: Callable[[Record], T]) -> T | None:
        """What `build` makes of `records[key]` (None if there is no such key), made once."""
        memo = (id(records), build, key)
        found = self._objects.get(memo)
        if found is None:
            record = records.get(key)
            if record is None:
                return None
            found = self._objects[memo] = build(record)
        return found

    @classmethod
    def of(cls, rows: dict[str, list[Record]]) -> ReferenceSnapshot:
        by_instrument: dict[str, list[Record]] = defaultdict(list)
        for article in rows["articles"]:
            by_instrument[article["instrument"]].append(article)
        participations: dict[str, list[Record]] = defaultdict(list)
        for row in rows["participations"]:
            participations[row["party"]].append(row)
        return cls(
            instruments={i["code"]: i for i in rows["instruments"]},
            articles={a["key"]: a for a in rows["articles"]},
            articles_of_instrument=dict(by_instrument),
            parties={p["code"]: p for p in rows["parties"]},
            participations=dict(participations),
            crime_types={c["key"]: c for c in rows["crimeTypes"]},
        )


class ReferenceCache:
    def __init__(self, graph: Graph, seconds: float, cached: bool = True) -> None:
        self.graph = graph
        self.seconds = seconds
        self.cached = cached
        self._snapshot: ReferenceSnapshot | None = None
        self._loaded_at = 0.0
        self._lock = asyncio.Lock()

    def _fresh(self) -> bool:
        return self._snapshot is not None and time.monotonic() - self._loaded_at < self.seconds

    async def snapshot(self) -> ReferenceSnapshot:
        if not self.cached:
            return ReferenceSnapshot.of(await all_reference(self.graph))
        if self._fresh():
            assert self._snapshot is not None
            return self._snapshot
        async with self._lock:
            if not self._fresh():
                with uncounted():
                    rows = await all_reference(self.graph)
                self._snapshot = ReferenceSnapshot.of(rows)
                self._loaded_at = time.monotonic()
        assert self._snapshot is not None
        return self._snapshot
