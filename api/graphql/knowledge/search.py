"""`Query.search`: full text over legislation, cases and competent authorities.

The hits come from Elasticsearch (which holds only what anyone may see); their documents
are built from the hits, or read from the graph when the search asks for more than the
index holds (api/graphql/knowledge/search_hits.py).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import math
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import orjson
import strawberry
from elasticsearch import ApiError, BadRequestError, NotFoundError, TransportError
from graphql import GraphQLError

from api.graphql.context import ContextInfo
from api.graphql.cursors import CursorCodec
from api.graphql.errors import UserInputError
from api.graphql.knowledge.filters import SearchFilter, to_document_filter
from api.graphql.knowledge.search_hits import hit_documents, hit_source
from api.graphql.relay import Node, PageInfo, page_info, page_size
from api.graphql.scalars import LanguageCode
from graph.driver import count_round_trip
from search.indices import documents_alias
from search.query import (
    FACETS,
    MAX_QUERY_LENGTH,
    SORTS,
    SearchOrder,
    SearchRequest,
    build_search,
    extract_highlights,
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
    TREATY = "TREATY"
    TREATY_ACTION = "TREATY_ACTION"
    STRATEGY = "STRATEGY"
    BIBLIOGRAPHY = "BIBLIOGRAPHY"


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


# Pages past the first keep their order in an Elasticsearch point in time (opened with the
# second page): relevance scores shift as the live index merges its segments, and paging
# by a score on the live index would repeat or skip hits. But a point in time keeps what
# was indexed when it opened, withdrawn documents included, so it gives only the order:
# totals, facets, and each hit shown (its text, highlights, score) come from the live
# index, and a hit no longer there is left out. A page with a cursor shows nothing the
# same search without it would not.
KEEP_ALIVE = "5m"
_INT64 = (-(2**63), 2**63 - 1)  # a date sort value (a missing date sorts as one of the ends)
_MAX_UID = 512
_MAX_PIT = 2000
_PIT = re.compile(r"^[A-Za-z0-9_=+/-]+$")  # a point in time's id: base64


@dataclass(frozen=True)
class SearchCursor:
    """Where a page ends: its order, the sort values of its last hit, and past the first
    page the point in time that keeps the order."""

    order: SearchOrder
    after: list[Any]
    pit: str | None


# A search's cursors are the codec's (api/graphql/cursors.py), of this kind: signed, so that
# what a client sends back is what this search gave; their payload is still checked below.
CURSOR_KIND = "search"
_NOT_GIVEN = "is not a cursor given by this search"


def _encode_cursor(cursors: CursorCodec, order: SearchOrder, sort_values: list[Any], pit: str | None) -> str:
    cursor: dict[str, Any] = {"o": order.value, "after": sort_values}
    if pit is not None:
        cursor["pit"] = pit
    return cursors.encode(CURSOR_KIND, cursor)  # a cursor per hit: ~1.5 us


def _sort_value_valid(spec: dict[str, Any], value: Any) -> bool:
    """Whether `value` is what Elasticsearch gives for this sort: a finite score, a date
    as a 64-bit integer, a document's uid."""
    if "_score" in spec:
        return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    if "date" in spec:
        return isinstance(value, int) and not isinstance(value, bool) and _INT64[0] <= value <= _INT64[1]
    return isinstance(value, str) and 0 < len(value) <= _MAX_UID and value.isprintable() and ":" in value


def _decode_cursor(cursors: CursorCodec, cursor: str | None, order: SearchOrder) -> SearchCursor | None:
    """The position a cursor of this search holds: signed by this deployment, and every
    value checked against the sort it belongs to (nothing reaches Elasticsearch unchecked,
    should the key be known)."""
    if cursor is None:
        return None
    return cursors.decode(CURSOR_KIND, cursor, lambda value: _position(value, order), reason=_NOT_GIVEN)


def _position(value: Any, order: SearchOrder) -> SearchCursor:
    if not isinstance(value, dict) or not {"o", "after"} <= set(value) <= {"o", "after", "pit"}:
        raise UserInputError("after", _NOT_GIVEN)
    if value["o"] != order.value:
        raise UserInputError("after", f"is a cursor of another order ({value['o']!s:.20}): search again")
    pit = value.get("pit")
    values = value["after"]
    sorts = SORTS[order]
    if pit is not None and isinstance(values, list) and len(values) == len(sorts) + 1:
        sorts = [*sorts, {"date": "tiebreaker"}]  # a point in time's own: a 64-bit position
    if not (
        (pit is None or (isinstance(pit, str) and 0 < len(pit) <= _MAX_PIT and _PIT.match(pit) is not None))
        and isinstance(values, list)
        and len(values) == len(sorts)
        and all(_sort_value_valid(spec, v) for spec, v in zip(sorts, values, strict=True))
    ):
        raise UserInputError("after", _NOT_GIVEN)
    return SearchCursor(order, values, pit)


def _facet_key(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


async def _later_page(
    es: Any, alias: str, body: dict[str, Any], cursor: SearchCursor, limit: int
) -> tuple[dict[str, Any], list[dict[str, Any]], bool, str]:
    """A page after the first: its order from the point in time, the rest from the live
    index (the totals and facets, and each hit still there, with its highlights). Returns
    the live answer (for totals and facets), the hits (with the point in time's sort
    values), whether a next page exists, and the point in time."""
    pit = cursor.pit
    try:
        if pit is None:
            count_round_trip("elasticsearch")
            pit = (await es.open_point_in_time(index=alias, keep_alive=KEEP_ALIVE))["id"]
        count_round_trip("elasticsearch")
        ordered = await es.search(
            pit={"id": pit, "keep_alive": KEEP_ALIVE},
            query=body["query"],
            sort=body["sort"],
            search_after=cursor.after,
            size=limit + 1,
            source=False,
            track_total_hits=False,
        )
    except (NotFoundError, BadRequestError):
        if cursor.pit is None:
            raise _unavailable(LookupError("the index is missing")) from None
        expired = "has expired (after 5 minutes without a page) or is not of this search; search again"
        raise UserInputError("after", expired) from None
    except (ApiError, TransportError) as error:
        raise _unavailable(error) from None
    order = ordered["hits"]["hits"]
    has_next = len(order) > limit
    order = order[:limit]
    pit = ordered.get("pit_id") or pit
    live_body = {k: v for k, v in body.items() if k != "search_after"}
    totals = {**live_body, "size": 0}
    totals.pop("highlight", None)
    shown = {
        **live_body,
        "query": {
            "bool": {"must": [body["query"]], "filter": [{"ids": {"values": [h["_id"] for h in order]}}]}
        },
        "size": len(order),
        "track_total_hits": False,
    }
    shown.pop("aggs", None)
    preference = _preference(body)
    count_round_trip("elasticsearch")
    try:
        response, live = await asyncio.gather(
            es.search(index=alias, preference=preference, **totals),
            es.search(index=alias, preference=preference, **shown) if order else _no_hits(),
        )
    except (ApiError, TransportError) as error:
        raise _unavailable(error) from None
    by_id = {h["_id"]: h for h in live["hits"]["hits"]}
    hits = [{**by_id[h["_id"]], "sort": h["sort"]} for h in order if h["_id"] in by_id]
    return response, hits, has_next, pit


async def _no_hits() -> dict[str, Any]:
    return {"hits": {"hits": []}}


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
    filter: SearchFilter | None,
    first: int | None,
    after: str | None,
    order_by: SearchOrder,
) -> SearchResultConnection:
    if len(query) > MAX_QUERY_LENGTH:
        raise UserInputError("query", f"at most {MAX_QUERY_LENGTH} characters")
    if any(ord(c) < 32 and c not in "\t\n\r" for c in query):
        raise UserInputError("query", "contains control characters")
    limit = page_size(first, info.context.settings.max_page_size)
    cursors = info.context.cursors
    cursor = _decode_cursor(cursors, after, order_by)
    kind_values = [k.value for k in kinds] if kinds else None
    request = SearchRequest(
        text=query,
        lang=lang,
        kinds=kind_values,
        filters=to_document_filter(filter),
        order=order_by,
        size=limit + 1,
        after=cursor.after if cursor else None,
    )
    es = info.context.es
    body = build_search(request, hit_source(info))
    alias = documents_alias(info.context.settings.es_index_prefix)
    response: Any
    if cursor is None:
        count_round_trip("elasticsearch")
        try:
            response = await es.search(index=alias, preference=_preference(body), **body)
        except (ApiError, TransportError) as error:
            raise _unavailable(error) from None
        hits = response["hits"]["hits"]
        has_next = len(hits) > limit
        hits, pit = hits[:limit], None
    else:
        response, hits, has_next, pit = await _later_page(es, alias, body, cursor, limit)

    edges = []
    for hit, document in zip(hits, await hit_documents(info, hits), strict=True):
        if document is None:
            continue  # removed from the graph since it was indexed
        kind = hit["_source"]["kind"]
        edges.append(
            SearchHitEdge(
                cursor=_encode_cursor(cursors, order_by, hit["sort"], pit),
                node=SearchHit(
                    document=document,
                    kind=DocumentKind[kind],
                    score=float(hit.get("_score") or 0.0),
                    highlights=[
                        *(f for fragments in hit.get("highlight", {}).values() for f in fragments),
                        *extract_highlights(hit),
                    ],
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
