"""Relay building blocks: opaque global IDs, keyset cursors and bounded connections."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Generic, TypeVar

import strawberry

from api.graphql.errors import UserInputError

NodeType = TypeVar("NodeType")


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


def _encode(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode(token: str) -> str:
    padded = token + "=" * (-len(token) % 4)
    return base64.urlsafe_b64decode(padded.encode()).decode()


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


def cursor_for(sort_key: str) -> str:
    return _encode(f"k:{sort_key}")


def parse_cursor(cursor: str | None, argument: str = "after") -> str | None:
    if cursor is None:
        return None
    try:
        prefix, key = _decode(cursor).split(":", 1)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        prefix, key = "", ""
    if prefix != "k":
        raise UserInputError(argument, "is not a cursor given by this connection")
    return key


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


def build_connection(
    nodes: list[NodeType],
    sort_keys: list[str],
    *,
    total: int,
    limit: int,
    after: str | None,
) -> Connection[NodeType]:
    """A connection from up to `limit + 1` nodes: the extra one only says a next page exists."""
    has_next = len(nodes) > limit
    nodes, sort_keys = nodes[:limit], sort_keys[:limit]
    edges = [Edge(cursor=cursor_for(k), node=n) for n, k in zip(nodes, sort_keys, strict=True)]
    return Connection(
        edges=edges, page_info=page_info([e.cursor for e in edges], has_next, after), total_count=total
    )
