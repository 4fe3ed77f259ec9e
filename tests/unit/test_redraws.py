"""Redraws of one reviewer (¶28(d)-(f), ¶30): who may ask, how often, and that the
reviewer drawn in its place meets every constraint."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from mechanism.draw import Assignment, DrawInfeasible, Participant, draw_reviewing_states, violations
from mechanism.draw_checks import rule_problems
from mechanism.draw_records import REDRAW, assignment_json, compute, participant_json
from mechanism.redraws import (
    MAX_REPETITIONS,
    RedrawKind,
    RedrawRequest,
    current_assignments,
    place_released,
    redraw_reviewer,
    request_problem,
)
from tests.unit.test_draw import party_sets, real_parties


def _request(kind: RedrawKind, requested_by: str, reason: str = "") -> RedrawRequest:
    return RedrawRequest(kind, "ARG", "BRA", requested_by, reason)


def test_each_requester_may_ask_for_four_repetitions_and_no_more() -> None:
    for done in range(MAX_REPETITIONS):
        assert request_problem(_request(RedrawKind.REPETITION, "ARG"), ["BRA", "FRA"], done) is None
    field, message = request_problem(_request(RedrawKind.REPETITION, "ARG"), ["BRA", "FRA"], 4) or ("", "")
    assert field == "requestedBy"
    assert "already asked for 4 repetitions of the draw for ARG" in message
    # The reviewing State concerned counts its own four.
    assert request_problem(_request(RedrawKind.REPETITION, "BRA"), ["BRA", "FRA"], 3) is None


def test_who_may_ask_for_which_redraw() -> None:
    reviewers = ["BRA", "FRA"]
    repetition_by_other = request_problem(_request(RedrawKind.REPETITION, "FRA"), reviewers, 0)
    assert repetition_by_other and repetition_by_other[0] == "requestedBy"
    replacement_by_reviewer = request_problem(_request(RedrawKind.REPLACEMENT, "BRA", "ill"), reviewers, 0)
    assert replacement_by_reviewer and "(¶30)" in replacement_by_reviewer[1]
    assert request_problem(_request(RedrawKind.REPLACEMENT, "ARG", "cannot serve"), reviewers, 9) is None
    assert request_problem(_request(RedrawKind.EXCEPTIONAL, "FRA", "conflict"), reviewers, 9) is None
    outsider = request_problem(_request(RedrawKind.EXCEPTIONAL, "DEU", "why not"), reviewers, 0)
    assert outsider and outsider[0] == "requestedBy"
    unknown = request_problem(RedrawRequest(RedrawKind.REPETITION, "ARG", "CHL", "ARG", ""), reviewers, 0)
    assert unknown == ("reviewer", "CHL is not a reviewing State of ARG")


def test_exceptional_redraws_and_replacements_need_their_reason() -> None:
    for kind in (RedrawKind.EXCEPTIONAL, RedrawKind.REPLACEMENT):
        problem = request_problem(_request(kind, "ARG", "  "), ["BRA", "FRA"], 0)
        assert problem and problem[0] == "reason"


def test_a_redraw_replaces_the_assignments_of_its_state_only() -> None:
    first = [Assignment("A", "B", ("UNTOC",), True), Assignment("A", "C", ("UNTOC",), False)]
    other = [Assignment("D", "B", ("UNTOC",), True)]
    redraw = [Assignment("A", "B", ("UNTOC",), True), Assignment("A", "E", ("UNTOC",), False)]
    now = current_assignments([("REVIEWING_STATES", first + other), ("REDRAW", redraw)])
    assert now == [*redraw, *other]


@given(party_sets(), st.text(min_size=1, max_size=10), st.data())
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
def test_a_redrawn_reviewer_meets_every_constraint_or_says_which_failed(
    parties: list[Participant], seed: str, data: st.DataObject
) -> None:
    # A few States under review, so that most random sets have a first draw to redraw from.
    states = [p.code for p in parties if p.may_be_reviewed][: data.draw(st.integers(1, 6))]
    try:
        drawn = draw_reviewing_states(parties, states, seed, everyone_reviews=False)
    except DrawInfeasible:
        assume(False)
        return
    sur = data.draw(st.sampled_from(sorted({a.state_under_review for a in drawn})))
    replaced = data.draw(st.sampled_from(sorted(a.reviewer for a in drawn if a.state_under_review == sur)))
    try:
        mine = redraw_reviewer(parties, sur, replaced, seed, drawn)
    except DrawInfeasible as error:
        event("no reviewer can take the place")
        assert error.failures and all(f.startswith(f"{sur}:") for f in error.failures)
        return
    event("redrawn")
    after = current_assignments([("REVIEWING_STATES", drawn), ("REDRAW", mine)])
    assert violations(parties, states, after) == []
    assert replaced not in {a.reviewer for a in mine}
    kept = {a for a in drawn if a.state_under_review == sur and a.reviewer != replaced}
    assert kept <= set(mine)  # the other reviewers keep their place and instruments
    assert redraw_reviewer(parties, sur, replaced, seed, drawn) == mine  # reproducible


def test_a_reviewer_that_left_is_never_drawn_again_and_exhaustion_is_named() -> None:
    parties = [
        Participant("SUR", "AFRICAN", frozenset({"UNTOC"}), may_review=False),
        Participant("AF1", "AFRICAN", frozenset({"UNTOC"}), may_be_reviewed=False),
        Participant("AF2", "AFRICAN", frozenset({"UNTOC"}), may_be_reviewed=False),
        Participant("AS1", "ASIA_PACIFIC", frozenset({"UNTOC"}), may_be_reviewed=False),
    ]
    drawn = [Assignment("SUR", "AF1", ("UNTOC",), True), Assignment("SUR", "AS1", ("UNTOC",), False)]
    again = redraw_reviewer(parties, "SUR", "AF1", "s", drawn)
    assert [a.reviewer for a in again] == ["AF2", "AS1"]
    with pytest.raises(DrawInfeasible, match="SUR: no State of its regional group is free to review it"):
        redraw_reviewer(parties, "SUR", "AF2", "s", again, released=frozenset({"AF1"}))


def test_redraws_on_the_real_parties() -> None:
    parties = real_parties()
    states = sorted(p.code for p in parties if p.may_be_reviewed)
    drawn = draw_reviewing_states(parties, states, "real-redraw")
    current = drawn
    for sur in ("ARG", "KEN", "FRA", "EUR"):
        reviewer = next(a.reviewer for a in current if a.state_under_review == sur)
        mine = redraw_reviewer(parties, sur, reviewer, "real-redraw", current)
        current = current_assignments([("REVIEWING_STATES", current), ("REDRAW", mine)])
        assert reviewer not in {a.reviewer for a in mine}
    assert violations(parties, states, current) == []


def _redraw_record(
    parties: list[Participant], current: list[Assignment], sur: str, reviewer: str, kind: RedrawKind
) -> dict[str, Any]:
    """The inputs of a redraw as the API records them, no review opened yet."""
    inputs: dict[str, Any] = {
        "participants": [participant_json(p) for p in parties],
        "request": {
            "kind": kind.value,
            "stateUnderReview": sur,
            "reviewer": reviewer,
            "requestedBy": sur,
            "reason": "tests",
            "repetition": 1,
        },
        "released": [],
        "current": [assignment_json(a) for a in current],
        "moreThanFourAgreed": [],
    }
    if kind is not RedrawKind.REPLACEMENT:
        inputs["placeReleased"] = {"opened": [], "departures": {}}
    return inputs


def test_a_redraw_never_leaves_the_released_reviewer_reviewing_no_one() -> None:
    """¶29: a repetition releases a reviewer that reviewed only this State; it takes, by
    lot, the place of a reviewer that reviews more than once in a review not yet opened,
    and the independent check finds nothing wrong. A replacement (¶30: the State cannot
    serve) releases it; a record that moves anyone else fails the check."""
    parties = real_parties()
    states = sorted(p.code for p in parties if p.may_be_reviewed)
    current = draw_reviewing_states(parties, states, "placed")
    load = Counter(a.reviewer for a in current)
    sur, released = next((a.state_under_review, a.reviewer) for a in current if load[a.reviewer] == 1)
    inputs = _redraw_record(parties, current, sur, released, RedrawKind.REPETITION)
    result = compute(REDRAW, inputs, "placed")
    moved = [a for a in result["assignments"] if a["stateUnderReview"] != sur]
    assert [a["reviewer"] for a in moved].count(released) == 1
    assert rule_problems(REDRAW, inputs, result) == []
    assert compute(REDRAW, inputs, "placed") == result  # reproducible

    replacement = _redraw_record(parties, current, sur, released, RedrawKind.REPLACEMENT)
    kept_out = compute(REDRAW, replacement, "placed")
    assert {a["stateUnderReview"] for a in kept_out["assignments"]} == {sur}
    assert rule_problems(REDRAW, replacement, kept_out) == []

    other = moved[0]["stateUnderReview"]
    opened = {**inputs, "placeReleased": {"opened": [other], "departures": {}}}
    assert any("whose review has opened" in p for p in rule_problems(REDRAW, opened, result))
    unplaced = {**result, "assignments": [a for a in result["assignments"] if a["stateUnderReview"] == sur]}
    assert rule_problems(REDRAW, inputs, unplaced) == [
        f"¶29: {released} left {sur}'s review and reviews no State"
    ]


def test_a_released_reviewer_with_no_place_left_makes_the_redraw_infeasible() -> None:
    parties = [
        Participant("SUR", "AFRICAN", frozenset({"UNTOC"}), may_review=False),
        Participant("AF1", "AFRICAN", frozenset({"UNTOC"}), may_be_reviewed=False),
        Participant("AF2", "AFRICAN", frozenset({"UNTOC"}), may_be_reviewed=False),
        Participant("AS1", "ASIA_PACIFIC", frozenset({"UNTOC"}), may_be_reviewed=False),
    ]
    drawn = [Assignment("SUR", "AF1", ("UNTOC",), True), Assignment("SUR", "AS1", ("UNTOC",), False)]
    inputs = _redraw_record(parties, drawn, "SUR", "AF1", RedrawKind.REPETITION)
    with pytest.raises(DrawInfeasible, match="¶29: AF1 would review no State after leaving SUR's review"):
        compute(REDRAW, inputs, "s")
    assert place_released(parties, "SUR", "AF1", "s", drawn, opened=frozenset(), departures={}) == []
