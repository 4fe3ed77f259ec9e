"""The contract's enums, shared with the pure rules and the reference data models."""

from __future__ import annotations

import strawberry

from mechanism.access import Role
from mechanism.clusters import ReviewCluster
from mechanism.instruments import InstrumentCode
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
):
    strawberry.enum(_enum)

__all__ = [
    "BindingAction",
    "InstrumentCode",
    "OverdueKind",
    "ParticipationStatus",
    "PartyKind",
    "RedrawKind",
    "RegionalGroup",
    "ReviewCluster",
    "Role",
    "Stage",
]
