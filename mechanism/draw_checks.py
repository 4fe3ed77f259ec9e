"""A draw's result checked against the rules, independently of the algorithm that drew it:
¶17 for States under review (written here), ¶28-¶29 for reviewers (`mechanism.draw.violations`).

¶17 as checked: every party that may be reviewed is in exactly one of the years 1-3 and no
other party is; each year takes a third of them (sizes differ by at most one); and each
regional group's share of a year is proportional to its size (a group of `s` members has
`s // 3` or `s // 3 + 1` of them in each year). A draw that places parties that joined
later keeps every other party's year and places each joining party once.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from mechanism.draw import Assignment, Participant, violations
from mechanism.draw_records import (
    REDRAW,
    REVIEWING_STATES,
    STATES_UNDER_REVIEW,
    assignment_from_json,
    participant_from_json,
)

YEARS = (1, 2, 3)


def states_under_review_problems(
    participants: list[Participant], years: dict[str, int], *, kept: dict[str, int] | None = None
) -> list[str]:
    """What breaks ¶17 in `years` (party code -> year); empty when nothing does."""
    eligible = {p.code for p in participants if p.may_be_reviewed}
    problems = []
    outside = sorted(c for c, y in years.items() if y not in YEARS)
    if outside:
        problems.append(f"¶17: {', '.join(outside)} drawn for no year 1, 2 or 3")
    missing = sorted(eligible - set(years))
    if missing:
        problems.append(f"¶17: {', '.join(missing[:10])} not drawn for any year")
    extra = sorted(set(years) - eligible - set(kept or {}))
    if extra:
        problems.append(f"¶17: {', '.join(extra[:10])} drawn though not to be reviewed")
    if kept is not None:
        moved = sorted(c for c, y in kept.items() if years.get(c) != y)
        if moved:
            problems.append(f"¶17: {', '.join(moved[:10])} moved from the year the governing draw gave")
        return problems
    sizes = Counter(years[c] for c in years if c in eligible)
    if max(sizes[y] for y in YEARS) - min(sizes[y] for y in YEARS) > 1:
        problems.append(
            "¶17: the years are not a third each (" + ", ".join(f"year {y}: {sizes[y]}" for y in YEARS) + ")"
        )
    by_group: dict[str, Counter[int]] = defaultdict(Counter)
    members: Counter[str] = Counter()
    for p in participants:
        if p.code in eligible and p.code in years:
            by_group[p.group][years[p.code]] += 1
            members[p.group] += 1
    for group in sorted(by_group):
        low, high = members[group] // 3, -(-members[group] // 3)
        off = [y for y in YEARS if not low <= by_group[group][y] <= high]
        if off:
            shares = ", ".join(f"year {y}: {by_group[group][y]}" for y in YEARS)
            problems.append(f"¶17: {group}'s {members[group]} States are not shared in proportion ({shares})")
    return problems


def rule_problems(kind: str, inputs: dict[str, Any], result: dict[str, Any]) -> list[str]:
    """What breaks the rules in a recorded draw's result, whatever algorithm drew it."""
    try:
        participants = [participant_from_json(p) for p in inputs["participants"]]
        if kind == STATES_UNDER_REVIEW:
            years = {str(c): int(y) for c, y in result["years"].items()}
            return states_under_review_problems(participants, years, kept=inputs.get("kept"))
        assignments = [assignment_from_json(a) for a in result["assignments"]]
        agreed = frozenset(inputs.get("moreThanFourAgreed", []))
        if kind == REVIEWING_STATES:
            states = list(inputs["statesUnderReview"])
            drawn = {a.state_under_review for a in assignments}
            problems = [
                f"¶28: {c} drawn though not among the States under review"
                for c in sorted(drawn - set(states))
            ]
            everyone = {p.code for p in participants if p.may_be_reviewed} <= set(states)
            existing = [assignment_from_json(a) for a in inputs["existing"]]
            found = violations(
                participants,
                states,
                assignments,
                existing=existing,
                more_than_four_agreed=agreed,
                everyone_reviews=everyone,
            )
            return problems + [f"¶28-¶29: {v}" for v in found]
        if kind == REDRAW:
            return _redraw_problems(participants, inputs, assignments, agreed)
        return [f"no rule known for a draw of kind {kind}"]
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        return [f"the record cannot be checked against the rules: {type(error).__name__} {error}"]


def _redraw_problems(
    participants: list[Participant],
    inputs: dict[str, Any],
    assignments: list[Assignment],
    agreed: frozenset[str],
) -> list[str]:
    request = inputs["request"]
    sur, replaced = request["stateUnderReview"], request["reviewer"]
    current = [assignment_from_json(a) for a in inputs["current"]]
    kept = {
        a.reviewer: a.instruments for a in current if a.state_under_review == sur and a.reviewer != replaced
    }
    mine = [a for a in assignments if a.state_under_review == sur]
    moved = [a for a in assignments if a.state_under_review != sur]
    placing = inputs.get("placeReleased")
    problems = _placing_problems(current, moved, sur, replaced, placing) if moved else []
    touched = {sur, *(a.state_under_review for a in moved)}
    others = [a for a in current if a.state_under_review not in touched]
    now = {a.reviewer: a.instruments for a in mine}
    if any(now.get(code) != instruments for code, instruments in kept.items()):
        problems.append(f"¶28: the redraw of {sur} changed a reviewer other than {replaced}")
    back = sorted(set(now) & {replaced, *inputs["released"]})
    if back:
        problems.append(f"¶28(d): {', '.join(back)} left {sur}'s review and is drawn again")
    idle = not any(a.reviewer == replaced for a in [*others, *assignments])
    may_review = any(p.code == replaced and p.may_review for p in participants)
    if placing is not None and idle and may_review:
        problems.append(f"¶29: {replaced} left {sur}'s review and reviews no State")
    found = violations(
        participants, sorted(touched), assignments, existing=others, more_than_four_agreed=agreed
    )
    return problems + [f"¶28-¶29: {v}" for v in found]


def _placing_problems(
    current: list[Assignment],
    moved: list[Assignment],
    sur: str,
    replaced: str,
    placing: dict[str, Any] | None,
) -> list[str]:
    """What is wrong with the reviewers a redraw gives another State: only the released
    reviewer's place (¶29), in one review not yet opened, in the place of a reviewer that
    reviews more than once, on the same instruments, the other reviewers unchanged."""
    states = sorted({a.state_under_review for a in moved})
    if placing is None or len(states) != 1:
        return [f"¶28: the redraw of {sur} gives reviewers to another State ({', '.join(states)})"]
    state = states[0]
    problems = []
    if state in placing["opened"]:
        problems.append(f"¶28: the redraw of {sur} changed the reviewers of {state}, whose review has opened")
    before = {a.reviewer: a.instruments for a in current if a.state_under_review == state}
    after = {a.reviewer: a.instruments for a in moved}
    gone = set(before) - set(after)
    came = set(after) - set(before)
    load = Counter(a.reviewer for a in current)
    if came != {replaced} or len(gone) != 1:
        return [
            *problems,
            f"¶28: the redraw of {sur} changed {state}'s reviewers beyond giving {replaced} a place",
        ]
    (left,) = gone
    if after[replaced] != before[left] or any(after[c] != before[c] for c in set(before) - gone):
        problems.append(f"¶28: {replaced} took {left}'s place at {state} on other instruments")
    if replaced in placing["departures"].get(state, []):
        problems.append(f"¶28(d): {replaced} left {state}'s review before and is placed there again")
    if load[left] < 2:
        problems.append(f"¶29: {left} gave its place at {state} to {replaced} and now reviews no State")
    return problems
