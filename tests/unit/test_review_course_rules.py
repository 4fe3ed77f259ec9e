"""The rules of a review's course that a change would break (no database): the agreed
timeline and working languages (¶31, ¶34, ¶50), an answer's language, the written feedback
(¶35), a final list (¶39), the summary as written (¶38) and stakeholders' written views
(¶53(d)-(e))."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from mechanism.dialogues import RegistrationStatus, StakeholderKind, comments_violation
from mechanism.reviews import (
    agreed_by_all,
    answer_language_violation,
    change_violation,
    feedback_violation,
    reopening_violation,
    timeline_violation,
    working_languages_problem,
)
from mechanism.summaries import summary_violation, written_in

STARTED = date(2026, 3, 31)
DEFAULT_DUE = date(2026, 9, 30)


def timeline(
    due: date = date(2026, 7, 1),
    languages: tuple[str, ...] = ("en",),
    exception: str | None = None,
    submitted: date | None = None,
) -> str | None:
    found = timeline_violation(
        STARTED,
        due,
        list(languages),
        exception,
        current_answers_due=DEFAULT_DUE,
        answers_submitted_on=submitted,
    )
    return found.paragraph if found else None


def test_the_agreed_timeline_is_at_most_six_months() -> None:
    assert timeline(DEFAULT_DUE) is None  # the last day allowed
    assert timeline(date(2026, 10, 1)) == "¶34"
    assert timeline(date(2026, 3, 30)) == "¶34"
    assert timeline(STARTED) is None


def test_three_working_languages_only_with_the_exception_recorded() -> None:
    assert timeline(languages=("en", "fr")) is None
    assert timeline(languages=("en", "fr", "es")) == "¶50"
    assert timeline(languages=("en", "fr", "es"), exception="  ") == "¶50"
    assert timeline(languages=("en", "fr", "es"), exception="Three legal traditions") is None
    assert timeline(languages=("en",), exception="no third language") == "¶50"


def test_once_the_answers_are_submitted_their_date_stays() -> None:
    assert timeline(date(2026, 7, 1), submitted=date(2026, 6, 1)) == "¶34"
    assert timeline(DEFAULT_DUE, languages=("en", "fr"), submitted=date(2026, 6, 1)) is None


def test_agreement_needs_the_state_under_review_and_every_reviewer() -> None:
    assert agreed_by_all("ARG", ["CHL", "SWE"], ["ARG", "CHL", "SWE"])
    assert not agreed_by_all("ARG", ["CHL", "SWE"], ["ARG", "CHL"])
    assert not agreed_by_all("ARG", [], ["ARG"])  # no reviewers drawn: nobody to agree with


def test_an_answer_is_in_a_working_language_of_the_review() -> None:
    assert answer_language_violation("es", ["es", "en"]) is None
    found = answer_language_violation("fr", ["es", "en"])
    assert found is not None and found.paragraph == "¶50"


def test_written_feedback_once_on_submitted_answers() -> None:
    assert feedback_violation(date(2026, 6, 1), None) is None
    before = feedback_violation(None, None)
    again = feedback_violation(date(2026, 6, 1), date(2026, 7, 1))
    assert before is not None and before.paragraph == "¶35"
    assert again is not None and again.paragraph == "¶35" and "2026-07-01" in again.message


def test_a_final_list_is_changed_only_once_reopened() -> None:
    assert change_violation("ARG", ["CHL"], ["CHL"]) is None
    final = change_violation("ARG", ["CHL"], ["ARG", "CHL"])
    assert final is not None and final.paragraph == "¶39"
    assert reopening_violation("ARG", ["CHL"], ["ARG", "CHL"], "A new law was adopted") is None
    for agreed, reason in ((["ARG"], "why"), (["ARG", "CHL"], " ")):
        refused = reopening_violation("ARG", ["CHL"], agreed, reason)
        assert refused is not None and refused.paragraph == "¶39"


def test_the_1500_words_are_those_of_the_summary_as_written() -> None:
    long = "word " * 1501
    texts = {"en": "word " * 1500, "fr": long, "zh": "字" * 3002}
    assert summary_violation(texts, "en") is None  # translations run longer
    assert summary_violation(texts, "fr") is not None
    found = summary_violation(texts, "zh")
    assert found is not None and found.paragraph == "¶38" and "1501 words" in found.message
    assert summary_violation(texts, None) is None


def test_the_language_a_summary_is_written_in() -> None:
    assert written_in(["fr", "en"], "es", ["es"]) == "es"  # recorded
    assert written_in(["fr", "en"], None, ["es", "en"]) == "en"  # the first working language given
    assert written_in(["fr"], None, ["en"]) == "fr"
    assert written_in([], None, ["en"]) is None


@pytest.mark.parametrize(
    ("kind", "status", "paragraph"),
    [
        (StakeholderKind.NGO, RegistrationStatus.CONFIRMED, None),
        (StakeholderKind.NGO, RegistrationStatus.REFERRED_TO_BUREAU, "¶53(d)"),
        (StakeholderKind.NGO, RegistrationStatus.REJECTED, "¶53(d)"),
        (StakeholderKind.OTHER_STAKEHOLDER, RegistrationStatus.APPLIED, None),
        (StakeholderKind.OTHER_STAKEHOLDER, RegistrationStatus.REJECTED, "¶53(e)"),
    ],
)
def test_written_views_of_ngos_and_approved_stakeholders(
    kind: StakeholderKind, status: RegistrationStatus, paragraph: str | None
) -> None:
    found = comments_violation(kind, status)
    assert (found.paragraph if found else None) == paragraph


def test_the_demo_reviews_obey_these_rules() -> None:
    """ingest/demo/reviews.json, as ops/bootstrap.py writes it: opened in one or two
    languages, answers in the first, the summary as written within 1,500 words, and written
    feedback only from reviewing States."""
    demos = json.loads((Path(__file__).parents[2] / "ingest" / "demo" / "reviews.json").read_text("utf-8"))
    for demo in demos:
        languages = demo["workingLanguages"]
        assert working_languages_problem(languages) is None
        assert answer_language_violation(languages[0], languages) is None
        original = written_in(list(demo["summary"]), None, languages)
        assert original in languages
        assert summary_violation(demo["summary"], original) is None
        reviewers = {r["party"] for r in demo["reviewers"]}
        givers = [m["party"] for m in demo["dialogue"] if m.get("feedback")]
        assert set(givers) <= reviewers and len(givers) == len(set(givers))
