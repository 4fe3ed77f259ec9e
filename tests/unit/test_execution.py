"""The flat completion of lists (api/graphql/execution.py) gives exactly what graphql-core's
general completion gives: the same data and the same errors, at the same paths."""

from __future__ import annotations

from enum import Enum
from typing import Any

import pytest
import strawberry
from strawberry.permission import BasePermission

from api.graphql import execution
from api.graphql.execution import FlatExecutionContext


@strawberry.enum
class Colour(Enum):
    RED = "red"
    BLUE = "blue"


class Refused(BasePermission):
    message = "not for this viewer"

    def has_permission(self, source: Any, info: Any, **kwargs: Any) -> bool:
        return False


@strawberry.type
class Bucket:
    key: str
    count: int
    colour: Colour | None = None
    note: str | None = None
    shown_as: str = strawberry.field(name="label", default="a label")
    secret: str = strawberry.field(default="hidden", permission_classes=[Refused])

    @strawberry.field
    def doubled(self) -> int:
        return self.count * 2


@strawberry.type
class Query:
    @strawberry.field
    def buckets(self) -> list[Bucket]:
        return [Bucket(key="a", count=1, colour=Colour.RED), Bucket(key="b", count=2, note="x")]

    @strawberry.field
    def with_a_missing_key(self) -> list[Bucket]:
        return [Bucket(key="a", count=1), Bucket(key=None, count=2)]  # type: ignore[arg-type]

    @strawberry.field
    def with_a_bad_count(self) -> list[Bucket]:
        return [Bucket(key="a", count=1), Bucket(key="b", count=2**40)]

    @strawberry.field
    def with_a_null_item(self) -> list[Bucket | None]:
        return [Bucket(key="a", count=1), None]

    @strawberry.field
    def with_a_null_required_item(self) -> list[Bucket]:
        return [Bucket(key="a", count=1), None]  # type: ignore[list-item]

    @strawberry.field
    def numbers(self) -> list[int]:
        return [1, 2, 3]

    @strawberry.field
    def bucket(self) -> Bucket:
        return Bucket(key="a", count=1, colour=Colour.BLUE)

    @strawberry.field
    def no_bucket(self) -> Bucket | None:
        return None

    @strawberry.field
    def broken_bucket(self) -> Bucket | None:
        return Bucket(key=None, count=1)  # type: ignore[arg-type]


QUERIES = [
    "{ buckets { key count colour note label } }",
    "{ buckets { k: key c: count __typename key } }",
    "{ buckets { ... on Bucket { key } ...more } } fragment more on Bucket { count }",
    "{ buckets { key doubled } }",  # a resolver: the general way
    "{ buckets { key secret } }",  # a permission: the general way, which refuses it
    "{ buckets { key count @include(if: false) } }",
    "{ withAMissingKey { key count } }",
    "{ withABadCount { key count } }",
    "{ withANullItem { key } }",
    "{ withANullRequiredItem { key } }",
    "{ numbers }",
    "{ bucket { key count colour label __typename } }",
    "{ bucket { key secret } }",
    "{ noBucket { key } }",
    "{ brokenBucket { key } }",
]


def _run(query: str, context_class: Any) -> dict[str, Any]:
    schema = strawberry.Schema(query=Query, execution_context_class=context_class)
    result = schema.execute_sync(query)
    return {
        "data": result.data,
        "errors": [(e.message, e.path) for e in result.errors or []],
    }


@pytest.mark.parametrize("query", QUERIES)
def test_both_ways_give_the_same_answer(query: str) -> None:
    assert _run(query, FlatExecutionContext) == _run(query, None)


def test_a_field_with_a_permission_is_never_read_flat() -> None:
    answer = _run("{ buckets { key secret } }", FlatExecutionContext)
    assert answer["data"] is None
    assert answer["errors"] == [("not for this viewer", ["buckets", 0, "secret"])]


def test_plain_objects_take_the_flat_way(monkeypatch: pytest.MonkeyPatch) -> None:
    flat: list[int] = []
    complete = execution._FlatPlan.complete

    def counted(self: execution._FlatPlan, items: list[Any], *args: Any) -> list[Any] | None:
        completed = complete(self, items, *args)
        if completed is not None:
            flat.append(len(completed))
        return completed

    monkeypatch.setattr(execution._FlatPlan, "complete", counted)

    def flat_after(query: str) -> list[int]:
        flat.clear()
        _run(query, FlatExecutionContext)
        return list(flat)

    assert flat_after("{ buckets { key count colour } }") == [2]  # the list as a whole
    assert flat_after("{ bucket { key count } }") == [1]
    assert flat_after("{ buckets { key doubled } }") == []
    assert flat_after("{ buckets { key secret } }") == []
    assert flat_after("{ bucket { key secret } }") == []
    # The list goes the general way; its first item, plain, is completed flat.
    assert flat_after("{ withAMissingKey { key } }") == [1]
