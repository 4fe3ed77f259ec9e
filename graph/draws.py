"""Draws in the graph: created once, never changed (no write here updates a draw)."""

from __future__ import annotations

from typing import Any

from graph.driver import Graph, Record


async def create_draw(graph: Graph, draw: dict[str, Any]) -> Record:
    rows = await graph.write("CREATE (d:Draw) SET d = $draw RETURN properties(d) AS draw", draw=draw)
    created: Record = rows[0]["draw"]
    return created


async def draws_by_ids(graph: Graph, ids: list[str]) -> list[Record]:
    return await graph.read("MATCH (d:Draw) WHERE d.id IN $ids RETURN properties(d) AS draw", ids=ids)


async def draws_page(
    graph: Graph, kind: str | None, after: str | None, limit: int
) -> tuple[list[Record], int]:
    match = "MATCH (d:Draw) WHERE ($kind IS NULL OR d.kind = $kind) "
    rows = await graph.read(
        "CALL () { " + match + "RETURN count(d) AS total } "
        "CALL () { " + match + "AND ($after IS NULL OR d.id < $after) "
        "WITH d ORDER BY d.id DESC LIMIT $limit RETURN collect(properties(d)) AS draws } "
        "RETURN total, draws",
        kind=kind,
        after=after,
        limit=limit,
    )
    return rows[0]["draws"], rows[0]["total"]


async def all_draws(graph: Graph, kind: str) -> list[Record]:
    """Every draw of a kind, oldest first."""
    return await graph.read(
        "MATCH (d:Draw {kind: $kind}) RETURN properties(d) AS draw ORDER BY d.id", kind=kind
    )


async def draw_participants(graph: Graph) -> list[Record]:
    """Every party and signatory of the Convention with what a draw needs to know."""
    return await graph.read(
        "MATCH (p:Party) "
        "RETURN p.code AS code, p.regionalGroup AS regionalGroup, "
        "  COLLECT { MATCH (p)-[:PARTICIPATES_IN {status: 'PARTY'}]->(i:Instrument) "
        "            RETURN i.code } AS bound, "
        "  COLLECT { MATCH (p)-[:PARTICIPATES_IN]->(i:Instrument) RETURN i.code } AS signed "
        "ORDER BY p.code"
    )
