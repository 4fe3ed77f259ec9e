"""Queries of the reference data."""

from __future__ import annotations

import re

import strawberry

from api.graphql import enums
from api.graphql.context import ContextInfo
from api.graphql.errors import UserInputError
from api.graphql.reference.types import Instrument, Party, parties_connection
from api.graphql.relay import Connection

_PARTY_CODE = re.compile(r"^[A-Z]{3}$")


def party_code(code: str, argument: str = "code") -> str:
    normalized = code.strip().upper()
    if not _PARTY_CODE.match(normalized):
        raise UserInputError(
            argument,
            "must be an ISO 3166-1 alpha-3 code such as 'FRA' (or 'EUR' for the European Union)",
        )
    return normalized


@strawberry.type
class ReferenceQueries:
    @strawberry.field
    async def instruments(self, info: ContextInfo) -> list[Instrument]:
        codes = [code.value for code in enums.InstrumentCode]
        records = await info.context.loaders.instrument.load_many(codes)
        return [Instrument.from_record(r) for r in records if r]

    @strawberry.field
    async def instrument(self, info: ContextInfo, code: enums.InstrumentCode) -> Instrument | None:
        record = await info.context.loaders.instrument.load(code.value)
        return Instrument.from_record(record) if record else None

    @strawberry.field(
        description="Parties to the Convention and signatories, by code. With `instrument`, "
        "only the parties bound by it."
    )
    async def parties(
        self,
        info: ContextInfo,
        regional_group: enums.RegionalGroup | None = None,
        instrument: enums.InstrumentCode | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Party]:
        return await parties_connection(
            info,
            first=first,
            after=after,
            regional_group=regional_group.value if regional_group else None,
            instrument=instrument.value if instrument else None,
        )

    @strawberry.field
    async def party(self, info: ContextInfo, code: str) -> Party | None:
        record = await info.context.loaders.party.load(party_code(code))
        return Party.from_record(record) if record else None
