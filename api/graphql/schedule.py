"""The schedule of the three groups of States (¶9-¶15, table 2), moving a group to its
next phase under the 70% rule or a decision of the Conference (¶10), and what is overdue
(¶34-¶35)."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated

import strawberry
from neo4j.exceptions import ConstraintError
from neo4j.time import Date

from api.auth import now
from api.graphql import enums
from api.graphql.draws import DrawKind, current_assignments_of
from api.graphql.errors import InvalidInput, NotAuthorized
from api.graphql.progress import OverdueEntry, facts_from
from api.graphql.reviews import Review, WorkingLanguage
from api.graphql.types import ContextInfo, Party, native
from api.policy.fields import ROWS, restricted
from graph import draws as draws_store
from graph import schedule as store
from graph.driver import Record
from mechanism.phases import PhaseProgress, PhaseStart, may_move_on, next_phase_problem
from mechanism.progress import overdue
from mechanism.reviews import new_review, working_languages_problem
from mechanism.workplan import GROUPS, PHASES, phase_cluster, phase_years

MAX_REFERENCE = 500


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


ConferenceDecisionResult = Annotated[
    ConferenceDecision | NotAuthorized | InvalidInput, strawberry.union("ConferenceDecisionResult")
]
StartPhaseResult = Annotated[
    GroupSchedule | NotAuthorized | InvalidInput, strawberry.union("StartPhaseResult")
]


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


def _schedule(mechanism: _Mechanism | None) -> list[GroupSchedule]:
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
                    cluster=phase_cluster(phase),
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


@strawberry.type
class ScheduleQueries:
    @strawberry.field(
        description="Each group's phases (table 2): years, cluster, state, the reviews scheduled "
        "and completed, and whether it may move on (¶10)"
    )
    async def phase_schedule(self, info: ContextInfo) -> list[GroupSchedule]:
        return _schedule(await _Mechanism.load(info))

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
class ScheduleMutations:
    @strawberry.mutation(
        description="Record a decision of the Conference letting a group move on from its phase "
        "before 70% of its reviews are complete (¶10; secretariat)"
    )
    async def record_conference_decision(
        self, info: ContextInfo, group: int, phase: int, decided_on: datetime.date, reference: str
    ) -> ConferenceDecisionResult:
        if group not in GROUPS:
            return InvalidInput(field="group", message="must be 1, 2 or 3")
        if phase not in PHASES:
            return InvalidInput(field="phase", message="must be 1, 2, 3 or 4")
        reference = reference.strip()
        if not reference or len(reference) > MAX_REFERENCE or any(ord(c) < 32 for c in reference):
            return InvalidInput(
                field="reference",
                message=f"name the decision in at most {MAX_REFERENCE} characters, on one line",
            )
        if decided_on > now().date():
            return InvalidInput(field="decidedOn", message="must not be in the future")
        try:
            record = await store.record_conference_decision(
                info.context.graph,
                {
                    "key": f"{group}-{phase}",
                    "group": group,
                    "phase": phase,
                    "decidedOn": decided_on,
                    "reference": reference,
                    "recordedAt": now(),
                    "recordedBy": info.context.viewer.user_id,
                },
            )
        except ConstraintError:
            return InvalidInput(field="phase", message=f"a decision for group {group}, phase {phase} exists")
        return ConferenceDecision.from_record(record)

    @strawberry.mutation(
        description="Start a group's next phase (secretariat): opens the review of each State of the "
        "group that has none for the phase, with its drawn reviewing States, and records the reviews "
        "scheduled (¶10). Refused until 70% of the current phase's reviews are complete, unless the "
        "Conference decided otherwise."
    )
    async def start_phase(
        self,
        info: ContextInfo,
        group: int,
        phase: int,
        started_on: datetime.date,
        working_languages: list[WorkingLanguage] | None = None,
    ) -> StartPhaseResult:
        languages = [lang.value for lang in working_languages or [WorkingLanguage.EN]]
        problem = working_languages_problem(languages)
        if problem:
            return InvalidInput(field="workingLanguages", message=problem)
        graph = info.context.graph
        mechanism = await _Mechanism.load(info)
        if mechanism is None:
            return InvalidInput(field="group", message="draw the States under review first (¶17)")
        refused = next_phase_problem(
            group, phase, mechanism.phase_starts(), mechanism.completed, set(mechanism.decisions)
        )
        if refused:
            field = "group" if group not in GROUPS else "phase"
            return InvalidInput(field=field, message=refused)
        codes = sorted(code for code, g in mechanism.groups.items() if g == group)
        drawn = current_assignments_of(await draws_store.reviewer_draws(graph))
        reviews, scheduled = [], []
        for member in await store.members(graph, codes):
            review = new_review(
                member["code"],
                phase,
                started_on,
                languages,
                member["bound"] if "UNTOC" in member["bound"] else member["signed"],
                member["uncacParty"],
                volunteer="UNTOC" not in member["bound"],
            )
            scheduled.append(review["id"])
            if review["id"] in mechanism.reviews:
                continue
            review["createdAt"] = now()
            review["phaseStartKey"] = f"{group}-{phase}"  # opened by the start of the group's phase
            reviewers = [
                {"party": a.reviewer, "instruments": list(a.instruments)}
                for a in drawn
                if a.state_under_review == member["code"]
            ]
            reviews.append({"review": review, "reviewers": reviewers})
        start = {
            "key": f"{group}-{phase}",
            "group": group,
            "phase": phase,
            "startedOn": started_on,
            "scheduledReviews": scheduled,
            "startedAt": now(),
            "startedBy": info.context.viewer.user_id,
        }
        try:
            await store.start_phase(graph, start, reviews)
        except ConstraintError:
            return InvalidInput(field="phase", message=f"group {group} has already started phase {phase}")
        # The schedule as it is now: the new start added to what was read (reviews just opened
        # are not complete, so nothing else changed).
        mechanism.starts.append({**start, "startedOn": Date.from_native(started_on)})
        return next(s for s in _schedule(mechanism) if s.group == group)
