"""The multi-year workplan (table 2 of the appendix) and the phase structure (¶9-¶15).

Table 2, as the source gives it, for each of the four working groups (the UNTOC one being
the Working Group on International Cooperation with the Working Group of Government
Experts on Technical Assistance; then Trafficking in Persons, Smuggling of Migrants,
Firearms), all four alike:

- years 1-2: organizational matters and questionnaires (the preparatory phase, ¶15);
- years 3-6: criminalization and jurisdiction; international cooperation, mutual legal
  assistance and confiscation;
- years 7-10: law enforcement and judicial system; prevention, technical assistance,
  protection and other measures.

¶9 and ¶15 add: four review phases in years 3-12, each lasting two years for each group
of States, the groups being drawn for three consecutive years (¶17). Reading them with
table 2 (our interpretation, recorded here so it can be changed in one place): phase N
covers the N-th cluster in table 2's order, and group G (1, 2 or 3) runs phase N in the
two years starting at year 3 + 2(N-1) + (G-1). Group 1 thus does phase 1 in years 3-4
and phase 4 in years 9-10; group 3 ends phase 4 in years 11-12, the end of ¶9's span.

¶16: the Conference may amend the workplan. Table 2 as adopted is `ADOPTED`; the workplan
in force is a `Workplan`, the adopted one or the one a recorded decision of the Conference
set (which cluster each phase reviews; `amendment_violation` says what an amendment may
not change: a phase a group has started keeps its cluster, and the four phases still
review the four clusters, ¶9, ¶11). The years of the phases follow ¶9 and ¶15 and are not
changed by an amendment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mechanism.clusters import ReviewCluster
from mechanism.rules import Violation

PHASE_LENGTH_YEARS = 2  # ¶15
GROUPS = (1, 2, 3)  # ¶17: drawn over three consecutive years
PHASES = (1, 2, 3, 4)  # ¶9


@dataclass(frozen=True)
class WorkplanPeriod:
    """One row of table 2: what every working group does in those years."""

    first_year: int
    last_year: int
    activity: str
    clusters: tuple[ReviewCluster, ...]


WORKING_GROUPS = (
    "Working Group on International Cooperation and Working Group of Government Experts "
    "on Technical Assistance (UNTOC)",
    "Working Group on Trafficking in Persons",
    "Working Group on the Smuggling of Migrants",
    "Working Group on Firearms",
)

TABLE_2: tuple[WorkplanPeriod, ...] = (
    WorkplanPeriod(1, 2, "Organizational matters and questionnaires", ()),
    WorkplanPeriod(
        3,
        6,
        "Review",
        (ReviewCluster.CRIMINALIZATION_AND_JURISDICTION, ReviewCluster.INTERNATIONAL_COOPERATION),
    ),
    WorkplanPeriod(
        7,
        10,
        "Review",
        (
            ReviewCluster.LAW_ENFORCEMENT_AND_JUDICIAL_SYSTEM,
            ReviewCluster.PREVENTION_ASSISTANCE_PROTECTION,
        ),
    ),
)

PREPARATORY_YEARS = (1, 2)  # ¶15


@dataclass(frozen=True)
class Workplan:
    """The workplan in force: the cluster each review phase reviews (phase N: the N-th), and
    the decision of the Conference that set it (None: table 2 as adopted, ¶16)."""

    clusters: tuple[ReviewCluster, ...]
    decision: str | None = None

    def phase_cluster(self, phase: int) -> ReviewCluster:
        _check_phase(phase)
        return self.clusters[phase - 1]


ADOPTED = Workplan(tuple(cluster for period in TABLE_2 for cluster in period.clusters))


def in_force(amendments: Sequence[tuple[Sequence[str], str]]) -> Workplan:
    """The workplan in force given the Conference's amendments, oldest first, as (the
    clusters of the phases, the decision): the last one's, or table 2 as adopted."""
    if not amendments:
        return ADOPTED
    clusters, decision = amendments[-1]
    return Workplan(tuple(ReviewCluster(c) for c in clusters), decision)


def phase_cluster(phase: int, workplan: Workplan = ADOPTED) -> ReviewCluster:
    """The cluster reviewed in a review phase (1-4): table 2's order, or as amended."""
    return workplan.phase_cluster(phase)


def amendment_violation(
    current: Workplan, clusters: Sequence[ReviewCluster], started: set[int]
) -> Violation | None:
    """Why a decision of the Conference giving the phases `clusters` (phase N the N-th)
    cannot be applied now, or None (¶16): the four phases review the four clusters, each
    once (¶9, ¶11), and a phase some group has started (`started`) keeps its cluster."""
    if len(clusters) != len(PHASES) or set(clusters) != set(ReviewCluster):
        return Violation("¶9", "the four review phases review the four thematic clusters, each in one phase")
    changed = sorted(p for p in PHASES if clusters[p - 1] != current.phase_cluster(p) and p in started)
    if changed:
        return Violation(
            "¶16",
            f"phase {', '.join(map(str, changed))} has started for a group and keeps its cluster "
            f"({', '.join(current.phase_cluster(p).value for p in changed)}): an amendment changes the "
            "phases still to come",
        )
    return None


def phase_years(phase: int, group: int) -> tuple[int, int]:
    """The first and last year of the mechanism in which `group` runs `phase`."""
    _check_phase(phase)
    if group not in GROUPS:
        raise ValueError(f"group must be 1, 2 or 3, not {group}")
    first = PREPARATORY_YEARS[-1] + 1 + PHASE_LENGTH_YEARS * (phase - 1) + (group - 1)
    return first, first + PHASE_LENGTH_YEARS - 1


def _check_phase(phase: int) -> None:
    if phase not in PHASES:
        raise ValueError(f"phase must be 1, 2, 3 or 4, not {phase}")
