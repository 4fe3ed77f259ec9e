from __future__ import annotations

import pytest

from mechanism.phases import PhaseProgress, PhaseStart, may_move_on, next_phase_problem


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


def _start(group: int, phase: int, reviews: int) -> PhaseStart:
    return PhaseStart(group, phase, frozenset(f"R{group}{phase}-{i}" for i in range(reviews)))


def test_phases_start_in_order() -> None:
    assert next_phase_problem(1, 1, [], set(), set()) is None
    assert next_phase_problem(1, 2, [], set(), set()) == (
        "group 1 has started no phase: the next phase it may start is 1"
    )
    starts = [_start(1, 1, 10)]
    assert next_phase_problem(1, 1, starts, set(), set()) == (
        "group 1 is in phase 1: the next phase it may start is 2"
    )
    assert next_phase_problem(2, 1, starts, set(), set()) is None  # groups are independent
    assert next_phase_problem(4, 1, [], set(), set()) == "group must be 1, 2 or 3, not 4"
    assert next_phase_problem(1, 5, [], set(), set()) == "phase must be 1, 2, 3 or 4, not 5"


def test_a_group_moves_on_at_seventy_percent_or_by_a_decision_of_the_conference() -> None:
    starts = [_start(1, 1, 10)]
    six = {f"R11-{i}" for i in range(6)}
    refused = next_phase_problem(1, 2, starts, six, set())
    assert refused is not None and "6 of 10 reviews are complete; 7 are needed" in refused
    assert next_phase_problem(1, 2, starts, six | {"R11-6"}, set()) is None
    assert next_phase_problem(1, 2, starts, six, {(1, 1)}) is None
    # A decision for another group or phase does not count; reviews of other phases neither.
    assert next_phase_problem(1, 2, starts, six, {(2, 1), (1, 2)}) is not None
    assert next_phase_problem(1, 2, starts, six | {"R12-0", "R12-1"}, set()) is not None


def test_no_phase_after_the_fourth() -> None:
    starts = [_start(3, phase, 2) for phase in (1, 2, 3, 4)]
    assert next_phase_problem(3, 5, starts, set(), set()) == "phase must be 1, 2, 3 or 4, not 5"
