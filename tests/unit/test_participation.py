"""Who may review a State (¶26, ¶28-¶29), a party's recorded choices (¶28(c), ¶29, footnote
2), the phase of a review (¶10), and the demo data obeying the rules: pure logic."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from mechanism.draw import (
    DEFAULT_MAX_REVIEWS,
    Assignment,
    DrawInfeasible,
    Participant,
    draw_reviewing_states,
    group_problem,
    same_regional_group,
)
from mechanism.draw_records import compute, participant_json
from mechanism.participation import (
    HOLY_SEE,
    Choices,
    opt_out_violation,
    reviewers_violation,
    volunteered_problem,
    with_choices,
)
from mechanism.phases import review_phase_violation
from mechanism.redraws import current_assignments, redraw_reviewer
from tests.unit.test_draw import real_parties

ALL: tuple[str, ...] = ("FIREARMS", "SOM", "TIP", "UNTOC")
DEMO = Path(__file__).resolve().parents[2] / "ingest" / "demo" / "reviews.json"


def _party(code: str, group: str | None, instruments: tuple[str, ...] = ALL, **kw: object) -> Participant:
    return Participant(code, group, frozenset(instruments), **kw)  # type: ignore[arg-type]


PARTIES = [
    _party("SUR", "AFRICAN"),
    _party("AF1", "AFRICAN"),
    _party("AF2", "AFRICAN", ("UNTOC", "TIP")),
    _party("AS1", "ASIA_PACIFIC"),
    _party("AS2", "ASIA_PACIFIC"),
    _party("WE1", "WESTERN_EUROPEAN_OTHERS"),
    _party("EUR", None),
    _party("COK", None, ("UNTOC",)),
    _party("OUT", "ASIA_PACIFIC", may_review=False),
]


def _check(
    proposed: list[tuple[str, tuple[str, ...]]],
    *,
    state: str = "SUR",
    drawn: list[Assignment] | None = None,
    drawn_by_lot: bool = False,
    earlier: list[tuple[str, tuple[str, ...]]] | None = None,
    others: list[Assignment] | None = None,
    agreed: bool = False,
    parties: list[Participant] = PARTIES,
) -> str | None:
    found = reviewers_violation(
        parties,
        state,
        proposed,
        drawn=drawn or [],
        drawn_by_lot=drawn_by_lot,
        earlier=earlier or [],
        others=others or [],
        more_than_four_agreed=agreed,
    )
    return found.paragraph if found else None


def test_named_reviewers_meet_every_rule_or_name_the_one_they_break() -> None:
    assert _check([("AF1", ALL), ("AS1", ALL)]) is None
    assert _check([("AS1", ALL), ("AS2", ALL)]) == "¶28"  # none of its regional group
    assert _check([("AF1", ALL), ("AF2", ("UNTOC", "TIP"))]) == "¶28"  # none of another
    assert _check([("AF1", ALL), ("AS1", ("UNTOC", "TIP", "SOM"))]) == "¶26"  # FIREARMS once
    assert _check([("AF1", ALL), ("AS1", ALL), ("WE1", ("TIP",))]) == "¶26"  # TIP three times
    assert _check([("AF1", ALL), ("AF2", ("UNTOC",)), ("AS1", ALL)]) == "¶26"
    assert _check([("AF1", ALL), ("OUT", ALL)]) == "footnote 2"  # opted out of reviewing
    assert _check([("AF1", ALL), ("AS1", ALL), ("AS2", ())]) == "¶28(b)"  # reviews nothing
    five = [("AF1", ("UNTOC",)), ("AF2", ("UNTOC", "TIP")), ("AS1", ("TIP",))]
    five += [("AS2", ("SOM", "FIREARMS")), ("WE1", ("SOM", "FIREARMS"))]
    assert _check(five) == "¶28(c)"
    assert _check(five, agreed=True) is None  # the State under review decided otherwise
    mutual = [Assignment("AF1", "SUR", ("UNTOC",), True)]
    assert _check([("AF1", ALL), ("AS1", ALL)], others=mutual) == "¶28(a)"
    busy = [Assignment(f"X{i}", "AS1", ("UNTOC",), False) for i in range(3)]
    assert _check([("AF1", ALL), ("AS1", ALL)], others=busy) == "¶29"
    volunteered = [with_choices(p, Choices(p.code, max_reviews=4)) for p in PARTIES]
    assert _check([("AF1", ALL), ("AS1", ALL)], others=busy, parties=volunteered) is None


def test_reviewers_come_from_the_draw() -> None:
    drawn = [Assignment("SUR", "AF1", ALL, True), Assignment("SUR", "AS1", ALL, False)]
    assert _check([("AF1", ALL), ("AS1", ALL)], drawn=drawn) is None
    assert _check([("AF1", ALL), ("AS2", ALL)], drawn=drawn) == "¶28"
    assert _check([("AF1", ALL), ("AS2", ALL)], drawn_by_lot=True) == "¶28"  # drawn, reviewers to come
    earlier = [("AF1", ALL), ("AS1", ALL)]
    assert _check([("AF1", ALL), ("AS1", ALL)], earlier=earlier) is None
    assert _check([("AF1", ALL), ("AS2", ALL)], earlier=earlier) == "¶28"  # the same in all phases


def test_a_party_in_no_regional_group_is_of_the_same_group_as_no_one() -> None:
    by_code = {p.code: p for p in PARTIES}
    assert not same_regional_group(None, None) and not same_regional_group(None, "AFRICAN")
    assert same_regional_group("AFRICAN", "AFRICAN")
    assert group_problem(by_code["EUR"], [by_code["AF1"], by_code["AS1"]]) is None
    assert group_problem(by_code["EUR"], [by_code["AS1"], by_code["AS2"]]) is not None
    assert _check([("AS1", ALL), ("AS2", ALL)], state="EUR") == "¶28"
    assert _check([("WE1", ALL), ("AF1", ALL)], state="EUR") is None
    # a party in no group reviewing a grouped State is "of another regional group"
    assert group_problem(by_code["SUR"], [by_code["AF1"], by_code["COK"]]) is None


def test_the_draw_and_the_review_say_the_same_of_parties_in_no_group() -> None:
    parties = real_parties()
    groups = {p.code: p.regional_group for p in parties}
    states = sorted(p.code for p in parties if p.may_be_reviewed)
    result = draw_reviewing_states(parties, states, "no-group")
    for a in result:
        assert a.same_regional_group == same_regional_group(groups[a.state_under_review], groups[a.reviewer])
    for loner in ("EUR", "COK", "NIU"):
        mine = [a for a in result if a.state_under_review == loner]
        assert len({groups[a.reviewer] for a in mine}) >= 2 and not any(a.same_regional_group for a in mine)


def test_only_the_holy_see_may_choose_not_to_take_part() -> None:
    assert opt_out_violation(HOLY_SEE) is None
    refused = opt_out_violation("FRA")
    assert refused is not None and refused.paragraph == "footnote 2"
    holy_see = _party(HOLY_SEE, None, ("UNTOC",))
    out = with_choices(holy_see, Choices(HOLY_SEE, not_under_review=True))
    assert (out.may_be_reviewed, out.may_review) == (False, True)  # one, the other or both
    both = with_choices(holy_see, Choices(HOLY_SEE, not_under_review=True, not_reviewing=True))
    assert (both.may_be_reviewed, both.may_review) == (False, False)
    assert with_choices(holy_see, None) == holy_see  # not presumed


def test_volunteering_and_consent_reach_the_draw() -> None:
    """The recorded choices travel in a draw's inputs (maxReviews, moreThanFourAgreed) and
    the draw, recomputed from them, applies them."""
    assert volunteered_problem(2) and volunteered_problem(21) and volunteered_problem(5) is None
    busy = [Assignment(f"X{i}", "AF1", ("UNTOC",), True) for i in range(3)]
    only = [p for p in PARTIES if p.code not in ("AF2", "OUT", "EUR", "COK")]  # AF1 alone of SUR's group

    def inputs(max_reviews: int) -> dict[str, object]:
        chosen = [
            with_choices(p, Choices(p.code, max_reviews=max_reviews) if p.code == "AF1" else None)
            for p in only
        ]
        return {
            "participants": [participant_json(p) for p in chosen],
            "statesUnderReview": ["SUR"],
            "existing": [
                {
                    "stateUnderReview": a.state_under_review,
                    "reviewer": a.reviewer,
                    "instruments": list(a.instruments),
                    "sameRegionalGroup": a.same_regional_group,
                }
                for a in busy
            ],
            "moreThanFourAgreed": ["SUR"],
        }

    with pytest.raises(DrawInfeasible):
        compute("REVIEWING_STATES", inputs(DEFAULT_MAX_REVIEWS), "volunteers")
    drawn = compute("REVIEWING_STATES", inputs(4), "volunteers")["assignments"]
    assert "AF1" in {a["reviewer"] for a in drawn}


@pytest.mark.parametrize(
    ("phase", "group", "started", "paragraph"),
    [(1, None, set(), None), (4, 2, set(), None), (2, 1, {1, 2}, None), (3, 1, {1, 2}, "¶10")],
)
def test_a_review_is_opened_for_a_phase_its_group_started(
    phase: int, group: int | None, started: set[int], paragraph: str | None
) -> None:
    found = review_phase_violation("SUR", phase, group, started)
    assert (found.paragraph if found else None) == paragraph


def test_the_demo_reviews_obey_the_rules() -> None:
    """The demo of `make run` shows reviews as the rules make them (KEN-1's Firearms has two
    reviewers, Nigeria and Chile)."""
    parties = real_parties()
    demos = json.loads(DEMO.read_text(encoding="utf-8"))
    pairs = [
        Assignment(d["stateUnderReview"], r["party"], tuple(r["instruments"]), False)
        for d in demos
        for r in d["reviewers"]
    ]
    for demo in demos:
        state = demo["stateUnderReview"]
        named = [(r["party"], tuple(r["instruments"])) for r in demo["reviewers"]]
        assert _check(named, state=state, others=pairs, parties=parties) is None, state


def test_a_party_a_redraw_left_without_a_review_is_drawn_first_next_time() -> None:
    """¶29: every party reviews at least once by the end. A redraw may leave the replaced
    party reviewing no one; the next draw of reviewers (for instance for a party that joined
    later, ¶17) draws the parties reviewing no one first."""
    parties = real_parties()
    joining = "MNG"
    states = sorted(p.code for p in parties if p.may_be_reviewed and p.code != joining)
    current = draw_reviewing_states(parties, states, "redraw-idle", everyone_reviews=True)
    loads = Counter(a.reviewer for a in current)
    group = {p.code: p.regional_group for p in parties}
    # a reviewer of MNG's group with one review only, whose State is not MNG's reviewer
    replaced, sur = next(
        (a.reviewer, a.state_under_review)
        for a in current
        if loads[a.reviewer] == 1 and group[a.reviewer] == group[joining] and a.state_under_review != joining
    )
    mine = redraw_reviewer(parties, sur, replaced, "redraw-idle", current)
    current = current_assignments([("REVIEWING_STATES", current), ("REDRAW", mine)])
    assert replaced not in {a.reviewer for a in current}  # left reviewing no one
    later = draw_reviewing_states(parties, [joining], "later", existing=current)
    assert replaced in {a.reviewer for a in later}
