"""createReview's reviewers held to the rules (¶10, ¶26, ¶28-¶29): they come from the draw,
or, named for a State no draw gives any, meet the same independent check as a draw
(`mechanism.draw.rule_violations`, through `mechanism.participation.reviewers_violation`).

The check reads the draws and every review's reviewers; the write then takes the lock of
reviewer draws and is refused (graph.reviews.DrawsChanged, and createReview decides again)
if any of them changed meanwhile, so two reviews opened at once cannot together break a
load or a mutual pair.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from api.graphql.context import ContextInfo
from api.graphql.draws.records import current_assignments_of
from api.graphql.draws.types import DrawKind
from api.graphql.errors import InvalidInput, RuleViolation
from api.graphql.participation.types import choices_from
from graph import draws as draws_store
from graph import participation as participation_store
from graph import schedule as schedule_store
from graph.driver import Record
from mechanism.draw import Assignment, Participant
from mechanism.participation import reviewers_violation, with_choices
from mechanism.phases import review_phase_violation
from mechanism.rules import Violation
from mechanism.workplan import Workplan, in_force


@dataclass(frozen=True)
class Seen:
    """What the check read: the write goes ahead only if it is still so."""

    draws: list[str]
    reviewers: tuple[list[str], list[str]]  # the parties concerned, their reviews' signature


def _participants(
    rows: list[Record], choices: dict[str, Any], state: str, volunteer: bool
) -> list[Participant]:
    result = []
    for row in rows:
        bound = set(row["bound"])
        instruments = set(row["signed"]) if volunteer and row["code"] == state else bound
        participant = Participant(
            code=row["code"],
            regional_group=row["regionalGroup"],
            instruments=frozenset(instruments),
            may_be_reviewed=True,
            may_review="UNTOC" in bound,
        )
        result.append(with_choices(participant, choices.get(row["code"])))
    return result


def _others(current: list[Assignment], reviews: list[Record], state: str) -> list[Assignment]:
    """Who reviews whom elsewhere: the draws and the reviews of the other States, each pair
    once (the same reviewers serve a State in all its phases)."""
    pairs: dict[tuple[str, str], Assignment] = {}
    for a in current:
        if a.state_under_review != state:
            pairs[(a.reviewer, a.state_under_review)] = a
    for review in reviews:
        sur = review["stateUnderReview"]
        if sur == state:
            continue
        for r in review["reviewers"]:
            pairs.setdefault((r["party"], sur), Assignment(sur, r["party"], tuple(r["instruments"]), False))
    return list(pairs.values())


async def check_reviewers(
    info: ContextInfo,
    state: str,
    phase: int,
    named: list[dict[str, Any]] | None,
    *,
    volunteer: bool,
    more_than_four_argument: bool,
) -> Seen | RuleViolation | InvalidInput:
    """Whether a review of `state` for `phase` may be opened with `named` reviewers
    ({party, instruments}; None: those drawn), and what was read to decide it."""
    graph = info.context.graph
    draw_rows = await draws_store.reviewer_draws(graph)
    reviews = await participation_store.review_reviewers(graph)
    if any(r["stateUnderReview"] == state and r["phase"] == phase for r in reviews):
        return InvalidInput(field="phase", message=f"{state} already has a review for phase {phase}")
    governing = await draws_store.latest_draw(graph, DrawKind.STATES_UNDER_REVIEW.value)
    years: dict[str, int] = json.loads(governing["result"]).get("years", {}) if governing else {}
    group = years.get(state)
    starts = [row["start"] for row in await schedule_store.phase_starts(graph)]
    started = {int(s["phase"]) for s in starts if group is not None and s["group"] == group}
    violation: Violation | None = review_phase_violation(state, phase, group, started)
    if violation:
        return RuleViolation.of(violation)
    concerned = sorted({state, *(r["party"] for r in named or [])})
    seen = Seen(
        [row["draw"]["id"] for row in draw_rows],
        (concerned, participation_store.reviewers_signature(reviews, concerned)),
    )
    choice_rows = await participation_store.choices_of(graph)
    choices = {row["choices"]["party"]: choices_from(row["choices"]) for row in choice_rows}
    if state in choices and choices[state].not_under_review:
        return RuleViolation.of(
            Violation("footnote 2", f"{state} chose not to take part as a State under review")
        )
    if named is None:
        return seen
    agreed = bool(choices.get(state) and choices[state].more_than_four_reviewers)
    if more_than_four_argument and not agreed and len(named) > 4:
        return RuleViolation.of(
            Violation(
                "¶28(c)",
                f"{state} has not recorded its agreement to more than four reviewing States: its focal "
                "point records it (agreeToMoreThanFourReviewers)",
            )
        )
    current = current_assignments_of(draw_rows)
    earlier = next(
        (
            [(r["party"], tuple(r["instruments"])) for r in review["reviewers"]]
            for review in reviews
            if review["stateUnderReview"] == state and review["reviewers"]
        ),
        [],
    )
    violation = reviewers_violation(
        _participants(await draws_store.draw_participants(graph), choices, state, volunteer),
        state,
        [(r["party"], tuple(r["instruments"])) for r in named],
        drawn=[a for a in current if a.state_under_review == state],
        drawn_by_lot=state in years,
        earlier=earlier,
        others=_others(current, reviews, state),
        more_than_four_agreed=agreed,
    )
    return RuleViolation.of(violation) if violation else seen


async def workplan_in_force(info: ContextInfo) -> Workplan:
    """Table 2 as the Conference last amended it (¶16): the cluster of a new review's phase."""
    rows = await schedule_store.workplan_amendments(info.context.graph)
    return in_force([(row["amendment"]["clusters"], row["amendment"]["reference"]) for row in rows])
