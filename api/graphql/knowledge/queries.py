"""Queries of the knowledge base: its lists, search and the crime types."""

from __future__ import annotations

from typing import Any

import strawberry

from api.graphql import enums
from api.graphql.context import ContextInfo
from api.graphql.knowledge.filters import SearchFilter, to_document_filter
from api.graphql.knowledge.pages import (
    authority_position,
    document_connection,
    documents_paging,
    page_projection,
)
from api.graphql.knowledge.search import DocumentKind, SearchResultConnection
from api.graphql.knowledge.search import search as run_search
from api.graphql.knowledge.types import Case, CompetentAuthority, CrimeType, Legislation
from api.graphql.reference.queries import party_code
from api.graphql.relay import Connection, paging
from api.graphql.scalars import LanguageCode
from graph import knowledge as graph_knowledge
from mechanism.authorities import AuthorityFunction
from search.query import SearchOrder


async def _documents(
    info: ContextInfo,
    label: str,
    given: SearchFilter | None,
    first: int | None,
    after: str | None,
    build: Any,
) -> Connection[Any]:
    page = documents_paging(info, label, first, after)
    records, total = await graph_knowledge.documents_page(
        info.context.graph,
        label,
        to_document_filter(given),
        page.position,
        page.fetch,
        page_projection(info),
    )
    return document_connection(page, records, total, build)


@strawberry.type
class KnowledgeQueries:
    @strawberry.field(description="Laws, newest first (by date of enactment)")
    async def legislation(
        self,
        info: ContextInfo,
        filter: SearchFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Legislation]:
        return await _documents(info, "Legislation", filter, first, after, Legislation.from_record)

    @strawberry.field(description="Case digests, newest first (by date of decision)")
    async def cases(
        self,
        info: ContextInfo,
        filter: SearchFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Case]:
        return await _documents(info, "Case", filter, first, after, Case.from_record)

    @strawberry.field(description="The directory of competent national authorities, by party")
    async def competent_authorities(
        self,
        info: ContextInfo,
        party: str | None = None,
        function: AuthorityFunction | None = None,
        instrument: enums.InstrumentCode | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[CompetentAuthority]:
        page = paging(info.context, "authorities", first, after, authority_position)
        records, total = await graph_knowledge.authorities_page(
            info.context.graph,
            party=party_code(party) if party is not None else None,
            function=function.value if function else None,
            instrument=instrument.value if instrument else None,
            after=page.position,
            limit=page.fetch,
        )
        authorities = [CompetentAuthority.from_record(r) for r in records]
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
        kinds: list[DocumentKind] | None = None,
        filter: SearchFilter | None = None,
        first: int | None = 20,
        after: str | None = None,
        order_by: SearchOrder = SearchOrder.RELEVANCE,
    ) -> SearchResultConnection:
        return await run_search(info, query, lang, kinds, filter, first, after, order_by)

    @strawberry.field(description="The 15 crime types, with labels in the six languages")
    async def crime_types(self, info: ContextInfo) -> list[CrimeType]:
        return [CrimeType.from_record(r) for r in info.context.reference.crime_types.values()]
