"""Search: `Query.search` over HTTP against the same Elasticsearch request sent straight to
Elasticsearch (built by search/query.py, as the API builds it), for short and long
queries in each working language, with and without filters, facets always on; p50 and
p95 at concurrency 1 and 16. API and raw requests alternate, so noise falls on both."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date

from elasticsearch import AsyncElasticsearch
from elasticsearch.serializer import OrjsonSerializer

from api.config import Settings
from api.graphql.knowledge.search_hits import INDEX_SOURCE
from bench.http import GraphQLClient
from bench.results import LatencySamples, Measurement, percentile
from bench.runtime import ApiProcess, cpu_seconds
from graph.knowledge import DocumentFilter
from search.indices import documents_alias
from search.query import SearchOrder, SearchRequest, build_search

MAX_RATIO = 1.5
ALLOWANCE_MS = 5.0  # the fixed cost of GraphQL, HTTP and loading the hits from the graph
PAGE = 20

# Per language: a short query (one word) and a long one (several words of the same laws).
QUERIES: dict[str, tuple[str, str]] = {
    "en": ("launders", "member of an organized criminal group recruits persons by threat"),
    "fr": ("blanchit", "membre d'un groupe criminel organisé recrute des personnes par la menace"),
    "es": ("blanquee", "miembro de un grupo delictivo organizado capte personas mediante amenaza"),
    "ru": ("легализует", "участник организованной преступной группы вербует людей с применением угрозы"),
    "ar": ("غسل", "عضو في جماعة إجرامية منظمة جند أشخاصا بالتهديد"),
    "zh": ("枪支", "有组织犯罪集团成员招募以威胁手段控制的人员"),
}
FILTERED = {
    "regionalGroups": ["AFRICAN", "WESTERN_EUROPEAN_OTHERS", "LATIN_AMERICAN_CARIBBEAN"],
    "from": "2005-01-01",
}
RAW_FILTER = DocumentFilter(
    regional_groups=["AFRICAN", "WESTERN_EUROPEAN_OTHERS", "LATIN_AMERICAN_CARIBBEAN"],
    date_from=date(2005, 1, 1),
)
GRAPHQL = """query($q: String!, $lang: LanguageCode, $filter: SearchFilter, $first: Int) {
  search(query: $q, lang: $lang, filter: $filter, first: $first) {
    totalCount
    edges { node { kind score lang highlights document { id
      ... on Legislation { title { text } party { code } }
      ... on Case { title { text } party { code } }
      ... on CompetentAuthority { name { text } party { code } } } } }
    facets { field buckets { key count } } } }"""


@dataclass(frozen=True)
class QueryKind:
    lang: str
    length: str  # short, long
    filtered: bool

    @property
    def name(self) -> str:
        return f"{self.lang} {self.length}{' +filter' if self.filtered else ''}"

    @property
    def text(self) -> str:
        short, long = QUERIES[self.lang]
        return short if self.length == "short" else long


KINDS = [
    QueryKind(lang, length, f) for lang in QUERIES for length in ("short", "long") for f in (False, True)
]


class Clients:
    def __init__(self, settings: Settings, api_url: str) -> None:
        self.http = GraphQLClient(api_url)  # aiohttp and orjson, as the Elasticsearch client
        self.es = AsyncElasticsearch(
            settings.elasticsearch_url,
            request_timeout=60,
            connections_per_node=64,
            serializer=OrjsonSerializer(),  # as the API's client (search/client.py)
        )
        self.index = documents_alias(settings.es_index_prefix)

    async def api(self, kind: QueryKind) -> int:
        variables = {
            "q": kind.text,
            "lang": kind.lang,
            "first": PAGE,
            "filter": FILTERED if kind.filtered else None,
        }
        body = await self.http.json(GRAPHQL, variables)
        total: int = body["data"]["search"]["totalCount"]
        return total

    async def raw(self, kind: QueryKind) -> int:
        request = SearchRequest(
            text=kind.text,
            lang=kind.lang,
            kinds=None,
            filters=RAW_FILTER if kind.filtered else DocumentFilter(),
            order=SearchOrder.RELEVANCE,
            size=PAGE + 1,
        )
        # The hits bring what the API's bring, to build a list of results from them.
        response = await self.es.search(index=self.index, **build_search(request, INDEX_SOURCE))
        total: int = response["hits"]["total"]["value"]
        return total

    async def close(self) -> None:
        await self.http.close()
        await self.es.close()


async def _timed(call: Callable[[], Awaitable[int]]) -> float:
    started = time.perf_counter()
    await call()
    return (time.perf_counter() - started) * 1000


async def _check_same_totals(clients: Clients) -> None:
    """The two paths answer the same question: the same number of hits."""
    for kind in KINDS:
        api, raw = await clients.api(kind), await clients.raw(kind)
        if api != raw:
            raise RuntimeError(f"{kind.name}: the API found {api} hits, Elasticsearch {raw}")
        if api == 0:
            raise RuntimeError(f"{kind.name}: no hits; the corpus does not fit the queries")


async def _sequential(clients: Clients, repetitions: int) -> list[LatencySamples]:
    samples = []
    for kind in KINDS:
        sample = LatencySamples(kind.name)
        for _ in range(repetitions):
            sample.raw.append(await _timed(lambda k=kind: clients.raw(k)))  # type: ignore[misc]
            sample.api.append(await _timed(lambda k=kind: clients.api(k)))  # type: ignore[misc]
        samples.append(sample)
    return samples


async def _concurrent(
    clients: Clients, concurrency: int, rounds: int, api_pid: int
) -> tuple[LatencySamples, float]:
    """`concurrency` requests in flight at once, each path in turn, over every kind; and the
    CPU seconds the API process spent on its requests."""
    sample = LatencySamples(f"all kinds, {concurrency} at once")
    api_cpu = 0.0
    for _ in range(rounds):
        for kind in KINDS:
            raw = await asyncio.gather(*(_timed(lambda: clients.raw(kind)) for _ in range(concurrency)))  # noqa: B023
            before = cpu_seconds(api_pid)
            api = await asyncio.gather(*(_timed(lambda: clients.api(kind)) for _ in range(concurrency)))  # noqa: B023
            api_cpu += cpu_seconds(api_pid) - before
            sample.raw.extend(raw)
            sample.api.extend(api)
    return sample, api_cpu


def _measurements(sample: LatencySamples, label: str) -> list[Measurement]:
    api50, raw50 = percentile(sample.api, 50), percentile(sample.raw, 50)
    api95, raw95 = percentile(sample.api, 95), percentile(sample.raw, 95)
    return [
        Measurement(
            "search",
            f"{label}: p50",
            api50,
            "ms",
            baseline=raw50,
            max_ratio=MAX_RATIO,
            allowance=ALLOWANCE_MS,
            note=f"API minus raw: {api50 - raw50:.1f} ms; {len(sample.api)} requests each",
        ),
        Measurement("search", f"{label}: p95", api95, "ms", baseline=raw95),
    ]


async def measure_search(
    settings: Settings, api: ApiProcess, repetitions: int = 10, rounds: int = 2
) -> tuple[list[Measurement], list[LatencySamples]]:
    clients = Clients(settings, api.url)
    try:
        await _check_same_totals(clients)
        for kind in KINDS:  # warm both paths (caches, connections, JIT)
            await clients.raw(kind)
            await clients.api(kind)
        per_kind = await _sequential(clients, repetitions)
        overall = LatencySamples("all kinds, 1 at a time")
        for sample in per_kind:
            overall.api.extend(sample.api)
            overall.raw.extend(sample.raw)
        concurrent, api_cpu = await _concurrent(clients, 16, rounds, api.pid)
    finally:
        await clients.close()
    measurements = _measurements(overall, "concurrency 1")
    for length in ("short", "long"):
        subset = LatencySamples(length)
        for kind, sample in zip(KINDS, per_kind, strict=True):
            if kind.length == length:
                subset.api.extend(sample.api)
                subset.raw.extend(sample.raw)
        measurements += _measurements(subset, f"concurrency 1, {length} queries")[:1]
    measurements += _measurements(concurrent, "concurrency 16")
    measurements.append(
        Measurement(
            "search",
            "API process CPU per search, concurrency 16",
            api_cpu / len(concurrent.api) * 1000,
            "ms",
            note="user + system time of `sherloc serve`, from /proc; the cores are shared",
        )
    )
    return measurements, [*per_kind, concurrent]
