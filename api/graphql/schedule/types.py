"""The schedule of the three groups of States (¶9-¶15, table 2) and what is overdue
(¶34-¶35)."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from enum import StrEnum

import strawberry

from api.graphql import enums
from api.graphql.context import ContextInfo
from api.graphql.draws.types import DrawKind
from api.graphql.reference.types import Party, native
from api.graphql.reviews.progress import OverdueEntry, facts_from
from api.graphql.reviews.types import Review
from graph import draws as draws_store
from graph import schedule as store
from graph.driver import Record
from mechanism.phases import PhaseProgress, PhaseStart, may_move_on
from mechanism.workplan import ADOPTED, GROUPS, PHASES, Workplan, in_force, phase_cluster, phase_years


@strawberry.enum
class PhaseState(StrEnum):
    NOT_STARTED = "NOT_STARTED"
    CURRENT = "CURRENT"
    FINISHED = "FINISHED"


@strawberry.type(description="The Conference let a group move on from a phase (¶10)")
class ConferenceDecision:
    group: int
    phase: int
    decided_on: datetime.date
    reference: str = strawberry.field(description="the decision or resolution, e.g. 'decision 13/2'")

    @classmethod
    def from_record(cls, r: Record) -> ConferenceDecision:
        return cls(
            group=r["group"], phase=r["phase"], decided_on=native(r["decidedOn"]), reference=r["reference"]
        )


@strawberry.type(
    description="A decision of the Conference amending the workplan (¶16): the cluster each phase "
    "reviews from then on (phase N: the N-th); the reviews already opened keep theirs"
)
class WorkplanAmendment:
    number: int = strawberry.field(description="1 for the first amendment, then in order")
    clusters: list[enums.ReviewCluster]
    decided_on: datetime.date
    reference: str = strawberry.field(description="the decision, e.g. 'decision 12/1'")
    recorded_at: datetime.datetime

    @classmethod
    def from_record(cls, r: Record) -> WorkplanAmendment:
        return cls(
            number=r["number"],
            clusters=[enums.ReviewCluster(c) for c in r["clusters"]],
            decided_on=native(r["decidedOn"]),
            reference=r["reference"],
            recorded_at=native(r["recordedAt"]),
        )


def workplan_of(amendments: list[Record]) -> Workplan:
    """The workplan in force: table 2 as adopted, or as the last amendment set it (¶16)."""
    return in_force([(row["amendment"]["clusters"], row["amendment"]["reference"]) for row in amendments])


async def current_workplan(info: ContextInfo) -> Workplan:
    return workplan_of(await store.workplan_amendments(info.context.graph))


@strawberry.type
class GroupPhase:
    phase: int
    cluster: enums.ReviewCluster
    first_year: int = strawberry.field(description="of the mechanism (table 2, ¶9, ¶15)")
    last_year: int
    state: PhaseState
    started_on: datetime.date | None
    scheduled_reviews: int = strawberry.field(description="the reviews scheduled when the phase started")
    completed_reviews: int
    may_move_on: bool | None = strawberry.field(description="CURRENT: may the group start the next phase")
    reason: str | None
    conference_decision: ConferenceDecision | None


@strawberry.type
class GroupSchedule:
    group: int = strawberry.field(description="the year (1, 2 or 3) its States were drawn for (¶17)")
    current_phase: int | None
    phases: list[GroupPhase]
    party_codes: strawberry.Private[list[str]]

    @strawberry.field(description="the States of the group, by the latest draw of States under review")
    async def parties(self, info: ContextInfo) -> list[Party]:
        records = await info.context.loaders.party.load_many(self.party_codes)
        return [Party.from_record(r) for r in records if r is not None]


@strawberry.type
class OverdueReview:
    entry: OverdueEntry
    review_id: strawberry.Private[str]

    @strawberry.field
    async def review(self, info: ContextInfo) -> Review:
        row = await info.context.loaders.review.load(self.review_id)
        assert row is not None
        return Review.from_row(row)


async def _groups(info: ContextInfo) -> dict[str, int] | None:
    """party code -> group, by the latest draw of States under review (None before any)."""
    draw = await draws_store.latest_draw(info.context.graph, DrawKind.STATES_UNDER_REVIEW.value)
    if draw is None:
        return None
    years: dict[str, int] = json.loads(draw["result"])["years"]
    return years


@dataclass
class _Mechanism:
    """What the schedule is computed from, read once per request."""

    groups: dict[str, int]  # party code -> group, by the latest draw of States under review
    starts: list[Record]  # the phase starts, by group and phase
    decisions: dict[tuple[int, int], ConferenceDecision]  # by (group, phase)
    reviews: set[str]
    completed: set[str]

    @classmethod
    async def load(cls, info: ContextInfo) -> _Mechanism | None:
        """None before the States under review are drawn."""
        graph = info.context.graph
        groups = await _groups(info)
        if groups is None:
            return None
        progress = [facts_from(row["progress"]) for row in await store.progress_of_all(graph)]
        return cls(
            groups=groups,
            starts=[row["start"] for row in await store.phase_starts(graph)],
            decisions={
                (d["decision"]["group"], d["decision"]["phase"]): ConferenceDecision.from_record(
                    d["decision"]
                )
                for d in await store.conference_decisions(graph)
            },
            reviews={f.review_id for f in progress},
            completed={f.review_id for f in progress if f.complete},
        )

    def phase_starts(self) -> list[PhaseStart]:
        return [PhaseStart(s["group"], s["phase"], frozenset(s["scheduledReviews"])) for s in self.starts]


def _schedule(mechanism: _Mechanism | None, workplan: Workplan = ADOPTED) -> list[GroupSchedule]:
    groups = mechanism.groups if mechanism else {}
    start_rows = mechanism.starts if mechanism else []
    decisions = mechanism.decisions if mechanism else {}
    completed = mechanism.completed if mechanism else set()
    started = {(r["group"], r["phase"]): r for r in start_rows}
    schedules = []
    for group in GROUPS:
        mine = sorted(phase for g, phase in started if g == group)
        current = mine[-1] if mine else None
        phases = []
        for phase in PHASES:
            start = started.get((group, phase))
            scheduled = set(start["scheduledReviews"]) if start else set()
            done = len(scheduled & completed)
            allowed, reason = None, None
            if phase == current:
                allowed, reason = may_move_on(
                    PhaseProgress(phase, len(scheduled), done), (group, phase) in decisions
                )
            first, last = phase_years(phase, group)
            phases.append(
                GroupPhase(
                    phase=phase,
                    cluster=phase_cluster(phase, workplan),
                    first_year=first,
                    last_year=last,
                    state=PhaseState.NOT_STARTED
                    if start is None
                    else PhaseState.CURRENT
                    if phase == current
                    else PhaseState.FINISHED,
                    started_on=native(start["startedOn"]) if start else None,
                    scheduled_reviews=len(scheduled),
                    completed_reviews=done,
                    may_move_on=allowed,
                    reason=reason,
                    conference_decision=decisions.get((group, phase)),
                )
            )
        schedules.append(
            GroupSchedule(
                group=group,
                current_phase=current,
                phases=phases,
                party_codes=sorted(code for code, g in groups.items() if g == group),
            )
        )
    return schedules
