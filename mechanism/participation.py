"""What a party decided about its part in the draws, and who may review a State (¶26,
¶28-¶29, footnote 2 of resolution 9/1).

A party's choices are recorded by its focal point (or the secretariat on its behalf) and
reach the draws made after them; none is presumed:
- ¶28(c): a State under review may decide to have more than four reviewing States;
- ¶29: a party may volunteer to review more than three times (`max_reviews`);
- footnote 2: the Holy See, and only it, may choose not to take part as a State under
  review, as a reviewing State, or both.

The reviewers of a review come from the draw (¶28): those drawn for the State (and its
redraws); the same for all four phases; reviewers named for a State that no draw gives any
(a State not drawn, such as one that chose not to be) must meet ¶26-¶29 as a draw would,
checked by `mechanism.draw.rule_violations`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from mechanism.draw import (
    DEFAULT_MAX_REVIEWS,
    Assignment,
    Participant,
    rule_violations,
    same_regional_group,
)
from mechanism.rules import Violation

HOLY_SEE = "VAT"
MAX_VOLUNTEERED_REVIEWS = 20  # a bound on the input, not a rule


@dataclass(frozen=True)
class Choices:
    party: str
    more_than_four_reviewers: bool = False  # ¶28(c)
    max_reviews: int = DEFAULT_MAX_REVIEWS  # ¶29
    not_under_review: bool = False  # footnote 2
    not_reviewing: bool = False  # footnote 2


def opt_out_violation(party: str) -> Violation | None:
    """Footnote 2 lets the Holy See alone choose not to take part."""
    if party != HOLY_SEE:
        return Violation(
            "footnote 2",
            f"only the Holy See may choose not to take part in the mechanism; {party} takes part "
            "as a State under review and as a reviewing State",
        )
    return None


def volunteered_problem(times: int) -> str | None:
    """Why `times` is not a number of reviews a party may volunteer for (¶29), or None."""
    if not DEFAULT_MAX_REVIEWS <= times <= MAX_VOLUNTEERED_REVIEWS:
        return (
            f"a party reviews at most {DEFAULT_MAX_REVIEWS} times unless it volunteers for more (¶29): "
            f"give {DEFAULT_MAX_REVIEWS} (no more than the rule) to {MAX_VOLUNTEERED_REVIEWS}"
        )
    return None


def with_choices(participant: Participant, choices: Choices | None) -> Participant:
    """The participant as the draws see it once its recorded choices apply."""
    if choices is None:
        return participant
    return replace(
        participant,
        max_reviews=choices.max_reviews,
        may_be_reviewed=participant.may_be_reviewed and not choices.not_under_review,
        may_review=participant.may_review and not choices.not_reviewing,
    )


def _described(assignments: list[tuple[str, frozenset[str]]]) -> str:
    return "; ".join(f"{code} ({', '.join(sorted(i))})" for code, i in sorted(assignments)) or "none"


def reviewers_violation(
    participants: list[Participant],
    state: str,
    proposed: list[tuple[str, tuple[str, ...]]],
    *,
    drawn: list[Assignment],
    drawn_by_lot: bool,
    earlier: list[tuple[str, tuple[str, ...]]],
    others: list[Assignment],
    more_than_four_agreed: bool = False,
) -> Violation | None:
    """Why `proposed` ((reviewer, instruments) named for a review of `state`) may not review
    it, or None. `drawn`: the State's reviewers as the draws and redraws left them;
    `drawn_by_lot`: the State is among the States under review of the governing draw, so
    its reviewers are drawn (¶28); `earlier`: the reviewers of its other reviews; `others`:
    who reviews whom elsewhere (draws and reviews), for the loads and mutual pairs."""
    named = {(code, frozenset(instruments)) for code, instruments in proposed}
    if drawn:
        wanted = {(a.reviewer, frozenset(a.instruments)) for a in drawn if a.state_under_review == state}
        if named != wanted:
            return Violation(
                "¶28",
                f"the reviewing States of {state} are those drawn by lot: {_described(sorted(wanted))}; "
                "omit `reviewers` to take them",
            )
        return None
    if drawn_by_lot:
        return Violation(
            "¶28",
            f"{state} was drawn as a State under review (¶17): its reviewing States are drawn by lot "
            "(¶28); omit `reviewers`, and the first draw of reviewing States gives them",
        )
    if earlier:
        before = {(code, frozenset(instruments)) for code, instruments in earlier}
        if named != before:
            return Violation(
                "¶28",
                f"the same reviewing States serve {state} in all four phases: {_described(sorted(before))}",
            )
    by_code = {p.code: p for p in participants}
    sur = by_code.get(state)
    assignments = [
        Assignment(
            state,
            code,
            tuple(sorted(instruments)),
            same_regional_group(
                sur.regional_group if sur else None,
                by_code[code].regional_group if code in by_code else None,
            ),
        )
        for code, instruments in proposed
    ]
    found = rule_violations(
        participants,
        [state],
        assignments,
        existing=[a for a in others if a.state_under_review != state],
        more_than_four_agreed=frozenset({state}) if more_than_four_agreed else frozenset(),
    )
    return found[0] if found else None
