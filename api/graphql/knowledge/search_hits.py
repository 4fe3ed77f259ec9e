"""The documents of a search's hits.

A search that asks of its documents only what the index holds (their id, key, title or
name, party and original language: what a list of results shows) gets them built from the
hits themselves; any other field makes them read from the graph through the DataLoaders,
one query per kind. The index holds only what anyone may see, and the graph's version of
each document (search/sync.py), so both give the same objects (tests/integration/
test_search_languages.py compares them). With the speed-up off
(SHERLOC_SPEEDUP_SEARCH_HITS_FROM_INDEX, api/speedups), every document is read from the graph.

Which fields the index serves, and from what, is declared on the fields themselves
(`from_index`, api/speedups/hints.py). A document built from a hit holds what those fields
read and nothing else: reading anything else of it (an attribute, a property of its record)
raises NotInIndex, so a field the index lacks can never show a made-up value
(tests/unit/test_speedups.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator, Mapping
from typing import Any, cast

from api import speedups
from api.graphql.context import ContextInfo
from api.graphql.knowledge.types import Case, CompetentAuthority, Legislation
from api.graphql.library.types import BibliographyEntry, Strategy
from api.graphql.lookahead import asked
from api.graphql.relay import Node, global_id
from api.graphql.reviews.types import ReviewPublication
from api.graphql.scalars import LanguageCode
from api.graphql.treaties.types import Treaty, TreatyAction
from api.speedups.hints import held_attributes, index_source, served_from_index
from graph.driver import Record
from graph.localized import localized_properties

BUILDERS: dict[str, tuple[str, Callable[[Record], Node]]] = {
    "LEGISLATION": ("Legislation", Legislation.from_record),
    "CASE": ("Case", Case.from_record),
    "COMPETENT_AUTHORITY": ("CompetentAuthority", CompetentAuthority.from_record),
    "REVIEW_DOCUMENT": ("Publication", ReviewPublication.from_record),
    "TREATY": ("Treaty", Treaty.from_record),
    "TREATY_ACTION": ("TreatyAction", TreatyAction.from_record),
    "STRATEGY": ("Strategy", Strategy.from_record),
    "BIBLIOGRAPHY": ("BibliographyEntry", BibliographyEntry.from_record),
}
# The kinds whose documents can be built from their hits.
_FROM_HITS: dict[str, type[Node]] = {
    "LEGISLATION": Legislation,
    "CASE": Case,
    "COMPETENT_AUTHORITY": CompetentAuthority,
}
# The fields of `edges.node.document` that documents built from their hits show, and the
# fields of a hit's `_source` they are built from (besides search/query.py's HIT_FIELDS).
FROM_INDEX = frozenset({"__typename"}) | served_from_index(*_FROM_HITS.values())
INDEX_SOURCE = index_source(*_FROM_HITS.values())


class NotInIndex(Exception):
    """A document built from a search hit was asked for what the index does not hold: the
    search should have read it from the graph (asks_only_indexed_fields)."""


class _HitProperties(Mapping[str, Any]):
    """A document's properties as its hit holds them: its title (or name) in each language.
    A language it lacks is missing, as in the graph's record; another property raises."""

    def __init__(self, field: str, texts: Mapping[str, str]) -> None:
        self._values = localized_properties(field, texts)
        self._prefix = field + "."

    def __getitem__(self, key: str) -> Any:
        found = self._values.get(key)
        if found is not None:
            return found
        if key.startswith(self._prefix):
            raise KeyError(key)
        raise NotInIndex(f"the property {key!r} of a document built from a search hit")

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


# How each attribute read by a field shown from the index is made from a hit (given the
# document's type name), as `from_record` makes it from the graph's record.
_MADE_FROM_HIT: dict[str, Callable[[str, dict[str, Any]], Any]] = {
    "id": lambda type_name, hit: global_id(type_name, hit["key"]),
    "key": lambda _, hit: hit["key"],
    "original_language": lambda _, hit: LanguageCode(hit["originalLanguage"]),
    "sample": lambda _, hit: bool(hit["sample"]),
    "party_code": lambda _, hit: hit["party"],
    "properties": lambda type_name, hit: _HitProperties(
        "name" if type_name == "CompetentAuthority" else "title", hit["titles"]
    ),
}


def _hit_class(cls: type[Node]) -> type[Node]:
    """`cls` for documents built from hits: the same GraphQL type, whose attributes that a
    hit does not give raise NotInIndex (Python asks `__getattr__` only for those)."""
    attributes = frozenset(getattr(cls, "__dataclass_fields__", ()))

    def __getattr__(self: Node, name: str) -> Any:
        if name in attributes:
            raise NotInIndex(f"{cls.__name__}.{name} of a document built from a search hit")
        raise AttributeError(name)

    def __repr__(self: Node) -> str:
        return f"<{cls.__name__} {self.id} built from a search hit>"

    return cast("type[Node]", type(cls.__name__, (cls,), {"__getattr__": __getattr__, "__repr__": __repr__}))


# Per kind, the class of its documents built from hits and how to make each attribute they
# hold (a KeyError here at import: a field's hint reads an attribute nothing above makes).
_HELD = {
    kind: (_hit_class(cls), tuple((name, _MADE_FROM_HIT[name]) for name in sorted(held_attributes(cls))))
    for kind, cls in _FROM_HITS.items()
}


def document_from_hit(kind: str, hit: dict[str, Any]) -> Node:
    """The document of a hit's `_source`, holding only what the index gives."""
    type_name = BUILDERS[kind][0]
    cls, attributes = _HELD[kind]
    document = object.__new__(cls)
    document.__dict__.update((name, make(type_name, hit)) for name, make in attributes)
    return document


def _speedup_on(info: ContextInfo) -> bool:
    return speedups.on(info.context.settings, speedups.SEARCH_HITS_FROM_INDEX)


def hit_source(info: ContextInfo) -> frozenset[str]:
    """What a search's hits bring of their documents for them to be built from the hits."""
    return INDEX_SOURCE if _speedup_on(info) else frozenset()


def asks_only_indexed_fields(info: ContextInfo) -> bool:
    """True when no field of `edges.node.document` lies beyond what the index holds."""
    fields = asked(info, "edges", "node", "document")
    return fields is not None and fields.keys() <= FROM_INDEX


async def hit_documents(info: ContextInfo, hits: list[dict[str, Any]]) -> list[Node | None]:
    """Each hit's document, or None for one the graph no longer holds."""
    from_index = _speedup_on(info) and asks_only_indexed_fields(info)
    loaders = info.context.loaders.document
    documents: list[Node | None] = [None] * len(hits)
    # Documents built from their hits need no task of their own; the others are loaded
    # together (their futures resolve in one query per kind).
    pending: list[tuple[int, Callable[[Record], Node], Awaitable[Record | None]]] = []
    for i, hit in enumerate(hits):
        source = hit["_source"]
        kind = source["kind"]
        # An index built before titles were kept by language (mapping version 4, until
        # `sherloc setup` rebuilds it) has no `titles`: those hits come from the graph.
        if from_index and kind in _HELD and "titles" in source:
            documents[i] = document_from_hit(kind, source)
        else:
            label, build = BUILDERS[kind]
            pending.append((i, build, loaders[label].load(source["key"])))
    if pending:
        records = await asyncio.gather(*(future for _, _, future in pending))
        for (i, build, _), record in zip(pending, records, strict=True):
            documents[i] = build(record) if record is not None else None
    return documents
