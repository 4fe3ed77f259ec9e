from __future__ import annotations

from datetime import date

import pytest

from mechanism.clusters import ReviewCluster
from mechanism.reviews import new_review
from mechanism.workplan import (
    ADOPTED,
    GROUPS,
    PHASES,
    TABLE_2,
    amendment_violation,
    in_force,
    phase_cluster,
    phase_years,
)


def test_table_2_periods_and_their_clusters() -> None:
    assert [(p.first_year, p.last_year) for p in TABLE_2] == [(1, 2), (3, 6), (7, 10)]
    assert TABLE_2[0].clusters == ()
    assert TABLE_2[1].clusters == (
        ReviewCluster.CRIMINALIZATION_AND_JURISDICTION,
        ReviewCluster.INTERNATIONAL_COOPERATION,
    )
    assert TABLE_2[2].clusters == (
        ReviewCluster.LAW_ENFORCEMENT_AND_JUDICIAL_SYSTEM,
        ReviewCluster.PREVENTION_ASSISTANCE_PROTECTION,
    )


def test_each_phase_reviews_one_cluster_and_all_four_are_covered() -> None:
    assert {phase_cluster(p) for p in PHASES} == set(ReviewCluster)


def test_phases_last_two_years_per_group_within_years_3_to_12() -> None:
    for phase in PHASES:
        for group in GROUPS:
            first, last = phase_years(phase, group)
            assert last - first + 1 == 2
            assert first >= 3 and last <= 12
    assert phase_years(1, 1) == (3, 4)
    assert phase_years(4, 3) == (11, 12)


def test_a_group_runs_its_phases_one_after_another() -> None:
    for group in GROUPS:
        spans = [phase_years(p, group) for p in PHASES]
        assert all(spans[i][1] < spans[i + 1][0] for i in range(len(spans) - 1))


@pytest.mark.parametrize(("phase", "group"), [(0, 1), (5, 1), (1, 0), (1, 4)])
def test_unknown_phases_and_groups_are_refused(phase: int, group: int) -> None:
    with pytest.raises(ValueError, match="must be"):
        phase_years(phase, group)


def test_the_workplan_is_data_a_decision_of_the_conference_amends() -> None:
    """¶16: the Conference may amend table 2; a phase a group started keeps its cluster."""
    assert in_force([]) == ADOPTED and ADOPTED.decision is None
    swapped = [ADOPTED.phase_cluster(p) for p in (1, 2, 4, 3)]
    amended = in_force([([c.value for c in swapped], "decision 12/1")])
    assert amended.decision == "decision 12/1"
    assert [phase_cluster(p, amended) for p in PHASES] == swapped
    assert amendment_violation(ADOPTED, swapped, started={1, 2}) is None
    refused = amendment_violation(ADOPTED, swapped, started={1, 2, 3})
    assert refused is not None and refused.paragraph == "¶16" and "phase 3" in refused.message
    twice = amendment_violation(ADOPTED, [swapped[0]] * 4, started=set())
    assert twice is not None and twice.paragraph == "¶9"
    review = new_review("ARG", 3, date(2029, 1, 15), ["en"], ["UNTOC"], True, workplan=amended)
    assert review["clusters"] == [swapped[2].value]
    assert (
        review["questions"] != new_review("ARG", 3, date(2029, 1, 15), ["en"], ["UNTOC"], True)["questions"]
    )
