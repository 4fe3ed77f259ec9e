"""Focal points and governmental experts designated by the parties (¶18, ¶27)."""

from __future__ import annotations

from typing import Any

from graph.driver import Graph, Record


async def designate(graph: Graph, designation: dict[str, Any]) -> Record | None:
    """A new designation; a new focal point ends the party's current one (one at a time).
    None, and nothing written, when the party does not exist."""
    rows = await graph.write(
        "MATCH (p:Party {code: $d.party}) "
        "OPTIONAL MATCH (old:Designation {party: $d.party, role: 'FOCAL_POINT'}) "
        "  WHERE $d.role = 'FOCAL_POINT' AND old.endedOn IS NULL "
        "SET old.endedOn = $d.since "
        "WITH DISTINCT p CREATE (n:Designation) SET n = $d CREATE (n)-[:OF_PARTY]->(p) "
        "RETURN properties(n) AS designation",
        d=designation,
    )
    return rows[0]["designation"] if rows else None


async def end_designation(graph: Graph, designation_id: str, ended_on: Any) -> Record | None:
    rows = await graph.write(
        "MATCH (n:Designation {id: $id}) WHERE n.endedOn IS NULL SET n.endedOn = $on "
        "RETURN properties(n) AS designation",
        id=designation_id,
        on=ended_on,
    )
    return rows[0]["designation"] if rows else None


async def current_designations(graph: Graph, parties: list[str]) -> list[Record]:
    return await graph.read(
        "MATCH (n:Designation) WHERE n.party IN $parties AND n.endedOn IS NULL "
        "RETURN properties(n) AS designation ORDER BY n.party, n.role, n.since, n.id",
        parties=parties,
    )


async def parties_lacking(graph: Graph, role: str) -> list[str]:
    """Parties to the Convention with no current designation of `role`."""
    rows = await graph.read(
        "MATCH (p:Party)-[:PARTICIPATES_IN {status: 'PARTY'}]->(:Instrument {code: 'UNTOC'}) "
        "WHERE NOT EXISTS { MATCH (n:Designation {party: p.code, role: $role}) WHERE n.endedOn IS NULL } "
        "RETURN p.code AS code ORDER BY p.code",
        role=role,
    )
    return [row["code"] for row in rows]


async def designation(graph: Graph, designation_id: str) -> Record | None:
    """A designation, current or ended, or None."""
    rows = await graph.read(
        "MATCH (n:Designation {id: $id}) RETURN properties(n) AS designation", id=designation_id
    )
    return rows[0]["designation"] if rows else None


async def designation_party(graph: Graph, designation_id: str) -> str | None:
    rows = await graph.read("MATCH (n:Designation {id: $id}) RETURN n.party AS party", id=designation_id)
    return str(rows[0]["party"]) if rows else None
