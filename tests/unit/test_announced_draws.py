"""Announced draws, pure logic: the seed's derivation, the rules of each step, the ¶17
check, and the offline verifier on a record built here (a tampered one fails the check it
should)."""

from __future__ import annotations

import copy
import datetime
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from mechanism import commitments as rules
from mechanism.draw import Participant, draw_reviewing_states, draw_states_under_review
from mechanism.draw_checks import rule_problems, states_under_review_problems
from mechanism.draw_records import add_joining, assignment_json, canonical, participant_json
from mechanism.draw_verification import FORMAT, verify
from mechanism.redraws import redraw_reviewer
from ops.verify_draw import verify_file

T0 = datetime.datetime(2027, 1, 4, 9, 0, tzinfo=datetime.UTC)
GROUPS = (
    "AFRICAN",
    "ASIA_PACIFIC",
    "EASTERN_EUROPEAN",
    "LATIN_AMERICAN_CARIBBEAN",
    "WESTERN_EUROPEAN_OTHERS",
)


def _participants() -> list[Participant]:
    sizes = {"AFRICAN": 7, "ASIA_PACIFIC": 5, "EASTERN_EUROPEAN": 4, "LATIN_AMERICAN_CARIBBEAN": 3}
    people = [
        Participant(f"{group[:2]}{i}", group, frozenset({"UNTOC"}))
        for group, size in sizes.items()
        for i in range(size)
    ]
    return [
        *people,
        Participant("EUR", None, frozenset({"UNTOC"})),
        Participant("VAT", None, frozenset(), False, False),
    ]


def _record() -> dict[str, Any]:
    """An announced draw of States under review, as `sherloc export-draw` prints one."""
    secret = "s" * 64
    values = {"AF0": "value of AF0 kept secret", "AS1": "value of AS1 kept secret", "EA2": "withheld value!!"}
    revealed = {p: v for p, v in values.items() if p != "EA2"}
    seed = rules.derive_seed("A1", secret, revealed)
    participants = _participants()
    result = {"years": draw_states_under_review(participants, seed)}
    closes = T0 + datetime.timedelta(days=1)

    def at(delta_hours: int) -> str:
        return (T0 + datetime.timedelta(hours=delta_hours)).isoformat()

    return {
        "format": FORMAT,
        "draw": {
            "id": "D1",
            "kind": "STATES_UNDER_REVIEW",
            "seed": seed,
            "seedOrigin": rules.ANNOUNCED,
            "algorithmVersion": "sherloc-lots-2",
            "createdAt": at(60),
            "conferenceDecision": None,
            "inputs": {"participants": [participant_json(p) for p in participants], "optedOut": ["VAT"]},
            "result": result,
            "resultHash": hashlib.sha256(canonical(result).encode()).hexdigest(),
        },
        "announcement": {
            "id": "A1",
            "kind": "STATES_UNDER_REVIEW",
            "commitment": rules.commitment_of(secret),
            "secret": secret,
            "announcedAt": T0.isoformat(),
            "contributionsCloseAt": closes.isoformat(),
            "revealsCloseAt": (closes + datetime.timedelta(days=1)).isoformat(),
            "performedAt": at(60),
            "conferenceDecision": None,
            "contributions": [
                {
                    "party": party,
                    "commitment": rules.commitment_of(value),
                    "value": revealed.get(party),
                    "revealed": party in revealed,
                    "contributedAt": at(1),
                    "revealedAt": at(30) if party in revealed else None,
                }
                for party, value in values.items()
            ],
        },
    }


def test_the_seed_derives_from_the_secret_and_every_revealed_value() -> None:
    seed = rules.derive_seed("A1", "secret", {"AUT": "a", "BEL": "b"})
    assert seed == rules.derive_seed("A1", "secret", {"BEL": "b", "AUT": "a"})  # order of arrival: none
    assert (
        len(
            {
                seed,
                rules.derive_seed("A1", "secret", {"AUT": "a"}),
                rules.derive_seed("A1", "secret", {"AUT": "a", "BEL": "c"}),
                rules.derive_seed("A1", "other", {"AUT": "a", "BEL": "b"}),
                rules.derive_seed("A2", "secret", {"AUT": "a", "BEL": "b"}),
                rules.derive_seed("A1", "secret", {"AUT": "aB", "BEL": ""}),  # no ambiguity in the encoding
            }
        )
        == 6
    )


def test_each_step_has_its_time_and_its_rule() -> None:
    closes, reveals = T0 + datetime.timedelta(hours=1), T0 + datetime.timedelta(hours=2)
    assert rules.contribution_violation("STATES_UNDER_REVIEW", T0, closes, False) is None
    late = rules.contribution_violation("STATES_UNDER_REVIEW", closes, closes, False)
    assert late is not None and late.paragraph == "¶17"
    twice = rules.contribution_violation("REVIEWING_STATES", T0, closes, True)
    assert twice is not None and twice.paragraph == "¶28"
    kept = rules.commitment_of("my value of sixteen")
    after = closes + datetime.timedelta(minutes=1)
    assert (
        rules.reveal_violation(
            "STATES_UNDER_REVIEW", after, closes, reveals, False, kept, False, "my value of sixteen"
        )
        is None
    )
    for moment, value, revealed in (
        (T0, "my value of sixteen", False),
        (after, "another value!!!", False),
        (after, "my value of sixteen", True),
        (reveals, "my value of sixteen", False),
    ):
        assert (
            rules.reveal_violation(
                "STATES_UNDER_REVIEW", moment, closes, reveals, False, kept, revealed, value
            )
            is not None
        )
    assert rules.perform_violation("STATES_UNDER_REVIEW", T0, closes, reveals, False, 0) is not None
    assert rules.perform_violation("STATES_UNDER_REVIEW", after, closes, reveals, False, 1) is not None
    assert rules.perform_violation("STATES_UNDER_REVIEW", after, closes, reveals, False, 0) is None
    assert rules.perform_violation("STATES_UNDER_REVIEW", reveals, closes, reveals, False, 1) is None
    assert rules.perform_violation("STATES_UNDER_REVIEW", reveals, closes, reveals, True, 0) is not None
    assert rules.chosen_seed_violation("STATES_UNDER_REVIEW", True, "x") is not None
    assert rules.chosen_seed_violation("STATES_UNDER_REVIEW", True, None) is None
    assert rules.chosen_seed_violation("STATES_UNDER_REVIEW", False, "x") is None
    assert rules.second_draw_violation("D1", None) is not None
    assert rules.second_draw_violation("D1", "decision 12/1") is None
    assert rules.second_draw_violation(None, None) is None


@pytest.mark.parametrize("seed", ["a", "b", "c", "d"])
def test_the_algorithm_s_draws_meet_the_independent_check_of_paragraph_17(seed: str) -> None:
    participants = _participants()
    years = draw_states_under_review(participants, seed)
    assert states_under_review_problems(participants, years) == []
    lopsided = {code: 1 for code in years}
    assert any("a third each" in p for p in states_under_review_problems(participants, lopsided))
    missing = dict(years)
    del missing["EUR"]
    assert any("EUR not drawn" in p for p in states_under_review_problems(participants, missing))
    assert any("VAT" in p for p in states_under_review_problems(participants, {**years, "VAT": 1}))


def test_a_party_that_joins_later_is_placed_and_no_one_else_moves() -> None:
    participants = _participants()
    kept = draw_states_under_review([p for p in participants if p.code not in ("AF6", "AS4")], "first")
    years = add_joining(participants, kept, ["AF6", "AS4"], "later")
    assert {c: years[c] for c in kept} == kept and {"AF6", "AS4"} <= set(years)
    assert states_under_review_problems(participants, years, kept=kept) == []
    moved = {**years, "AF0": kept["AF0"] % 3 + 1}
    assert any("AF0 moved" in p for p in states_under_review_problems(participants, moved, kept=kept))
    forgotten = {c: y for c, y in years.items() if c != "AF6"}
    assert any("AF6 not drawn" in p for p in states_under_review_problems(participants, forgotten, kept=kept))


def test_a_faithful_record_verifies_offline() -> None:
    checked = verify(_record())
    assert checked.problems == [] and checked.holds


def _rehash(record: dict[str, Any]) -> None:
    result = record["draw"]["result"]
    record["draw"]["resultHash"] = hashlib.sha256(canonical(result).encode()).hexdigest()


def _tampered(what: str) -> dict[str, Any]:
    record = copy.deepcopy(_record())
    draw, announcement = record["draw"], record["announcement"]
    if what == "secret":
        announcement["secret"] = "t" * 64
    elif what == "contribution":
        announcement["contributions"][0]["value"] = "another value, not committed"
    elif what == "seed":
        draw["seed"] = "0" * 64
    elif what == "result":
        years = draw["result"]["years"]
        a, b = next((a, b) for a in years for b in years if years[a] != years[b] and a[:2] == b[:2])
        years[a], years[b] = years[b], years[a]  # still proportional: only reproduction fails
        _rehash(record)
    elif what == "order":
        announcement["contributions"][1]["contributedAt"] = announcement["revealsCloseAt"]
    elif what == "rules":
        draw["result"]["years"] = {code: 1 for code in draw["result"]["years"]}
        _rehash(record)
    elif what == "unannounced":
        record["announcement"] = None
    return record


@pytest.mark.parametrize(
    ("what", "failing", "problem"),
    [
        ("secret", {"commitment_honoured"}, "secret's SHA-256 is not the commitment"),
        ("contribution", {"commitment_honoured"}, "AF0's revealed value does not hash"),
        ("seed", {"commitment_honoured", "reproduced"}, "seed does not derive"),
        ("result", {"reproduced"}, "recorded result is not what"),
        ("order", {"commitment_honoured"}, "AS1 contributed outside the contribution period"),
        ("rules", {"reproduced", "meets_the_rules"}, "¶17: the years are not a third each"),
        ("unannounced", {"commitment_honoured"}, "the draw was not announced"),
    ],
)
def test_a_tampered_record_fails_the_check_it_should(what: str, failing: set[str], problem: str) -> None:
    checked = verify(_tampered(what))
    results = {
        name: getattr(checked, name) for name in ("reproduced", "commitment_honoured", "meets_the_rules")
    }
    assert {name for name, ok in results.items() if not ok} == failing, checked.problems
    assert any(problem in p for p in checked.problems), checked.problems


def test_the_offline_verifier_exits_0_only_when_every_check_holds(tmp_path: Path) -> None:
    good, bad, broken = tmp_path / "good.json", tmp_path / "bad.json", tmp_path / "broken.json"
    good.write_text(json.dumps(_record()), encoding="utf-8")
    bad.write_text(json.dumps(_tampered("secret")), encoding="utf-8")
    broken.write_text("{not json", encoding="utf-8")
    assert verify_file(good) == 0
    assert verify_file(bad) == 1
    assert verify_file(broken) == 2
    assert verify_file(tmp_path / "missing.json") == 2


def test_a_malformed_record_fails_every_check() -> None:
    record = _record()
    del record["draw"]["inputs"]
    checked = verify(record)
    assert not (checked.reproduced or checked.commitment_honoured or checked.meets_the_rules)
    assert rule_problems("STATES_UNDER_REVIEW", {}, {}) != []


def _reviewers_world() -> tuple[list[Participant], list[str]]:
    participants = [
        Participant(f"{group[:2]}{i}", group, frozenset({"UNTOC", "TIP"}))
        for group in GROUPS
        for i in range(4)
    ]
    return participants, [p.code for p in participants[::3]]


def test_a_draw_of_reviewers_is_checked_against_paragraphs_28_and_29() -> None:
    participants, states = _reviewers_world()
    found = draw_reviewing_states(participants, states, "reviewers")
    inputs = {
        "participants": [participant_json(p) for p in participants],
        "statesUnderReview": states,
        "existing": [],
    }
    result = {"assignments": [assignment_json(a) for a in found]}
    assert rule_problems("REVIEWING_STATES", inputs, result) == []
    first = result["assignments"][0]
    selfish = {"assignments": [{**first, "reviewer": first["stateUnderReview"]}, *result["assignments"][1:]]}
    assert any("reviews itself" in p for p in rule_problems("REVIEWING_STATES", inputs, selfish))
    stranger = {"assignments": [*result["assignments"], {**first, "stateUnderReview": "XX9"}]}
    assert any("XX9 drawn though not among" in p for p in rule_problems("REVIEWING_STATES", inputs, stranger))


def test_a_redraw_is_checked_against_paragraphs_28_and_29() -> None:
    participants, states = _reviewers_world()
    current = draw_reviewing_states(participants, states, "reviewers")
    sur, replaced = current[0].state_under_review, current[0].reviewer
    found = redraw_reviewer(participants, sur, replaced, "again", current)
    inputs = {
        "participants": [participant_json(p) for p in participants],
        "request": {"stateUnderReview": sur, "reviewer": replaced},
        "released": [],
        "current": [assignment_json(a) for a in current],
    }
    result = {"assignments": [assignment_json(a) for a in found]}
    assert rule_problems("REDRAW", inputs, result) == []
    back = {"assignments": [assignment_json(a) for a in current if a.state_under_review == sur]}
    assert any(f"{replaced} left" in p for p in rule_problems("REDRAW", inputs, back))
