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
from api.graphql.draws.mutations import decision_problem, joining_inputs, states_inputs
from api.graphql.draws.records import current_assignments_of, make_draw
from api.graphql.draws.reviewers import (
    NO_STATES_DRAWN,
    _links_of_first_draw,
    first_draw_inputs,
    links_of_redraw,
    redraw_inputs,
    redraw_request,
    request_from_json,
    request_json,
    reviewer_pool,
)
from api.graphql.draws.types import (
    Draw,
    DrawAnnouncement,
    DrawAnnouncementResult,
    DrawInfeasibleError,
    DrawKind,
    DrawResult,
)
from api.graphql.enums import RedrawKind
from api.graphql.errors import InvalidInput, NotFound, RuleViolation
from api.graphql.relay import Connection, paging, parse_global_id
from graph import announcements as store
from graph.draws import latest_draw, reviewer_draws
from graph.driver import Graph, Record
from mechanism import commitments as rules
from mechanism.redraws import RedrawRequest
from mechanism.rules import Violation

ANNOUNCED_KINDS = (DrawKind.STATES_UNDER_REVIEW, DrawKind.REVIEWING_STATES, DrawKind.REDRAW)


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
    *,
    only_joining: bool = False,
    request: RedrawRequest | None = None,
) -> Record | Violation | InvalidInput:
    """Record an announcement with a fresh secret, publishing only its commitment. What
    the draw will decide from is checked now, and again when it is performed."""
    reveals_close = reveals_close or closes + rules.DEFAULT_REVEAL_PERIOD
    violation = rules.announcement_violation(kind, at, closes, reveals_close)
    if violation:
        return violation
    refused = await _announced_draw_problem(graph, kind, conference_decision, only_joining, request)
    if refused:
        return refused
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
        "onlyJoining": only_joining,
        "request": json.dumps(request_json(request), sort_keys=True) if request else None,
    }
    return await store.create_announcement(graph, announcement, secret)


async def _announced_draw_problem(
    graph: Graph,
    kind: str,
    conference_decision: str | None,
    only_joining: bool,
    request: RedrawRequest | None,
) -> Violation | InvalidInput | None:
    """Why a draw of this kind cannot be announced now (checked again when performed)."""
    if kind == DrawKind.REDRAW.value:
        assert request is not None
        draws = await reviewer_draws(graph)
        refused = redraw_inputs([], request, draws, [])
        return refused if isinstance(refused, InvalidInput) else None
    governing = await latest_draw(graph, DrawKind.STATES_UNDER_REVIEW.value)
    if kind == DrawKind.STATES_UNDER_REVIEW.value and only_joining:
        if governing is None:
            return InvalidInput(field="onlyJoining", message="no draw of States under review governs yet")
        return None
    if kind == DrawKind.STATES_UNDER_REVIEW.value:
        return rules.second_draw_violation(governing["id"] if governing else None, conference_decision)
    return None


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
    contributions; the draw is recorded with its announcement, and the secret revealed.
    Everything it decides from is read in its transaction (graph.draws.draw_state)."""
    rows = await store.announcements_by_ids(graph, [key])
    if not rows:
        return InvalidInput(field="announcement", message="no announced draw has this ID")
    kind = rows[0]["announcement"]["kind"]

    def decide(
        announcement: Record, contributions: list[Record], secret: str, state: dict[str, Any]
    ) -> Record | RuleViolation | DrawInfeasibleError | InvalidInput:
        unrevealed = [c for c in contributions if c.get("value") is None]
        violation = rules.perform_violation(
            kind,
            at,
            _native(announcement["contributionsCloseAt"]),
            _native(announcement["revealsCloseAt"]),
            bool(announcement.get("drawId")),
            len(unrevealed),
        )
        if (
            violation is None
            and kind == DrawKind.STATES_UNDER_REVIEW.value
            and not announcement.get("onlyJoining")
        ):
            governing = state["governing"]
            violation = rules.second_draw_violation(
                governing["id"] if governing else None, announcement.get("conferenceDecision")
            )
        if violation:
            return RuleViolation.of(violation)
        inputs = _inputs_of(announcement, state)
        if not isinstance(inputs, dict):
            return inputs
        revealed = {c["party"]: c["value"] for c in contributions if c.get("value") is not None}
        seed = rules.derive_seed(announcement["id"], secret, revealed)
        draw = make_draw(kind, inputs, seed, user_id, rules.ANNOUNCED)
        if isinstance(draw, DrawInfeasibleError):
            return draw
        draw["announcementId"] = announcement["id"]
        if kind == DrawKind.STATES_UNDER_REVIEW.value and announcement.get("conferenceDecision"):
            draw["conferenceDecision"] = announcement["conferenceDecision"]
        if kind == DrawKind.REVIEWING_STATES.value:
            draw["links"] = _links_of_first_draw(state["reviews"], current_assignments_of([{"draw": draw}]))
        if kind == DrawKind.REDRAW.value:
            draw["links"] = links_of_redraw(state["reviews"], _request_of(announcement), draw)
        return draw

    outcome: Record | RuleViolation | DrawInfeasibleError | InvalidInput | None
    outcome = await store.perform(graph, key, kind, decide)
    if outcome is None:
        return InvalidInput(field="announcement", message="no announced draw has this ID")
    return outcome


def _request_of(announcement: Record) -> RedrawRequest:
    return request_from_json(json.loads(announcement["request"]))


def _inputs_of(
    announcement: Record, state: dict[str, Any]
) -> dict[str, Any] | DrawInfeasibleError | InvalidInput:
    """The inputs of an announced draw, from the state it is performed on."""
    kind = announcement["kind"]
    if kind == DrawKind.STATES_UNDER_REVIEW.value:
        inputs = states_inputs(state, None, None)
        if not announcement.get("onlyJoining"):
            return inputs
        if state["governing"] is None:
            return InvalidInput(field="onlyJoining", message="no draw of States under review governs yet")
        return joining_inputs(inputs, state["governing"])
    pool = reviewer_pool(state)
    if pool is None:
        return NO_STATES_DRAWN
    if kind == DrawKind.REDRAW.value:
        return redraw_inputs(pool[0], _request_of(announcement), state["draws"], state["reviews"])
    return first_draw_inputs(*pool, state["draws"])


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


@strawberry.input(description="what a REDRAW is asked for, as redrawReviewer takes it")
class RedrawRequestInput:
    state_under_review: str
    reviewer: str
    kind: RedrawKind
    requested_by: str
    reason: str = ""


def _kind_problem(
    kind: DrawKind, only_joining: bool, redraw: RedrawRequestInput | None
) -> InvalidInput | None:
    if kind not in ANNOUNCED_KINDS:
        return InvalidInput(
            field="kind", message="announce a draw of STATES_UNDER_REVIEW, REVIEWING_STATES or REDRAW"
        )
    if (kind is DrawKind.REDRAW) != (redraw is not None):
        return InvalidInput(field="redraw", message="a REDRAW, and only a REDRAW, names its request")
    if only_joining and kind is not DrawKind.STATES_UNDER_REVIEW:
        return InvalidInput(
            field="onlyJoining", message="places parties in a draw of STATES_UNDER_REVIEW only"
        )
    return None


@strawberry.type
class AnnouncementMutations:
    @strawberry.mutation(
        description="the secretariat announces a draw; contributions are taken until contributionsCloseAt, "
        "revealed until revealsCloseAt (default: a day later). A second draw of States under review needs "
        "conferenceDecision (¶17), unless onlyJoining places the parties that joined since the governing "
        "draw. A REDRAW names its request in `redraw` (¶28(d)-(e), ¶30): checked now and when performed."
    )
    async def announce_draw(
        self,
        info: ContextInfo,
        kind: DrawKind,
        contributions_close_at: datetime.datetime,
        reveals_close_at: datetime.datetime | None = None,
        conference_decision: str | None = None,
        only_joining: bool = False,
        redraw: RedrawRequestInput | None = None,
    ) -> DrawAnnouncementResult:
        problem = decision_problem(conference_decision) or _kind_problem(kind, only_joining, redraw)
        if problem:
            return problem
        request: RedrawRequest | None = None
        if redraw is not None:
            asked = redraw_request(
                redraw.kind, redraw.state_under_review, redraw.reviewer, redraw.requested_by, redraw.reason
            )
            if isinstance(asked, InvalidInput):
                return asked
            request = asked
        outcome = await announce(
            info.context.graph,
            kind.value,
            _utc(contributions_close_at),
            _utc(reveals_close_at) if reveals_close_at else None,
            (conference_decision or "").strip() or None,
            info.context.viewer.user_id,
            now(),
            only_joining=only_joining,
            request=request,
        )
        if isinstance(outcome, Violation):
            return RuleViolation.of(outcome)
        if isinstance(outcome, InvalidInput):
            return outcome
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
