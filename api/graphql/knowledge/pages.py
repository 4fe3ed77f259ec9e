"""Pages of documents: their cursors, connections and the projection a page's fields ask for."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from api import speedups
from api.graphql.context import ContextInfo
from api.graphql.loaders import NestedPage
from api.graphql.lookahead import asked
from api.graphql.relay import (
    Connection,
    Paging,
    paging,
)
from api.speedups.hints import links_of
from graph.driver import Record
from graph.knowledge import FULL, DocumentCursor, Projection


def _two_strings(value: Any) -> tuple[str, str]:
    first, second = value
    if not isinstance(first, str) or not isinstance(second, str):
        raise TypeError("a cursor of this list holds two strings")
    return first, second


def document_position(value: Any) -> DocumentCursor:
    sort_date, key = _two_strings(value)
    return DocumentCursor(datetime.date.fromisoformat(sort_date), key)


def authority_position(value: Any) -> tuple[str, str]:
    return _two_strings(value)


def documents_paging(
    info: ContextInfo, kind: str, first: int | None, after: str | None
) -> Paging[DocumentCursor]:
    return paging(info.context, kind, first, after, document_position)


def document_connection(
    page: Paging[DocumentCursor], records: list[Record], total: int, build: Any
) -> Connection[Any]:
    return page.connection([build(r) for r in records], [[r["sortDate"], r["key"]] for r in records], total)


async def nested_connection(
    info: ContextInfo, relation: str, owner: str, first: int | None, after: str | None, build: Any
) -> Connection[Any]:
    page = documents_paging(info, relation, first, after)
    nested = NestedPage(relation, owner, page.position, page.fetch, page_projection(info))
    records, total = await info.context.loaders.nested.load(nested)
    return document_connection(page, records, total, build)


# ---------- what a page reads of its documents ----------


@dataclass(frozen=True)
class PageLinks:
    """The fields of a page's documents that show a link (graph.knowledge.LINK_KEYS), and
    those of them that show linked laws and cases, which a page reads in its own query when
    asked: declared on the fields of Legislation and Case (`shows_link`), by GraphQL name."""

    link_of_field: dict[str, str]
    documents_of_field: dict[str, str]

    def links(self, fields: Iterable[str]) -> frozenset[str]:
        return frozenset(self.link_of_field[name] for name in fields if name in self.link_of_field)


@functools.cache
def page_links(schema: Any) -> PageLinks:
    """Read from the schema's types, not imported: they page their own links through this
    module."""
    hints = links_of(*(schema.get_type_by_name(name).origin for name in ("Legislation", "Case")))
    return PageLinks(
        {name: hint.link for name, hint in hints.items()},
        {name: documents for name, hint in hints.items() if (documents := hint.documents) is not None},
    )


def page_projection(info: ContextInfo) -> Projection:
    """What a page of documents reads for the fields asked of them: the links they show,
    and the laws and cases they link to in the same query (a page of 100 cases with their
    applied laws: one query instead of two). Everything when a directive makes the fields
    unknowable before running, or with the speed-up off (SHERLOC_SPEEDUP_PAGE_PROJECTIONS)."""
    if not speedups.on(info.context.settings, speedups.PAGE_PROJECTIONS):
        return FULL
    fields = asked(info, "edges", "node")
    if fields is None:
        return FULL
    hints = page_links(info.schema)
    linked = {name: below for name, below in fields.items() if name in hints.documents_of_field}
    return Projection(
        links=hints.links(fields.keys() - linked.keys()),
        documents=frozenset(
            (hints.documents_of_field[name], hints.links(below)) for name, below in linked.items()
        ),
    )
