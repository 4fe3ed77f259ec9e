"""A review's progress and what it has overdue (¶34-¶35), as GraphQL types."""

from __future__ import annotations

import datetime

import strawberry

from api.graphql.context import ContextInfo
from api.graphql.enums import OverdueKind, Stage
from api.graphql.reference.types import Party, native, party_of
from graph.driver import Record
from mechanism.progress import Overdue, ReviewFacts, overdue, stage_of


def facts_from(row: Record) -> ReviewFacts:
    """The facts of a row of graph.schedule's progress queries."""
    reviewers = frozenset(row["reviewers"])
    answers_due_on = native(row["answersDueOn"])
    assert answers_due_on is not None  # every review has one (mechanism.reviews.new_review)
    return ReviewFacts(
        review_id=row["reviewId"],
        state_under_review=row["stateUnderReview"],
        reviewers=reviewers,
        questions=row["questions"],
        answered=row["answered"],
        answers_due_on=answers_due_on,
        answers_submitted_on=native(row["answersSubmittedOn"]),
        feedback_due_on=native(row["feedbackDueOn"]),
        feedback_from=frozenset(f["party"] for f in row["feedbackFrom"]) & reviewers,
        agreed_by=frozenset(row["agreedBy"]),
        feedback_given_on=tuple(
            (f["party"], given) for f in row["feedbackFrom"] if (given := native(f["givenOn"])) is not None
        ),
    )


@strawberry.type(description="Something a participant owes past its deadline")
class OverdueEntry:
    kind: OverdueKind
    due_on: datetime.date
    days_overdue: int
    review_id: strawberry.Private[str]
    party_code: strawberry.Private[str]

    @classmethod
    def of(cls, item: Overdue) -> OverdueEntry:
        return cls(
            kind=item.kind,
            due_on=item.due_on,
            days_overdue=item.days,
            review_id=item.review_id,
            party_code=item.party,
        )

    @strawberry.field(description="who owes it: the State under review (answers) or a reviewer (feedback)")
    def party(self, info: ContextInfo) -> Party:
        return party_of(info, self.party_code)


@strawberry.type(description="A reviewing State's written feedback on the answers (¶35)")
class WrittenFeedback:
    given_on: datetime.date
    party_code: strawberry.Private[str]

    @strawberry.field
    def party(self, info: ContextInfo) -> Party:
        return party_of(info, self.party_code)


@strawberry.type
class ReviewProgress:
    stage: Stage
    questions: int
    answered: int = strawberry.field(description="questions with an answer, draft or submitted")
    answers_due_on: datetime.date
    answers_submitted_on: datetime.date | None
    feedback_due_on: datetime.date | None
    complete: bool = strawberry.field(description="the list of observations is final (¶39)")
    overdue: list[OverdueEntry]
    written_feedback: list[WrittenFeedback] = strawberry.field(
        description="each reviewing State's written feedback, with the day it was given (¶35)"
    )
    feedback_codes: strawberry.Private[list[str]]
    awaiting_codes: strawberry.Private[list[str]]

    @classmethod
    def of(cls, facts: ReviewFacts, as_of: datetime.date) -> ReviewProgress:
        return cls(
            stage=stage_of(facts),
            questions=facts.questions,
            answered=facts.answered,
            answers_due_on=facts.answers_due_on,
            answers_submitted_on=facts.answers_submitted_on,
            feedback_due_on=facts.feedback_due_on,
            complete=facts.complete,
            overdue=[OverdueEntry.of(item) for item in overdue(facts, as_of)],
            written_feedback=[
                WrittenFeedback(given_on=on, party_code=party) for party, on in facts.feedback_given_on
            ],
            feedback_codes=sorted(facts.feedback_from),
            awaiting_codes=sorted(facts.reviewers - facts.feedback_from)
            if facts.answers_submitted_on
            else [],
        )

    @strawberry.field(
        description="reviewing States that gave their written feedback (¶35, submitWrittenFeedback)"
    )
    async def feedback_from(self, info: ContextInfo) -> list[Party]:
        return await _parties(info, self.feedback_codes)

    @strawberry.field(description="reviewing States whose feedback on the submitted answers is awaited")
    async def awaiting_feedback_from(self, info: ContextInfo) -> list[Party]:
        return await _parties(info, self.awaiting_codes)


async def _parties(info: ContextInfo, codes: list[str]) -> list[Party]:
    records = await info.context.loaders.party.load_many(codes)
    return [Party.from_record(r) for r in records if r is not None]
