"""The drawing of lots in GraphQL (secretariat): draws are recorded with everything needed
to recompute them (`verifyDraw`), and never changed afterwards."""

from __future__ import annotations

import asyncio
import datetime
import hashlib
import json
from enum import StrEnum
from typing import Annotated, Any

import strawberry

from api import speedups
from api.auth import now
from api.graphql.enums import RedrawKind
from api.graphql.errors import InvalidInput, NotAuthorized, UserInputError
from api.graphql.relay import (
    Connection,
    Node,
    global_id,
    paging,
    parse_global_id,
)
from api.graphql.types import ContextInfo, Instrument, Party, load_instruments, party_of
from api.policy import fields as rules
from api.policy.fields import restricted
from graph import draws as store
from graph.driver import Record
from mechanism.draw import (
    ALGORITHM_VERSION,
    Assignment,
    DrawInfeasible,
    Participant,
    draw_reviewing_states,
    draw_states_under_review,
)
from mechanism.lots import new_seed
from mechanism.redraws import current_assignments, redraw_reviewer

HOLY_SEE = "VAT"


@strawberry.enum
class DrawKind(StrEnum):
    STATES_UNDER_REVIEW = "STATES_UNDER_REVIEW"
    REVIEWING_STATES = "REVIEWING_STATES"
    REDRAW = "REDRAW"


@strawberry.type
class DrawGroupEntry:
    year: int
    party_code: strawberry.Private[str]

    @strawberry.field
    def party(self, info: ContextInfo) -> Party:
        return party_of(info, self.party_code)


@strawberry.type
class DrawAssignment:
    same_regional_group: bool
    state_code: strawberry.Private[str]
    reviewer_code: strawberry.Private[str]
    instrument_codes: strawberry.Private[list[str]]

    @strawberry.field
    def state_under_review(self, info: ContextInfo) -> Party:
        return party_of(info, self.state_code)

    @strawberry.field
    def reviewer(self, info: ContextInfo) -> Party:
        return party_of(info, self.reviewer_code)

    @strawberry.field
    async def instruments(self, info: ContextInfo) -> list[Instrument]:
        return await load_instruments(info, self.instrument_codes)


@strawberry.type(description="REDRAW: whose place was drawn again, at whose request and why")
class Redraw:
    kind: RedrawKind
    state_under_review_code: strawberry.Private[str]
    replaced_code: strawberry.Private[str]
    requested_by_code: strawberry.Private[str]
    reason_text: strawberry.Private[str]
    repetition: int | None = strawberry.field(
        description="REPETITION: the how-manieth of the requester's four (¶28(d))"
    )

    @strawberry.field
    def state_under_review(self, info: ContextInfo) -> Party:
        return party_of(info, self.state_under_review_code)

    @strawberry.field(description="the reviewing State whose place was drawn again")
    def replaced(self, info: ContextInfo) -> Party:
        return party_of(info, self.replaced_code)

    @strawberry.field
    def requested_by(self, info: ContextInfo) -> Party:
        return party_of(info, self.requested_by_code)

    @property
    def concerned_parties(self) -> set[str]:
        """The States under review, replaced and requesting: they read the reason (¶28(e), ¶30)."""
        return {self.state_under_review_code, self.replaced_code, self.requested_by_code}

    @strawberry.field(
        description="the secretariat and the States concerned read it; others get null",
        extensions=[restricted(rules.redraw_reason)],
    )
    def reason(self) -> str | None:
        return self.reason_text


@strawberry.type
class Draw(Node):
    kind: DrawKind
    seed: str
    algorithm_version: str
    created_at: datetime.datetime
    record: strawberry.Private[Record]

    @classmethod
    def from_record(cls, r: Record) -> Draw:
        return cls(
            id=global_id("Draw", r["id"]),
            kind=DrawKind(r["kind"]),
            seed=r["seed"],
            algorithm_version=r["algorithmVersion"],
            created_at=r["createdAt"].to_native(),
            record=r,
        )

    @strawberry.field(description="STATES_UNDER_REVIEW: the year (1, 2 or 3) each party was drawn for")
    def groups(self) -> list[DrawGroupEntry]:
        result = json.loads(self.record["result"])
        years = result.get("years", {})
        return [DrawGroupEntry(year=year, party_code=code) for code, year in sorted(years.items())]

    @strawberry.field
    def redraw(self) -> Redraw | None:
        if self.kind is not DrawKind.REDRAW:
            return None
        request = json.loads(self.record["inputs"])["request"]
        return Redraw(
            kind=RedrawKind(request["kind"]),
            state_under_review_code=request["stateUnderReview"],
            replaced_code=request["reviewer"],
            requested_by_code=request["requestedBy"],
            reason_text=request["reason"],
            repetition=request.get("repetition"),
        )

    @strawberry.field(description="REVIEWING_STATES and REDRAW: who reviews whom, for which instruments")
    def assignments(self) -> list[DrawAssignment]:
        result = json.loads(self.record["result"])
        return [
            DrawAssignment(
                same_regional_group=a["sameRegionalGroup"],
                state_code=a["stateUnderReview"],
                reviewer_code=a["reviewer"],
                instrument_codes=a["instruments"],
            )
            for a in result.get("assignments", [])
        ]


@strawberry.type
class DrawVerification:
    draw: Draw
    reproduced: bool


@strawberry.type(description="No draw meets the constraints: which failed for which State")
class DrawInfeasibleError:
    message: str
    failures: list[str]


DrawResult = Annotated[
    Draw | NotAuthorized | DrawInfeasibleError | InvalidInput, strawberry.union("DrawResult")
]


def _participants(rows: list[Record], opted_out: set[str], volunteers: set[str]) -> list[Participant]:
    result = []
    for row in rows:
        bound = set(row["bound"])
        party = "UNTOC" in bound
        volunteer = row["code"] in volunteers and not party
        instruments = frozenset(row["signed"] if volunteer else bound)
        result.append(
            Participant(
                code=row["code"],
                regional_group=row["regionalGroup"],
                instruments=instruments,
                may_be_reviewed=(party or volunteer) and row["code"] not in opted_out,
                may_review=party and row["code"] not in opted_out,
            )
        )
    return result


def _participant_json(p: Participant) -> dict[str, Any]:
    return {
        "code": p.code,
        "regionalGroup": p.regional_group,
        "instruments": sorted(p.instruments),
        "mayBeReviewed": p.may_be_reviewed,
        "mayReview": p.may_review,
        "maxReviews": p.max_reviews,
    }


def _participant_from_json(d: dict[str, Any]) -> Participant:
    return Participant(
        d["code"],
        d["regionalGroup"],
        frozenset(d["instruments"]),
        d["mayBeReviewed"],
        d["mayReview"],
        d["maxReviews"],
    )


def assignment_json(a: Assignment) -> dict[str, Any]:
    return {
        "stateUnderReview": a.state_under_review,
        "reviewer": a.reviewer,
        "instruments": list(a.instruments),
        "sameRegionalGroup": a.same_regional_group,
    }


def assignment_from_json(a: dict[str, Any]) -> Assignment:
    return Assignment(a["stateUnderReview"], a["reviewer"], tuple(a["instruments"]), a["sameRegionalGroup"])


def current_assignments_of(draws: list[Record]) -> list[Assignment]:
    """Who reviews whom now, from the reviewer draws (rows of `draw`), oldest first."""
    return current_assignments(
        (
            row["draw"]["kind"],
            [assignment_from_json(a) for a in json.loads(row["draw"]["result"])["assignments"]],
        )
        for row in draws
    )


def compute(kind: str, inputs: dict[str, Any], seed: str) -> dict[str, Any]:
    """The result of a draw from its recorded inputs: what `verifyDraw` recomputes."""
    participants = [_participant_from_json(p) for p in inputs["participants"]]
    if kind == DrawKind.STATES_UNDER_REVIEW.value:
        return {"years": draw_states_under_review(participants, seed)}
    if kind == DrawKind.REDRAW.value:
        found = redraw_reviewer(
            participants,
            inputs["request"]["stateUnderReview"],
            inputs["request"]["reviewer"],
            seed,
            [assignment_from_json(a) for a in inputs["current"]],
            released=frozenset(inputs["released"]),
        )
    else:
        existing = [assignment_from_json(a) for a in inputs["existing"]]
        found = draw_reviewing_states(participants, inputs["statesUnderReview"], seed, existing=existing)
    return {"assignments": [assignment_json(a) for a in found]}


def _recompute(record: Record) -> str:
    """A draw's result computed again from its recorded inputs and seed, as recorded
    (JSON with sorted keys); empty if the inputs admit no draw."""
    try:
        result = compute(record["kind"], json.loads(record["inputs"]), record["seed"])
    except DrawInfeasible:
        return ""
    return json.dumps(result, sort_keys=True)


# A draw is never changed once recorded, so its recomputation (~0.3 s of CPU for the
# reviewing States) is made once per process and kept (by the draw and its recorded
# inputs: a draw altered in the database is computed again), in a thread so that the event loop
# goes on serving meanwhile; requests asking at the same time share one computation.
_RECOMPUTED: dict[tuple[str, str], str] = {}
_RECOMPUTED_KEPT = 64
_IN_FLIGHT: dict[tuple[int, str, str], asyncio.Future[str]] = {}  # by event loop, then draw


async def _recomputed(record: Record, kept: bool = True) -> str:
    if not kept:  # the speed-up off (SHERLOC_SPEEDUP_DRAW_VERIFICATION_CACHE): computed each time
        return await asyncio.to_thread(_recompute, record)
    recorded = "\n".join(str(record[name]) for name in ("kind", "seed", "inputs"))
    key = (str(record["id"]), hashlib.sha256(recorded.encode()).hexdigest())
    done = _RECOMPUTED.get(key)
    if done is not None:
        return done
    flight = (id(asyncio.get_running_loop()), *key)
    future = _IN_FLIGHT.get(flight)
    if future is None:
        future = asyncio.ensure_future(asyncio.to_thread(_recompute, record))
        _IN_FLIGHT[flight] = future

        def keep(finished: asyncio.Future[str]) -> None:
            del _IN_FLIGHT[flight]
            if not finished.cancelled() and finished.exception() is None:
                _RECOMPUTED[key] = finished.result()
                while len(_RECOMPUTED) > _RECOMPUTED_KEPT:
                    del _RECOMPUTED[next(iter(_RECOMPUTED))]

        future.add_done_callback(keep)
    # Shielded: a request stopped at its time limit leaves the computation to the others.
    return await asyncio.shield(future)


def new_draw(
    info: ContextInfo, kind: DrawKind, inputs: dict[str, Any], seed: str | None
) -> Record | DrawInfeasibleError:
    """The record of a draw (not yet stored), or why no draw meets the constraints. The
    seed is drawn from the operating system unless given."""
    seed = seed or new_seed()
    try:
        result = compute(kind.value, inputs, seed)
    except DrawInfeasible as error:
        return DrawInfeasibleError(message="No draw meets the constraints.", failures=error.failures)
    encoded = json.dumps(result, sort_keys=True)
    created = now()
    return {
        "id": f"{created:%Y%m%dT%H%M%S%f}-{kind.value}",
        "kind": kind.value,
        "seed": seed,
        "algorithmVersion": ALGORITHM_VERSION,
        "createdAt": created,
        "createdBy": info.context.viewer.user_id,
        "inputs": json.dumps(inputs, sort_keys=True),
        "result": encoded,
        "resultHash": hashlib.sha256(encoded.encode()).hexdigest(),
    }


@strawberry.type
class DrawQueries:
    @strawberry.field(description="Draws, newest first")
    async def draws(
        self,
        info: ContextInfo,
        kind: DrawKind | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Draw]:
        page = paging(info.context, "draws", first, after)
        records, total = await store.draws_page(
            info.context.graph, kind.value if kind else None, page.position, page.fetch
        )
        return page.connection([Draw.from_record(r) for r in records], [r["id"] for r in records], total)

    @strawberry.field(description="who reviews whom now: the draws of reviewing States with their redraws")
    async def current_assignments(
        self, info: ContextInfo, state_under_review: str | None = None
    ) -> list[DrawAssignment]:
        code = state_under_review.strip().upper() if state_under_review else None
        current = current_assignments_of(await store.reviewer_draws(info.context.graph))
        return [
            DrawAssignment(
                same_regional_group=a.same_regional_group,
                state_code=a.state_under_review,
                reviewer_code=a.reviewer,
                instrument_codes=list(a.instruments),
            )
            for a in current
            if code is None or a.state_under_review == code
        ]

    @strawberry.field
    async def draw(self, info: ContextInfo, id: strawberry.ID) -> Draw | None:
        ref = parse_global_id(id)
        rows = await store.draws_by_ids(info.context.graph, [ref.key]) if ref.type_name == "Draw" else []
        return Draw.from_record(rows[0]["draw"]) if rows else None

    @strawberry.field(description="recomputes the draw from its recorded inputs and seed")
    async def verify_draw(self, info: ContextInfo, id: strawberry.ID) -> DrawVerification:
        ref = parse_global_id(id)
        rows = await store.draws_by_ids(info.context.graph, [ref.key]) if ref.type_name == "Draw" else []
        if not rows:
            raise UserInputError("id", "no draw has this ID")
        record = rows[0]["draw"]
        kept = speedups.on(info.context.settings, speedups.DRAW_VERIFICATION_CACHE)
        again = await _recomputed(record, kept)
        reproduced = (
            record["algorithmVersion"] == ALGORITHM_VERSION
            and again == record["result"]
            and hashlib.sha256(again.encode()).hexdigest() == record["resultHash"]
        )
        return DrawVerification(draw=Draw.from_record(record), reproduced=reproduced)


@strawberry.type
class DrawMutations:
    @strawberry.mutation(description="Draw the year (1-3) of every party under review (¶17; secretariat)")
    async def draw_states_under_review(
        self,
        info: ContextInfo,
        seed: str | None = None,
        opted_out: list[str] | None = None,
        volunteers: list[str] | None = None,
    ) -> DrawResult:
        out = {c.strip().upper() for c in (opted_out if opted_out is not None else [HOLY_SEE])}
        rows = await store.draw_participants(info.context.graph)
        participants = _participants(rows, out, {c.strip().upper() for c in volunteers or []})
        inputs = {"participants": [_participant_json(p) for p in participants], "optedOut": sorted(out)}
        draw = new_draw(info, DrawKind.STATES_UNDER_REVIEW, inputs, seed)
        if isinstance(draw, DrawInfeasibleError):
            return draw
        return Draw.from_record(await store.create_draw(info.context.graph, draw))
