"""The types of the drawing of lots: draws, their groups and assignments, redraws."""

from __future__ import annotations

import datetime
import json
from enum import StrEnum
from typing import Annotated

import strawberry

from api.graphql.context import ContextInfo
from api.graphql.enums import RedrawKind
from api.graphql.errors import InvalidInput, NotAuthorized
from api.graphql.reference.types import Instrument, Party, load_instruments, party_of
from api.graphql.relay import (
    Node,
    global_id,
)
from api.policy import fields as rules
from api.policy.fields import restricted
from graph.driver import Record

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
