"""The documents of a search's hits.

A search that asks of its documents only what the index holds (their id, key, title or
name, party and original language: what a list of results shows) gets them built from the
hits themselves; any other field makes them read from the graph through the DataLoaders,
one query per kind. The index holds only what anyone may see, and the graph's version of
each document (search/sync.py), so both give the same objects (tests/integration/
test_search_languages.py compares them).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from api.graphql import knowledge
from api.graphql.lookahead import asked
from api.graphql.relay import Node
from api.graphql.reviews import ReviewPublication
from api.graphql.types import ContextInfo
from graph.driver import Record
from graph.localized import localized_properties

BUILDERS: dict[str, tuple[str, Callable[[Record], Node]]] = {
    "LEGISLATION": ("Legislation", knowledge.Legislation.from_record),
    "CASE": ("Case", knowledge.Case.from_record),
    "COMPETENT_AUTHORITY": ("CompetentAuthority", knowledge.CompetentAuthority.from_record),
    "REVIEW_DOCUMENT": ("Publication", ReviewPublication.from_record),
}
# What a hit's `_source` holds of its document (search/query.py `SOURCE`, search/documents.py).
FROM_INDEX = frozenset({"__typename", "id", "key", "title", "name", "party", "originalLanguage", "sample"})
_KINDS_FROM_INDEX = {"LEGISLATION", "CASE", "COMPETENT_AUTHORITY"}


def asks_only_indexed_fields(info: ContextInfo) -> bool:
    """True when no field of `edges.node.document` lies beyond what the index holds."""
    fields = asked(info, "edges", "node", "document")
    return fields is not None and fields.keys() <= FROM_INDEX


def _record(source: dict[str, Any]) -> Record:
    """A document's record from its hit: what the index holds (the search asked for
    nothing else, its links least of all)."""
    title = "name" if source["kind"] == "COMPETENT_AUTHORITY" else "title"
    return {
        "key": source["key"],
        "party": source["party"],
        "originalLanguage": source["originalLanguage"],
        "sample": source["sample"],
        **localized_properties(title, source["titles"]),
        "court": "",
    }


async def hit_documents(info: ContextInfo, hits: list[dict[str, Any]]) -> list[Node | None]:
    """Each hit's document, or None for one the graph no longer holds."""
    from_index = asks_only_indexed_fields(info)
    loaders = info.context.loaders.document
    documents: list[Node | None] = [None] * len(hits)
    # Documents built from their hits need no task of their own; the others are loaded
    # together (their futures resolve in one query per kind).
    pending: list[tuple[int, Callable[[Record], Node], Awaitable[Record | None]]] = []
    for i, hit in enumerate(hits):
        source = hit["_source"]
        label, build = BUILDERS[source["kind"]]
        # An index built before titles were kept by language (mapping version 4, until
        # `sherloc setup` rebuilds it) has no `titles`: those hits come from the graph.
        if from_index and source["kind"] in _KINDS_FROM_INDEX and "titles" in source:
            documents[i] = build(_record(source))
        else:
            pending.append((i, build, loaders[label].load(source["key"])))
    if pending:
        records = await asyncio.gather(*(future for _, _, future in pending))
        for (i, build, _), record in zip(pending, records, strict=True):
            documents[i] = build(record) if record is not None else None
    return documents
