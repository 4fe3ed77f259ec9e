"""Queries of the workplan, the groups' schedule and what is overdue."""

from __future__ import annotations

import datetime

import strawberry

from api.auth import now
from api.graphql import enums
from api.graphql.context import ContextInfo
from api.graphql.reviews.progress import OverdueEntry, facts_from
from api.graphql.schedule.types import (
    GroupSchedule,
    OverdueReview,
    WorkplanAmendment,
    _Mechanism,
    _schedule,
    current_workplan,
)
from api.policy.fields import ROWS, restricted
from graph import schedule as store
from mechanism.progress import overdue
from mechanism.workplan import ADOPTED, GROUPS, PHASES, Workplan, phase_cluster, phase_years


@strawberry.type
class ScheduleQueries:
    @strawberry.field(
        description="Each group's phases (table 2): years, cluster, state, the reviews scheduled "
        "and completed, and whether it may move on (¶10)"
    )
    async def phase_schedule(self, info: ContextInfo) -> list[GroupSchedule]:
        return _schedule(await _Mechanism.load(info), await current_workplan(info))

    @strawberry.field(description="The Conference's amendments of the workplan (¶16), oldest first")
    async def workplan_amendments(self, info: ContextInfo) -> list[WorkplanAmendment]:
        rows = await store.workplan_amendments(info.context.graph)
        return [WorkplanAmendment.from_record(row["amendment"]) for row in rows]

    @strawberry.field(
        description="Answers past ¶34's limit and feedback past ¶35's on `asOf` (default: today), "
        "most overdue first; each viewer sees those of the reviews whose progress it may read",
        extensions=[restricted(ROWS)],
    )
    async def overdue(
        self,
        info: ContextInfo,
        as_of: datetime.date | None = None,
        kind: enums.OverdueKind | None = None,
    ) -> list[OverdueReview]:
        day = as_of or now().date()
        items = []
        for progress in await info.context.reader.progress_of_all():
            facts = facts_from(progress)
            items += [item for item in overdue(facts, day) if kind is None or item.kind is kind]
        items.sort(key=lambda item: (-item.days, item.review_id, item.party))
        return [OverdueReview(entry=OverdueEntry.of(item), review_id=item.review_id) for item in items]


@strawberry.type
class PhaseYears:
    group: int = strawberry.field(description="the group of States under review (1, 2 or 3, ¶17)")
    first_year: int
    last_year: int


@strawberry.type(description="A review phase (¶9-¶15): its cluster, and when each group runs it")
class ReviewPhase:
    number: int
    cluster: enums.ReviewCluster
    years: list[PhaseYears]


def _phases(workplan: Workplan) -> list[ReviewPhase]:
    def years(phase: int, group: int) -> PhaseYears:
        first, last = phase_years(phase, group)
        return PhaseYears(group=group, first_year=first, last_year=last)

    return [
        ReviewPhase(
            number=phase,
            cluster=phase_cluster(phase, workplan),
            years=[years(phase, group) for group in GROUPS],
        )
        for phase in PHASES
    ]


@strawberry.type
class PhaseQueries:
    @strawberry.field(
        description="The four review phases of the multi-year workplan as adopted (table 2); "
        "`workplan` gives them as the Conference amended them (¶16)"
    )
    def review_phases(self) -> list[ReviewPhase]:
        return _phases(ADOPTED)

    @strawberry.field(
        description="The four review phases as in force: table 2 as the Conference last amended it "
        "(¶16; `workplanAmendments`), or as adopted"
    )
    async def workplan(self, info: ContextInfo) -> list[ReviewPhase]:
        return _phases(await current_workplan(info))
