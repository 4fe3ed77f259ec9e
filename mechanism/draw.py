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

Reviewing States (¶28-¶29, algorithms sherloc-lots-2 and -3), for each State under review: two
reviewers drawn at random among the eligible parties (parties to at least one of its
instruments, reviewing fewer times than their maximum, not reviewed by it), one of its
regional group and one of another; each reviews every instrument of the State it is party
to, and only where one of the two is not party to every instrument of the State is an
additional reviewer drawn, at random among the parties to those instruments (one party to
all of them when there is one), for those instruments alone (¶28(b)), until each
instrument has two reviewers (¶26); at most four reviewers unless the State under review
agreed to more (¶28(c)); no two States review each other (¶28(a)); no party reviews more
than three times unless it volunteered for more (¶29); opted-out parties are never drawn
(footnote 2); and, when the draw covers every party, each eligible party reviews at least
once (¶29); parties reviewing no one yet (in this draw or earlier ones) come first, the
others in random order, so that a party a redraw left without a review gets one in the
next draw.

A party in no regional group (the European Union, the Cook Islands, Niue, the Holy See;
ingest/reference/data/non-member-parties.md gives the sources) is of the same group as no
one: no reviewer of it is "of its regional group", and its two reviewers are of two
different regional groups (`same_regional_group`, `group_problem`). The random order is
one shuffle per State under review (`Lots(seed, "reviewing-states:" + code)`). The search
is a depth-first search with backtracking over the States under review (the most
constrained first): when the constraints can be met it finds a draw; when they cannot, it
names the constraint that failed for which State. sherloc-lots-1 (`_draw_v1`) is kept to
recompute the draws it made.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from mechanism.lots import Lots
from mechanism.rules import Violation

# The algorithm of the draws made now; a draw records its version, and every version a
# recorded draw names stays recomputable (`draw_reviewing_states(algorithm=...)`).
# sherloc-lots-3 draws as sherloc-lots-2 and redraws as it too, and then gives a party a
# redraw released a place of its own if it would review no one (mechanism.redraws).
ALGORITHM_VERSION = "sherloc-lots-3"
ALGORITHM_V2 = "sherloc-lots-2"
ALGORITHM_V1 = "sherloc-lots-1"
ALGORITHMS = (ALGORITHM_V1, ALGORITHM_V2, ALGORITHM_VERSION)
NO_GROUP = "NONE"
# sherloc-lots-1 only: the group a party in no regional group took as its own.
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


def same_regional_group(a: str | None, b: str | None) -> bool:
    """Whether parties of these regional groups are of one group (¶28): a party in no
    regional group is of the same group as no one, not even another party in none."""
    return a is not None and a == b


def _group_key(p: Participant) -> str:
    """What tells two reviewers' groups apart: a party in no group is a group of its own."""
    return p.regional_group or f"{NO_GROUP}:{p.code}"


def group_problem(state: Participant, reviewers: list[Participant]) -> str | None:
    """Why the reviewers of `state` break the regional rule of ¶28, or None: one of its
    regional group and one of another; for a State in no regional group, two reviewers of
    two different regional groups."""
    if state.regional_group is None:
        if len({_group_key(r) for r in reviewers}) < 2:
            return f"{state.code}, in no regional group, has no two reviewers of different regional groups"
        return None
    if not any(same_regional_group(state.regional_group, r.regional_group) for r in reviewers):
        return f"{state.code}: no reviewer of its regional group"
    if not any(not same_regional_group(state.regional_group, r.regional_group) for r in reviewers):
        return f"{state.code}: no reviewer of another regional group"
    return None


def draw_reviewing_states(
    participants: list[Participant],
    states_under_review: list[str],
    seed: str,
    *,
    existing: list[Assignment] | None = None,
    more_than_four_agreed: frozenset[str] = frozenset(),
    everyone_reviews: bool | None = None,
    algorithm: str = ALGORITHM_VERSION,
) -> list[Assignment]:
    """Reviewers for each State under review. `existing` assignments (of earlier draws)
    count towards loads and mutual pairs. `everyone_reviews` requires each eligible party
    to review at least once (by default: when every eligible party is under review here).
    `algorithm` names the version (a recorded draw's, to recompute it)."""
    if algorithm == ALGORITHM_V1:
        return _draw_v1(
            participants,
            states_under_review,
            seed,
            existing=existing,
            more_than_four_agreed=more_than_four_agreed,
            everyone_reviews=everyone_reviews,
        )
    if algorithm not in (ALGORITHM_V2, ALGORITHM_VERSION):
        raise ValueError(f"unknown algorithm {algorithm!r}")
    by_code = {p.code: p for p in participants}
    unknown = [c for c in states_under_review if c not in by_code]
    if unknown:
        raise DrawInfeasible([f"{c}: not a known party" for c in unknown])
    reviewers = sorted((p for p in participants if p.may_review), key=lambda p: p.code)
    state = _State()
    for a in existing or []:
        state.load[a.reviewer] += 1
        state.pairs.add((a.reviewer, a.state_under_review))
    if everyone_reviews is None:
        everyone_reviews = {p.code for p in participants if p.may_be_reviewed} <= set(states_under_review)
    must_review = {p.code for p in reviewers} if everyone_reviews else set()
    codes = [p.code for p in reviewers]
    order_of = {
        sur: {code: i for i, code in enumerate(Lots(seed, f"reviewing-states:{sur}").shuffled(codes))}
        for sur in states_under_review
    }
    eligible = {
        sur: [r for r in reviewers if r.code != sur and r.instruments & by_code[sur].instruments]
        for sur in states_under_review
    }
    precheck = _impossible_v2(by_code, states_under_review, eligible, reviewers)
    if precheck:
        raise DrawInfeasible(precheck)

    def available(sur: str) -> list[Participant]:
        """The eligible parties free to review `sur` now, parties reviewing no one yet
        first (counting earlier draws and redraws: a party a redraw left without a review
        gets one in the next draw, ¶29), the others in the State's random order."""
        pool = [
            r
            for r in eligible[sur]
            if state.load[r.code] < r.max_reviews
            and (sur, r.code) not in state.pairs
            and (r.code, sur) not in state.pairs
        ]
        return sorted(pool, key=lambda r: (state.load[r.code] > 0, order_of[sur][r.code]))

    def firsts(sur: str) -> list[Participant]:
        group = by_code[sur].regional_group
        if group is None:
            return available(sur)
        return [r for r in available(sur) if same_regional_group(group, r.regional_group)]

    def seconds(sur: str, first: Participant) -> list[Participant]:
        group = by_code[sur].regional_group
        return [
            r
            for r in available(sur)
            if r.code != first.code
            and (
                _group_key(r) != _group_key(first)
                if group is None
                else not same_regional_group(group, r.regional_group)
            )
        ]

    queue = sorted(states_under_review, key=lambda s: (len(firsts(s)), s))
    failures: Counter[str] = Counter()
    budget = [SEARCH_LIMIT]

    def assign(sur: str, chosen: list[Participant]) -> list[tuple[str, list[str]]] | None:
        """The two reviewers review every instrument of the State they are party to; where
        one is not party to all, an additional reviewer is drawn for those (¶28(b))."""
        wanted = sorted(by_code[sur].instruments)
        plan = {r.code: sorted(set(wanted) & r.instruments) for r in chosen}
        limit = 99 if sur in more_than_four_agreed else MAX_REVIEWERS

        def short() -> set[str]:
            return {i for i in wanted if sum(i in covered for covered in plan.values()) < 2}

        while short():
            gaps = short()
            extra = [r for r in available(sur) if r.code not in plan and r.instruments & gaps]
            if not extra or len(plan) >= limit:
                failures[
                    f"{sur}: no further reviewer party to {', '.join(sorted(gaps))} within {limit} reviewers"
                ] += 1
                return None
            # One party to all the instruments left when there is one, at random (the order
            # of `available`); otherwise one party to some of them, and another after it.
            extra.sort(key=lambda r: not gaps <= r.instruments)
            plan[extra[0].code] = sorted(gaps & extra[0].instruments)
        return list(plan.items())

    def apply(sur: str, plan: list[tuple[str, list[str]]], sign: int) -> None:
        for code, _ in plan:
            state.load[code] += sign
            if sign > 0:
                state.pairs.add((code, sur))
            else:
                state.pairs.discard((code, sur))

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
        if must_review:
            still_idle = sum(1 for c in must_review if state.load[c] == 0)
            if still_idle > MAX_REVIEWERS * (len(queue) - index) and not more_than_four_agreed:
                failures["too few reviews left for every party to review at least once"] += 1
                return False
        sur = queue[index]
        first_pool = firsts(sur)
        if not first_pool:
            failures[
                f"{sur}: no State of its regional group can review it (none left that is party to "
                "its instruments, reviews fewer than its maximum and is not reviewed by it)"
            ] += 1
            return False
        for first in first_pool[:8]:
            second_pool = seconds(sur, first)
            if not second_pool:
                failures[f"{sur}: no State of another regional group can review it"] += 1
                continue
            for second in second_pool[:8]:
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
    return [
        Assignment(
            sur,
            code,
            tuple(instruments),
            same_regional_group(by_code[sur].regional_group, by_code[code].regional_group),
        )
        for sur in sorted(state.assignments)
        for code, instruments in state.assignments[sur]
    ]


def _impossible_v2(
    by_code: dict[str, Participant],
    states: list[str],
    eligible: dict[str, list[Participant]],
    reviewers: list[Participant],
) -> list[str]:
    """Failures that no search can avoid, found before searching."""
    problems = []
    for sur in states:
        group = by_code[sur].regional_group
        pool = eligible[sur]
        if group is None:
            if len({_group_key(r) for r in pool}) < 2:
                problems.append(f"{sur}: no two States of different regional groups may review it")
        else:
            if not any(same_regional_group(group, r.regional_group) for r in pool):
                problems.append(f"{sur}: no State of its regional group may review it")
            if all(same_regional_group(group, r.regional_group) for r in pool):
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


def _draw_v1(
    participants: list[Participant],
    states_under_review: list[str],
    seed: str,
    *,
    existing: list[Assignment] | None = None,
    more_than_four_agreed: frozenset[str] = frozenset(),
    everyone_reviews: bool | None = None,
) -> list[Assignment]:
    """sherloc-lots-1, kept so that the draws it made are recomputed as they were: the
    candidates covering most of the State's instruments first (so the additional draw of
    ¶28(b) never happened), and a party in no regional group took one of the Western
    European and other States as a reviewer of "its" group."""
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
    """Every constraint of ¶26-¶29 the assignments break (empty when none): an independent
    check of a draw, for tests and verification. `rule_violations` says the same with the
    paragraph of each."""
    return [
        v.message
        for v in rule_violations(
            participants,
            states_under_review,
            assignments,
            existing=existing,
            more_than_four_agreed=more_than_four_agreed,
            everyone_reviews=everyone_reviews,
        )
    ]


def rule_violations(
    participants: list[Participant],
    states_under_review: list[str],
    assignments: list[Assignment],
    *,
    existing: list[Assignment] | None = None,
    more_than_four_agreed: frozenset[str] = frozenset(),
    everyone_reviews: bool = False,
) -> list[Violation]:
    """`violations`, each with the paragraph it breaks. `existing` assignments (checked when
    they were made) count towards loads and mutual pairs; the loads checked are those of the
    reviewers of `assignments`."""
    by_code = {p.code: p for p in participants}
    problems: list[Violation] = []
    per_state: dict[str, list[Assignment]] = defaultdict(list)
    for a in assignments:
        per_state[a.state_under_review].append(a)
    all_pairs = {(a.reviewer, a.state_under_review) for a in [*(existing or []), *assignments]}
    load = Counter(a.reviewer for a in [*(existing or []), *assignments])
    for sur in states_under_review:
        mine = per_state.get(sur, [])
        codes = [a.reviewer for a in mine]
        unknown = sorted({c for c in [sur, *codes] if c not in by_code})
        if unknown:
            problems.append(Violation("¶26", f"{sur}: {', '.join(unknown)} not among the parties"))
            continue
        if len(codes) != len(set(codes)):
            problems.append(Violation("¶26", f"{sur}: a reviewer is drawn twice"))
        if sur in codes:
            problems.append(Violation("¶26", f"{sur}: reviews itself"))
        groups = group_problem(by_code[sur], [by_code[c] for c in codes])
        if groups:
            problems.append(Violation("¶28", groups))
        limit = 10**6 if sur in more_than_four_agreed else MAX_REVIEWERS
        if len(codes) > limit:
            problems.append(
                Violation(
                    "¶28(c)", f"{sur}: more than {MAX_REVIEWERS} reviewers, and it did not agree to more"
                )
            )
        for instrument in sorted(by_code[sur].instruments):
            reviewing = [a for a in mine if instrument in a.instruments]
            if len(reviewing) != 2:
                problems.append(
                    Violation("¶26", f"{sur}: {instrument} is reviewed by {len(reviewing)} reviewers, not 2")
                )
        for a in mine:
            if not a.instruments:
                problems.append(Violation("¶28(b)", f"{sur}: {a.reviewer} reviews no instrument"))
            if not by_code[a.reviewer].may_review:
                problems.append(Violation("footnote 2", f"{sur}: {a.reviewer} opted out of reviewing"))
            if not set(a.instruments) <= by_code[a.reviewer].instruments & by_code[sur].instruments:
                problems.append(
                    Violation(
                        "¶28(b)", f"{sur}: {a.reviewer} reviews an instrument it or {sur} is not party to"
                    )
                )
            if (sur, a.reviewer) in all_pairs:
                problems.append(Violation("¶28(a)", f"{sur} and {a.reviewer} review each other"))
    for code in sorted({a.reviewer for a in assignments}):
        if code in by_code and load[code] > by_code[code].max_reviews:
            problems.append(
                Violation("¶29", f"{code}: reviews {load[code]} times, more than {by_code[code].max_reviews}")
            )
    if everyone_reviews:
        idle = sorted(p.code for p in participants if p.may_review and load[p.code] == 0)
        if idle:
            problems.append(Violation("¶29", f"{', '.join(idle)}: review no State"))
    return problems
