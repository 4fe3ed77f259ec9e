"""The speed-ups, in one list: each answers faster than the plain, general path would, and
each has a setting that turns it off (`SHERLOC_SPEEDUP_<NAME>=off`); `SHERLOC_SPEEDUPS=off`
turns them all off. `make test` runs the API's integration tests a second time with all of
them off, so both ways are held to the same answers (a test that asserts what a speed-up
saves, such as a round-trip count, is marked `speedup(name)` and skipped when it is off).

What each saves was measured with the benchmarks (docs/benchmarks.md; the sessions are in
docs/notes.md). Fields that a speed-up serves differently say so where they are declared
(api/speedups/hints.py): the maps the speed-ups use are derived from those declarations.

Not listed, because there is no other path to fall back on: choices made once in how the
code is written (orjson, `neo4j-rust-ext`, uvloop and httptools, rows as dicts, dates as ISO
strings from Cypher, the link keys and bookkeeping of graph.knowledge's projections,
DataLoaders, synchronous resolvers of reference data, 64 connections per Elasticsearch
node, no point in time for a search's first page).
"""

from __future__ import annotations

from dataclasses import dataclass

from api.config import Settings


@dataclass(frozen=True)
class Speedup:
    name: str  # its setting: Settings.speedup_<name>, SHERLOC_SPEEDUP_<NAME>
    does: str
    saves: str  # as measured (docs/notes.md)
    plain: str  # what runs instead when it is off
    where: str

    @property
    def setting(self) -> str:
        return f"speedup_{self.name}"

    @property
    def variable(self) -> str:
        return f"SHERLOC_SPEEDUP_{self.name.upper()}"


FLAT_COMPLETION = Speedup(
    "flat_completion",
    does="objects asked only for scalar attributes (facet buckets, titles, parties), and lists "
    "of them, are completed as dicts, skipping graphql-core's per-field machinery",
    saves="a search's ~360 facet buckets ~3.5 -> ~0.3 ms; a page of 100 cases ~1.5 ms",
    plain="graphql-core's completion of every field (DeadlineExecutionContext: the check of the "
    "request's deadline stays)",
    where="api/graphql/execution.py FlatExecutionContext, chosen by build_schema (api/graphql/schema.py)",
)
COLLECTOR = Speedup(
    "collector",
    does="the garbage collector collects its youngest generation every 10,000 allocations while "
    "serving, not 700, and start-up objects are frozen",
    saves="API CPU per search 4.7 -> 3.8 ms; mixed load 114 -> 126 requests/s, memory flat",
    plain="Python's collector as it is",
    where="api/collector.py, around the app's lifespan (api/app.py)",
)
SEARCH_HITS_FROM_INDEX = Speedup(
    "search_hits_from_index",
    does="a search asking of its documents only fields the index holds builds them from its hits",
    saves="API minus raw search 12.8 -> 11.7 ms at concurrency 1; 2.36x -> 1.96x at 16",
    plain="every hit's document read from the graph (DataLoaders, one query per kind); the "
    "hits bring only what the search itself reads",
    where="api/graphql/knowledge/search_hits.py, fields declared with hints.from_index",
)
PAGE_PROJECTIONS = Speedup(
    "page_projections",
    does="a page of laws or cases reads only the link keys its fields show, and the laws and "
    "cases they link to in its own query",
    saves="a page of 100 cases with their applied laws: 2 round trips -> 1 (cases 42.1 -> 27.3 ms "
    "with the session's other changes)",
    plain="every link key of every document (graph.knowledge.FULL); linked documents through the DataLoaders",
    where="page_projection in api/graphql/knowledge/pages.py (api/graphql/lookahead.py), fields "
    "declared with hints.shows_link",
)
REFERENCE_CACHE = Speedup(
    "reference_cache",
    does="the reference data (instruments, articles, parties, participations, crime types) is "
    "held per process for SHERLOC_REFERENCE_CACHE_SECONDS",
    saves="a page of 100 laws 4 round trips -> 1 (116.7 -> 49.8 ms with the link keys that came with it)",
    plain="the reference data read from the graph for each request (a round trip of its own)",
    where="api/reference_cache.py, made in api/app.py",
)
DOCUMENT_CACHE = Speedup(
    "document_cache",
    does="each query is parsed and validated once per process (bounded LRU caches)",
    saves="a search's validation ~3 ms",
    plain="every request's query parsed and validated",
    where="ParserCache in build_schema (api/graphql/schema.py), LimitedValidation (api/graphql/limits.py)",
)
DRAW_VERIFICATION_CACHE = Speedup(
    "draw_verification_cache",
    does="verifyDraw's recomputation of a draw is kept per process, shared by requests asking "
    "at the same time",
    saves="~0.3 s of CPU per verifyDraw of the reviewing States",
    plain="every verifyDraw recomputes the draw (in a thread)",
    where="_recomputed in api/graphql/draws/records.py",
)

ALL = (
    FLAT_COMPLETION,
    COLLECTOR,
    SEARCH_HITS_FROM_INDEX,
    PAGE_PROJECTIONS,
    REFERENCE_CACHE,
    DOCUMENT_CACHE,
    DRAW_VERIFICATION_CACHE,
)
BY_NAME = {speedup.name: speedup for speedup in ALL}


def on(settings: Settings, speedup: Speedup) -> bool:
    """Whether the speed-up runs: neither it nor all of them turned off."""
    return settings.speedups and bool(getattr(settings, speedup.setting))
