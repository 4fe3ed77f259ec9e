"""The reference data in the graph: instruments, articles, parties and their participation.

Reads take lists of keys so that the GraphQL DataLoaders fetch a whole page in one query.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from neo4j import AsyncManagedTransaction

from graph.driver import Graph, Record


class UnknownParty(LookupError):
    """A party named by a write does not exist: the write changed nothing."""

    def __init__(self, code: str) -> None:
        super().__init__(f"unknown party {code!r}")
        self.code = code


@dataclass(frozen=True)
class ReferenceRows:
    """The reference data as the graph holds it, a list of rows per label: instruments,
    articles and parties `{key or code, props}`, participations `{party, instrument,
    props}`, phases `{number, cluster}`, crime types `{key, props}`
    (ingest/reference/rows.py makes them from the validated records)."""

    instruments: list[dict[str, Any]]
    articles: list[dict[str, Any]]
    parties: list[dict[str, Any]]
    participations: list[dict[str, Any]]
    phases: list[dict[str, Any]]
    crime_types: list[dict[str, Any]]


async def write_reference_data(graph: Graph, rows: ReferenceRows) -> None:
    """Create or update all reference data in one transaction (idempotent)."""
    instruments, articles, parties = rows.instruments, rows.articles, rows.parties
    participations, phases, crime_types = rows.participations, rows.phases, rows.crime_types

    async def work(tx: AsyncManagedTransaction) -> None:
        await tx.run(
            "UNWIND $rows AS row MERGE (n:Instrument {code: row.code}) SET n += row.props",
            rows=instruments,
        )
        await tx.run(
            "UNWIND $rows AS row "
            "MATCH (i:Instrument {code: row.instrument}) "
            "MERGE (n:Article {key: row.key}) SET n += row.props "
            "MERGE (i)-[:HAS_ARTICLE]->(n)",
            rows=articles,
        )
        await tx.run(
            "UNWIND $rows AS row MERGE (n:Party {code: row.code}) SET n += row.props",
            rows=parties,
        )
        await tx.run(
            "UNWIND $rows AS row "
            "MATCH (p:Party {code: row.party}) MATCH (i:Instrument {code: row.instrument}) "
            "MERGE (p)-[r:PARTICIPATES_IN]->(i) SET r += row.props",
            rows=participations,
        )
        await tx.run(
            "MATCH (p:Party)-[r:PARTICIPATES_IN]->(i:Instrument) "
            "WHERE NOT [p.code, i.code] IN $pairs DELETE r",
            pairs=[[row["party"], row["instrument"]] for row in participations],
        )
        await tx.run(
            "UNWIND $rows AS row MERGE (n:ReviewPhase {number: row.number}) SET n.cluster = row.cluster",
            rows=phases,
        )
        await tx.run(
            "UNWIND $rows AS row MERGE (n:CrimeType {key: row.key}) SET n += row.props",
            rows=crime_types,
        )

    await graph.write_transaction(work)


async def instruments(graph: Graph, codes: list[str] | None = None) -> list[Record]:
    return await graph.read(
        "MATCH (i:Instrument) WHERE $codes IS NULL OR i.code IN $codes "
        "RETURN properties(i) AS instrument ORDER BY i.code",
        codes=codes,
    )


async def parties_by_codes(graph: Graph, codes: list[str]) -> list[Record]:
    return await graph.read(
        "MATCH (p:Party) WHERE p.code IN $codes RETURN properties(p) AS party", codes=codes
    )


async def participations_of_parties(graph: Graph, codes: list[str]) -> list[Record]:
    return await graph.read(
        "MATCH (p:Party)-[r:PARTICIPATES_IN]->(i:Instrument) WHERE p.code IN $codes "
        "RETURN p.code AS party, i.code AS instrument, r.status AS status, "
        "r.signedOn AS signedOn, r.boundOn AS boundOn, r.action AS action "
        "ORDER BY p.code, i.code",
        codes=codes,
    )


async def parties_page(
    graph: Graph,
    *,
    regional_group: str | None,
    instrument: str | None,
    after_code: str | None,
    limit: int,
) -> tuple[list[Record], int]:
    """A page of parties by code (keyset), and how many match the filters in all.

    With an instrument, only those bound by it (status PARTY) match.
    """
    params: dict[str, Any] = {
        "group": regional_group,
        "instrument": instrument,
        "after": after_code,
        "limit": limit,
    }
    match = (
        "MATCH (p:Party) WHERE ($group IS NULL OR p.regionalGroup = $group) "
        "AND ($instrument IS NULL OR EXISTS { "
        "(p)-[:PARTICIPATES_IN {status: 'PARTY'}]->(:Instrument {code: $instrument}) }) "
    )
    rows = await graph.read(
        "CALL () { " + match + "RETURN count(p) AS total } "
        "CALL () { " + match + "AND ($after IS NULL OR p.code > $after) "
        "WITH p ORDER BY p.code LIMIT $limit RETURN collect(properties(p)) AS parties } "
        "RETURN total, parties",
        **params,
    )
    if not rows:
        return [], 0
    return [{"party": p} for p in rows[0]["parties"]], rows[0]["total"]


async def all_reference(graph: Graph) -> dict[str, list[Record]]:
    """Every instrument, article, party, participation and crime type (a few hundred rows
    in all), for the API's process-wide cache (api/reference_cache.py)."""
    instruments_rows = await instruments(graph)
    articles = await graph.read(
        "MATCH (a:Article) RETURN properties(a) AS article ORDER BY a.instrument, a.number"
    )
    parties = await graph.read("MATCH (p:Party) RETURN properties(p) AS party")
    participations = await graph.read(
        "MATCH (p:Party)-[r:PARTICIPATES_IN]->(i:Instrument) "
        "RETURN p.code AS party, i.code AS instrument, r.status AS status, "
        "r.signedOn AS signedOn, r.boundOn AS boundOn, r.action AS action "
        "ORDER BY p.code, i.code"
    )
    crime_types = await graph.read("MATCH (c:CrimeType) RETURN properties(c) AS node ORDER BY c.key")
    return {
        "instruments": [row["instrument"] for row in instruments_rows],
        "articles": [row["article"] for row in articles],
        "parties": [row["party"] for row in parties],
        "participations": participations,
        "crimeTypes": [row["node"] for row in crime_types],
    }
