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
"""

from __future__ import annotations

from dataclasses import dataclass

from mechanism.clusters import ReviewCluster

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


def phase_cluster(phase: int) -> ReviewCluster:
    """The cluster reviewed in a review phase (1-4), in table 2's order."""
    _check_phase(phase)
    ordered = [cluster for period in TABLE_2 for cluster in period.clusters]
    return ordered[phase - 1]


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
