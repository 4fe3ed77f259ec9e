"""`Query.search`: full text over legislation, cases and competent authorities.

The hits come from Elasticsearch (which holds only what anyone may see); their documents
are built from the hits, or read from the graph when the search asks for more than the
index holds (api/graphql/search_hits.py).
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, cast

import orjson
import strawberry
from elasticsearch import ApiError, NotFoundError, TransportError
from graphql import GraphQLError

from api.graphql import knowledge
from api.graphql.errors import UserInputError
from api.graphql.relay import Node, PageInfo, page_info, page_size
from api.graphql.scalars import LanguageCode
from api.graphql.search_hits import hit_documents
from api.graphql.types import ContextInfo
from graph.driver import count_round_trip
from search.indices import documents_alias
from search.query import (
    FACETS,
    MAX_QUERY_LENGTH,
    SORTS,
    SearchOrder,
    SearchRequest,
    build_search,
    hit_language,
)

log = logging.getLogger("sherloc.search")

strawberry.enum(SearchOrder, description="RELEVANCE (the default), or by date")


@strawberry.enum
class DocumentKind(StrEnum):
    LEGISLATION = "LEGISLATION"
    CASE = "CASE"
    COMPETENT_AUTHORITY = "COMPETENT_AUTHORITY"
    REVIEW_DOCUMENT = "REVIEW_DOCUMENT"


@strawberry.type
class SearchHit:
    document: Node
    kind: DocumentKind
    score: float
    highlights: list[str] = strawberry.field(
        description="fragments of the matching text with the matched terms marked <em>...</em> "
        "(the rest of the text HTML-escaped)"
    )
    lang: LanguageCode


@strawberry.type
class SearchHitEdge:
    cursor: str
    node: SearchHit


@strawberry.type
class FacetBucket:
    key: str
    count: int


@strawberry.type
class Facet:
    field: str
    buckets: list[FacetBucket]


@strawberry.type
class SearchResultConnection:
    edges: list[SearchHitEdge]
    page_info: PageInfo
    total_count: int
    facets: list[Facet]


KEEP_ALIVE = "5m"


@dataclass(frozen=True)
class SearchCursor:
    """Where a page ends: its sort values and, past the first page, the point in time all
    the pages of this search read (so that relevance scores cannot shift between pages)."""

    after: list[Any]
    pit: str | None


def _encode_cursor(sort_values: list[Any], pit: str | None) -> str:
    raw = orjson.dumps({"after": sort_values, "pit": pit})  # a cursor per hit: orjson is ~15 times faster
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str | None, order: SearchOrder) -> SearchCursor | None:
    if cursor is None:
        return None
    try:
        value = json.loads(base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        value = None
    values = value.get("after") if isinstance(value, dict) else None
    pit = value.get("pit") if isinstance(value, dict) else None
    valid = (
        isinstance(values, list)
        and len(values) in (len(SORTS[order]), len(SORTS[order]) + 1)  # + the point in time's tiebreaker
        and all(isinstance(v, int | float | str) or v is None for v in values)
        and (pit is None or (isinstance(pit, str) and len(pit) < 2000))
    )
    if not valid:
        raise UserInputError("after", "is not a cursor given by this search (with this order)")
    return SearchCursor(cast(list[Any], values), pit)


def _facet_key(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _unavailable(error: Exception) -> GraphQLError:
    log.warning("search failed: %s", error)
    return GraphQLError(
        "Search is temporarily unavailable; the rest of SHERLOC answers. Try again shortly.",
        extensions={"code": "SEARCH_UNAVAILABLE"},
    )


async def search(
    info: ContextInfo,
    query: str,
    lang: LanguageCode | None,
    kinds: list[DocumentKind] | None,
    filter: knowledge.SearchFilter | None,
    first: int | None,
    after: str | None,
    order_by: SearchOrder,
) -> SearchResultConnection:
    if len(query) > MAX_QUERY_LENGTH:
        raise UserInputError("query", f"at most {MAX_QUERY_LENGTH} characters")
    if any(ord(c) < 32 and c not in "\t\n\r" for c in query):
        raise UserInputError("query", "contains control characters")
    limit = page_size(first, info.context.settings.max_page_size)
    cursor = _decode_cursor(after, order_by)
    kind_values = [k.value for k in kinds] if kinds else None
    request = SearchRequest(
        text=query,
        lang=lang,
        kinds=kind_values,
        filters=knowledge.to_document_filter(filter),
        order=order_by,
        size=limit + 1,
        after=cursor.after if cursor else None,
    )
    es = info.context.es
    body = build_search(request)
    alias = documents_alias(info.context.settings.es_index_prefix)
    pit = cursor.pit if cursor else None
    if cursor and pit is None:
        # From the second page on, every page reads one point in time, whatever is written
        # meanwhile (the first page does not open one: most searches stop there).
        count_round_trip("elasticsearch")
        try:
            pit = (await es.open_point_in_time(index=alias, keep_alive=KEEP_ALIVE))["id"]
        except (ApiError, TransportError) as error:
            raise _unavailable(error) from None
    count_round_trip("elasticsearch")
    try:
        if pit:
            response = await es.search(pit={"id": pit, "keep_alive": KEEP_ALIVE}, **body)
        else:
            response = await es.search(index=alias, **body)
    except NotFoundError as error:
        if cursor and cursor.pit:
            expired = "has expired (after 5 minutes without a page); search again"
            raise UserInputError("after", expired) from None
        raise _unavailable(error) from None  # the index itself is missing
    except (ApiError, TransportError) as error:
        raise _unavailable(error) from None
    hits = response["hits"]["hits"]
    has_next = len(hits) > limit
    hits = hits[:limit]
    pit = response.get("pit_id") or pit

    edges = []
    for hit, document in zip(hits, await hit_documents(info, hits), strict=True):
        if document is None:
            continue  # removed from the graph since it was indexed
        kind = hit["_source"]["kind"]
        edges.append(
            SearchHitEdge(
                cursor=_encode_cursor(hit["sort"], pit),
                node=SearchHit(
                    document=document,
                    kind=DocumentKind[kind],
                    score=float(hit.get("_score") or 0.0),
                    highlights=[f for fragments in hit.get("highlight", {}).values() for f in fragments],
                    lang=LanguageCode(hit_language(hit, lang)),
                ),
            )
        )
    aggregations = response.get("aggregations", {})
    facets = [
        Facet(
            field=name,
            buckets=[
                FacetBucket(key=_facet_key(b.get("key_as_string", b["key"])), count=b["doc_count"])
                for b in aggregations.get(name, {}).get("buckets", [])
            ],
        )
        for name in FACETS
    ]
    return SearchResultConnection(
        edges=edges,
        page_info=page_info([e.cursor for e in edges], has_next, after),
        total_count=response["hits"]["total"]["value"],
        facets=facets,
    )
