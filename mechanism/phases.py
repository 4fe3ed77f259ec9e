"""Moving a group of States from one review phase to the next (¶10, ¶15)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from mechanism.rules import Violation
from mechanism.workplan import GROUPS, PHASES

COMPLETION_THRESHOLD = Fraction(70, 100)  # ¶10


@dataclass(frozen=True)
class PhaseProgress:
    phase: int
    scheduled_at_start: int  # the reviews scheduled when the phase began
    completed: int  # of those, how many are complete

    @property
    def share_completed(self) -> Fraction:
        return Fraction(self.completed, self.scheduled_at_start) if self.scheduled_at_start else Fraction(1)


def may_move_on(progress: PhaseProgress, conference_decided: bool = False) -> tuple[bool, str]:
    """Whether the group may start the next phase, and why: 70% of the reviews scheduled
    at the start of the current phase complete, or a decision of the Conference (¶10)."""
    if progress.phase not in PHASES:
        raise ValueError(f"phase must be 1, 2, 3 or 4, not {progress.phase}")
    if progress.phase == PHASES[-1]:
        return False, "phase 4 is the last phase (¶9)"
    if not 0 <= progress.completed <= progress.scheduled_at_start:
        raise ValueError("completed must be between 0 and the reviews scheduled")
    share = progress.share_completed
    if share >= COMPLETION_THRESHOLD:
        return (
            True,
            f"{progress.completed} of {progress.scheduled_at_start} reviews are complete (70% needed)",
        )
    if conference_decided:
        return True, "the Conference of the Parties decided to move on (¶10)"
    needed = -(
        -COMPLETION_THRESHOLD.numerator * progress.scheduled_at_start // COMPLETION_THRESHOLD.denominator
    )
    return False, (
        f"{progress.completed} of {progress.scheduled_at_start} reviews are complete; "
        f"{needed} are needed (70%, ¶10), or a decision of the Conference"
    )


@dataclass(frozen=True)
class PhaseStart:
    group: int
    phase: int
    scheduled: frozenset[str]  # the ids of the reviews scheduled when it started


def next_phase_problem(
    group: int,
    phase: int,
    starts: list[PhaseStart],
    completed: set[str],
    conference_decided: set[tuple[int, int]],
) -> str | None:
    """Why `group` may not start `phase` now, or None: phases come in order, and a group
    leaves a phase only under the 70% rule or a decision of the Conference (¶10).
    `conference_decided` holds (group, phase) pairs the Conference let move on."""
    if group not in GROUPS:
        return f"group must be 1, 2 or 3, not {group}"
    if phase not in PHASES:
        return f"phase must be 1, 2, 3 or 4, not {phase}"
    mine = sorted((s for s in starts if s.group == group), key=lambda s: s.phase)
    expected = mine[-1].phase + 1 if mine else 1
    if phase != expected:
        where = f"is in phase {mine[-1].phase}" if mine else "has started no phase"
        return f"group {group} {where}: the next phase it may start is {expected}"
    if not mine:
        return None
    current = mine[-1]
    progress = PhaseProgress(current.phase, len(current.scheduled), len(current.scheduled & completed))
    allowed, reason = may_move_on(progress, (group, current.phase) in conference_decided)
    return None if allowed else reason


def review_phase_violation(state: str, phase: int, group: int | None, started: set[int]) -> Violation | None:
    """Why a review of `state` for `phase` may not be opened now, or None. A State of a group
    drawn under ¶17 whose group has started its phases gets reviews only of the phases its
    group started (startPhase applies the order of the phases and the 70% rule, ¶10); a
    State in no group, or of a group that has started none, is not held by this rule."""
    if group is None or not started or phase in started:
        return None
    return Violation(
        "¶10",
        f"{state} is in group {group}, which has not started phase {phase} (it started "
        f"{', '.join(str(p) for p in sorted(started))}): phases start in order, once 70% of the "
        "previous phase's reviews are complete or the Conference decided otherwise (startPhase)",
    )
