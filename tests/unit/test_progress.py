"""A review's stage and what is overdue (¶34-¶35), at the deadlines' edges."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from mechanism.progress import OverdueKind, ReviewFacts, Stage, overdue, stage_of
from mechanism.reviews import answers_due_on, feedback_due_on

STARTED = date(2026, 1, 31)
ANSWERS_DUE = answers_due_on(STARTED)  # 31 July 2026
FACTS = ReviewFacts(
    review_id="ARG-1",
    state_under_review="ARG",
    reviewers=frozenset({"BRA", "FRA"}),
    questions=12,
    answered=3,
    answers_due_on=ANSWERS_DUE,
    answers_submitted_on=None,
    feedback_due_on=None,
    feedback_from=frozenset(),
    agreed_by=frozenset(),
)


def test_answers_are_overdue_the_day_after_their_due_date() -> None:
    assert date(2026, 7, 31) == ANSWERS_DUE
    assert overdue(FACTS, ANSWERS_DUE) == []
    (late,) = overdue(FACTS, date(2026, 8, 1))
    assert (late.kind, late.party, late.due_on, late.days) == (OverdueKind.ANSWERS, "ARG", ANSWERS_DUE, 1)


def test_feedback_is_owed_by_each_reviewer_that_has_not_written() -> None:
    submitted = date(2026, 8, 31)
    facts = replace(
        FACTS,
        answers_submitted_on=submitted,
        feedback_due_on=feedback_due_on(submitted),
        feedback_from=frozenset({"FRA"}),
    )
    assert facts.feedback_due_on == date(2027, 2, 28)  # the month's last day
    assert overdue(facts, date(2027, 2, 28)) == []
    (late,) = overdue(facts, date(2027, 3, 2))
    assert (late.kind, late.party, late.days) == (OverdueKind.FEEDBACK, "BRA", 2)
    assert overdue(replace(facts, feedback_from=frozenset({"BRA", "FRA"})), date(2027, 3, 2)) == []


def test_stages_in_order() -> None:
    assert stage_of(replace(FACTS, reviewers=frozenset())) is Stage.AWAITING_REVIEWERS
    assert stage_of(FACTS) is Stage.ANSWERING
    submitted = replace(FACTS, answers_submitted_on=date(2026, 7, 1), feedback_due_on=date(2027, 1, 1))
    assert stage_of(submitted) is Stage.AWAITING_FEEDBACK
    written = replace(submitted, feedback_from=frozenset({"BRA", "FRA"}))
    assert stage_of(written) is Stage.IN_DIALOGUE
    agreed = replace(written, agreed_by=frozenset({"ARG", "BRA", "FRA"}))
    assert stage_of(agreed) is Stage.COMPLETE
    assert (
        overdue(replace(agreed, feedback_from=frozenset()), date(2030, 1, 1)) == []
    )  # complete: nothing owed
    assert stage_of(replace(written, agreed_by=frozenset({"ARG", "BRA"}))) is Stage.IN_DIALOGUE
