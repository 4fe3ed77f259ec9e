from __future__ import annotations

import pytest

from mechanism.phases import PhaseProgress, may_move_on


@pytest.mark.parametrize(
    ("scheduled", "completed", "allowed"),
    [
        (10, 7, True),
        (10, 6, False),
        (64, 45, True),
        (64, 44, False),
        (63, 45, True),
        (63, 44, False),
        (3, 3, True),
        (0, 0, True),
    ],
)
def test_seventy_percent_of_the_reviews_scheduled_at_the_start(
    scheduled: int, completed: int, allowed: bool
) -> None:
    assert may_move_on(PhaseProgress(1, scheduled, completed))[0] is allowed


def test_the_reason_says_how_many_are_needed() -> None:
    allowed, reason = may_move_on(PhaseProgress(2, 64, 44))
    assert not allowed
    assert (
        reason == "44 of 64 reviews are complete; 45 are needed (70%, ¶10), or a decision of the Conference"
    )


def test_a_decision_of_the_conference_moves_the_group_on() -> None:
    allowed, reason = may_move_on(PhaseProgress(1, 64, 10), conference_decided=True)
    assert allowed and "Conference" in reason


def test_phase_4_is_the_last() -> None:
    assert may_move_on(PhaseProgress(4, 10, 10)) == (False, "phase 4 is the last phase (¶9)")


@pytest.mark.parametrize(("phase", "scheduled", "completed"), [(0, 1, 1), (5, 1, 1), (1, 3, 4), (1, 3, -1)])
def test_impossible_progress_is_refused(phase: int, scheduled: int, completed: int) -> None:
    with pytest.raises(ValueError):
        may_move_on(PhaseProgress(phase, scheduled, completed))
