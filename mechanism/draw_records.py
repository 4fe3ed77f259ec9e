"""A draw as it is recorded: its inputs and result as JSON, and the result computed again
from them. Shared by the API (`verifyDraw`) and the offline verifier (`sherloc
verify-draw`), which must agree on every byte.

A draw of States under review that places the parties that joined after the governing
draw (`onlyJoining`) records the governing draw's years as `kept` and the parties it
places as `joining`: the others keep their year (¶17).

A redraw (sherloc-lots-3) by repetition or exceptional request records `placeReleased`:
the States whose review has opened and the reviewers that left each State's review, from
which the released reviewer gets a place if it would review no one (¶29); its result then
holds that other State's reviewers too.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from mechanism.draw import (
    ALGORITHM_V1,
    ALGORITHM_V2,
    ALGORITHM_VERSION,
    Assignment,
    Participant,
    draw_reviewing_states,
    draw_states_under_review,
)
from mechanism.lots import Lots
from mechanism.redraws import place_released, redraw_reviewer

STATES_UNDER_REVIEW = "STATES_UNDER_REVIEW"
REVIEWING_STATES = "REVIEWING_STATES"
REDRAW = "REDRAW"


def participant_json(p: Participant) -> dict[str, Any]:
    return {
        "code": p.code,
        "regionalGroup": p.regional_group,
        "instruments": sorted(p.instruments),
        "mayBeReviewed": p.may_be_reviewed,
        "mayReview": p.may_review,
        "maxReviews": p.max_reviews,
    }


def participant_from_json(d: dict[str, Any]) -> Participant:
    return Participant(
        d["code"],
        d["regionalGroup"],
        frozenset(d["instruments"]),
        d["mayBeReviewed"],
        d["mayReview"],
        d["maxReviews"],
    )


def assignment_json(a: Assignment) -> dict[str, Any]:
    return {
        "stateUnderReview": a.state_under_review,
        "reviewer": a.reviewer,
        "instruments": list(a.instruments),
        "sameRegionalGroup": a.same_regional_group,
    }


def assignment_from_json(a: dict[str, Any]) -> Assignment:
    return Assignment(a["stateUnderReview"], a["reviewer"], tuple(a["instruments"]), a["sameRegionalGroup"])


def add_joining(
    participants: list[Participant], kept: dict[str, int], joining: list[str], seed: str
) -> dict[str, int]:
    """The years of `kept`, and a year for each party of `joining` (that joined after the
    governing draw): among the years with fewest of its regional group so far, then fewest
    States, by lot. No other party changes year."""
    by_code = {p.code: p for p in participants}
    years = dict(kept)
    lots = Lots(seed, "joining-states-under-review")
    for code in sorted(joining):
        group = by_code[code].group
        in_group = Counter(years[c] for c in years if c in by_code and by_code[c].group == group)
        total = Counter(years.values())
        fewest = min((in_group[y], total[y]) for y in (1, 2, 3))
        choices = [y for y in (1, 2, 3) if (in_group[y], total[y]) == fewest]
        years[code] = choices[lots.below(len(choices))]
    return years


def compute(
    kind: str, inputs: dict[str, Any], seed: str, algorithm: str = ALGORITHM_VERSION
) -> dict[str, Any]:
    """The result of a draw from its recorded inputs, by the algorithm it names: what
    verification recomputes. Raises ValueError for an algorithm this release does not know."""
    agreed = frozenset(inputs.get("moreThanFourAgreed", []))
    participants = [participant_from_json(p) for p in inputs["participants"]]
    if kind == STATES_UNDER_REVIEW:
        if "kept" in inputs:
            return {"years": add_joining(participants, inputs["kept"], inputs["joining"], seed)}
        return {"years": draw_states_under_review(participants, seed)}
    if kind == REDRAW:
        request = inputs["request"]
        current = [assignment_from_json(a) for a in inputs["current"]]
        found = redraw_reviewer(
            participants,
            request["stateUnderReview"],
            request["reviewer"],
            seed,
            current,
            released=frozenset(inputs["released"]),
            more_than_four_agreed=request["stateUnderReview"] in agreed,
            algorithm=algorithm,
        )
        placing = inputs.get("placeReleased")
        if placing is not None and algorithm not in (ALGORITHM_V1, ALGORITHM_V2):
            after = [a for a in current if a.state_under_review != request["stateUnderReview"]] + found
            found += place_released(
                participants,
                request["stateUnderReview"],
                request["reviewer"],
                seed,
                after,
                opened=frozenset(placing["opened"]),
                departures={state: frozenset(codes) for state, codes in placing["departures"].items()},
            )
    else:
        existing = [assignment_from_json(a) for a in inputs["existing"]]
        found = draw_reviewing_states(
            participants,
            inputs["statesUnderReview"],
            seed,
            existing=existing,
            more_than_four_agreed=agreed,
            algorithm=algorithm,
        )
    return {"assignments": [assignment_json(a) for a in found]}


def canonical(result: Any) -> str:
    """A result as it is recorded and hashed: JSON with sorted keys."""
    return json.dumps(result, sort_keys=True)
