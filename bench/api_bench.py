"""The API as a whole: how long it takes to start, what a page of the largest size costs
beside the same data read with one hand-written Cypher query, and whether its memory and
latency stay flat under a sustained mixed load."""

from __future__ import annotations

import asyncio
import json
import math
import re
import statistics
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import LiteralString

from neo4j import AsyncDriver, RoutingControl

from api.config import Settings
from bench.http import TRANSPORT_ERRORS, ApiFailed, GraphQLClient
from bench.results import Measurement, percentile
from bench.runtime import ApiProcess, raw_clients, rss_kib
from bench.secure_load import (
    INGESTED_LAWS,
    LOGIN,
    Request,
    ingest_all_along,
    prepare_review,
    secure_requests,
)

SECTION = "api"
PAGE_WARM_UP, PAGE_REPEATS = 3, 20
LOAD_WORKERS = 8
LOAD_WARM_UP_SECONDS = 10.0

LEGISLATION_FIELDS = (
    "id key title { text } party { code name { text } } implementsArticles { key } crimeTypes { key }"
)
CASE_FIELDS = (
    "id key court title { text } party { code name { text } } legalBasisArticles { key } "
    "crimeTypes { key } appliedLegislation { key }"
)
SEARCH = (
    "query ($q: String!) { search(query: $q, first: 20) "
    "{ totalCount edges { node { score } } facets { field } } }"
)
# The words searched under load: several languages and scripts, so every analyzer works.
SEARCH_WORDS = ("trafficking", "blanchiment", "contrabando", "оружия", "غسل", "枪支")
GRAPH_QUERIES = (
    f"{{ legislation(first: 50) {{ totalCount edges {{ node {{ {LEGISLATION_FIELDS} }} }} }} }}",
    f"{{ cases(first: 50) {{ totalCount edges {{ node {{ {CASE_FIELDS} }} }} }} }}",
    "{ parties(first: 100) { totalCount edges { node { code kind name { text } } } } }",
    "{ instruments { code articles { key } } }",
)

# The large page's baseline: the same data as the GraphQL query, in one query. The title
# falls back to the original language as the API's does.
RAW_LARGE_PAGE: LiteralString = (
    "CALL () { MATCH (n:Legislation) RETURN count(n) AS totalCount } "
    "CALL () { MATCH (n:Legislation) WITH n ORDER BY n.sortDate DESC, n.key LIMIT $limit "
    "  MATCH (n)-[:OF_PARTY]->(p:Party) "
    "  RETURN collect({key: n.key, "
    "    title: coalesce(n.`title.en`, n['title.' + n.originalLanguage]), "
    "    party: {code: p.code, name: p.`name.en`}, "
    "    implementsArticles: COLLECT { MATCH (n)-[:IMPLEMENTS]->(a:Article) RETURN a.key ORDER BY a.key }, "
    "    crimeTypes: COLLECT { MATCH (n)-[:CONCERNS]->(c:CrimeType) RETURN c.key ORDER BY c.key } "
    "  }) AS nodes } "
    "RETURN totalCount, nodes"
)


def _ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000


# ---------- start ----------


def measure_start(settings: Settings) -> list[Measurement]:
    """Call it first, with no API running: the first start after the servers are up is the
    cold one (the API's start-up reads meet cold server caches), the second follows right
    after stopping it."""
    api = ApiProcess(settings)
    seconds = []
    for _ in range(2):
        try:
            seconds.append(api.start())
        finally:
            api.stop()
    cold, warm = seconds
    return [
        Measurement(SECTION, "start (cold)", cold, "s", note="first start after the servers are up"),
        Measurement(SECTION, "start (warm)", warm, "s", note="again right after stopping; until /readyz"),
    ]


# ---------- the largest page ----------


async def _repeat(request: Callable[[], Awaitable[bytes]]) -> tuple[list[float], bytes]:
    """Latencies (ms) of the timed repetitions after the warm-up, and the last body."""
    body = b""
    for _ in range(PAGE_WARM_UP):
        body = await request()
    latencies = []
    for _ in range(PAGE_REPEATS):
        started = time.perf_counter()
        body = await request()
        latencies.append(_ms_since(started))
    return latencies, body


async def _raw_large_page(driver: AsyncDriver, settings: Settings, size: int) -> bytes:
    records, _, _ = await driver.execute_query(
        RAW_LARGE_PAGE, limit=size, database_=settings.neo4j_database, routing_=RoutingControl.READ
    )
    return json.dumps(records[0].data(), ensure_ascii=False).encode()


async def measure_large_page(api_url: str, settings: Settings) -> list[Measurement]:
    """A page of the largest size of legislation with nested fields, over HTTP, beside the
    same data read with one Cypher query and serialized with json.dumps. Context only."""
    size = settings.max_page_size
    query = f"{{ legislation(first: {size}) {{ totalCount edges {{ node {{ {LEGISLATION_FIELDS} }} }} }} }}"
    async with GraphQLClient(api_url) as client:
        api_ms, body = await _repeat(lambda: client.body(query))
    async with raw_clients(settings) as (driver, _):
        raw_ms, raw_body = await _repeat(lambda: _raw_large_page(driver, settings, size))
    items = len(json.loads(body)["data"]["legislation"]["edges"])
    note = f"{items} items, first: {size}; p50 of {PAGE_REPEATS} after {PAGE_WARM_UP} warm-up"
    return [
        Measurement(
            SECTION,
            "largest page of legislation, nested (p50)",
            percentile(api_ms, 50),
            "ms",
            baseline=percentile(raw_ms, 50),
            note=note + "; baseline: one Cypher query + json.dumps",
        ),
        Measurement(
            SECTION,
            "largest page of legislation, response size",
            len(body) / 1024,
            "KiB",
            baseline=len(raw_body) / 1024,
            note=f"{items} items; baseline: the Cypher result as JSON",
        ),
    ]


# ---------- memory under load ----------


def load_requests() -> list[Request]:
    """One round of the public portal's load: every search word, then every graph page."""
    return [(SEARCH, {"q": word}, "") for word in SEARCH_WORDS] + [(query, {}, "") for query in GRAPH_QUERIES]


@dataclass(frozen=True)
class Done:
    at: float  # when it finished, in seconds from the start of the measured run (< 0: warm-up)
    ms: float
    error: str = ""  # why it failed, shortened; "" when it succeeded


async def _worker(
    client: GraphQLClient,
    requests: list[Request],
    offset: int,
    start: float,
    end: float,
    done: list[Done],
) -> None:
    i = offset  # each worker starts elsewhere in the round: the kinds overlap
    while (began := time.perf_counter()) < end:
        query, variables, token = requests[i % len(requests)]
        i += 1
        error = ""
        try:
            await client.body(query, variables, token)
        except (*TRANSPORT_ERRORS, ApiFailed) as failure:
            error = _reason(failure)
        finished = time.perf_counter()
        done.append(Done(finished - start, (finished - began) * 1000, error))
        if error:
            await asyncio.sleep(0.1)  # a dead API must not turn into a busy loop


def _reason(failure: Exception) -> str:
    """What failed, short enough for the table: the GraphQL error code when there is one."""
    text = str(failure)
    code = re.search(r'"code":\s*"([A-Z_]+)"', text)
    return code.group(1) if code else f"{type(failure).__name__}: {text[:60]}"


def errors_note(done: list[Done]) -> str:
    reasons = Counter(d.error for d in done if d.error)
    listed = ", ".join(f"{n} {reason}" for reason, n in reasons.most_common(3))
    return f"must be 0 ({listed})" if listed else "must be 0"


async def _sample_rss(pid: int, start: float, end: float, samples: list[tuple[float, float]]) -> None:
    """(seconds from start, MiB) once a second, on the second."""
    await asyncio.sleep(max(0.0, start - time.perf_counter()))
    tick = 0
    while (now := time.perf_counter()) <= end:
        samples.append((now - start, rss_kib(pid) / 1024))
        tick += 1
        await asyncio.sleep(max(0.0, start + tick - time.perf_counter()))


def slope_per_minute(samples: Sequence[tuple[float, float]]) -> float:
    """The least-squares slope of (seconds, MiB) samples, in MiB per minute."""
    if len(samples) < 2:
        return math.nan
    return statistics.linear_regression([t / 60 for t, _ in samples], [mib for _, mib in samples]).slope


def _ingest_note(failures: list[str]) -> str:
    return f"must be 0 ({failures[0].strip().splitlines()[-1][:80]})" if failures else "must be 0"


def _p95(done: list[Done], since: float, until: float) -> float:
    return percentile([d.ms for d in done if since <= d.at < until and not d.error], 95)


async def _login(client: GraphQLClient, email: str, password: str) -> str:
    body = await client.json(LOGIN, {"e": email, "p": password})
    login = body["data"]["login"]
    if login["__typename"] != "Session":
        raise ApiFailed(f"the bench's account {email} could not log in: {login}")
    return str(login["token"])


async def measure_memory_under_load(
    api: ApiProcess, seconds: float, settings: Settings, workdir: Path
) -> list[Measurement]:
    """A sustained mixed load for `seconds` after a 10-second warm-up, sampling the API
    process's resident memory every second: memory must level off, latency stay flat.
    Eight concurrent clients: six on the public portal (searches in six languages, graph
    pages, parties, instruments), two in the secure module (a focal point saving answers,
    an expert reading the review), while `sherloc ingest` rewrites 500 laws in a loop."""
    users = await prepare_review(settings)
    start = time.perf_counter() + LOAD_WARM_UP_SECONDS
    end = start + seconds
    done: list[Done] = []
    secure_done: list[Done] = []
    rss: list[tuple[float, float]] = []
    async with GraphQLClient(api.url, connections=LOAD_WORKERS, timeout=30) as client:
        tokens = (await _login(client, *users.focal_point), await _login(client, *users.expert))
        public, secure = load_requests(), secure_requests(users, tokens)
        ingest_until = asyncio.get_running_loop().time() + (end - time.perf_counter())
        ingest = asyncio.create_task(ingest_all_along(settings, ingest_until, workdir))
        try:
            await asyncio.gather(
                _sample_rss(api.pid, start, end, rss),
                *(_worker(client, public, i, start, end, done) for i in range(LOAD_WORKERS - 2)),
                *(_worker(client, secure, i * 3, start, end, secure_done) for i in range(2)),
            )
        except BaseException:
            ingest.cancel()  # its running `sherloc ingest` is killed
            raise
        ingest_runs, ingest_failures = await ingest
    done += secure_done
    measured = [d for d in done if d.at >= 0]
    second_half = [(t, mib) for t, mib in rss if t >= seconds / 2]
    mib = [m for _, m in rss] or [math.nan]
    context = f"{seconds:g} s, {LOAD_WORKERS} clients, after {LOAD_WARM_UP_SECONDS:g} s warm-up"
    rows: list[tuple[str, float, str, str]] = [
        ("RSS at the start of the load", mib[0], "MiB", context),
        ("RSS at the end of the load", mib[-1], "MiB", ""),
        ("RSS maximum under load", max(mib), "MiB", ""),
        ("requests under load", len(measured), "requests", f"{len(measured) / seconds:.0f}/s"),
        (
            "of which in the secure module",
            sum(d.at >= 0 for d in secure_done),
            "requests",
            "answers saved and reviews read",
        ),
        ("ingest runs during the load", ingest_runs, "runs", f"{INGESTED_LAWS} laws rewritten each"),
        ("failed ingest runs", len(ingest_failures), "runs", _ingest_note(ingest_failures)),
        ("errors under load", sum(bool(d.error) for d in measured), "requests", errors_note(measured)),
        ("memory growth (second half)", slope_per_minute(second_half), "MiB/min", "must stay near 0"),
        ("p95 latency, first quarter of the load", _p95(done, 0, seconds / 4), "ms", ""),
        (
            "p95 latency, last quarter of the load",
            _p95(done, seconds * 3 / 4, math.inf),
            "ms",
            "must stay flat",
        ),
    ]
    return [Measurement(SECTION, name, value, unit, note=note) for name, value, unit, note in rows]
