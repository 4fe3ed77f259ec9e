"""The schema, with the limits every request is held to."""

from __future__ import annotations

import re
from typing import Any

import strawberry
from graphql import GraphQLError
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from api.config import Settings
from api.graphql import enums
from api.graphql.errors import UserInputError
from api.graphql.relay import Connection, Node, parse_global_id
from api.graphql.scalars import SCALAR_MAP
from api.graphql.types import (
    Article,
    ContextInfo,
    Instrument,
    Party,
    parties_connection,
)
from mechanism.workplan import GROUPS, PHASES, phase_cluster, phase_years

_PARTY_CODE = re.compile(r"^[A-Z]{3}$")


def _party_code(code: str) -> str:
    normalized = code.strip().upper()
    if not _PARTY_CODE.match(normalized):
        raise UserInputError(
            "code",
            "must be an ISO 3166-1 alpha-3 code such as 'FRA' (or 'EUR' for the European Union)",
        )
    return normalized


@strawberry.type
class PhaseYears:
    group: int = strawberry.field(description="the group of States under review (1, 2 or 3, ¶17)")
    first_year: int
    last_year: int


@strawberry.type(description="A review phase (¶9-¶15): its cluster, and when each group runs it")
class ReviewPhase:
    number: int
    cluster: enums.ReviewCluster
    years: list[PhaseYears]


@strawberry.type
class Query:
    @strawberry.field
    async def node(self, info: ContextInfo, id: strawberry.ID) -> Node | None:
        ref = parse_global_id(id)
        loaders = info.context.loaders
        if ref.type_name == "Instrument":
            record = await loaders.instrument.load(ref.key)
            return Instrument.from_record(record) if record else None
        if ref.type_name == "Article":
            record = await loaders.article.load(ref.key)
            return Article.from_record(record) if record else None
        if ref.type_name == "Party":
            record = await loaders.party.load(ref.key)
            return Party.from_record(record) if record else None
        return None

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
        record = await info.context.loaders.party.load(_party_code(code))
        return Party.from_record(record) if record else None

    @strawberry.field(description="The four review phases of the multi-year workplan (table 2)")
    def review_phases(self) -> list[ReviewPhase]:
        def years(phase: int, group: int) -> PhaseYears:
            first, last = phase_years(phase, group)
            return PhaseYears(group=group, first_year=first, last_year=last)

        return [
            ReviewPhase(
                number=phase,
                cluster=phase_cluster(phase),
                years=[years(phase, group) for group in GROUPS],
            )
            for phase in PHASES
        ]


class _Schema(strawberry.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Errors are logged where they are masked, with the request id (api/app.py)."""


def build_schema(settings: Settings) -> strawberry.Schema:
    extensions: list[Any] = [
        lambda: QueryDepthLimiter(max_depth=settings.max_query_depth),
        lambda: MaxTokensLimiter(max_token_count=settings.max_query_tokens),
        lambda: MaxAliasesLimiter(max_alias_count=settings.max_aliases),
    ]
    if settings.production:
        extensions.append(lambda: AddValidationRules([NoSchemaIntrospectionCustomRule]))
    return _Schema(
        query=Query,
        types=[Instrument, Article, Party],
        extensions=extensions,
        config=StrawberryConfig(scalar_map=SCALAR_MAP),
    )
