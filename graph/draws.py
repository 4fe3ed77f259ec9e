"""Draws in the graph: created once, never changed (no write here updates a draw)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, LiteralString, TypeVar

from neo4j import AsyncManagedTransaction

from graph.driver import Graph, Record

REVIEWER_KINDS = ["REVIEWING_STATES", "REDRAW"]
# Taken first by every transaction that decides from who reviews whom (draws of reviewers,
# redraws, opening a review with the drawn reviewers): they are serialized.
REVIEWER_DRAW_LOCK: LiteralString = "MERGE (l:DrawLock {name: 'reviewers'}) SET l.lockedAt = datetime()"
STATES_DRAW_LOCK: LiteralString = (
    "MERGE (l:DrawLock {name: 'states-under-review'}) SET l.lockedAt = datetime()"
)
T = TypeVar("T")


async def create_draw(graph: Graph, draw: dict[str, Any]) -> Record:
    rows = await graph.write("CREATE (d:Draw) SET d = $draw RETURN properties(d) AS draw", draw=draw)
    created: Record = rows[0]["draw"]
    return created


async def reviewer_state(tx: AsyncManagedTransaction) -> tuple[list[Record], list[Record]]:
    """Every reviewer draw (oldest first), and every review with its reviewers
    ({party, instruments}) and agreements: what a draw of reviewers decides from."""
    draws = await (
        await tx.run(
            "MATCH (d:Draw) WHERE d.kind IN $kinds RETURN properties(d) AS draw ORDER BY d.id",
            kinds=REVIEWER_KINDS,
        )
    ).data()
    reviews = await (
        await tx.run(
            "MATCH (r:Review) "
            "OPTIONAL MATCH (o:Observations {reviewId: r.id}) "
            "RETURN r.id AS id, r.stateUnderReview AS stateUnderReview, "
            "  COLLECT { MATCH (r)-[b:REVIEWED_BY]->(q:Party) "
            "            RETURN {party: q.code, instruments: b.instruments} } AS reviewers, "
            "  coalesce(o.agreedBy, []) AS agreedBy"
        )
    ).data()
    return draws, reviews


async def record_draw(tx: AsyncManagedTransaction, draw: Record) -> Record:
    """Create a draw; its `links` (popped) give reviews their reviewers ({review, reviewers})."""
    links = draw.pop("links", [])
    result = await tx.run("CREATE (d:Draw) SET d = $draw RETURN properties(d) AS draw", draw=draw)
    record = await result.single()
    assert record is not None
    if links:
        await tx.run(
            "UNWIND $links AS link MATCH (r:Review {id: link.review}) "
            "CALL (r, link) { MATCH (r)-[old:REVIEWED_BY]->(q:Party) "
            "  WHERE NOT q.code IN [x IN link.reviewers | x.party] DELETE old } "
            "CALL (r, link) { UNWIND link.reviewers AS reviewer MATCH (q:Party {code: reviewer.party}) "
            "  MERGE (r)-[b:REVIEWED_BY]->(q) SET b.instruments = reviewer.instruments }",
            links=links,
        )
    created: Record = record["draw"]
    return created


async def governing_draw(tx: AsyncManagedTransaction) -> Record | None:
    """The draw of States under review that governs: the newest (each later one was made
    under a Conference decision, or placed parties that joined later)."""
    result = await tx.run(
        "MATCH (d:Draw {kind: 'STATES_UNDER_REVIEW'}) RETURN properties(d) AS draw ORDER BY d.id DESC LIMIT 1"
    )
    row = await result.single()
    return row["draw"] if row else None


async def draw_states(graph: Graph, decide: Callable[[Record | None], Record | T]) -> Record | T:
    """Record a draw of States under review decided from the governing one (None before
    any), holding the lock of such draws: two at once never both see none governing."""

    async def work(tx: AsyncManagedTransaction) -> Record | T:
        await tx.run(STATES_DRAW_LOCK)
        outcome = decide(await governing_draw(tx))
        if not isinstance(outcome, dict):
            return outcome
        return await record_draw(tx, outcome)

    return await graph.write_transaction(work)


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


async def latest_draw(graph: Graph, kind: str) -> Record | None:
    """The newest draw of a kind, or None."""
    rows = await graph.read(
        "MATCH (d:Draw {kind: $kind}) RETURN properties(d) AS draw ORDER BY d.id DESC LIMIT 1", kind=kind
    )
    return rows[0]["draw"] if rows else None


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


async def reviewer_draws(graph: Graph) -> list[Record]:
    """The draws of reviewing States and the redraws, oldest first."""
    return await graph.read(
        "MATCH (d:Draw) WHERE d.kind IN $kinds RETURN properties(d) AS draw ORDER BY d.id",
        kinds=REVIEWER_KINDS,
    )


async def draw_reviewers(
    graph: Graph, decide: Callable[[list[Record], list[Record]], Record | T]
) -> Record | T:
    """Record a draw of reviewers decided from the state of the mechanism, in one
    transaction that holds the lock of reviewer draws, so that two draws at once never
    start from the same state.

    `decide(draws, reviews)` gets every reviewer draw (oldest first) and every review with
    its reviewers ({party, instruments}) and agreements, and returns the draw to record,
    with `links`: the reviews whose reviewers it sets ({review, reviewers}); or anything
    else, to record nothing and return it.
    """

    async def work(tx: AsyncManagedTransaction) -> Record | T:
        await tx.run(REVIEWER_DRAW_LOCK)
        draws, reviews = await reviewer_state(tx)
        outcome = decide(draws, reviews)
        if not isinstance(outcome, dict):
            return outcome
        return await record_draw(tx, outcome)

    return await graph.write_transaction(work)
