"""Announced draws in the graph (mechanism/commitments.py has the scheme).

(:DrawAnnouncement) holds what is public: the commitment, the closing times and, once the
draw is performed, the secret and the draw's id. The secret waits in a (:DrawSecret) node
of its own that no query of the API reads, and is deleted when it is revealed. Each State's
(:DrawContribution) holds its commitment, then its value once revealed. Every write takes
the announcement's lock first (and performing takes the lock of its kind of draw before
it), so that a decision is never made on a state that changes under it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, LiteralString, TypeVar

from neo4j import AsyncManagedTransaction

from graph.draws import (
    REVIEWER_DRAW_LOCK,
    STATES_DRAW_LOCK,
    draw_state,
    record_draw,
)
from graph.driver import Graph, Record
from mechanism.draw_verification import exported

T = TypeVar("T")
_LOCK: LiteralString = (
    "MATCH (a:DrawAnnouncement {id: $id}) SET a.lockedAt = datetime() RETURN properties(a) AS announcement"
)
_CONTRIBUTIONS: LiteralString = (
    "MATCH (c:DrawContribution {announcementId: $id}) RETURN properties(c) AS contribution ORDER BY c.party"
)


async def create_announcement(graph: Graph, announcement: dict[str, Any], secret: str) -> Record:
    rows = await graph.write(
        "CREATE (a:DrawAnnouncement) SET a = $announcement "
        "CREATE (:DrawSecret {announcementId: $announcement.id, value: $secret}) "
        "RETURN properties(a) AS announcement",
        announcement=announcement,
        secret=secret,
    )
    created: Record = rows[0]["announcement"]
    return created


_WITH_CONTRIBUTIONS: LiteralString = (
    "RETURN properties(a) AS announcement, "
    "  COLLECT { MATCH (c:DrawContribution {announcementId: a.id}) "
    "            RETURN properties(c) ORDER BY c.party } AS contributions"
)


async def announcements_by_ids(graph: Graph, ids: list[str]) -> list[Record]:
    """{announcement, contributions} of each announcement found."""
    return await graph.read("MATCH (a:DrawAnnouncement) WHERE a.id IN $ids " + _WITH_CONTRIBUTIONS, ids=ids)


async def announcement_of_draw(graph: Graph, draw_id: str) -> Record | None:
    """{announcement, contributions} of the announcement a draw was performed for, or None."""
    rows = await graph.read("MATCH (a:DrawAnnouncement {drawId: $id}) " + _WITH_CONTRIBUTIONS, id=draw_id)
    return rows[0] if rows else None


async def announcements_page(
    graph: Graph, kind: str | None, after: str | None, limit: int
) -> tuple[list[Record], int]:
    match = "MATCH (a:DrawAnnouncement) WHERE ($kind IS NULL OR a.kind = $kind) "
    rows = await graph.read(
        "CALL () { " + match + "RETURN count(a) AS total } "
        "CALL () { " + match + "AND ($after IS NULL OR a.id < $after) "
        "WITH a ORDER BY a.id DESC LIMIT $limit RETURN collect(a.id) AS ids } "
        "RETURN total, ids",
        kind=kind,
        after=after,
        limit=limit,
    )
    ids: list[str] = rows[0]["ids"]
    found = {r["announcement"]["id"]: r for r in await announcements_by_ids(graph, ids)}
    return [found[i] for i in ids if i in found], rows[0]["total"]


async def contribute(
    graph: Graph, announcement_id: str, party: str, decide: Callable[[Record, Record | None], Record | T]
) -> Record | T | None:
    """Record a party's contribution that `decide(announcement, its contribution or None)`
    returns (a dict), or return whatever else it returns; None for no such announcement."""
    return await _with_contribution(
        graph, announcement_id, party, decide, "CREATE (c:DrawContribution) SET c = $changes"
    )


async def reveal(
    graph: Graph, announcement_id: str, party: str, decide: Callable[[Record, Record | None], Record | T]
) -> Record | T | None:
    """Set on a party's contribution the changes `decide(announcement, contribution)`
    returns (a dict), or return whatever else it returns; None for no such announcement."""
    return await _with_contribution(
        graph,
        announcement_id,
        party,
        decide,
        "MATCH (c:DrawContribution {announcementId: $id, party: $party}) SET c += $changes",
    )


async def _with_contribution(
    graph: Graph,
    announcement_id: str,
    party: str,
    decide: Callable[[Record, Record | None], Record | T],
    write: LiteralString,
) -> Record | T | None:
    """In one transaction: the announcement locked, the party's contribution read, and `write`
    run with the changes `decide` returns (`$id`, `$party`, `$changes`) if it returns a dict."""

    async def work(tx: AsyncManagedTransaction) -> Record | T | None:
        row = await (await tx.run(_LOCK, id=announcement_id)).single()
        if row is None:
            return None
        mine = await (
            await tx.run(
                "MATCH (c:DrawContribution {announcementId: $id, party: $party}) RETURN properties(c) AS c",
                id=announcement_id,
                party=party,
            )
        ).single()
        outcome = decide(row["announcement"], mine["c"] if mine else None)
        if not isinstance(outcome, dict):
            return outcome
        await tx.run(write, id=announcement_id, party=party, changes=outcome)
        announcement: Record = row["announcement"]
        return announcement

    return await graph.write_transaction(work)


# What performing decides from: the announcement, its contributions, the secret, and the
# state of the draws of its kind (graph.draws.draw_state).
Performing = Callable[[Record, list[Record], str, dict[str, Any]], Record | T]


async def perform(graph: Graph, announcement_id: str, kind: str, decide: Performing[T]) -> Record | T | None:
    """Record the draw `decide` returns (a dict, with `links` for a draw of reviewers) and
    reveal the secret, in one transaction holding the lock of the kind's draws and then the
    announcement's; or return whatever else `decide` returns. None: no such announcement."""
    lock = STATES_DRAW_LOCK if kind == "STATES_UNDER_REVIEW" else REVIEWER_DRAW_LOCK

    async def work(tx: AsyncManagedTransaction) -> Record | T | None:
        await tx.run(lock)
        row = await (await tx.run(_LOCK, id=announcement_id)).single()
        if row is None:
            return None
        contributions = [
            r["contribution"] for r in await (await tx.run(_CONTRIBUTIONS, id=announcement_id)).data()
        ]
        held = await (
            await tx.run(
                "MATCH (s:DrawSecret {announcementId: $id}) RETURN s.value AS value", id=announcement_id
            )
        ).single()
        secret = held["value"] if held else row["announcement"].get("secret") or ""
        outcome = decide(row["announcement"], contributions, secret, await draw_state(tx, kind))
        if not isinstance(outcome, dict):
            return outcome
        draw = await record_draw(tx, outcome)
        await tx.run(
            "MATCH (a:DrawAnnouncement {id: $id}) "
            "SET a.secret = $secret, a.drawId = $draw, a.performedAt = $at, a.performedBy = $by "
            "WITH a OPTIONAL MATCH (s:DrawSecret {announcementId: a.id}) DELETE s",
            id=announcement_id,
            secret=secret,
            draw=draw["id"],
            at=draw["createdAt"],
            by=draw.get("createdBy"),
        )
        return draw

    return await graph.write_transaction(work)


def _native(properties: Record) -> dict[str, Any]:
    return {k: v.to_native() if hasattr(v, "to_native") else v for k, v in properties.items()}


async def draw_export(graph: Graph, draw_id: str) -> dict[str, Any] | None:
    """The exported record of a draw (mechanism.draw_verification.exported), or None."""
    rows = await graph.read(
        "MATCH (d:Draw {id: $id}) "
        "OPTIONAL MATCH (a:DrawAnnouncement {id: d.announcementId}) "
        "RETURN properties(d) AS draw, properties(a) AS announcement, "
        "  COLLECT { MATCH (c:DrawContribution {announcementId: a.id}) "
        "            RETURN properties(c) ORDER BY c.party } AS contributions",
        id=draw_id,
    )
    if not rows:
        return None
    announcement = rows[0]["announcement"]
    return exported(
        _native(rows[0]["draw"]),
        _native(announcement) if announcement else None,
        [_native(c) for c in rows[0]["contributions"]],
    )
