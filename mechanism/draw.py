"""The drawing of lots (¶17, ¶28-¶30, ¶52, footnote 2 of resolution 9/1).

Both draws are pure functions of their inputs and a seed: `verifyDraw` recomputes them.

States under review (¶17): the eligible parties are split into three yearly groups, a
third a year (the first `N mod 3` years take one more). Each regional group's share of a
year is proportional to its size: a group of `s` members gives `s // 3` to each year, and
its `s mod 3` remaining members go one per year to the years that still lack most (groups
with the larger remainder first, ties by name), which always fills every year exactly.
The European Union, in no regional group, is drawn within a group of its own ("NONE").
Parties that opted out (the Holy See may, footnote 2) are not drawn; signatories that
volunteer (¶52) are.

Reviewing States (¶28-¶29), for each State under review: one reviewer of its regional
group and one of another group (the European Union, in none, takes one of the Western
European and other States, where its members sit, and one of another group); reviewers are
parties to the instruments they review, and an additional reviewer is drawn for the
instruments the first two do not cover; at most four reviewers unless the State under
review agreed to more; no two States review each other; no party reviews more than three
times unless it volunteered for more; opted-out parties are never drawn; and, when the
draw covers every party, each eligible party reviews at least once. The search is a
depth-first search with backtracking over the States under review (the most constrained
first), candidates in random order, least loaded first: when the constraints can be met it
finds a draw; when they cannot, it names the constraint that failed for which State.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from mechanism.lots import Lots

ALGORITHM_VERSION = "sherloc-lots-1"
NO_GROUP = "NONE"
EU_HOME_GROUP = "WESTERN_EUROPEAN_OTHERS"
YEARS = (1, 2, 3)
DEFAULT_MAX_REVIEWS = 3
MAX_REVIEWERS = 4
SEARCH_LIMIT = 5_000


@dataclass(frozen=True)
class Participant:
    code: str
    regional_group: str | None
    # The instruments it is bound by (for a signatory that volunteers: those it signed).
    instruments: frozenset[str]
    may_be_reviewed: bool = True
    may_review: bool = True
    # How many reviews it may carry out (three, or more if it volunteered, ¶29).
    max_reviews: int = DEFAULT_MAX_REVIEWS

    @property
    def group(self) -> str:
        return self.regional_group or NO_GROUP


class DrawInfeasible(Exception):
    """No draw meets the constraints; `failures` names them, State by State."""

    def __init__(self, failures: list[str]) -> None:
        super().__init__("; ".join(failures))
        self.failures = failures


# ---------- States under review ----------


def year_sizes(total: int) -> list[int]:
    return [total // 3 + (1 if year <= total % 3 else 0) for year in YEARS]


def yearly_quotas(group_sizes: dict[str, int]) -> dict[str, list[int]]:
    """How many of each group each year takes (the rounding of the module docstring)."""
    quotas = {g: [size // 3] * 3 for g, size in group_sizes.items()}
    lacking = [
        need - sum(q[i] for q in quotas.values())
        for i, need in enumerate(year_sizes(sum(group_sizes.values())))
    ]
    for group in sorted(group_sizes, key=lambda g: (-(group_sizes[g] % 3), g)):
        for _ in range(group_sizes[group] % 3):
            year = max(
                (i for i in range(3) if quotas[group][i] == group_sizes[group] // 3),
                key=lambda i: (lacking[i], -i),
            )
            quotas[group][year] += 1
            lacking[year] -= 1
    return quotas


def draw_states_under_review(participants: list[Participant], seed: str) -> dict[str, int]:
    """party code -> year (1, 2 or 3)."""
    eligible = sorted((p for p in participants if p.may_be_reviewed), key=lambda p: p.code)
    members: dict[str, list[str]] = defaultdict(list)
    for p in eligible:
        members[p.group].append(p.code)
    quotas = yearly_quotas({g: len(codes) for g, codes in members.items()})
    lots = Lots(seed, "states-under-review")
    years: dict[str, int] = {}
    for group in sorted(members):
        order = lots.shuffled(members[group])
        start = 0
        for year, count in zip(YEARS, quotas[group], strict=True):
            for code in order[start : start + count]:
                years[code] = year
            start += count
    return years


# ---------- reviewing States ----------


@dataclass
class _State:
    load: Counter[str] = field(default_factory=Counter)
    pairs: set[tuple[str, str]] = field(default_factory=set)  # (reviewer, reviewed)
    assignments: dict[str, list[tuple[str, list[str]]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Assignment:
    state_under_review: str
    reviewer: str
    instruments: tuple[str, ...]
    same_regional_group: bool


def draw_reviewing_states(
    participants: list[Participant],
    states_under_review: list[str],
    seed: str,
    *,
    existing: list[Assignment] | None = None,
    more_than_four_agreed: frozenset[str] = frozenset(),
    everyone_reviews: bool | None = None,
) -> list[Assignment]:
    """Reviewers for each State under review. `existing` assignments (of earlier draws)
    count towards loads and mutual pairs. `everyone_reviews` requires each eligible party
    to review at least once (by default: when every eligible party is under review here)."""
    by_code = {p.code: p for p in participants}
    reviewers = sorted((p for p in participants if p.may_review), key=lambda p: p.code)
    lots = Lots(seed, "reviewing-states")
    order_of = {p.code: i for i, p in enumerate(lots.shuffled(reviewers))}
    state = _State()
    for a in existing or []:
        state.load[a.reviewer] += 1
        state.pairs.add((a.reviewer, a.state_under_review))
    if everyone_reviews is None:
        everyone_reviews = {p.code for p in participants if p.may_be_reviewed} <= set(states_under_review)
    must_review = {p.code for p in reviewers} if everyone_reviews else set()

    unknown = [c for c in states_under_review if c not in by_code]
    if unknown:
        raise DrawInfeasible([f"{c}: not a known party" for c in unknown])

    pools: dict[tuple[str, bool], list[Participant]] = {}
    for sur in states_under_review:
        home = by_code[sur].regional_group or EU_HOME_GROUP
        for same_group in (True, False):
            pools[(sur, same_group)] = [
                r
                for r in reviewers
                if r.code != sur
                and (r.group == home) is same_group
                and r.instruments & by_code[sur].instruments
            ]
    precheck = _impossible(by_code, states_under_review, pools, reviewers)
    if precheck:
        raise DrawInfeasible(precheck)

    def candidates(sur: str, same_group: bool) -> list[Participant]:
        pool = [
            r
            for r in pools[(sur, same_group)]
            if state.load[r.code] < r.max_reviews
            and (sur, r.code) not in state.pairs
            and (r.code, sur) not in state.pairs
        ]
        # Those covering most of the State's instruments (fewer additional draws), then the
        # least loaded (every party gets its turn), then the random order.
        wanted = by_code[sur].instruments
        return sorted(
            pool, key=lambda r: (-len(r.instruments & wanted), state.load[r.code], order_of[r.code])
        )

    # The most constrained States first: fewest possible same-group reviewers.
    queue = sorted(states_under_review, key=lambda s: (len(candidates(s, True)), order_of.get(s, 0), s))
    failures: Counter[str] = Counter()
    budget = [SEARCH_LIMIT]

    def assign(sur: str, chosen: list[Participant]) -> list[tuple[str, list[str]]] | None:
        """Complete the two reviewers with additional ones until every instrument of the
        State is reviewed by two of its parties (¶28(b)), within the limit (¶28(c))."""
        wanted = sorted(by_code[sur].instruments)
        plan = {r.code: sorted(set(wanted) & r.instruments) for r in chosen}
        limit = 99 if sur in more_than_four_agreed else MAX_REVIEWERS

        def short() -> set[str]:
            return {i for i in wanted if sum(i in covered for covered in plan.values()) < 2}

        while short():
            gaps = short()
            extra = [
                r
                for r in candidates(sur, True) + candidates(sur, False)
                if r.code not in plan and r.instruments & gaps
            ]
            if not extra or len(plan) >= limit:
                failures[
                    f"{sur}: no further reviewer party to {', '.join(sorted(gaps))} within {limit} reviewers"
                ] += 1
                return None
            best = max(
                extra, key=lambda r: (len(r.instruments & gaps), -state.load[r.code], -order_of[r.code])
            )
            plan[best.code] = sorted(gaps & best.instruments)
        return list(plan.items())

    def apply(sur: str, plan: list[tuple[str, list[str]]], sign: int) -> None:
        for code, _ in plan:
            state.load[code] += sign
            if sign > 0:
                state.pairs.add((code, sur))
            else:
                state.pairs.discard((code, sur))

    def enough_left(index: int) -> bool:
        """Can the States still to draw give a review to every party that has none?"""
        if not must_review:
            return True
        idle = sum(1 for c in must_review if state.load[c] == 0)
        return idle <= MAX_REVIEWERS * (len(queue) - index) or bool(more_than_four_agreed)

    def search(index: int) -> bool:
        budget[0] -= 1
        if budget[0] < 0:
            return False
        if index == len(queue):
            idle = sorted(c for c in must_review if state.load[c] == 0)
            if idle:
                failures[
                    f"{', '.join(idle[:5])}: would review no State (each party reviews at least once)"
                ] += 1
                return False
            return True
        if not enough_left(index):
            failures["too few reviews left for every party to review at least once"] += 1
            return False
        sur = queue[index]
        same = candidates(sur, True)
        if not same:
            failures[
                f"{sur}: no State of its regional group can review it (none left that is party to "
                "its instruments, reviews fewer than its maximum and is not reviewed by it)"
            ] += 1
            return False
        for first in same[:8]:
            other = candidates(sur, False)
            if not other:
                failures[f"{sur}: no State of another regional group can review it"] += 1
                continue
            for second in other[:8]:
                plan = assign(sur, [first, second])
                if plan is None:
                    continue
                apply(sur, plan, +1)
                state.assignments[sur] = plan
                if search(index + 1):
                    return True
                apply(sur, plan, -1)
                del state.assignments[sur]
                if budget[0] < 0:
                    return False
        return False

    if not search(0):
        reasons = [reason for reason, _ in failures.most_common(5)] or ["the search found no draw"]
        if budget[0] < 0:
            reasons.append(f"(search stopped after {SEARCH_LIMIT} steps)")
        raise DrawInfeasible(reasons)

    result = []
    for sur in sorted(state.assignments):
        home = by_code[sur].regional_group or EU_HOME_GROUP
        for code, instruments in state.assignments[sur]:
            result.append(Assignment(sur, code, tuple(instruments), by_code[code].group == home))
    return result


def _impossible(
    by_code: dict[str, Participant],
    states: list[str],
    pools: dict[tuple[str, bool], list[Participant]],
    reviewers: list[Participant],
) -> list[str]:
    """Failures that no search can avoid, found before searching."""
    problems = []
    for sur in states:
        if not pools[(sur, True)]:
            problems.append(f"{sur}: no State of its regional group may review it")
        if not pools[(sur, False)]:
            problems.append(f"{sur}: no State of another regional group may review it")
        for instrument in sorted(by_code[sur].instruments):
            parties = [r for r in reviewers if r.code != sur and instrument in r.instruments]
            if len(parties) < 2:
                problems.append(f"{sur}: fewer than two reviewers are party to {instrument}")
    capacity = sum(r.max_reviews for r in reviewers)
    if capacity < 2 * len(states):
        problems.append(
            f"{len(states)} States need at least {2 * len(states)} reviews; the reviewers can give {capacity}"
        )
    return problems


def violations(
    participants: list[Participant],
    states_under_review: list[str],
    assignments: list[Assignment],
    *,
    existing: list[Assignment] | None = None,
    more_than_four_agreed: frozenset[str] = frozenset(),
    everyone_reviews: bool = False,
) -> list[str]:
    """Every constraint of ¶28-¶29 the assignments break (empty when none): an independent
    check of a draw, for tests and verification."""
    by_code = {p.code: p for p in participants}
    problems: list[str] = []
    per_state: dict[str, list[Assignment]] = defaultdict(list)
    for a in assignments:
        per_state[a.state_under_review].append(a)
    all_pairs = {(a.reviewer, a.state_under_review) for a in [*(existing or []), *assignments]}
    load = Counter(a.reviewer for a in [*(existing or []), *assignments])
    for sur in states_under_review:
        mine = per_state.get(sur, [])
        home = by_code[sur].regional_group or EU_HOME_GROUP
        codes = [a.reviewer for a in mine]
        if len(codes) != len(set(codes)):
            problems.append(f"{sur}: a reviewer is drawn twice")
        if sur in codes:
            problems.append(f"{sur}: reviews itself")
        if not any(by_code[c].group == home for c in codes):
            problems.append(f"{sur}: no reviewer of its regional group")
        if not any(by_code[c].group != home for c in codes):
            problems.append(f"{sur}: no reviewer of another regional group")
        limit = 10**6 if sur in more_than_four_agreed else MAX_REVIEWERS
        if len(codes) > limit:
            problems.append(f"{sur}: more than {MAX_REVIEWERS} reviewers")
        for instrument in by_code[sur].instruments:
            reviewing = [a for a in mine if instrument in a.instruments]
            if len(reviewing) != 2:
                problems.append(f"{sur}: {instrument} is reviewed by {len(reviewing)} reviewers, not 2")
        for a in mine:
            if not by_code[a.reviewer].may_review:
                problems.append(f"{sur}: {a.reviewer} opted out of reviewing")
            if not set(a.instruments) <= by_code[a.reviewer].instruments & by_code[sur].instruments:
                problems.append(f"{sur}: {a.reviewer} reviews an instrument it or {sur} is not party to")
            if (sur, a.reviewer) in all_pairs:
                problems.append(f"{sur} and {a.reviewer} review each other")
    for code, count in load.items():
        if count > by_code[code].max_reviews:
            problems.append(f"{code}: reviews {count} times, more than {by_code[code].max_reviews}")
    if everyone_reviews:
        idle = sorted(p.code for p in participants if p.may_review and load[p.code] == 0)
        if idle:
            problems.append(f"{', '.join(idle)}: review no State")
    return problems
