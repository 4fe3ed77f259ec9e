"""The scope and deadlines of a country review (¶19, ¶25, ¶34-¶35, ¶50, ¶52)."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date

from mechanism.clusters import articles_under_review
from mechanism.instruments import ArticleRef, InstrumentCode
from mechanism.workplan import phase_cluster

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
    instruments: Iterable[InstrumentCode], phase: int, uncac_party: bool
) -> dict[InstrumentCode, list[ArticleRef]]:
    """The questions of a review: per instrument, the articles of the phase's cluster.

    Table 1 lists under each Protocol only the Protocol's own articles, so the Convention's
    provisions that apply to the Protocols mutatis mutandis are asked under the Convention
    alone (¶19). UNTOC 8 and 9 are asked only of parties not party to UNCAC.
    """
    cluster = phase_cluster(phase)
    ordered = [code for code in InstrumentCode if code in set(instruments)]
    return {code: articles_under_review(code, [cluster], uncac_party) for code in ordered}


def working_languages_problem(languages: list[str]) -> str | None:
    """¶50: one or two working languages, exceptionally three."""
    if not 1 <= len(languages) <= 3:
        return "a review is conducted in one or two working languages, exceptionally three"
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
) -> dict[str, object]:
    """The record of a new review: its instruments (in the contract's order), cluster,
    questions and the deadline of the answers."""
    instruments = [code for code in InstrumentCode if code.value in set(bound_instruments)]
    questions = questionnaire(instruments, phase, uncac_party)
    return {
        "id": f"{state_under_review}-{phase}",
        "stateUnderReview": state_under_review,
        "phase": phase,
        "clusters": [phase_cluster(phase).value],
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
