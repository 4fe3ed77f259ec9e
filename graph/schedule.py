"""The phases of each group of States (¶9-¶15), the Conference's decisions to move a group
on (¶10), and the facts a review's progress and deadlines are computed from."""

from __future__ import annotations

from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from graph.driver import Graph, Record

# One row per review: what mechanism.progress.ReviewFacts needs.
_PROGRESS: LiteralString = (
    "RETURN {reviewId: r.id, stateUnderReview: r.stateUnderReview, phase: r.phase, "
    "  reviewers: COLLECT { MATCH (r)-[:REVIEWED_BY]->(q:Party) RETURN q.code }, "
    "  questions: size(coalesce(r.questions, [])), "
    "  answered: COUNT { MATCH (a:Answer {reviewId: r.id}) WHERE trim(coalesce(a.text, '')) <> '' }, "
    "  answersDueOn: r.answersDueOn, answersSubmittedOn: r.answersSubmittedOn, "
    "  feedbackDueOn: r.feedbackDueOn, "
    "  feedbackFrom: COLLECT { MATCH (f:WrittenFeedback {reviewId: r.id}) "
    "    RETURN {party: f.party, givenOn: f.givenOn} ORDER BY f.givenOn, f.party }, "
    "  agreedBy: coalesce(COLLECT { MATCH (o:Observations {reviewId: r.id}) RETURN o.agreedBy }[0], []) "
    "} AS progress"
)


async def progress_of(graph: Graph, review_ids: list[str]) -> list[Record]:
    return await graph.read("MATCH (r:Review) WHERE r.id IN $ids " + _PROGRESS, ids=review_ids)


async def progress_of_all(graph: Graph) -> list[Record]:
    return await graph.read("MATCH (r:Review) " + _PROGRESS + " ORDER BY r.id")


async def phase_starts(graph: Graph) -> list[Record]:
    return await graph.read("MATCH (s:PhaseStart) RETURN properties(s) AS start ORDER BY s.group, s.phase")


async def conference_decisions(graph: Graph) -> list[Record]:
    return await graph.read(
        "MATCH (d:ConferenceDecision) RETURN properties(d) AS decision ORDER BY d.group, d.phase"
    )


async def record_conference_decision(graph: Graph, decision: dict[str, Any]) -> Record:
    """Create the decision (a ConstraintError when the group's phase already has one)."""
    rows = await graph.write(
        "CREATE (d:ConferenceDecision) SET d = $decision RETURN properties(d) AS decision",
        decision=decision,
    )
    created: Record = rows[0]["decision"]
    return created


async def members(graph: Graph, codes: list[str]) -> list[Record]:
    """What opening a review needs to know of each party."""
    return await graph.read(
        "MATCH (p:Party) WHERE p.code IN $codes "
        "RETURN p.code AS code, coalesce(p.uncacParty, false) AS uncacParty, "
        "  COLLECT { MATCH (p)-[:PARTICIPATES_IN {status: 'PARTY'}]->(i:Instrument) "
        "            RETURN i.code } AS bound, "
        "  COLLECT { MATCH (p)-[:PARTICIPATES_IN]->(i:Instrument) RETURN i.code } AS signed",
        codes=codes,
    )


async def start_phase(graph: Graph, start: dict[str, Any], reviews: list[dict[str, Any]]) -> None:
    """Open the phase's reviews that do not exist yet ({review, reviewers}) and record the
    start, all at once (a ConstraintError when the phase of the group has already started)."""

    async def work(tx: AsyncManagedTransaction) -> None:
        await tx.run("CREATE (s:PhaseStart) SET s = $start", start=start)
        await tx.run(
            "UNWIND $reviews AS item "
            "MATCH (p:Party {code: item.review.stateUnderReview}) "
            "WHERE NOT EXISTS { MATCH (:Review {id: item.review.id}) } "
            "CREATE (r:Review) SET r = item.review "
            "CREATE (r)-[:UNDER_REVIEW]->(p) "
            "WITH r, item CALL (r, item) { UNWIND item.reviewers AS reviewer "
            "  MATCH (q:Party {code: reviewer.party}) "
            "  CREATE (r)-[:REVIEWED_BY {instruments: reviewer.instruments}]->(q) }",
            reviews=reviews,
        )

    await graph.write_transaction(work)


async def workplan_amendments(graph: Graph) -> list[Record]:
    """The Conference's amendments of the workplan (¶16), oldest first."""
    return await graph.read("MATCH (a:WorkplanAmendment) RETURN properties(a) AS amendment ORDER BY a.number")


async def amend_workplan(graph: Graph, amendment: dict[str, Any]) -> Record:
    """Record an amendment numbered after the last (a ConstraintError when another was
    recorded meanwhile with that number)."""
    rows = await graph.write(
        "CREATE (a:WorkplanAmendment) SET a = $amendment RETURN properties(a) AS amendment",
        amendment=amendment,
    )
    created: Record = rows[0]["amendment"]
    return created
