"""Country reviews and their artefacts in the graph.

Nothing here decides who may read or write: callers ask mechanism.disclosure first, and
the GraphQL layer filters what these reads return. Archived artefacts (dialogue messages,
documents, disclosure changes) are only ever created, never updated in place.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, LiteralString, TypeVar

from neo4j import AsyncManagedTransaction

from graph.draws import REVIEWER_DRAW_LOCK, REVIEWER_KINDS
from graph.driver import Graph, Record
from graph.participation import REVIEW_REVIEWERS, reviewers_signature
from graph.reference import UnknownParty
from mechanism.disclosure import Artefact, ReviewParticipants, Visibility

T = TypeVar("T")

# Every write that may change what is public marks the review: its publications are then
# recomputed (search/publishing.py), and recomputed again if they raced another change.
_MARK: LiteralString = "SET r.contentVersion = coalesce(r.contentVersion, 0) + 1, r.publishPending = true "
_CHANGED: LiteralString = _MARK + "WITH r "

# A change whose rule depends on the review as it is takes the review's write lock first,
# then reads it: such changes of one review are serialized, and each decides on the latest
# committed state.
_LOCK_REVIEW: LiteralString = (
    "MATCH (r:Review {id: $review}) SET r.lockedAt = datetime() "
    "RETURN properties(r) AS review, "
    "  COLLECT { MATCH (r)-[:REVIEWED_BY]->(q:Party) RETURN q.code ORDER BY q.code } AS reviewers, "
    "  COLLECT { MATCH (d:Disclosure {reviewId: r.id}) "
    "            RETURN {artefact: d.artefact, part: d.part, visibility: d.visibility} } AS flags, "
    "  COLLECT { MATCH (o:Observations {reviewId: r.id}) RETURN properties(o) }[0] AS observations, "
    "  COLLECT { MATCH (t:TimelineProposal {reviewId: r.id}) RETURN properties(t) }[0] AS timeline, "
    "  COLLECT { MATCH (f:WrittenFeedback {reviewId: r.id}) RETURN properties(f) } AS feedback"
)


async def _locked(tx: AsyncManagedTransaction, review_id: str) -> Record:
    """The review, locked, as {review, reviewers, flags, observations, timeline, feedback};
    ReviewMissing when there is none."""
    found = await (await tx.run(_LOCK_REVIEW, review=review_id)).single()
    if found is None:
        raise ReviewMissing(review_id)
    return dict(found)


async def _decided(
    graph: Graph,
    review_id: str,
    decide: Callable[[Record], object | None],
    query: LiteralString,
    returned: str,
    parameters: Callable[[Record], dict[str, Any]],
) -> Record:
    """One change of a review in one transaction: the review locked, `decide(locked)` asked
    (a refusal raises Refused, writing nothing), then `query` run with `$review` and
    `parameters(locked)`; the `returned` column of its one row."""

    async def work(tx: AsyncManagedTransaction) -> Record:
        locked = await _locked(tx, review_id)
        refusal = decide(locked)
        if refusal is not None:
            raise Refused(refusal)
        result = await tx.run(query, review=review_id, **parameters(locked))
        record = await result.single()
        assert record is not None
        value: Record = record[returned]
        return value

    return await graph.write_transaction(work)


class ReviewMissing(LookupError):
    """No review has this id (a write to it changed nothing)."""

    def __init__(self, review_id: str) -> None:
        super().__init__(f"no review {review_id}")
        self.review_id = review_id


class DrawsChanged(Exception):
    """A draw of reviewers was made since the caller read them: decide again."""


class AlreadySubmitted(Exception):
    """A submitted answer is not changed; further questions go through the dialogue."""


class Refused(Exception):
    """A rule refused the change (the caller's `decide` answered it): nothing was written."""

    def __init__(self, refusal: object) -> None:
        super().__init__(str(refusal))
        self.refusal = refusal


class VersionConflict(Exception):
    """Someone saved a newer version first."""

    def __init__(self, current: int) -> None:
        super().__init__(f"the current version is {current}")
        self.current = current


async def create_review(
    graph: Graph,
    review: dict[str, Any],
    reviewers: list[dict[str, Any]],
    *,
    reviewer_draws_seen: list[str] | None = None,
    reviewers_seen: tuple[list[str], list[str]] | None = None,
) -> Record:
    """Create a review with its reviewers ({party, instruments}; none is allowed: the first
    draw of reviewers fills a review that has none).

    Raises UnknownParty when the State under review or a reviewer does not exist, and, with
    `reviewer_draws_seen` (the ids of the reviewer draws the reviewers were taken from, in
    id order), DrawsChanged when a draw of reviewers was made since: the check is made under
    the lock of reviewer draws, so a draw made at the same time either sees this review or
    is seen by it. With `reviewers_seen` (the parties concerned, and
    `graph.participation.reviewers_signature` of their reviews as read when named reviewers
    were checked against the rules), DrawsChanged too when one of those reviews changed
    since. Either way nothing is written.
    """

    async def work(tx: AsyncManagedTransaction) -> Record:
        if reviewer_draws_seen is not None:
            await tx.run(REVIEWER_DRAW_LOCK)
            result = await tx.run(
                "MATCH (d:Draw) WHERE d.kind IN $kinds RETURN d.id AS id ORDER BY d.id", kinds=REVIEWER_KINDS
            )
            if [row["id"] async for row in result] != reviewer_draws_seen:
                raise DrawsChanged()
            # Named reviewers were checked against every review's (¶28-¶29): none changed since.
            if reviewers_seen is not None:
                parties, signature = reviewers_seen
                rows = await (await tx.run(REVIEW_REVIEWERS)).data()
                if reviewers_signature(rows, parties) != signature:
                    raise DrawsChanged()
        # The reviewers are linked in a subquery: with none (or a party missing) the row of
        # the review stays, and the check below names what is missing.
        result = await tx.run(
            "MATCH (p:Party {code: $review.stateUnderReview}) "
            "CREATE (r:Review) SET r = $review "
            "CREATE (r)-[:UNDER_REVIEW]->(p) "
            "WITH r CALL (r) { UNWIND $reviewers AS reviewer "
            "  MATCH (q:Party {code: reviewer.party}) "
            "  CREATE (r)-[:REVIEWED_BY {instruments: reviewer.instruments}]->(q) } "
            "RETURN properties(r) AS review, COLLECT { MATCH (r)-[:REVIEWED_BY]->(q:Party) "
            "  RETURN q.code } AS linked",
            review=review,
            reviewers=reviewers,
        )
        record = await result.single()
        if record is None:
            raise UnknownParty(review["stateUnderReview"])
        missing = [r["party"] for r in reviewers if r["party"] not in record["linked"]]
        if missing:
            raise UnknownParty(missing[0])
        created: Record = record["review"]
        return created

    return await graph.write_transaction(work)


async def reviews_page(
    graph: Graph, state_under_review: str | None, phase: int | None, after: str | None, limit: int
) -> tuple[list[Record], int]:
    match = (
        "MATCH (r:Review) WHERE ($sur IS NULL OR r.stateUnderReview = $sur) "
        "AND ($phase IS NULL OR r.phase = $phase) "
    )
    rows = await graph.read(
        "CALL () { " + match + "RETURN count(r) AS total } "
        "CALL () { " + match + "AND ($after IS NULL OR r.id > $after) "
        "WITH r ORDER BY r.id LIMIT $limit RETURN collect(properties(r)) AS reviews } "
        "RETURN total, reviews",
        sur=state_under_review,
        phase=phase,
        after=after,
        limit=limit,
    )
    return rows[0]["reviews"], rows[0]["total"]


async def reviews_by_ids(graph: Graph, ids: list[str]) -> list[Record]:
    """Reviews with their reviewers ([{party, instruments}]) and disclosure flags."""
    return await graph.read(
        "MATCH (r:Review) WHERE r.id IN $ids "
        "RETURN properties(r) AS review, "
        "  COLLECT { MATCH (r)-[b:REVIEWED_BY]->(q:Party) "
        "            RETURN {party: q.code, instruments: b.instruments} ORDER BY q.code } AS reviewers, "
        "  COLLECT { MATCH (d:Disclosure {reviewId: r.id}) "
        "            RETURN {artefact: d.artefact, part: d.part, visibility: d.visibility} } AS flags, "
        "  COLLECT { MATCH (t:TimelineProposal {reviewId: r.id}) RETURN properties(t) }[0] AS timeline",
        ids=ids,
    )


def participants_of(row: Record) -> ReviewParticipants:
    """The participants of a review row of `reviews_by_ids`."""
    return ReviewParticipants(
        row["review"]["stateUnderReview"], frozenset(r["party"] for r in row["reviewers"])
    )


def flags_of(row: Record) -> dict[tuple[Artefact, str | None], Visibility]:
    """The disclosure flags of a review row of `reviews_by_ids`, by (artefact, part)."""
    return {(Artefact(f["artefact"]), f["part"] or None): Visibility(f["visibility"]) for f in row["flags"]}


# ---------- answers ----------


async def answers_of(graph: Graph, review_ids: list[str]) -> list[Record]:
    return await graph.read(
        "MATCH (a:Answer) WHERE a.reviewId IN $ids "
        "RETURN properties(a) AS answer, "
        "  COLLECT { MATCH (a)-[:CITES]->(l:Legislation) RETURN l.key ORDER BY l.key } AS laws, "
        "  COLLECT { MATCH (a)-[:ATTACHES]->(d:ReviewDocument) RETURN d.id ORDER BY d.id } AS attachments "
        "ORDER BY a.reviewId, a.instrument, a.article",
        ids=review_ids,
    )


async def save_answer(
    graph: Graph,
    *,
    review_id: str,
    instrument: str,
    article: str,
    text: str,
    law_keys: list[str],
    uncac_references: list[str],
    attachment_ids: list[str] | None = None,
    expected_version: int | None,
    user_id: str,
    now: datetime,
    lang: str | None = None,
) -> Record:
    """Create or update a draft answer (in the working language `lang`, ¶50), refusing a
    stale `expected_version`."""
    key = f"{review_id}|{article}"

    async def work(tx: AsyncManagedTransaction) -> Record:
        # MERGE takes the answer's write lock first: two saves are serialized, and the
        # version read here is the one this write replaces.
        result = await tx.run(
            "MATCH (r:Review {id: $review}) "
            "MERGE (a:Answer {key: $key}) ON CREATE SET a.version = 0, a.status = 'DRAFT' "
            "SET a.lockedAt = $now RETURN a.version AS version, a.status AS status",
            review=review_id,
            key=key,
            now=now,
        )
        current = await result.single()
        if current is None:
            raise ReviewMissing(review_id)
        if current["status"] == "SUBMITTED":
            raise AlreadySubmitted()
        if expected_version is not None and expected_version != current["version"]:
            raise VersionConflict(current["version"])
        result = await tx.run(
            "MATCH (r:Review {id: $review}) " + _CHANGED + "MERGE (a:Answer {key: $key}) "
            "SET a.reviewId = $review, a.instrument = $instrument, a.article = $article "
            "MERGE (a)-[:OF_REVIEW]->(r) "
            "SET a.text = $text, a.lang = $lang, a.uncacReferences = $uncac, a.version = a.version + 1, "
            "  a.updatedAt = $now, a.updatedBy = $user, a.status = 'DRAFT', a.submittedAt = null "
            "WITH a CALL (a) { MATCH (a)-[c:CITES|ATTACHES]->() DELETE c } "
            "CALL (a) { UNWIND $laws AS k MATCH (l:Legislation {key: k}) MERGE (a)-[:CITES]->(l) } "
            "CALL (a) { UNWIND $attachments AS d "
            "  MATCH (doc:ReviewDocument {id: d, reviewId: $review}) MERGE (a)-[:ATTACHES]->(doc) } "
            "RETURN properties(a) AS answer",
            review=review_id,
            key=key,
            instrument=instrument,
            article=article,
            text=text,
            lang=lang,
            uncac=uncac_references,
            laws=law_keys,
            attachments=attachment_ids or [],
            now=now,
            user=user_id,
        )
        record = await result.single()
        assert record is not None
        saved: Record = record["answer"]
        return saved

    return await graph.write_transaction(work)


async def submit_answers(
    graph: Graph, review_id: str, submitted_on: date, feedback_due: date, now: datetime
) -> int:
    """Submit the review's draft answers; the dates of the first submission stay."""
    rows = await graph.write(
        "MATCH (r:Review {id: $review}) "
        + _CHANGED
        + "WITH r, COLLECT { MATCH (a:Answer {reviewId: r.id, status: 'DRAFT'}) RETURN a } AS drafts "
        "WHERE size(drafts) > 0 "
        "SET r.answersSubmittedOn = coalesce(r.answersSubmittedOn, $on), "
        "    r.feedbackDueOn = coalesce(r.feedbackDueOn, $due), r.status = 'ANSWERS_SUBMITTED' "
        "WITH drafts UNWIND drafts AS a SET a.status = 'SUBMITTED', a.submittedAt = $now "
        "RETURN count(a) AS n",
        review=review_id,
        on=submitted_on,
        due=feedback_due,
        now=now,
    )
    return int(rows[0]["n"]) if rows else 0


# ---------- dialogue and documents ----------


async def dialogue_of(graph: Graph, review_ids: list[str]) -> list[Record]:
    """Every revision of every message; the latest of a thread has no newer revision."""
    return await graph.read(
        "MATCH (m:DialogueMessage) WHERE m.reviewId IN $ids "
        "RETURN properties(m) AS message, NOT EXISTS { (:DialogueMessage)-[:REVISES]->(m) } AS latest "
        "ORDER BY m.postedAt, m.id",
        ids=review_ids,
    )


async def post_message(graph: Graph, message: dict[str, Any], revises: str | None) -> Record | None:
    """Archive a message; a revision names the message it replaces (which stays as it was)."""
    rows = await graph.write(
        "MATCH (r:Review {id: $message.reviewId}) "
        + _CHANGED
        + "OPTIONAL MATCH (old:DialogueMessage {id: $revises, reviewId: $message.reviewId}) "
        "WITH r, old WHERE $revises IS NULL OR "
        "  (old IS NOT NULL AND NOT EXISTS { (:DialogueMessage)-[:REVISES]->(old) } "
        "   AND coalesce(old.authorParty, '') = coalesce($message.authorParty, '')) "
        "CREATE (m:DialogueMessage) SET m = $message, "
        "  m.thread = CASE WHEN old IS NULL THEN $message.id ELSE old.thread END, "
        "  m.revision = CASE WHEN old IS NULL THEN 1 ELSE old.revision + 1 END, "
        # A revision of a reviewing State's written feedback is still its feedback (¶35).
        "  m.kind = CASE WHEN old.kind = 'WRITTEN_FEEDBACK' THEN old.kind ELSE $message.kind END "
        "CREATE (m)-[:OF_REVIEW]->(r) "
        "FOREACH (_ IN CASE WHEN old IS NULL THEN [] ELSE [1] END | CREATE (m)-[:REVISES]->(old)) "
        "RETURN properties(m) AS message",
        message=message,
        revises=revises,
    )
    return rows[0]["message"] if rows else None


async def documents_of(graph: Graph, review_ids: list[str]) -> list[Record]:
    return await graph.read(
        "MATCH (d:ReviewDocument) WHERE d.reviewId IN $ids "
        "RETURN d {.id, .reviewId, .title, .contentType, .size, .sha256, .uploadedAt, .uploadedBy} "
        "AS document ORDER BY d.uploadedAt",
        ids=review_ids,
    )


async def add_document(graph: Graph, document: dict[str, Any], content: bytes) -> Record | None:
    """The document added, or None (nothing written) when its review does not exist."""
    rows = await graph.write(
        "MATCH (r:Review {id: $document.reviewId}) "
        + _CHANGED
        + "CREATE (d:ReviewDocument) SET d = $document, d.content = $content "
        "CREATE (d)-[:OF_REVIEW]->(r) "
        "RETURN d {.id, .reviewId, .title, .contentType, .size, .sha256, .uploadedAt} AS document",
        document=document,
        content=content,
    )
    return rows[0]["document"] if rows else None


async def document_content(graph: Graph, document_id: str) -> Record | None:
    rows = await graph.read(
        "MATCH (d:ReviewDocument {id: $id}) RETURN d.reviewId AS reviewId, d.content AS content, "
        "d.contentType AS contentType, d.title AS title",
        id=document_id,
    )
    return rows[0] if rows else None


# ---------- the list of observations and its summary ----------


async def observations_of(graph: Graph, review_ids: list[str]) -> list[Record]:
    """The lists, each with its `reopenings` (¶39), oldest first."""
    return await graph.read(
        "MATCH (o:Observations) WHERE o.reviewId IN $ids "
        "RETURN o {.*, reopenings: COLLECT { MATCH (x:ObservationsReopening {reviewId: o.reviewId}) "
        "  WITH x ORDER BY x.at RETURN properties(x) }} AS observations",
        ids=review_ids,
    )


async def save_observations(
    graph: Graph,
    review_id: str,
    changes: dict[str, Any],
    expected_version: int | None,
    now: datetime,
    decide: Callable[[Record], object | None] | None = None,
) -> Record:
    """Change the list or the summary: any change withdraws every agreement given (¶39).

    `decide(locked)` (the review as `_locked` reads it, with the observations as they would
    be once changed) answers why not, or None: a refusal raises Refused, writing nothing."""

    async def work(tx: AsyncManagedTransaction) -> Record:
        locked = await _locked(tx, review_id)
        # MERGE takes the list's write lock first, so the version read is the current one.
        result = await tx.run(
            "MATCH (r:Review {id: $review}) MERGE (o:Observations {reviewId: $review}) "
            "ON CREATE SET o.version = 0 SET o.lockedAt = $now RETURN o.version AS v",
            review=review_id,
            now=now,
        )
        current = await result.single()
        if current is None:
            raise ReviewMissing(review_id)
        if expected_version is not None and expected_version != current["v"]:
            raise VersionConflict(current["v"])
        if decide is not None:
            refusal = decide({**locked, "changed": {**(locked["observations"] or {}), **changes}})
            if refusal is not None:
                raise Refused(refusal)
        result = await tx.run(
            "MATCH (r:Review {id: $review}) " + _CHANGED + "MERGE (o:Observations {reviewId: $review}) "
            "SET o.gapsAndChallenges = coalesce(o.gapsAndChallenges, []), "
            "  o.goodPractices = coalesce(o.goodPractices, []), "
            "  o.recommendations = coalesce(o.recommendations, []), "
            "  o.technicalAssistanceNeeds = coalesce(o.technicalAssistanceNeeds, []) "
            "MERGE (o)-[:OF_REVIEW]->(r) "
            "SET o += $changes, o.version = o.version + 1, o.updatedAt = $now, o.agreedBy = [] "
            "RETURN properties(o) AS observations",
            review=review_id,
            changes=changes,
            now=now,
        )
        record = await result.single()
        assert record is not None
        saved: Record = record["observations"]
        return saved

    return await graph.write_transaction(work)


async def agree_observations(graph: Graph, review_id: str, party: str, version: int) -> Record | None:
    """Record a participant's agreement to this version; None if the version is not current."""
    rows = await graph.write(
        "MATCH (o:Observations {reviewId: $review}) SET o.lockedAt = timestamp() "
        "WITH o WHERE o.version = $version "
        "MATCH (r:Review {id: $review}) " + _MARK + "WITH o "
        "SET o.agreedBy = CASE WHEN $party IN o.agreedBy THEN o.agreedBy ELSE o.agreedBy + $party END "
        "RETURN properties(o) AS observations",
        review=review_id,
        party=party,
        version=version,
    )
    return rows[0]["observations"] if rows else None


async def reopen_observations(
    graph: Graph, review_id: str, reopening: dict[str, Any], decide: Callable[[Record], object | None]
) -> Record:
    """Reopen a final list (¶39): `decide(locked)` answers why not, or None (a refusal raises
    Refused). The reopening is archived with its reason; every agreement is withdrawn and
    the version moves on, so no agreement to the final version counts again."""
    return await _decided(
        graph,
        review_id,
        decide,
        "MATCH (r:Review {id: $review}) " + _CHANGED + "MATCH (o:Observations {reviewId: $review}) "
        "CREATE (x:ObservationsReopening) SET x = $reopening, x.reviewId = $review, "
        "  x.version = o.version, x.agreedBy = o.agreedBy "
        "CREATE (x)-[:OF_REVIEW]->(r) "
        "SET o.version = o.version + 1, o.agreedBy = [], o.reopenedAt = $reopening.at "
        "RETURN properties(o) AS observations",
        "observations",
        lambda _: {"reopening": reopening},
    )


# ---------- written feedback (¶35) ----------


async def give_feedback(
    graph: Graph, message: dict[str, Any], feedback: dict[str, Any], decide: Callable[[Record], object | None]
) -> Record:
    """The reviewing State's written feedback: archived as a message of the dialogue (kind
    WRITTEN_FEEDBACK) and recorded as the act (:WrittenFeedback {reviewId, party, givenOn,
    messageId}). `decide(locked)` answers why not, or None (a refusal raises Refused)."""
    return await _decided(
        graph,
        message["reviewId"],
        decide,
        "MATCH (r:Review {id: $review}) " + _CHANGED + "CREATE (m:DialogueMessage) SET m = $message, "
        "  m.thread = $message.id, m.revision = 1 "
        "CREATE (m)-[:OF_REVIEW]->(r) "
        "CREATE (f:WrittenFeedback) SET f = $feedback, "
        "  f.key = $review + '|' + $feedback.party, "
        "  f.reviewId = $review, f.messageId = $message.id "
        "CREATE (f)-[:OF_REVIEW]->(r) CREATE (f)-[:WRITTEN_IN]->(m) "
        "RETURN properties(m) AS message",
        "message",
        lambda _: {"message": message, "feedback": feedback},
    )


# ---------- the timeline and working languages (¶31, ¶34, ¶50) ----------


async def propose_timeline(
    graph: Graph, review_id: str, proposal: dict[str, Any], decide: Callable[[Record], object | None]
) -> Record:
    """A new proposal replaces the review's current one (and the agreements to it); what was
    agreed before stays on the review until this one is agreed."""
    return await _decided(
        graph,
        review_id,
        decide,
        "MATCH (r:Review {id: $review}) MERGE (t:TimelineProposal {reviewId: $review}) "
        "ON CREATE SET t.version = 0 "
        "SET t += $proposal, t.version = t.version + 1, t.agreedBy = [], t.agreedOn = null "
        "MERGE (t)-[:OF_REVIEW]->(r) RETURN properties(t) AS timeline",
        "timeline",
        lambda _: {"proposal": proposal},
    )


async def agree_timeline(
    graph: Graph,
    review_id: str,
    party: str,
    today: date,
    decide: Callable[[Record], object | None],
    agreed: Callable[[Record, list[str]], bool],
) -> Record:
    """Record a participant's agreement to the current proposal; once `agreed(locked,
    agreed_by)` holds, the proposal sets the review's `answersDueOn`, working languages and
    their exception (¶31, ¶34, ¶50)."""

    def parameters(locked: Record) -> dict[str, Any]:
        agreed_by = sorted({*(locked["timeline"].get("agreedBy") or []), party})
        return {"agreedBy": agreed_by, "final": agreed(locked, agreed_by), "today": today}

    return await _decided(
        graph,
        review_id,
        decide,
        "MATCH (t:TimelineProposal {reviewId: $review}) MATCH (r:Review {id: $review}) "
        "SET t.agreedBy = $agreedBy "
        "FOREACH (_ IN CASE WHEN $final THEN [1] ELSE [] END | "
        "  SET t.agreedOn = $today, r.answersDueOn = t.answersDueOn, "
        "    r.workingLanguages = t.workingLanguages, r.workingLanguagesException = t.exception, "
        "    r.timelineAgreedOn = $today) "
        "RETURN properties(t) AS timeline",
        "timeline",
        parameters,
    )


# ---------- disclosure ----------


async def set_disclosure(
    graph: Graph, change: dict[str, Any], decide: Callable[[Record], object | None]
) -> None:
    """Set a flag and archive the change (who, when, what, from, to, why) in one transaction.
    `decide(locked)` (the review as it is, its flags included) answers why not, or None: a
    refusal raises Refused, writing nothing."""
    await _decided(
        graph,
        change["reviewId"],
        decide,
        "MATCH (r:Review {id: $review}) "
        + _CHANGED
        + "MERGE (d:Disclosure {key: $review + '|' + $change.artefact + '|' + $change.part}) "
        "ON CREATE SET d.reviewId = $review, d.artefact = $change.artefact, "
        "  d.part = $change.part "
        "SET d.visibility = $change.to "
        "CREATE (c:DisclosureChange) SET c = $change CREATE (c)-[:OF_REVIEW]->(r) "
        "RETURN properties(c) AS change",
        "change",
        lambda _: {"change": change},
    )


async def disclosure_log(graph: Graph, review_id: str) -> list[Record]:
    return await graph.read(
        "MATCH (c:DisclosureChange {reviewId: $review}) RETURN properties(c) AS change ORDER BY c.at",
        review=review_id,
    )
