from __future__ import annotations

from datetime import date

from mechanism.instruments import InstrumentCode
from mechanism.reviews import (
    add_months,
    answers_due_on,
    feedback_due_on,
    questionnaire,
    working_languages_problem,
)


def test_deadlines_are_six_months() -> None:
    assert answers_due_on(date(2025, 1, 15)) == date(2025, 7, 15)
    assert feedback_due_on(date(2025, 8, 31)) == date(2026, 2, 28)
    assert add_months(date(2024, 8, 31), 6) == date(2025, 2, 28)
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)


def test_the_questionnaire_of_phase_1_for_a_uncac_party() -> None:
    questions = questionnaire([InstrumentCode.TIP, InstrumentCode.UNTOC], phase=1, uncac_party=True)
    assert list(questions) == [InstrumentCode.UNTOC, InstrumentCode.TIP]
    assert [a.number for a in questions[InstrumentCode.UNTOC]] == [2, 5, 6, 10, 15, 23]
    assert [a.number for a in questions[InstrumentCode.TIP]] == [3, 5]


def test_untoc_8_and_9_are_asked_of_a_party_not_party_to_uncac() -> None:
    questions = questionnaire([InstrumentCode.UNTOC], phase=1, uncac_party=False)
    assert [a.number for a in questions[InstrumentCode.UNTOC]] == [2, 5, 6, 8, 9, 10, 15, 23]


def test_phase_3_has_no_firearms_question() -> None:
    questions = questionnaire([InstrumentCode.FIREARMS], phase=3, uncac_party=True)
    assert questions == {InstrumentCode.FIREARMS: []}


def test_working_languages() -> None:
    assert working_languages_problem(["en"]) is None
    assert "exceptionally three" in (working_languages_problem(["en", "fr", "es"]) or "")  # agreed (¶50)
    assert working_languages_problem([]) is not None
    assert working_languages_problem(["en", "fr", "es", "ru"]) is not None
    assert working_languages_problem(["de"]) == "'de' is not a working language (ar, zh, en, fr, ru, es)"
