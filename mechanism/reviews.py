"""The scope and deadlines of a country review (¶19, ¶25, ¶31, ¶34-¶35, ¶39, ¶50, ¶52).

Rules a change would break answer a `Violation` (mechanism/rules.py), naming the paragraph.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date

from mechanism.clusters import articles_under_review
from mechanism.instruments import ArticleRef, InstrumentCode
from mechanism.rules import Violation
from mechanism.workplan import ADOPTED, Workplan, phase_cluster

ANSWERS_DUE_MONTHS = 6  # ¶34
FEEDBACK_DUE_MONTHS = 6  # ¶35
WORKING_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")  # ¶49


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def answers_due_on(phase_started_on: date) -> date:
    return add_months(phase_started_on, ANSWERS_DUE_MONTHS)


def feedback_due_on(answers_submitted_on: date) -> date:
    return add_months(answers_submitted_on, FEEDBACK_DUE_MONTHS)


def questionnaire(
    instruments: Iterable[InstrumentCode], phase: int, uncac_party: bool, workplan: Workplan = ADOPTED
) -> dict[InstrumentCode, list[ArticleRef]]:
    """The questions of a review: per instrument, the articles of the phase's cluster.

    Table 1 lists under each Protocol only the Protocol's own articles, so the Convention's
    provisions that apply to the Protocols mutatis mutandis are asked under the Convention
    alone (¶19). UNTOC 8 and 9 are asked only of parties not party to UNCAC.
    """
    cluster = phase_cluster(phase, workplan)  # the workplan in force (¶16)
    ordered = [code for code in InstrumentCode if code in set(instruments)]
    return {code: articles_under_review(code, [cluster], uncac_party) for code in ordered}


def working_languages_problem(languages: list[str]) -> str | None:
    """¶50: one or two working languages, exceptionally three. A review is opened in one or
    two; a third is agreed by the State under review and its reviewing States with the
    exception recorded (`timeline_violation`)."""
    if not 1 <= len(languages) <= 3:
        return "a review is conducted in one or two working languages, exceptionally three"
    if len(languages) == 3:
        return (
            "a review is opened in one or two working languages; exceptionally three, as the State under "
            "review and its reviewing States agree with the exception recorded (proposeReviewTimeline)"
        )
    unknown = [lang for lang in languages if lang not in WORKING_LANGUAGES]
    if unknown:
        return f"{unknown[0]!r} is not a working language (ar, zh, en, fr, ru, es)"
    if len(set(languages)) != len(languages):
        return "a language is named twice"
    return None


def new_review(
    state_under_review: str,
    phase: int,
    phase_started_on: date,
    working_languages: list[str],
    bound_instruments: Iterable[str],
    uncac_party: bool,
    volunteer: bool = False,
    workplan: Workplan = ADOPTED,
) -> dict[str, object]:
    """The record of a new review: its instruments (in the contract's order), cluster (the
    phase's in the workplan in force, ¶16), questions and the deadline of the answers."""
    instruments = [code for code in InstrumentCode if code.value in set(bound_instruments)]
    questions = questionnaire(instruments, phase, uncac_party, workplan)
    return {
        "id": f"{state_under_review}-{phase}",
        "stateUnderReview": state_under_review,
        "phase": phase,
        "clusters": [phase_cluster(phase, workplan).value],
        "instruments": [code.value for code in instruments],
        "questions": [article.key for articles in questions.values() for article in articles],
        "workingLanguages": list(working_languages),
        "phaseStartedOn": phase_started_on,
        "answersDueOn": answers_due_on(phase_started_on),
        "status": "IN_PROGRESS",
        "volunteer": volunteer,
    }


def review_complete(state_under_review: str, reviewers: Iterable[str], agreed_by: Iterable[str]) -> bool:
    """A review is complete once its list of observations is final: the State under review
    and every reviewing State agreed to it (¶39)."""
    reviewers = set(reviewers)
    return bool(reviewers) and {state_under_review, *reviewers} <= set(agreed_by)


# ---------- the timeline and working languages, agreed per review (¶31, ¶34, ¶50) ----------


def latest_answers_due_on(phase_started_on: date) -> date:
    """¶34: the agreed timeline is at most six months."""
    return answers_due_on(phase_started_on)


def timeline_violation(
    phase_started_on: date,
    answers_due: date,
    languages: list[str],
    exception: str | None,
    *,
    current_answers_due: date,
    answers_submitted_on: date | None,
) -> Violation | None:
    """Why a proposed timeline and working languages may not be agreed, or None.

    ¶31: the State under review and its reviewing States, through their focal points and
    with the secretariat, agree the timeline and the working languages of the review; ¶34:
    the answers are due within the agreed timeline, at most six months (from the start of
    the phase, as `answers_due_on`); ¶50: one or two working languages, exceptionally three,
    the exception being recorded. Once the answers are submitted their date is spent: a
    later proposal keeps it.
    """
    latest = latest_answers_due_on(phase_started_on)
    if answers_due > latest:
        return Violation(
            "¶34",
            f"the answers are due within at most six months: by {latest} "
            f"(the phase started on {phase_started_on})",
        )
    if answers_due < phase_started_on:
        return Violation("¶34", f"the answers cannot be due before the phase starts ({phase_started_on})")
    if answers_submitted_on is not None and answers_due != current_answers_due:
        return Violation(
            "¶34",
            f"the answers were submitted on {answers_submitted_on}: their timeline is no longer changed",
        )
    if len(languages) == 3 and not (exception or "").strip():
        return Violation(
            "¶50", "a review is conducted in three working languages only exceptionally: record the exception"
        )
    if len(languages) != 3 and (exception or "").strip():
        return Violation("¶50", "an exception is recorded only for a third working language")
    return None


def agreed_by_all(state_under_review: str, reviewers: Iterable[str], agreed_by: Iterable[str]) -> bool:
    """The State under review and every reviewing State agreed (none drawn: nobody can)."""
    reviewers = set(reviewers)
    return bool(reviewers) and {state_under_review, *reviewers} <= set(agreed_by)


def answer_language_violation(lang: str, working_languages: Iterable[str]) -> Violation | None:
    """An answer is given in one of the review's working languages (¶19, ¶50)."""
    languages = list(working_languages)
    if lang not in languages:
        return Violation("¶50", f"{lang!r} is not a working language of this review ({', '.join(languages)})")
    return None


# ---------- written feedback (¶35) ----------


def feedback_violation(answers_submitted_on: date | None, given_on: date | None) -> Violation | None:
    """A reviewing State gives its written feedback on the submitted answers, once (¶35);
    what follows goes through the dialogue."""
    if answers_submitted_on is None:
        return Violation("¶35", "written feedback is given on the answers once they are submitted")
    if given_on is not None:
        return Violation(
            "¶35", f"this reviewing State gave its written feedback on {given_on}; continue in the dialogue"
        )
    return None


# ---------- a final list of observations (¶39) ----------


def change_violation(
    state_under_review: str, reviewers: Iterable[str], agreed_by: Iterable[str]
) -> Violation | None:
    """A final list of observations (and its summary) is not changed: reopen it first."""
    if review_complete(state_under_review, reviewers, agreed_by):
        return Violation(
            "¶39",
            "the list of observations and its summary are final (agreed by the State under review and "
            "every reviewing State): reopen them first, which withdraws every agreement",
        )
    return None


def reopening_violation(
    state_under_review: str, reviewers: Iterable[str], agreed_by: Iterable[str], reason: str
) -> Violation | None:
    """A final list is reopened with its reason recorded; a list not final needs no reopening."""
    if not review_complete(state_under_review, reviewers, agreed_by):
        return Violation("¶39", "the list of observations is not final: change it without reopening")
    if not reason.strip():
        return Violation("¶39", "a final list of observations is reopened with the reason recorded")
    return None
