"""Moving a group to its next phase under the 70% rule or a decision of the Conference (¶10)."""

from __future__ import annotations

import datetime
from typing import Annotated

import strawberry
from neo4j.exceptions import ConstraintError
from neo4j.time import Date

from api.auth import now
from api.graphql import enums
from api.graphql.context import ContextInfo
from api.graphql.draws.records import current_assignments_of
from api.graphql.errors import InvalidInput, NotAuthorized, RuleViolation
from api.graphql.reviews.types import WorkingLanguage
from api.graphql.schedule.types import (
    ConferenceDecision,
    GroupSchedule,
    WorkplanAmendment,
    _Mechanism,
    _schedule,
    current_workplan,
    workplan_of,
)
from graph import draws as draws_store
from graph import schedule as store
from mechanism.phases import next_phase_problem
from mechanism.reviews import new_review, working_languages_problem
from mechanism.workplan import GROUPS, PHASES, amendment_violation

MAX_REFERENCE = 500


ConferenceDecisionResult = Annotated[
    ConferenceDecision | NotAuthorized | InvalidInput, strawberry.union("ConferenceDecisionResult")
]
WorkplanAmendmentResult = Annotated[
    WorkplanAmendment | NotAuthorized | InvalidInput | RuleViolation,
    strawberry.union("WorkplanAmendmentResult"),
]
StartPhaseResult = Annotated[
    GroupSchedule | NotAuthorized | InvalidInput | RuleViolation, strawberry.union("StartPhaseResult")
]


def _decision_problem(reference: str, decided_on: datetime.date) -> InvalidInput | None:
    """A decision of the Conference is named on one line, and was taken by today."""
    if not reference or len(reference) > MAX_REFERENCE or any(ord(c) < 32 for c in reference):
        return InvalidInput(
            field="reference", message=f"name the decision in at most {MAX_REFERENCE} characters, on one line"
        )
    if decided_on > now().date():
        return InvalidInput(field="decidedOn", message="must not be in the future")
    return None


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
        problem = _decision_problem(reference, decided_on)
        if problem:
            return problem
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
        description="Record a decision of the Conference amending the workplan (¶16; secretariat): the "
        "cluster each review phase reviews from then on, `phaseClusters` (phase N: the N-th). A phase a "
        "group has started keeps its cluster; reviews already opened keep theirs."
    )
    async def amend_workplan(
        self,
        info: ContextInfo,
        phase_clusters: list[enums.ReviewCluster],
        decided_on: datetime.date,
        reference: str,
    ) -> WorkplanAmendmentResult:
        reference = reference.strip()
        problem = _decision_problem(reference, decided_on)
        if problem:
            return problem
        graph = info.context.graph
        amendments = await store.workplan_amendments(graph)
        started = {int(row["start"]["phase"]) for row in await store.phase_starts(graph)}
        violation = amendment_violation(workplan_of(amendments), list(phase_clusters), started)
        if violation:
            return RuleViolation.of(violation)
        try:
            record = await store.amend_workplan(
                graph,
                {
                    "number": len(amendments) + 1,
                    "clusters": [c.value for c in phase_clusters],
                    "decidedOn": decided_on,
                    "reference": reference,
                    "recordedAt": now(),
                    "recordedBy": info.context.viewer.user_id,
                },
            )
        except ConstraintError:
            return InvalidInput(
                field="reference", message="another amendment was recorded meanwhile: try again"
            )
        return WorkplanAmendment.from_record(record)

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
        if group not in GROUPS:
            return InvalidInput(field="group", message="must be 1, 2 or 3")
        if phase not in PHASES:
            return InvalidInput(field="phase", message="must be 1, 2, 3 or 4")
        graph = info.context.graph
        mechanism = await _Mechanism.load(info)
        if mechanism is None:
            return RuleViolation(
                paragraph="¶17",
                message="the groups are those of the draw of States under review: draw them first",
            )
        refused = next_phase_problem(
            group, phase, mechanism.phase_starts(), mechanism.completed, set(mechanism.decisions)
        )
        if refused:  # out of order, or before 70% of the reviews are complete without a decision
            return RuleViolation(paragraph="¶10", message=refused)
        workplan = await current_workplan(info)  # table 2 as the Conference amended it (¶16)
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
                workplan=workplan,
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
        return next(s for s in _schedule(mechanism, workplan) if s.group == group)
