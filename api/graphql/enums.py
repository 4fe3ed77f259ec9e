"""The contract's enums, shared with the pure rules and the reference data models."""

from __future__ import annotations

import strawberry

from ingest.reference import models
from mechanism import clusters, instruments

InstrumentCode = strawberry.enum(instruments.InstrumentCode)
ReviewCluster = strawberry.enum(clusters.ReviewCluster)
RegionalGroup = strawberry.enum(models.RegionalGroup)
PartyKind = strawberry.enum(models.PartyKind)
ParticipationStatus = strawberry.enum(models.ParticipationStatus)
BindingAction = strawberry.enum(models.BindingAction, name="BindingAction")
