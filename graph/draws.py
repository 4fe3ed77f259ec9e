"""Draws in the graph: created once, never changed (no write here updates a draw)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, LiteralString, TypeVar

from neo4j import AsyncManagedTransaction

from graph.driver import Graph, Record
from graph.participation import CHOICES

REVIEWER_KINDS = ["REVIEWING_STATES", "REDRAW"]
# Taken first by every transaction that decides from who reviews whom (draws of reviewers,
# redraws, opening a review with the drawn reviewers): they are serialized.
REVIEWER_DRAW_LOCK: LiteralString = "MERGE (l:DrawLock {name: 'reviewers'}) SET l.lockedAt = datetime()"
STATES_DRAW_LOCK: LiteralString = (
    "MERGE (l:DrawLock {name: 'states-under-review'}) SET l.lockedAt = datetime()"
)
PARTICIPANTS: LiteralString = (
    "MATCH (p:Party) "
    "RETURN p.code AS code, p.regionalGroup AS regionalGroup, "
    "  COLLECT { MATCH (p)-[:PARTICIPATES_IN {status: 'PARTY'}]->(i:Instrument) "
    "            RETURN i.code } AS bound, "
    "  COLLECT { MATCH (p)-[:PARTICIPATES_IN]->(i:Instrument) RETURN i.code } AS signed "
    "ORDER BY p.code"
)
T = TypeVar("T")


async def create_draw(graph: Graph, draw: dict[str, Any]) -> Record:
    rows = await graph.write("CREATE (d:Draw) SET d = $draw RETURN properties(d) AS draw", draw=draw)
    created: Record = rows[0]["draw"]
    return created


async def draw_state(tx: AsyncManagedTransaction, kind: str) -> dict[str, Any]:
    """What a draw of `kind` decides from, read in its transaction (after its lock):
    `governing`, the draw of States under review that governs (None before any);
    `choices`, every party's recorded choices (rows of graph.participation.CHOICES); for a
    draw of States under review, `parties` (rows of PARTICIPANTS); for a draw of
    reviewers, `draws`, every reviewer draw (oldest first), and `reviews`, every review
    with its reviewers ({party, instruments}) and agreements."""
    state: dict[str, Any] = {
        "governing": await governing_draw(tx),
        "choices": await (await tx.run(CHOICES, parties=None)).data(),
    }
    if kind == "STATES_UNDER_REVIEW":
        state["parties"] = await (await tx.run(PARTICIPANTS)).data()
        return state
    state["draws"] = await (
        await tx.run(
            "MATCH (d:Draw) WHERE d.kind IN $kinds RETURN properties(d) AS draw ORDER BY d.id",
            kinds=REVIEWER_KINDS,
        )
    ).data()
    state["reviews"] = await (
        await tx.run(
            "MATCH (r:Review) "
            "OPTIONAL MATCH (o:Observations {reviewId: r.id}) "
            "RETURN r.id AS id, r.stateUnderReview AS stateUnderReview, "
            "  COLLECT { MATCH (r)-[b:REVIEWED_BY]->(q:Party) "
            "            RETURN {party: q.code, instruments: b.instruments} } AS reviewers, "
            "  coalesce(o.agreedBy, []) AS agreedBy"
        )
    ).data()
    return state


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


async def draw_states(graph: Graph, decide: Callable[[dict[str, Any]], Record | T]) -> Record | T:
    """Record a draw of States under review decided from `draw_state` (the governing draw,
    the parties, their choices), holding the lock of such draws: two at once never both
    see none governing."""

    async def work(tx: AsyncManagedTransaction) -> Record | T:
        await tx.run(STATES_DRAW_LOCK)
        outcome = decide(await draw_state(tx, "STATES_UNDER_REVIEW"))
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
    return await graph.read(PARTICIPANTS)


async def reviewer_draws(graph: Graph) -> list[Record]:
    """The draws of reviewing States and the redraws, oldest first."""
    return await graph.read(
        "MATCH (d:Draw) WHERE d.kind IN $kinds RETURN properties(d) AS draw ORDER BY d.id",
        kinds=REVIEWER_KINDS,
    )


async def draw_reviewers(graph: Graph, decide: Callable[[dict[str, Any]], Record | T]) -> Record | T:
    """Record a draw of reviewers decided from `draw_state`, in one transaction that holds
    the lock of reviewer draws, so that two draws at once never start from the same state.

    `decide(state)` returns the draw to record, with `links`: the reviews whose reviewers
    it sets ({review, reviewers}); or anything else, to record nothing and return it.
    """

    async def work(tx: AsyncManagedTransaction) -> Record | T:
        await tx.run(REVIEWER_DRAW_LOCK)
        outcome = decide(await draw_state(tx, "REVIEWING_STATES"))
        if not isinstance(outcome, dict):
            return outcome
        return await record_draw(tx, outcome)

    return await graph.write_transaction(work)
