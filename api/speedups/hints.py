"""Hints declared on the GraphQL fields they serve (as a field's `metadata`), read by two
speed-ups (api/speedups):

- `shows_link(link, documents)` on a field of a law or a case: the field shows a link of
  graph.knowledge.LINK_KEYS and, for a link to laws or cases, the linked documents a page can
  read in its own query (graph.knowledge.LINKED_DOCUMENTS). A page reads only the links of
  the fields it asks (PAGE_PROJECTIONS, api/graphql/knowledge/pages.py).
- `from_index(*source, reads=...)` on a field of a document a search finds: the field can be
  shown from these fields of a hit's `_source`, through these attributes of the object (by
  default the field's own). A search asking only such fields builds its documents from the
  hits (SEARCH_HITS_FROM_INDEX, api/graphql/knowledge/search_hits.py); those documents hold those
  attributes and no others.

The maps the speed-ups use are derived from these declarations; a field added without its
hint is read the plain way (loaded from the graph), or shows an empty link, which the
tests that compare a page with its documents read one by one catch.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from strawberry.schema.name_converter import NameConverter
from strawberry.types.base import get_object_definition
from strawberry.types.field import StrawberryField

_LINK = "sherloc.shows_link"
_INDEX = "sherloc.from_index"
_NAMES = NameConverter()  # the schema's (api/graphql/schema.py keeps the default)


@dataclass(frozen=True)
class ShowsLink:
    link: str  # of graph.knowledge.LINK_KEYS
    documents: str | None = None  # of graph.knowledge.LINKED_DOCUMENTS


@dataclass(frozen=True)
class FromIndex:
    source: tuple[str, ...]  # fields of a hit's `_source`
    reads: tuple[str, ...]  # attributes of the object; none given: the field's own


def shows_link(link: str, documents: str | None = None) -> dict[str, Any]:
    """The `metadata` of a field showing a document's link."""
    return {_LINK: ShowsLink(link, documents)}


def from_index(*source: str, reads: Iterable[str] = ()) -> dict[str, Any]:
    """The `metadata` of a field that a document built from a search hit can show."""
    return {_INDEX: FromIndex(source, tuple(reads))}


def _fields(types: Iterable[type]) -> Iterator[tuple[type, str, StrawberryField]]:
    """Each field of each type, with its GraphQL name."""
    for cls in types:
        for field in get_object_definition(cls, strict=True).fields:
            yield cls, _NAMES.from_field(field), field


def links_of(*types: type) -> dict[str, ShowsLink]:
    """The link each field of these types shows, by the field's GraphQL name."""
    found: dict[str, ShowsLink] = {}
    for cls, name, field in _fields(types):
        hint = field.metadata.get(_LINK)
        if hint is not None and found.setdefault(name, hint) != hint:
            raise ValueError(f"{cls.__name__}.{name} shows another link than {name} elsewhere")
    return found


def served_from_index(*types: type) -> frozenset[str]:
    """The fields, by GraphQL name, that documents of these types show from a search hit:
    declared so on every type that has a field of that name (the fields a search asks of its
    documents are known by name only, whatever the type)."""
    declared: set[str] = set()
    undeclared: set[str] = set()
    for _, name, field in _fields(types):
        (declared if _INDEX in field.metadata else undeclared).add(name)
    return frozenset(declared - undeclared)


def index_source(*types: type) -> frozenset[str]:
    """The fields of a hit's `_source` that documents of these types are built from."""
    return frozenset(
        source
        for _, _, field in _fields(types)
        if (hint := field.metadata.get(_INDEX)) is not None
        for source in hint.source
    )


def held_attributes(cls: type) -> frozenset[str]:
    """The attributes that the fields of `cls` shown from a search hit read."""
    held: set[str] = set()
    for _, name, field in _fields([cls]):
        hint = field.metadata.get(_INDEX)
        if hint is None:
            continue
        if hint.reads:
            held.update(hint.reads)
        elif field.base_resolver is None:
            held.add(field.python_name)
        else:
            raise ValueError(f"{cls.__name__}.{name} has a resolver: its hint says what it reads")
    return frozenset(held)
