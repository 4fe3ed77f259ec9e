"""Announced draws (¶17, ¶28): announce, contribute, reveal, perform. The scheme and its
rules are in mechanism/commitments.py; the writes in graph/announcements.py, each deciding
in its transaction with the same rules."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

import strawberry

from api.auth import now
from api.graphql.context import ContextInfo
from api.graphql.draws.mutations import decision_problem, states_inputs
from api.graphql.draws.records import current_assignments_of, make_draw
from api.graphql.draws.reviewers import _links_of_first_draw, first_draw_inputs
from api.graphql.draws.types import (
    Draw,
    DrawAnnouncement,
    DrawAnnouncementResult,
    DrawInfeasibleError,
    DrawKind,
    DrawResult,
)
from api.graphql.errors import InvalidInput, NotFound, RuleViolation
from api.graphql.participation.draws import with_recorded_choices
from api.graphql.relay import Connection, paging, parse_global_id
from graph import announcements as store
from graph.draws import latest_draw
from graph.driver import Graph, Record
from mechanism import commitments as rules
from mechanism.rules import Violation

ANNOUNCED_KINDS = (DrawKind.STATES_UNDER_REVIEW, DrawKind.REVIEWING_STATES)


def _utc(moment: datetime.datetime) -> datetime.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def _native(value: Any) -> datetime.datetime:
    native: datetime.datetime = value.to_native() if hasattr(value, "to_native") else value
    return native


def _key(id: strawberry.ID) -> str | None:
    ref = parse_global_id(id, "announcement")
    return ref.key if ref.type_name == "DrawAnnouncement" else None


async def _shown(graph: Graph, key: str) -> DrawAnnouncement | NotFound:
    rows = await store.announcements_by_ids(graph, [key])
    return DrawAnnouncement.from_row(rows[0]) if rows else NotFound()


async def announce(
    graph: Graph,
    kind: str,
    closes: datetime.datetime,
    reveals_close: datetime.datetime | None,
    conference_decision: str | None,
    user_id: str | None,
    at: datetime.datetime,
    governing: str | None,
) -> Record | Violation:
    """Record an announcement with a fresh secret, publishing only its commitment."""
    reveals_close = reveals_close or closes + rules.DEFAULT_REVEAL_PERIOD
    violation = rules.announcement_violation(kind, at, closes, reveals_close)
    if violation is None and kind == DrawKind.STATES_UNDER_REVIEW.value:
        violation = rules.second_draw_violation(governing, conference_decision)
    if violation:
        return violation
    secret = rules.new_secret()
    announcement = {
        "id": f"{at:%Y%m%dT%H%M%S%f}-{kind}",
        "kind": kind,
        "commitment": rules.commitment_of(secret),
        "announcedAt": at,
        "announcedBy": user_id,
        "contributionsCloseAt": closes,
        "revealsCloseAt": reveals_close,
        "conferenceDecision": conference_decision,
    }
    return await store.create_announcement(graph, announcement, secret)


Deciding = Callable[[Record, Record | None], Record | RuleViolation]


def contribution(party: str, commitment: str, user_id: str | None, at: datetime.datetime) -> Deciding:
    """`decide` of graph.announcements.contribute: the contribution, or the rule it breaks."""

    def decide(announcement: Record, mine: Record | None) -> Record | RuleViolation:
        violation = rules.contribution_violation(
            announcement["kind"], at, _native(announcement["contributionsCloseAt"]), mine is not None
        )
        if violation is None and announcement.get("drawId"):
            violation = Violation(rules.paragraph_of(announcement["kind"]), "this draw is already performed")
        if violation:
            return RuleViolation.of(violation)
        return {
            "announcementId": announcement["id"],
            "party": party,
            "commitment": commitment,
            "contributedAt": at,
            "contributedBy": user_id,
        }

    return decide


def revelation(value: str, user_id: str | None, at: datetime.datetime) -> Deciding:
    """`decide` of graph.announcements.reveal: the changes, or the rule they break."""

    def decide(announcement: Record, mine: Record | None) -> Record | RuleViolation:
        violation = rules.reveal_violation(
            announcement["kind"],
            at,
            _native(announcement["contributionsCloseAt"]),
            _native(announcement["revealsCloseAt"]),
            bool(announcement.get("drawId")),
            mine["commitment"] if mine else None,
            bool(mine and mine.get("value") is not None),
            value,
        )
        if violation:
            return RuleViolation.of(violation)
        return {"value": value, "revealedAt": at, "revealedBy": user_id}

    return decide


async def perform(
    graph: Graph, key: str, user_id: str | None, at: datetime.datetime
) -> Record | RuleViolation | DrawInfeasibleError | InvalidInput:
    """Perform an announced draw: the seed derives from the secret and the revealed
    contributions; the draw is recorded with its announcement, and the secret revealed."""
    rows = await store.announcements_by_ids(graph, [key])
    if not rows:
        return InvalidInput(field="announcement", message="no announced draw has this ID")
    kind = rows[0]["announcement"]["kind"]
    prepared: dict[str, Any] = {}
    if kind == DrawKind.STATES_UNDER_REVIEW.value:
        prepared = await states_inputs(graph, None, None)
    else:
        drawn = await _states_drawn_in(graph)
        if drawn is None:
            return DrawInfeasibleError(
                message="Draw the States under review first.", failures=["no STATES_UNDER_REVIEW draw"]
            )
        prepared = {"participants": drawn[0], "years": drawn[1]}

    def decide(
        announcement: Record, contributions: list[Record], secret: str, state: dict[str, Any]
    ) -> Record | RuleViolation | DrawInfeasibleError:
        unrevealed = [c for c in contributions if c.get("value") is None]
        violation = rules.perform_violation(
            kind,
            at,
            _native(announcement["contributionsCloseAt"]),
            _native(announcement["revealsCloseAt"]),
            bool(announcement.get("drawId")),
            len(unrevealed),
        )
        decision = announcement.get("conferenceDecision")
        if violation is None and kind == DrawKind.STATES_UNDER_REVIEW.value:
            governing = state["governing"]
            violation = rules.second_draw_violation(governing["id"] if governing else None, decision)
        if violation:
            return RuleViolation.of(violation)
        revealed = {c["party"]: c["value"] for c in contributions if c.get("value") is not None}
        seed = rules.derive_seed(announcement["id"], secret, revealed)
        if kind == DrawKind.STATES_UNDER_REVIEW.value:
            inputs: dict[str, Any] | DrawInfeasibleError = prepared
        else:
            inputs = first_draw_inputs(prepared["participants"], prepared["years"], state["draws"])
        if isinstance(inputs, DrawInfeasibleError):
            return inputs
        draw = make_draw(kind, inputs, seed, user_id, rules.ANNOUNCED)
        if isinstance(draw, DrawInfeasibleError):
            return draw
        draw["announcementId"] = announcement["id"]
        if decision and kind == DrawKind.STATES_UNDER_REVIEW.value:
            draw["conferenceDecision"] = decision
        if kind == DrawKind.REVIEWING_STATES.value:
            draw["links"] = _links_of_first_draw(state["reviews"], current_assignments_of([{"draw": draw}]))
        return draw

    outcome: Record | RuleViolation | DrawInfeasibleError | None
    outcome = await store.perform(graph, key, kind, decide)
    if outcome is None:
        return InvalidInput(field="announcement", message="no announced draw has this ID")
    return outcome


async def _states_drawn_in(graph: Graph) -> tuple[list[dict[str, Any]], dict[str, int]] | None:
    """The pool and the years of the governing draw of States under review (None before any)."""
    draw = await latest_draw(graph, DrawKind.STATES_UNDER_REVIEW.value)
    if draw is None:
        return None
    # As the parties' recorded choices make them now (¶28(c), ¶29, footnote 2).
    participants = await with_recorded_choices(graph, json.loads(draw["inputs"])["participants"])
    return participants, json.loads(draw["result"])["years"]


@strawberry.type
class AnnouncementQueries:
    @strawberry.field(description="Announced draws, newest first, with their contributions")
    async def draw_announcements(
        self,
        info: ContextInfo,
        kind: DrawKind | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[DrawAnnouncement]:
        page = paging(info.context, "drawAnnouncements", first, after)
        rows, total = await store.announcements_page(
            info.context.graph, kind.value if kind else None, page.position, page.fetch
        )
        return page.connection(
            [DrawAnnouncement.from_row(r) for r in rows], [r["announcement"]["id"] for r in rows], total
        )


async def _answered(info: ContextInfo, key: str, outcome: object) -> DrawAnnouncementResult:
    """What a contribution or a reveal answers: the announcement as it now is, the rule it
    broke, or NotFound for no such announcement."""
    if outcome is None:
        return NotFound()
    if isinstance(outcome, RuleViolation):
        return outcome
    return await _shown(info.context.graph, key)


@strawberry.type
class AnnouncementMutations:
    @strawberry.mutation(
        description="the secretariat announces a draw; contributions are taken until contributionsCloseAt, "
        "revealed until revealsCloseAt (default: a day later). A second draw of States under review needs "
        "conferenceDecision (¶17)."
    )
    async def announce_draw(
        self,
        info: ContextInfo,
        kind: DrawKind,
        contributions_close_at: datetime.datetime,
        reveals_close_at: datetime.datetime | None = None,
        conference_decision: str | None = None,
    ) -> DrawAnnouncementResult:
        if kind not in ANNOUNCED_KINDS:
            return InvalidInput(
                field="kind", message="announce a draw of STATES_UNDER_REVIEW or REVIEWING_STATES"
            )
        problem = decision_problem(conference_decision)
        if problem:
            return problem
        governing = await latest_draw(info.context.graph, DrawKind.STATES_UNDER_REVIEW.value)
        outcome = await announce(
            info.context.graph,
            kind.value,
            _utc(contributions_close_at),
            _utc(reveals_close_at) if reveals_close_at else None,
            (conference_decision or "").strip() or None,
            info.context.viewer.user_id,
            now(),
            governing["id"] if governing else None,
        )
        if isinstance(outcome, Violation):
            return RuleViolation.of(outcome)
        return DrawAnnouncement.from_row({"announcement": outcome, "contributions": []})

    @strawberry.mutation(
        description="the focal point of a State party, before closing: the hex SHA-256 of a value it keeps"
    )
    async def contribute_to_draw(
        self, info: ContextInfo, announcement: strawberry.ID, commitment: str
    ) -> DrawAnnouncementResult:
        key = _key(announcement)
        if key is None:
            return NotFound()
        commitment = commitment.strip().lower()
        if not rules.is_commitment(commitment):
            return InvalidInput(
                field="commitment", message="must be the hex SHA-256 of a value you keep (64 hex digits)"
            )
        viewer = info.context.viewer
        assert viewer.party is not None  # the guard admits focal points of State parties only
        decide = contribution(viewer.party, commitment, viewer.user_id, now())
        outcome = await store.contribute(info.context.graph, key, viewer.party, decide)
        return await _answered(info, key, outcome)

    @strawberry.mutation(
        description="the same focal point, after closing: the value whose hash it contributed"
    )
    async def reveal_contribution(
        self, info: ContextInfo, announcement: strawberry.ID, value: str
    ) -> DrawAnnouncementResult:
        key = _key(announcement)
        if key is None:
            return NotFound()
        if not rules.MIN_VALUE_LENGTH <= len(value) <= rules.MAX_VALUE_LENGTH:
            return InvalidInput(
                field="value",
                message=f"must have {rules.MIN_VALUE_LENGTH} to {rules.MAX_VALUE_LENGTH} characters",
            )
        viewer = info.context.viewer
        assert viewer.party is not None
        outcome = await store.reveal(
            info.context.graph, key, viewer.party, revelation(value, viewer.user_id, now())
        )
        return await _answered(info, key, outcome)

    @strawberry.mutation(
        description="the secretariat, after closing: reveals its secret and performs the draw"
    )
    async def perform_draw(self, info: ContextInfo, announcement: strawberry.ID) -> DrawResult:
        key = _key(announcement)
        if key is None:
            return InvalidInput(field="announcement", message="no announced draw has this ID")
        outcome = await perform(info.context.graph, key, info.context.viewer.user_id, now())
        return Draw.from_record(outcome) if isinstance(outcome, dict) else outcome
