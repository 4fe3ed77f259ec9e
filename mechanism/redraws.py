"""Redrawing one reviewer of a State under review (¶28(d)-(f), ¶30).

A redraw replaces one reviewing State of one State under review; the State's other
reviewers stay. The reviewer drawn in its place (with an additional reviewer when it is
not party to every instrument the replaced one reviewed, ¶28(b)) meets every constraint of
¶28-¶29 given all the other assignments of the mechanism, and is never a State that has
already left this review. Like the draws, a redraw is a pure function of its inputs and a
seed, so `verifyDraw` recomputes it.

sherloc-lots-2 and -3: the regional rule is `mechanism.draw.group_problem` (a State in no
regional group gets reviewers of two different groups); the candidates are taken in random
order, parties that review no one first, so that a redraw gives a review to a party left
without one rather than a third to another (¶29); the additional reviewer is drawn as in
the first draw. sherloc-lots-3 then keeps a party the redraw released (by a repetition or
an exceptional redraw: a replacement releases a State that cannot serve) from reviewing no
one (¶29): it takes, by lot, the place of a reviewer who reviews more than once, in the
review of another State not yet opened, where it meets every rule the other met
(`place_released`). sherloc-lots-1 (candidates covering most instruments first, the Western
European fallback for a party in no group) is kept to recompute the redraws it made.

Who may ask, and how often (our reading of the rules, kept here):
- REPETITION (¶28(d)): the State under review, for any of its reviewers, or a reviewing
  State, for its own place; each of them at most four times for one State under review.
- EXCEPTIONAL (¶28(e)): the State under review or one of its reviewing States, with the
  reason; not counted against the four.
- REPLACEMENT (¶30): a reviewing State cannot fulfil its role; the State under review asks,
  at any time, with the reason.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from mechanism.draw import (
    ALGORITHM_V1,
    ALGORITHM_V2,
    ALGORITHM_VERSION,
    EU_HOME_GROUP,
    MAX_REVIEWERS,
    Assignment,
    DrawInfeasible,
    Participant,
    group_problem,
    same_regional_group,
)
from mechanism.lots import Lots

MAX_REPETITIONS = 4  # ¶28(d)
SEARCH_LIMIT = 2_000


class RedrawKind(StrEnum):
    REPETITION = "REPETITION"
    EXCEPTIONAL = "EXCEPTIONAL"
    REPLACEMENT = "REPLACEMENT"


@dataclass(frozen=True)
class RedrawRequest:
    kind: RedrawKind
    state_under_review: str
    reviewer: str  # the reviewing State whose place is drawn again
    requested_by: str
    reason: str


def request_problem(
    request: RedrawRequest, current_reviewers: Iterable[str], repetitions_so_far: int
) -> tuple[str, str] | None:
    """Why the request is refused, as (field, message), or None. `repetitions_so_far`
    counts the requester's earlier REPETITION requests for this State under review."""
    sur, requester, reviewers = request.state_under_review, request.requested_by, set(current_reviewers)
    if request.reviewer not in reviewers:
        return "reviewer", f"{request.reviewer} is not a reviewing State of {sur}"
    allowed = {
        RedrawKind.REPETITION: ({sur, request.reviewer}, f"{sur} or the reviewing State concerned"),
        RedrawKind.EXCEPTIONAL: ({sur, *reviewers}, f"{sur} or one of its reviewing States"),
        RedrawKind.REPLACEMENT: ({sur}, f"only the State under review, {sur} (¶30)"),
    }
    who, described = allowed[request.kind]
    if requester not in who:
        return "requestedBy", f"a {request.kind.value.lower()} is asked by {described}, not {requester}"
    if request.kind is RedrawKind.REPETITION and repetitions_so_far >= MAX_REPETITIONS:
        return (
            "requestedBy",
            f"{requester} has already asked for {MAX_REPETITIONS} repetitions of the draw for {sur}, "
            "the most ¶28(d) allows; an exceptional redraw (¶28(e)) needs its reason",
        )
    if request.kind is not RedrawKind.REPETITION and not request.reason.strip():
        return "reason", "must say why: exceptional redraws and replacements are recorded with their reason"
    return None


def current_assignments(draws: Iterable[tuple[str, list[Assignment]]]) -> list[Assignment]:
    """Who reviews whom now, from the draws oldest first as (kind, assignments): a
    REDRAW's assignments replace those of its State under review."""
    by_state: dict[str, list[Assignment]] = {}
    for kind, assignments in draws:
        states = {a.state_under_review for a in assignments}
        if kind == "REDRAW":
            for state in states:
                by_state[state] = []
        for a in assignments:
            by_state.setdefault(a.state_under_review, []).append(a)
    return [a for state in sorted(by_state) for a in by_state[state]]


def redraw_reviewer(
    participants: list[Participant],
    state_under_review: str,
    replaced: str,
    seed: str,
    current: list[Assignment],
    *,
    released: frozenset[str] = frozenset(),
    more_than_four_agreed: bool = False,
    algorithm: str = ALGORITHM_VERSION,
) -> list[Assignment]:
    """The State's reviewers after `replaced` gives up its place: the others, then whoever
    is drawn. `released` are reviewers that left this review earlier (never drawn again)."""
    by_code = {p.code: p for p in participants}
    sur = by_code.get(state_under_review)
    if sur is None:
        raise DrawInfeasible([f"{state_under_review}: not a known party"])
    mine = [a for a in current if a.state_under_review == sur.code]
    if replaced not in {a.reviewer for a in mine}:
        raise DrawInfeasible([f"{sur.code}: {replaced} is not one of its reviewing States"])
    if algorithm not in (ALGORITHM_V1, ALGORITHM_V2, ALGORITHM_VERSION):
        raise ValueError(f"unknown algorithm {algorithm!r}")
    v1 = algorithm == ALGORITHM_V1
    kept = [a for a in mine if a.reviewer != replaced]
    home = sur.regional_group or EU_HOME_GROUP if v1 else sur.regional_group
    load = Counter(a.reviewer for a in current if a.reviewer != replaced or a.state_under_review != sur.code)
    reviewed_by_sur = {a.state_under_review for a in current if a.reviewer == sur.code}
    unavailable = {sur.code, replaced, *released, *(a.reviewer for a in kept)}
    lots = Lots(seed, f"redraw:{sur.code}:{replaced}")
    order = {p.code: i for i, p in enumerate(lots.shuffled(sorted(participants, key=lambda p: p.code)))}
    pool = [
        p
        for p in participants
        if p.may_review
        and p.code not in unavailable
        and p.code not in reviewed_by_sur
        and load[p.code] < p.max_reviews
        and p.instruments & sur.instruments
    ]
    limit = 99 if more_than_four_agreed else MAX_REVIEWERS
    failures: Counter[str] = Counter()
    budget = [SEARCH_LIMIT]

    def coverage(plan: list[Assignment]) -> Counter[str]:
        return Counter(i for a in plan for i in a.instruments)

    def same(p: Participant) -> bool:
        return p.group == home if v1 else same_regional_group(home, p.regional_group)

    def complete(plan: list[Assignment]) -> bool:
        covered = coverage(plan)
        if not all(covered[i] == 2 for i in sur.instruments):
            return False
        if v1:
            return {same(by_code[a.reviewer]) for a in plan} == {True, False}
        return group_problem(sur, [by_code[a.reviewer] for a in plan]) is None

    def search(plan: list[Assignment]) -> list[Assignment] | None:
        budget[0] -= 1
        if complete(plan):
            return plan
        if len(plan) >= limit or budget[0] < 0:
            failures[f"{sur.code}: no reviewer can take {replaced}'s place within {limit} reviewers"] += 1
            return None
        covered = coverage(plan)
        gaps = {i for i in sur.instruments if covered[i] < 2}
        taken = {a.reviewer for a in plan}
        if v1 or home is not None:
            sides = {same(by_code[a.reviewer]) for a in plan}
            missing_side = None if len(sides) == 2 else (not sides.pop() if sides else True)
            candidates = [
                p
                for p in pool
                if p.code not in taken
                and p.instruments & gaps
                and (missing_side is None or same(p) is missing_side)
            ]
        else:  # in no regional group: a reviewer of another group than those drawn, if needed
            seen = {by_code[a.reviewer].regional_group or a.reviewer for a in plan}
            missing_side = None if len(seen) >= 2 else False
            candidates = [
                p
                for p in pool
                if p.code not in taken
                and (p.instruments & gaps or (missing_side is not None and not gaps))
                and (missing_side is None or (p.regional_group or p.code) not in seen)
            ]
            gaps = gaps or set(sur.instruments)
        if not candidates:
            side = "its regional group" if missing_side else "another regional group"
            needed = f"of {side}" if missing_side is not None else "party to " + ", ".join(sorted(gaps))
            failures[f"{sur.code}: no State {needed} is free to review it"] += 1
            return None
        if v1:
            candidates.sort(key=lambda p: (-len(p.instruments & gaps), load[p.code], order[p.code]))
        else:  # parties reviewing no one first, then at random; one party to every gap first
            candidates.sort(key=lambda p: (load[p.code] > 0, not gaps <= p.instruments, order[p.code]))
        for candidate in candidates[:12]:
            instruments = tuple(sorted(gaps & candidate.instruments))
            found = search([*plan, Assignment(sur.code, candidate.code, instruments, same(candidate))])
            if found is not None:
                return found
        return None

    found = search(list(kept))
    if found is None:
        raise DrawInfeasible([reason for reason, _ in failures.most_common(3)])
    return sorted(found, key=lambda a: a.reviewer)


def place_released(
    participants: list[Participant],
    left: str,
    released: str,
    seed: str,
    current: list[Assignment],
    *,
    opened: frozenset[str],
    departures: dict[str, frozenset[str]],
) -> list[Assignment]:
    """Who reviews the State whose reviewer `released` replaces, when `released` (which
    just left `left`'s review) would otherwise review no one (¶29); [] when it still
    reviews someone or may not review. `current` is who reviews whom after the redraw.

    Its place is drawn by lot among the places of reviewers that review at least twice, in
    the reviews of States other than `left` not yet opened (`opened` lists the States whose
    review has begun), where `released` is party to the instruments of the place, keeps
    the regional rule, forms no mutual pair and never left that State before
    (`departures`: the reviewers that left each State's review)."""
    by_code = {p.code: p for p in participants}
    party = by_code.get(released)
    load = Counter(a.reviewer for a in current)
    if party is None or not party.may_review or load[released] > 0:
        return []
    by_state: dict[str, list[Assignment]] = {}
    for a in current:
        by_state.setdefault(a.state_under_review, []).append(a)
    places: list[list[Assignment]] = []
    for state in sorted(by_state):
        other = by_code.get(state)
        if (
            other is None
            or state in (left, released)
            or state in opened
            or released in departures.get(state, frozenset())
            or any(a.reviewer == state and a.state_under_review == released for a in current)
        ):
            continue
        for place in by_state[state]:
            if load[place.reviewer] < 2 or not set(place.instruments) <= party.instruments:
                continue
            same = same_regional_group(other.regional_group, party.regional_group)
            after = [a for a in by_state[state] if a is not place]
            after.append(Assignment(state, released, place.instruments, same))
            if group_problem(other, [by_code[a.reviewer] for a in after]) is None:
                places.append(sorted(after, key=lambda a: a.reviewer))
    if not places:
        raise DrawInfeasible(
            [
                f"¶29: {released} would review no State after leaving {left}'s review, and no "
                "review not yet opened can take it in the place of a reviewer that reviews more than once"
            ]
        )
    return places[Lots(seed, f"place-released:{released}").below(len(places))]
