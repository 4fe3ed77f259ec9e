"""Where a country review stands, and what is overdue (¶34, ¶35, ¶38-¶39).

A deadline's day is the last day allowed: answers due on 15 July are overdue from 16 July.
Feedback (¶35) counts as given by a reviewing State once its focal point submitted its
written feedback on the answers (`submitWrittenFeedback`, an explicit act with its date),
not merely written in the dialogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from mechanism.reviews import review_complete


class Stage(StrEnum):
    AWAITING_REVIEWERS = "AWAITING_REVIEWERS"  # no reviewing State drawn yet
    ANSWERING = "ANSWERING"  # the State under review drafts its answers (¶34)
    AWAITING_FEEDBACK = "AWAITING_FEEDBACK"  # answers submitted; a reviewer's feedback awaited (¶35)
    IN_DIALOGUE = "IN_DIALOGUE"  # every reviewer gave its feedback; towards the list of observations
    COMPLETE = "COMPLETE"  # the list of observations is final (¶39)


class OverdueKind(StrEnum):
    ANSWERS = "ANSWERS"  # ¶34: the State under review
    FEEDBACK = "FEEDBACK"  # ¶35: a reviewing State


@dataclass(frozen=True)
class ReviewFacts:
    review_id: str
    state_under_review: str
    reviewers: frozenset[str]
    questions: int
    answered: int  # questions with an answer, draft or submitted
    answers_due_on: date
    answers_submitted_on: date | None
    feedback_due_on: date | None
    feedback_from: frozenset[str]  # reviewing States that gave their written feedback (¶35)
    agreed_by: frozenset[str]  # participants that agreed to the list of observations
    feedback_given_on: tuple[tuple[str, date], ...] = ()  # (reviewing State, the day it gave it)

    @property
    def complete(self) -> bool:
        return review_complete(self.state_under_review, self.reviewers, self.agreed_by)


@dataclass(frozen=True)
class Overdue:
    review_id: str
    kind: OverdueKind
    party: str  # who owes it
    due_on: date
    days: int  # how many days past the due date


def stage_of(facts: ReviewFacts) -> Stage:
    if facts.complete:
        return Stage.COMPLETE
    if not facts.reviewers:
        return Stage.AWAITING_REVIEWERS
    if facts.answers_submitted_on is None:
        return Stage.ANSWERING
    if facts.reviewers - facts.feedback_from:
        return Stage.AWAITING_FEEDBACK
    return Stage.IN_DIALOGUE


def overdue(facts: ReviewFacts, as_of: date) -> list[Overdue]:
    """What the review's participants owe past its deadline on `as_of`."""
    if facts.complete:
        return []
    if facts.answers_submitted_on is None:
        if as_of > facts.answers_due_on:
            days = (as_of - facts.answers_due_on).days
            return [
                Overdue(
                    facts.review_id, OverdueKind.ANSWERS, facts.state_under_review, facts.answers_due_on, days
                )
            ]
        return []
    due = facts.feedback_due_on
    if due is None or as_of <= due:
        return []
    return [
        Overdue(facts.review_id, OverdueKind.FEEDBACK, reviewer, due, (as_of - due).days)
        for reviewer in sorted(facts.reviewers - facts.feedback_from)
    ]
