"""Queries of the strategies and of the bibliography."""

from __future__ import annotations

import strawberry

from api.graphql.context import ContextInfo
from api.graphql.knowledge.pages import document_connection, documents_paging
from api.graphql.library.filters import (
    BibliographyFilter,
    StrategyFilter,
    to_bibliography_filter,
    to_strategy_filter,
)
from api.graphql.library.types import BibliographyEntry, Strategy
from api.graphql.relay import Connection
from graph import library as store


@strawberry.type
class LibraryQueries:
    @strawberry.field(
        description="National strategies, action plans and policies, newest first (by the first year of "
        "their period)"
    )
    async def strategies(
        self,
        info: ContextInfo,
        filter: StrategyFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Strategy]:
        page = documents_paging(info, "strategies", first, after)
        records, total = await store.strategies_page(
            info.context.graph, to_strategy_filter(filter), page.position, page.fetch
        )
        return document_connection(page, records, total, Strategy.from_record)

    @strawberry.field(description="The bibliography: publications, newest first (by year), then by key")
    async def bibliography(
        self,
        info: ContextInfo,
        filter: BibliographyFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[BibliographyEntry]:
        page = documents_paging(info, "bibliography", first, after)
        records, total = await store.bibliography_page(
            info.context.graph, to_bibliography_filter(filter), page.position, page.fetch
        )
        return document_connection(page, records, total, BibliographyEntry.from_record)
