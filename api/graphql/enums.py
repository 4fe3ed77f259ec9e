"""The contract's enums, shared with the pure rules and the reference data models."""

from __future__ import annotations

import strawberry

from mechanism.access import Role
from mechanism.cases import AgeGroup, CaseOutcome, CourtLevel, Gender, KeywordFamily, LegalSystem
from mechanism.clusters import ReviewCluster
from mechanism.cooperation import CooperationType, TreatyActionKind
from mechanism.instruments import InstrumentCode
from mechanism.legislation import LegislationStatus
from mechanism.progress import OverdueKind, Stage
from mechanism.redraws import RedrawKind
from mechanism.vocabulary import BindingAction, ParticipationStatus, PartyKind, RegionalGroup

for _enum in (
    InstrumentCode,
    ReviewCluster,
    RegionalGroup,
    PartyKind,
    ParticipationStatus,
    BindingAction,
    RedrawKind,
    Stage,
    OverdueKind,
    Role,
    CooperationType,
    TreatyActionKind,
    LegislationStatus,
    CourtLevel,
    LegalSystem,
    CaseOutcome,
    Gender,
    AgeGroup,
    KeywordFamily,
):
    strawberry.enum(_enum)

__all__ = [
    "AgeGroup",
    "BindingAction",
    "CaseOutcome",
    "CooperationType",
    "CourtLevel",
    "Gender",
    "InstrumentCode",
    "KeywordFamily",
    "LegalSystem",
    "LegislationStatus",
    "OverdueKind",
    "ParticipationStatus",
    "PartyKind",
    "RedrawKind",
    "RegionalGroup",
    "ReviewCluster",
    "Role",
    "Stage",
    "TreatyActionKind",
]
