"""A party's strategies, a page for each party of a page of parties in one query
(graph.knowledge.NESTED through the request's nested-page loader)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from api.graphql.context import ContextInfo
from api.graphql.knowledge.pages import document_connection, documents_paging
from api.graphql.loaders import NestedPage
from api.graphql.relay import Connection
from graph.driver import Record
from graph.library import LINKS


async def party_strategies(
    info: ContextInfo, party: str, first: int | None, after: str | None, build: Callable[[Record], Any]
) -> Connection[Any]:
    page = documents_paging(info, "party.strategies", first, after)
    # The links a strategy shows (its crime types), whatever the fields asked.
    nested = NestedPage("party.strategies", party, page.position, page.fetch, LINKS)
    records, total = await info.context.loaders.nested.load(nested)
    return document_connection(page, records, total, build)
