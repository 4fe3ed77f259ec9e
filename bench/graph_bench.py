"""Graph pages: a page of laws with their party, articles and crime types, a page of
cases with the laws they applied and their legal-basis articles, and a page of treaties
with their parties (the other databases of the knowledge base), through GraphQL over
HTTP against one hand-written Cypher query returning the same data through the raw
driver (and serialized to JSON, as the API does). Also the database round trips a page
costs, which must not grow with the page size."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import LiteralString

import orjson
from neo4j import AsyncDriver

from api.config import Settings
from bench.http import GraphQLClient
from bench.results import LatencySamples, Measurement, percentile
from bench.runtime import raw_clients

MAX_RATIO = 2.0


@dataclass(frozen=True)
class Page:
    name: str
    graphql: str  # with $first
    cypher: LiteralString  # with $first


LAWS = Page(
    "laws",
    "query($first: Int) { legislation(first: $first) { totalCount edges { node { key enactedOn"
    " title { text } party { code name { text } } implementsArticles { key } crimeTypes { key } } } } }",
    "CALL () { MATCH (n:Legislation) RETURN count(n) AS total } "
    "MATCH (n:Legislation) WITH total, n ORDER BY n.sortDate DESC, n.key LIMIT $first "
    "MATCH (n)-[:OF_PARTY]->(p:Party) "
    "RETURN total, n.key AS key, n.enactedOn AS enactedOn, "
    "  coalesce(n.`title.en`, n['title.' + n.originalLanguage]) AS title, "
    "  p.code AS party, p.`name.en` AS partyName, "
    "  COLLECT { MATCH (n)-[:IMPLEMENTS]->(a:Article) RETURN a.key } AS articles, "
    "  COLLECT { MATCH (n)-[:CONCERNS]->(c:CrimeType) RETURN c.key } AS crimeTypes",
)
CASES = Page(
    "cases",
    "query($first: Int) { cases(first: $first) { totalCount edges { node { key decidedOn court"
    " title { text } party { code } appliedLegislation { key title { text } }"
    " legalBasisArticles { key } } } } }",
    "CALL () { MATCH (n:Case) RETURN count(n) AS total } "
    "MATCH (n:Case) WITH total, n ORDER BY n.sortDate DESC, n.key LIMIT $first "
    "MATCH (n)-[:OF_PARTY]->(p:Party) "
    "RETURN total, n.key AS key, n.decidedOn AS decidedOn, n.court AS court, "
    "  coalesce(n.`title.en`, n['title.' + n.originalLanguage]) AS title, p.code AS party, "
    "  COLLECT { MATCH (n)-[:APPLIED]->(l:Legislation) "
    "            RETURN {key: l.key, title: coalesce(l.`title.en`, l['title.' + l.originalLanguage])} } "
    "    AS applied, "
    "  COLLECT { MATCH (n)-[:LEGAL_BASIS]->(a:Article) RETURN a.key } AS articles",
)


TREATIES = Page(
    "treaties",
    "query($first: Int) { treaties(first: $first) { totalCount edges { node { key signedOn inForceOn"
    " cooperation title { text } parties { code name { text } } } } } }",
    "CALL () { MATCH (n:Treaty) RETURN count(n) AS total } "
    "MATCH (n:Treaty) WITH total, n ORDER BY n.sortDate DESC, n.key LIMIT $first "
    "RETURN total, n.key AS key, n.signedOn AS signedOn, n.inForceOn AS inForceOn, "
    "  n.cooperation AS cooperation, "
    "  coalesce(n.`title.en`, n['title.' + n.originalLanguage]) AS title, "
    "  COLLECT { MATCH (n)-[:BETWEEN]->(p:Party) RETURN {code: p.code, name: p.`name.en`} } AS parties",
)
STRATEGIES = Page(
    "strategies",
    "query($first: Int) { strategies(first: $first) { totalCount edges { node { key documentType fromYear"
    " toYear title { text } party { code name { text } } crimeTypes { key } } } } }",
    "CALL () { MATCH (n:Strategy) RETURN count(n) AS total } "
    "MATCH (n:Strategy) WITH total, n ORDER BY n.sortDate DESC, n.key LIMIT $first "
    "MATCH (n)-[:OF_PARTY]->(p:Party) "
    "RETURN total, n.key AS key, n.documentType AS documentType, n.fromYear AS fromYear, n.toYear AS toYear, "
    "  coalesce(n.`title.en`, n['title.' + n.originalLanguage]) AS title, "
    "  p.code AS party, p.`name.en` AS partyName, "
    "  COLLECT { MATCH (n)-[:CONCERNS]->(c:CrimeType) RETURN c.key } AS crimeTypes",
)
BIBLIOGRAPHY = Page(
    "bibliography",
    "query($first: Int) { bibliography(first: $first) { totalCount edges { node { key authors year publisher"
    " title { text } articles { key } crimeTypes { key } } } } }",
    "CALL () { MATCH (n:BibliographyEntry) RETURN count(n) AS total } "
    "MATCH (n:BibliographyEntry) WITH total, n ORDER BY n.sortDate DESC, n.key LIMIT $first "
    "RETURN total, n.key AS key, n.authors AS authors, n.year AS year, n.publisher AS publisher, "
    "  coalesce(n.`title.en`, n['title.' + n.originalLanguage]) AS title, "
    "  COLLECT { MATCH (n)-[:ABOUT_ARTICLE]->(a:Article) RETURN a.key } AS articles, "
    "  COLLECT { MATCH (n)-[:CONCERNS]->(c:CrimeType) RETURN c.key } AS crimeTypes",
)
PAGES = (LAWS, CASES, TREATIES, STRATEGIES, BIBLIOGRAPHY)


async def _api_page(http: GraphQLClient, page: Page, first: int) -> tuple[float, int, int]:
    """Milliseconds, Neo4j round trips and edges of one page through the API."""
    started = time.perf_counter()
    content = await http.body(page.graphql, {"first": first})
    elapsed = (time.perf_counter() - started) * 1000
    body = orjson.loads(content)
    connection = next(iter(body["data"].values()))
    return elapsed, body["extensions"]["roundTrips"]["neo4j"], len(connection["edges"])


async def _raw_page(driver: AsyncDriver, page: Page, first: int) -> tuple[float, int]:
    started = time.perf_counter()
    records, _, _ = await driver.execute_query(page.cypher, first=first)
    json.dumps([r.data() for r in records], default=str)
    return (time.perf_counter() - started) * 1000, len(records)


async def measure_graph(
    settings: Settings, api_url: str, repetitions: int = 30
) -> tuple[list[Measurement], list[LatencySamples]]:
    measurements: list[Measurement] = []
    samples: list[LatencySamples] = []
    async with raw_clients(settings) as (driver, _), GraphQLClient(api_url) as http:
        for page in PAGES:
            trips = {first: (await _api_page(http, page, first))[1] for first in (10, 50, 100)}
            measurements.append(
                Measurement(
                    "graph",
                    f"{page.name}: Neo4j round trips for pages of 10, 50, 100",
                    trips[100],
                    "round trips",
                    note=f"{trips[10]}, {trips[50]}, {trips[100]}: "
                    + ("constant" if len(set(trips.values())) == 1 else "GROWS with the page"),
                )
            )
            for _ in range(3):  # warm both paths
                await _api_page(http, page, 100)
                await _raw_page(driver, page, 100)
            sample = LatencySamples(f"{page.name}, page of 100")
            for _ in range(repetitions):
                raw_ms, raw_rows = await _raw_page(driver, page, 100)
                api_ms, _, edges = await _api_page(http, page, 100)
                if raw_rows != edges:
                    raise RuntimeError(f"{page.name}: the API gave {edges} rows, Cypher {raw_rows}")
                sample.raw.append(raw_ms)
                sample.api.append(api_ms)
            samples.append(sample)
            measurements.append(
                Measurement(
                    "graph",
                    f"{page.name}: page of 100, p50",
                    percentile(sample.api, 50),
                    "ms",
                    baseline=percentile(sample.raw, 50),
                    max_ratio=MAX_RATIO,
                    note="GraphQL over HTTP vs one Cypher query through the driver",
                )
            )
    return measurements, samples
