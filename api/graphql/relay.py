"""Relay building blocks: opaque global IDs, bounded connections and their paging (the
cursors are api/graphql/cursors.py's)."""

from __future__ import annotations

import binascii
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

import strawberry

from api.graphql.cursors import CursorCodec, b64url, key_position, unb64url
from api.graphql.errors import UserInputError

if TYPE_CHECKING:
    from api.graphql.context import Context

NodeType = TypeVar("NodeType")
N = TypeVar("N")
P = TypeVar("P")


@strawberry.interface(description="An object with a global ID, fetchable with Query.node")
class Node:
    id: strawberry.ID


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[NodeType]):
    cursor: str
    node: NodeType


@strawberry.type
class Connection(Generic[NodeType]):
    edges: list[Edge[NodeType]]
    page_info: PageInfo
    total_count: int


# Global IDs are base64url of "Type:key", unsigned: they name an object, which the viewer
# may read or not whoever wrote the ID, and they must not change when a key does.
def _encode(text: str) -> str:
    return b64url(text.encode())


def _decode(token: str) -> str:
    return unb64url(token).decode()


def global_id(type_name: str, key: str) -> strawberry.ID:
    return strawberry.ID(_encode(f"{type_name}:{key}"))


@dataclass(frozen=True)
class GlobalId:
    type_name: str
    key: str


def decode_global_id(value: str) -> GlobalId | None:
    """The type and key of an ID this API gave, or None for anything else."""
    try:
        type_name, key = _decode(value).split(":", 1)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return GlobalId(type_name, key)


def parse_global_id(value: str, argument: str = "id") -> GlobalId:
    ref = decode_global_id(value)
    if ref is None:
        raise UserInputError(argument, "is not an ID given by this API")
    return ref


def page_size(first: int | None, maximum: int, default: int = 20) -> int:
    if first is None:
        return min(default, maximum)
    if not 1 <= first <= maximum:
        raise UserInputError("first", f"must be between 1 and {maximum}, not {first}")
    return first


def page_info(cursors: list[str], has_next: bool, after: str | None) -> PageInfo:
    return PageInfo(
        has_next_page=has_next,
        has_previous_page=after is not None,
        start_cursor=cursors[0] if cursors else None,
        end_cursor=cursors[-1] if cursors else None,
    )


@dataclass(frozen=True)
class Paging(Generic[P]):
    """One page of a connection: how many nodes it shows, after which position (what the
    `after` cursor held), and the cursors of the nodes it shows. A list's own kind of
    cursor (`kind`) is refused by every other list."""

    cursors: CursorCodec
    kind: str
    limit: int
    after: str | None
    position: P | None

    @property
    def fetch(self) -> int:
        """How many nodes to read: one more than shown, which only says a next page exists."""
        return self.limit + 1

    def connection(self, nodes: Sequence[N], positions: Sequence[Any], total: int) -> Connection[N]:
        """The connection of up to `fetch` nodes read, each with its position (the payload
        of its cursor: anything JSON holds, as `read` of `paging` takes it back)."""
        limit = self.limit
        edges = [
            Edge(cursor=self.cursors.encode(self.kind, position), node=node)
            for node, position in zip(nodes[:limit], positions[:limit], strict=True)
        ]
        return Connection(
            edges=edges,
            page_info=page_info([e.cursor for e in edges], len(nodes) > limit, self.after),
            total_count=total,
        )


@overload
def paging(context: Context, kind: str, first: int | None, after: str | None) -> Paging[str]: ...


@overload
def paging(
    context: Context, kind: str, first: int | None, after: str | None, read: Callable[[Any], P]
) -> Paging[P]: ...


def paging(
    context: Context,
    kind: str,
    first: int | None,
    after: str | None,
    read: Callable[[Any], Any] = key_position,
) -> Paging[Any]:
    """The page `first` and `after` ask of the list `kind` (a keyset list by default: its
    cursors hold a node's sort key), both checked: `first` within the page size, `after` a
    cursor of this list signed by this deployment (else `after: is not a cursor given by
    this connection`)."""
    limit = page_size(first, context.settings.max_page_size)
    position = None if after is None else context.cursors.decode(kind, after, read)
    return Paging(context.cursors, kind, limit, after, position)
