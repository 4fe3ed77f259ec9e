"""Pages of a legal basis's precedents: the cases between two States for a cooperation."""

from __future__ import annotations

from typing import Any

from api.graphql.context import ContextInfo, type_named
from api.graphql.knowledge.pages import document_connection, documents_paging, page_projection
from api.graphql.relay import Connection
from graph import treaties as store
from mechanism.cooperation import CooperationType


async def precedents_connection(
    info: ContextInfo,
    requesting: str,
    requested: str,
    cooperation: CooperationType,
    first: int | None,
    after: str | None,
) -> Connection[Any]:
    page = documents_paging(info, "precedents", first, after)
    records, total = await store.precedents_page(
        info.context.graph,
        requesting,
        requested,
        cooperation.value,
        page.position,
        page.fetch,
        page_projection(info),
    )
    return document_connection(page, records, total, type_named(info, "Case").from_record)
