"""A review's timeline and working languages, proposed and agreed by its participants (¶31,
¶34, ¶50)."""

from __future__ import annotations

import datetime
from typing import Annotated

import strawberry

from api.auth import now
from api.graphql.context import ContextInfo
from api.graphql.errors import InvalidInput, NotAuthorized, NotFound, RuleViolation
from api.graphql.reference.types import native
from api.graphql.reviews.types import (
    Review,
    WorkingLanguage,
)
from api.graphql.reviews.writing import (
    MAX_REASON,
    VersionConflictError,
    participants,
    refusal,
    reload_review,
    review_of,
    text_problem,
    written,
)
from graph import reviews as store
from graph.driver import Record
from graph.reviews import Refused, ReviewMissing
from mechanism.reviews import (
    agreed_by_all,
    timeline_violation,
)
from mechanism.rules import Violation

ReviewTimelineResult = Annotated[
    Review | NotAuthorized | NotFound | InvalidInput | VersionConflictError | RuleViolation,
    strawberry.union("ReviewTimelineResult"),
]


@strawberry.type
class ReviewTimelineMutations:
    @strawberry.mutation(
        description="Propose the review's timeline and working languages (a focal point of the State under "
        "review or of a reviewing State, or the secretariat assisting them; ¶31): the answers due at "
        "most six months after the phase starts (¶34), one or two working languages, exceptionally "
        "three with the `exception` recorded (¶50). It replaces the proposal before it and the "
        "agreements to that; the review keeps what was agreed last until this one is agreed"
    )
    async def propose_review_timeline(
        self,
        info: ContextInfo,
        review: strawberry.ID,
        answers_due_on: datetime.date,
        working_languages: list[WorkingLanguage],
        exception: str | None = None,
    ) -> ReviewTimelineResult:
        target = await review_of(info, review)
        if target is None:
            return NotFound()
        languages = [lang.value for lang in working_languages]
        if not 1 <= len(languages) <= 3 or len(set(languages)) != len(languages):
            return InvalidInput(
                field="workingLanguages",
                message="one or two working languages, exceptionally three, each named once (¶50)",
            )
        if exception is not None and exception.strip():
            problem = text_problem("exception", exception, MAX_REASON)
            if problem:
                return problem
        viewer = info.context.viewer
        moment = now()
        proposal = {
            "answersDueOn": answers_due_on,
            "workingLanguages": languages,
            "exception": (exception or "").strip() or None,
            "proposedBy": viewer.party,
            "proposedByUser": viewer.user_id,
            "proposedOn": moment.date(),
            "proposedAt": moment,
        }

        def decide(locked: Record) -> Violation | None:
            r = locked["review"]
            started, current = native(r["phaseStartedOn"]), native(r["answersDueOn"])
            assert started is not None and current is not None
            return timeline_violation(
                started,
                answers_due_on,
                languages,
                exception,
                current_answers_due=current,
                answers_submitted_on=native(r.get("answersSubmittedOn")),
            )

        proposed = store.propose_timeline(info.context.graph, target.review_id, proposal, decide)
        return await written(info, target.review_id, proposed)

    @strawberry.mutation(
        description="Agree to this version of the proposed timeline and working languages (a focal point "
        "of the State under review or of a reviewing State, ¶31); once the State under review and "
        "every reviewing State agreed, they are the review's `answersDueOn` and `workingLanguages`"
    )
    async def agree_to_review_timeline(
        self, info: ContextInfo, review: strawberry.ID, version: int
    ) -> ReviewTimelineResult:
        target = await review_of(info, review)
        if target is None:
            return NotFound()

        def decide(locked: Record) -> Violation | VersionConflictError | None:
            timeline = locked["timeline"]
            if timeline is None:
                return Violation("¶31", "no timeline is proposed for this review: propose one first")
            if timeline["version"] != version:
                return VersionConflictError(
                    message="the proposal changed since you read it", current_version=timeline["version"]
                )
            return None

        def agreed(locked: Record, agreed_by: list[str]) -> bool:
            sur, reviewers = participants(locked)
            return agreed_by_all(sur, reviewers, agreed_by)

        party = info.context.viewer.party or ""
        try:
            await store.agree_timeline(
                info.context.graph, target.review_id, party, now().date(), decide, agreed
            )
        except Refused as refused:
            if isinstance(refused.refusal, VersionConflictError):
                return refused.refusal
            return refusal(refused)
        except ReviewMissing:
            return NotFound()
        return await reload_review(info, target.review_id)
