"""The types of the drawing of lots: draws, their groups and assignments, redraws."""

from __future__ import annotations

import datetime
import json
from enum import StrEnum
from typing import Annotated

import strawberry

from api.graphql.context import ContextInfo
from api.graphql.enums import RedrawKind
from api.graphql.errors import InvalidInput, NotAuthorized, NotFound, RuleViolation
from api.graphql.reference.types import Instrument, Party, load_instruments, party_of
from api.graphql.relay import (
    Node,
    global_id,
)
from api.policy import fields as rules
from api.policy.fields import restricted
from graph import announcements as announced
from graph.draws import draws_by_ids
from graph.driver import Record
from mechanism.commitments import NOT_RECORDED

HOLY_SEE = "VAT"


@strawberry.enum
class DrawKind(StrEnum):
    STATES_UNDER_REVIEW = "STATES_UNDER_REVIEW"
    REVIEWING_STATES = "REVIEWING_STATES"
    REDRAW = "REDRAW"


@strawberry.enum(description="How a draw's seed came to be")
class SeedOrigin(StrEnum):
    ANNOUNCED = "ANNOUNCED"  # derived from an announced draw's secret and contributions
    OPERATING_SYSTEM = "OPERATING_SYSTEM"  # drawn by the server; the draw was not announced
    CALLER = "CALLER"  # chosen by whoever drew: tests and replays, never in production
    NOT_RECORDED = "NOT_RECORDED"  # a draw made before the origin was recorded


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

    @classmethod
    def of(cls, request: Record) -> Redraw:
        """From a request as recorded (a redraw's inputs, an announcement)."""
        return cls(
            kind=RedrawKind(request["kind"]),
            state_under_review_code=request["stateUnderReview"],
            replaced_code=request["reviewer"],
            requested_by_code=request["requestedBy"],
            reason_text=request["reason"],
            repetition=request.get("repetition"),
        )

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

    @strawberry.field(
        description="where the seed came from: an announced draw, the server, or the caller (never in "
        "production)"
    )
    def seed_origin(self) -> SeedOrigin:
        return SeedOrigin(self.record.get("seedOrigin") or NOT_RECORDED)

    @strawberry.field(
        description="STATES_UNDER_REVIEW: the Conference decision under which this draw was made, as given "
        "(needed to replace the one that governs, ¶17); null when none was given"
    )
    def conference_decision(self) -> str | None:
        decision: str | None = self.record.get("conferenceDecision")
        return decision

    @strawberry.field(description="the announcement this draw was performed for; null: it was not announced")
    async def announcement(self, info: ContextInfo) -> DrawAnnouncement | None:
        key = self.record.get("announcementId")
        if not key:
            return None
        rows = await announced.announcements_by_ids(info.context.graph, [key])
        return DrawAnnouncement.from_row(rows[0]) if rows else None

    @strawberry.field(description="STATES_UNDER_REVIEW: the year (1, 2 or 3) each party was drawn for")
    def groups(self) -> list[DrawGroupEntry]:
        result = json.loads(self.record["result"])
        years = result.get("years", {})
        return [DrawGroupEntry(year=year, party_code=code) for code, year in sorted(years.items())]

    @strawberry.field
    def redraw(self) -> Redraw | None:
        if self.kind is not DrawKind.REDRAW:
            return None
        return Redraw.of(json.loads(self.record["inputs"])["request"])

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


@strawberry.type(description="A State's contribution: its hash first, its value once revealed.")
class DrawContribution:
    commitment: str
    value: str | None
    revealed: bool
    party_code: strawberry.Private[str]

    @strawberry.field
    def party(self, info: ContextInfo) -> Party:
        return party_of(info, self.party_code)


@strawberry.type(description="A draw announced before it is made (¶17, ¶28).")
class DrawAnnouncement(Node):
    kind: DrawKind
    commitment: str = strawberry.field(
        description="hex SHA-256 of the secretariat's secret, published when the draw is announced"
    )
    announced_at: datetime.datetime
    contributions_close_at: datetime.datetime
    reveals_close_at: datetime.datetime = strawberry.field(
        description="contributions are revealed between contributionsCloseAt and this time; the draw is "
        "performed once every contribution is revealed, or after this time"
    )
    performed_at: datetime.datetime | None
    conference_decision: str | None = strawberry.field(
        description="STATES_UNDER_REVIEW: the Conference decision under which another draw is made (¶17)"
    )
    secret: str | None = strawberry.field(description="the secret, once the draw is performed")
    only_joining: bool = strawberry.field(
        description="STATES_UNDER_REVIEW: places the parties that joined since the governing draw, the "
        "others keeping their year (¶17)"
    )
    redraw: Redraw | None = strawberry.field(
        description="REDRAW: the request the draw will decide (its repetition is counted when performed)"
    )
    contributions: list[DrawContribution]
    draw_key: strawberry.Private[str | None]

    @classmethod
    def from_row(cls, row: Record) -> DrawAnnouncement:
        a = row["announcement"]
        return cls(
            id=global_id("DrawAnnouncement", a["id"]),
            kind=DrawKind(a["kind"]),
            commitment=a["commitment"],
            announced_at=a["announcedAt"].to_native(),
            contributions_close_at=a["contributionsCloseAt"].to_native(),
            reveals_close_at=a["revealsCloseAt"].to_native(),
            performed_at=a["performedAt"].to_native() if a.get("performedAt") else None,
            conference_decision=a.get("conferenceDecision"),
            secret=a.get("secret"),
            only_joining=bool(a.get("onlyJoining")),
            redraw=Redraw.of(json.loads(a["request"])) if a.get("request") else None,
            contributions=[
                DrawContribution(
                    commitment=c["commitment"],
                    value=c.get("value"),
                    revealed=c.get("value") is not None,
                    party_code=c["party"],
                )
                for c in row["contributions"]
            ],
            draw_key=a.get("drawId"),
        )

    @strawberry.field(description="null until performed")
    async def draw(self, info: ContextInfo) -> Draw | None:
        if not self.draw_key:
            return None
        rows = await draws_by_ids(info.context.graph, [self.draw_key])
        return Draw.from_record(rows[0]["draw"]) if rows else None


@strawberry.type
class DrawVerification:
    draw: Draw
    reproduced: bool
    commitment_honoured: bool = strawberry.field(
        description="the secret matches the commitment, each revealed value its contribution, and the "
        "seed derives from them"
    )
    meets_the_rules: bool = strawberry.field(
        description="an independent check of the result against ¶17 (States under review) or ¶28-¶29 "
        "(reviewers)"
    )
    problems: list[str] = strawberry.field(description="each failed check, in words")


@strawberry.type(description="No draw meets the constraints: which failed for which State")
class DrawInfeasibleError:
    message: str
    failures: list[str]


DrawResult = Annotated[
    Draw | NotAuthorized | DrawInfeasibleError | InvalidInput | RuleViolation, strawberry.union("DrawResult")
]

DrawAnnouncementResult = Annotated[
    DrawAnnouncement | RuleViolation | NotAuthorized | NotFound | InvalidInput,
    strawberry.union("DrawAnnouncementResult"),
]
