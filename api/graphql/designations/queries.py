"""Queries of the designations."""

from __future__ import annotations

import strawberry

from api.graphql.context import ContextInfo
from api.graphql.designations.types import DesignationRole
from api.graphql.reference.types import Party
from graph import designations as store


@strawberry.type
class DesignationQueries:
    @strawberry.field(description="Parties to the Convention without a focal point, or without any expert")
    async def parties_without(self, info: ContextInfo, role: DesignationRole) -> list[Party]:
        codes = await store.parties_lacking(info.context.graph, role.value)
        records = await info.context.loaders.party.load_many(codes)
        return [Party.from_record(r) for r in records if r]
