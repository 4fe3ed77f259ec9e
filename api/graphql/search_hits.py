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
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection

from api.graphql import knowledge
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


class _Unknowable(Exception):
    """A directive decides at run time whether a field is asked."""


def _fields(selections: Iterable[Selection]) -> Iterator[SelectedField]:
    """The fields of a selection, through its fragments."""
    for selection in selections:
        if selection.directives:
            raise _Unknowable
        if isinstance(selection, SelectedField):
            yield selection
        elif isinstance(selection, InlineFragment | FragmentSpread):
            yield from _fields(selection.selections)


def asks_only_indexed_fields(info: ContextInfo) -> bool:
    """True when no field of `edges.node.document` lies beyond what the index holds."""
    try:
        fields = list(_fields(info.selected_fields))
        for name in ("search", "edges", "node", "document"):
            fields = [child for field in fields if field.name == name for child in _fields(field.selections)]
        return all(field.name in FROM_INDEX for field in fields)
    except _Unknowable:
        return False


def _record(source: dict[str, Any]) -> Record:
    """A document's record from its hit: what the index holds, and empty links (the search
    asked for none)."""
    title = "name" if source["kind"] == "COMPETENT_AUTHORITY" else "title"
    return {
        "key": source["key"],
        "party": source["party"],
        "originalLanguage": source["originalLanguage"],
        "sample": source["sample"],
        **localized_properties(title, source["titles"]),
        "court": "",
        "_articles": [],
        "_crimeTypes": [],
        "_applied": [],
        "_related": [],
    }


async def hit_documents(info: ContextInfo, hits: list[dict[str, Any]]) -> list[Node | None]:
    """Each hit's document, or None for one the graph no longer holds."""
    from_index = asks_only_indexed_fields(info)
    loaders = info.context.loaders.document

    async def document(source: dict[str, Any]) -> Node | None:
        label, build = BUILDERS[source["kind"]]
        # An index built before titles were kept by language (mapping version 4, until
        # `sherloc setup` rebuilds it) has no `titles`: those hits come from the graph.
        if from_index and source["kind"] in _KINDS_FROM_INDEX and "titles" in source:
            return build(_record(source))
        record = await loaders[label].load(source["key"])
        return build(record) if record is not None else None

    return list(await asyncio.gather(*(document(hit["_source"]) for hit in hits)))
