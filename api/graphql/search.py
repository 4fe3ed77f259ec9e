"""`Query.search`: full text over legislation, cases and competent authorities.

The hits come from Elasticsearch (which holds only what anyone may see); their documents
are built from the hits, or read from the graph when the search asks for more than the
index holds (api/graphql/search_hits.py).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import orjson
import strawberry
from elasticsearch import ApiError, TransportError
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


# Pages past the first read the live index with `search_after`, never a point in time: a
# point in time keeps what was indexed when it opened, so a cursor would go on counting
# (in totals, facets and matches) a document withdrawn since. A cursor holds only a
# position in the list, so a page with a cursor is the same search as without it.
_INT64 = (-(2**63), 2**63 - 1)  # a date sort value (a missing date sorts as one of the ends)
_MAX_UID = 512


@dataclass(frozen=True)
class SearchCursor:
    """Where a page ends: its order and the sort values of its last hit."""

    order: SearchOrder
    after: list[Any]


def _encode_cursor(order: SearchOrder, sort_values: list[Any]) -> str:
    raw = orjson.dumps({"o": order.value, "after": sort_values})  # a cursor per hit: orjson is fast
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _sort_value_valid(spec: dict[str, Any], value: Any) -> bool:
    """Whether `value` is what Elasticsearch gives for this sort: a finite score, a date
    as a 64-bit integer, a document's uid."""
    if "_score" in spec:
        return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    if "date" in spec:
        return isinstance(value, int) and not isinstance(value, bool) and _INT64[0] <= value <= _INT64[1]
    return isinstance(value, str) and 0 < len(value) <= _MAX_UID and value.isprintable() and ":" in value


def _decode_cursor(cursor: str | None, order: SearchOrder) -> SearchCursor | None:
    """The position a cursor of this search holds, every value checked against the sort it
    belongs to: nothing a client wrote reaches Elasticsearch unchecked."""
    if cursor is None:
        return None
    try:
        if len(cursor) > 2048:
            raise ValueError("too long")
        value = orjson.loads(base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode()))
    except (binascii.Error, ValueError):
        value = None
    if not isinstance(value, dict) or set(value) != {"o", "after"}:
        raise UserInputError("after", "is not a cursor given by this search")
    if value["o"] != order.value:
        raise UserInputError("after", f"is a cursor of another order ({value['o']!s:.20}): search again")
    sorts = SORTS[order]
    values = value["after"]
    if not (
        isinstance(values, list)
        and len(values) == len(sorts)
        and all(_sort_value_valid(spec, v) for spec, v in zip(sorts, values, strict=True))
    ):
        raise UserInputError("after", "is not a cursor given by this search")
    return SearchCursor(order, values)


def _facet_key(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _preference(body: dict[str, Any]) -> str:
    """The same search reads the same copy of the index for each of its pages, so that
    scores (which count deleted documents per copy) and so the order hold between pages."""
    return hashlib.blake2b(orjson.dumps(body["query"]), digest_size=8).hexdigest()


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
    count_round_trip("elasticsearch")
    try:
        response = await es.search(index=alias, preference=_preference(body), **body)
    except (ApiError, TransportError) as error:
        raise _unavailable(error) from None
    hits = response["hits"]["hits"]
    has_next = len(hits) > limit
    hits = hits[:limit]

    edges = []
    for hit, document in zip(hits, await hit_documents(info, hits), strict=True):
        if document is None:
            continue  # removed from the graph since it was indexed
        kind = hit["_source"]["kind"]
        edges.append(
            SearchHitEdge(
                cursor=_encode_cursor(order_by, hit["sort"]),
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
