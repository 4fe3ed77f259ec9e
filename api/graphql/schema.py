"""The schema, with the limits every request is held to."""

from __future__ import annotations

import re
from typing import Any

import strawberry
from graphql import GraphQLError
from graphql.validation import ASTValidationRule, NoSchemaIntrospectionCustomRule
from strawberry.extensions import AddValidationRules, MaxTokensLimiter, ParserCache
from strawberry.extensions.max_aliases import create_validator as aliases_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext
from strawberry.types.base import get_object_definition

from api import speedups
from api.config import Settings
from api.graphql import enums, knowledge
from api.graphql import search as search_types
from api.graphql.accounts import AccountMutations, AccountQueries, User
from api.graphql.designations import DesignationMutations, DesignationQueries
from api.graphql.dialogues import DialogueMutations, DialogueQueries
from api.graphql.draws import Draw, DrawMutations, DrawQueries
from api.graphql.errors import UserInputError
from api.graphql.execution import DeadlineExecutionContext, FlatExecutionContext
from api.graphql.limits import COSTS, DocumentLimits, LimitedValidation, cost_rule
from api.graphql.nodes import resolve_node
from api.graphql.relay import Connection, Node, paging
from api.graphql.review_mutations import ReviewMutations
from api.graphql.reviewer_draws import ReviewerDrawMutations
from api.graphql.reviews import (
    Review,
    ReviewPublication,
    ReviewQueries,
)
from api.graphql.scalars import SCALAR_MAP, LanguageCode
from api.graphql.schedule import ScheduleMutations, ScheduleQueries
from api.graphql.types import (
    Article,
    ContextInfo,
    Instrument,
    Party,
    parties_connection,
)
from api.policy.writes import guard_mutations
from graph import knowledge as graph_knowledge
from mechanism.authorities import AuthorityFunction
from mechanism.workplan import GROUPS, PHASES, phase_cluster, phase_years
from search.query import SearchOrder

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
class PublicQuery:
    @strawberry.field
    async def node(self, info: ContextInfo, id: strawberry.ID) -> Node | None:
        return await resolve_node(info, id)

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

    @strawberry.field(description="Laws, newest first (by date of enactment)")
    async def legislation(
        self,
        info: ContextInfo,
        filter: knowledge.SearchFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[knowledge.Legislation]:
        return await _documents(info, "Legislation", filter, first, after, knowledge.Legislation.from_record)

    @strawberry.field(description="Case digests, newest first (by date of decision)")
    async def cases(
        self,
        info: ContextInfo,
        filter: knowledge.SearchFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[knowledge.Case]:
        return await _documents(info, "Case", filter, first, after, knowledge.Case.from_record)

    @strawberry.field(description="The directory of competent national authorities, by party")
    async def competent_authorities(
        self,
        info: ContextInfo,
        party: str | None = None,
        function: AuthorityFunction | None = None,
        instrument: enums.InstrumentCode | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[knowledge.CompetentAuthority]:
        page = paging(info.context, "authorities", first, after, knowledge.authority_position)
        records, total = await graph_knowledge.authorities_page(
            info.context.graph,
            party=_party_code(party) if party is not None else None,
            function=function.value if function else None,
            instrument=instrument.value if instrument else None,
            after=page.position,
            limit=page.fetch,
        )
        authorities = [knowledge.CompetentAuthority.from_record(r) for r in records]
        return page.connection(authorities, [[r["party"], r["key"]] for r in records], total)

    @strawberry.field(
        description="Full-text search in one language (`lang`) or across all, with filters, "
        "facets that count within the active filters, highlights and cursor pagination"
    )
    async def search(
        self,
        info: ContextInfo,
        query: str,
        lang: LanguageCode | None = None,
        kinds: list[search_types.DocumentKind] | None = None,
        filter: knowledge.SearchFilter | None = None,
        first: int | None = 20,
        after: str | None = None,
        order_by: SearchOrder = SearchOrder.RELEVANCE,
    ) -> search_types.SearchResultConnection:
        return await search_types.search(info, query, lang, kinds, filter, first, after, order_by)

    @strawberry.field(description="The 15 crime types, with labels in the six languages")
    async def crime_types(self, info: ContextInfo) -> list[knowledge.CrimeType]:
        return [knowledge.CrimeType.from_record(r) for r in info.context.reference.crime_types.values()]

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


async def _documents(
    info: ContextInfo,
    label: str,
    given: knowledge.SearchFilter | None,
    first: int | None,
    after: str | None,
    build: Any,
) -> Connection[Any]:
    page = knowledge.documents_paging(info, label, first, after)
    records, total = await graph_knowledge.documents_page(
        info.context.graph,
        label,
        knowledge.to_document_filter(given),
        page.position,
        page.fetch,
        knowledge.page_projection(info),
    )
    return knowledge.document_connection(page, records, total, build)


Query = merge_types(
    "Query",
    (
        PublicQuery,
        AccountQueries,
        ReviewQueries,
        DrawQueries,
        DesignationQueries,
        ScheduleQueries,
        DialogueQueries,
    ),
)
Mutation = merge_types(
    "Mutation",
    (
        AccountMutations,
        ReviewMutations,
        DrawMutations,
        ReviewerDrawMutations,
        DesignationMutations,
        ScheduleMutations,
        DialogueMutations,
    ),
)
# Every mutation runs its guard first: who may do it is decided there (api/policy/writes.py).
guard_mutations(get_object_definition(Mutation, strict=True).fields)


def build_schema(settings: Settings) -> strawberry.Schema:
    # The limits are validation rules made once per schema: the validation cache below
    # recognizes a query it has validated only when the rules are the same classes.
    limits = DocumentLimits()
    rules: list[type[ASTValidationRule]] = [
        depth_rule(settings.max_query_depth, None),
        aliases_rule(settings.max_aliases),
        cost_rule(COSTS, limits.max_cost),
    ]
    if settings.production:
        rules.append(NoSchemaIntrospectionCustomRule)
    cached = speedups.on(settings, speedups.DOCUMENT_CACHE)
    extensions: list[Any] = [
        # The frontend sends a few dozen distinct queries: each is parsed and validated once
        # per process (a search's validation cost ~3 ms). The caches are bounded (LRU of
        # 128), so distinct queries from a hostile client cannot grow memory. Validation
        # runs only on documents within the limits (api/graphql/limits.py).
        *([ParserCache] if cached else []),
        lambda: LimitedValidation(limits, cached),
        lambda: MaxTokensLimiter(max_token_count=settings.max_query_tokens),
        lambda: AddValidationRules(rules),
    ]
    return _Schema(
        query=Query,
        mutation=Mutation,
        types=[
            Instrument,
            Article,
            Party,
            knowledge.Legislation,
            knowledge.Case,
            knowledge.CompetentAuthority,
            User,
            Review,
            ReviewPublication,
            Draw,
        ],
        extensions=extensions,
        config=StrawberryConfig(scalar_map=SCALAR_MAP),
        execution_context_class=(
            FlatExecutionContext
            if speedups.on(settings, speedups.FLAT_COMPLETION)
            else DeadlineExecutionContext
        ),
    )
