"""A faster completion of plain objects, such as a search's facet buckets or a title.

graphql-core completes every field of every object through the same general machinery
(resolve info, path, awaitable checks, completion by type): ~4 µs a field. An object asked
only for scalar fields that read an attribute (no resolver, no field extension such as a
permission, no arguments, no directive) needs none of it: it becomes a dict of its
attributes, coerced as graphql-core coerces them; so does each item of a list of such
objects. The ~360 facet buckets of a search took ~3.5 ms; they now take ~0.7 ms. A page of
100 cases has ~340 such objects (`title { text }`, `party { code }`).

Anything else goes the general way, and so does any list where an item or a value is
not plain (None, awaitable, of another type, refused by coercion): that way errors are
reported exactly as graphql-core reports them. tests/unit/test_execution.py checks that
both ways give the same answers.

Execution also stops at the request's deadline (api/deadline.py): no field resolves past it.
That is DeadlineExecutionContext, graphql-core's completion and nothing else: what runs when
the speed-up is off (SHERLOC_SPEEDUP_FLAT_COMPLETION=off, api/speedups).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from operator import attrgetter
from types import GeneratorType
from typing import Any, cast

from graphql import (
    GraphQLBoolean,
    GraphQLField,
    GraphQLID,
    GraphQLInt,
    GraphQLLeafType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLResolveInfo,
    GraphQLString,
    Undefined,
    is_leaf_type,
    is_non_null_type,
)
from graphql.execution.collect_fields import FieldDetailsList
from graphql.pyutils import AwaitableOrValue, Path
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from api import deadline

_TYPENAME = "__typename"


_MAX_INT = 2**31
# The leaf types whose coercion returns a value of this Python type unchanged (an Int
# also needs to fit in 32 bits).
_UNCHANGED: dict[GraphQLLeafType, type[Any]] = {
    GraphQLString: str,
    GraphQLID: str,
    GraphQLInt: int,
    GraphQLBoolean: bool,
}


@dataclass(frozen=True)
class _Leaf:
    key: str  # the response key (the alias, if any)
    read: Callable[[Any], Any] | None  # the attribute of an item; None for __typename
    type: GraphQLLeafType | None
    non_null: bool

    def coerce(self, value: Any) -> Any:
        """As graphql-core coerces the value."""
        assert self.type is not None
        return self.type.coerce_output_value(value)


def _attribute(field: GraphQLField) -> Callable[[Any], Any] | None:
    """What strawberry does to resolve a field that has no resolver and no extension (a
    permission is one): read the attribute with getattr, its default. None for any other
    field."""
    definition = (field.extensions or {}).get("strawberry-definition")
    if definition is None or not definition.is_basic_field or definition.default_resolver is not getattr:
        return None
    return attrgetter(definition.python_name)


@dataclass(frozen=True)
class _FlatPlan:
    """How to complete the objects of one field (its value, or the items of its list): each
    field asked of them, in order."""

    object_type: GraphQLObjectType
    leaves: tuple[_Leaf, ...]

    @cached_property
    def _steps(self) -> tuple[tuple[str, Callable[[Any], Any] | None, type[Any] | None, _Leaf], ...]:
        """Per leaf: its key, how to read it, and the Python type of the values its coercion
        returns as they are."""
        return tuple(
            (leaf.key, leaf.read, _UNCHANGED.get(leaf.type) if leaf.type is not None else None, leaf)
            for leaf in self.leaves
        )

    def complete(
        self, items: list[Any], info: GraphQLResolveInfo[Any], is_awaitable: Callable[[Any], bool]
    ) -> list[Any] | None:
        """The completed items, or None when an item needs the general way."""
        type_name = self.object_type.name
        is_type_of = self.object_type.is_type_of
        steps = self._steps
        completed: list[Any] = []
        plain: type[Any] | None = None  # the last item type known not to be awaitable
        try:
            for item in items:
                kind = type(item)
                if kind is not plain:
                    # Whether an object can be awaited depends on its type (not so for a
                    # generator: a generator-based coroutine is one), so a type is checked once.
                    if item is None or kind is GeneratorType or is_awaitable(item):
                        return None
                    plain = kind
                if is_type_of is not None and is_type_of(item, info) is not True:
                    return None
                row: dict[str, Any] = {}
                for key, read, unchanged, leaf in steps:
                    if read is None:
                        row[key] = type_name
                        continue
                    value = read(item)
                    if type(value) is unchanged and (unchanged is not int or -_MAX_INT <= value < _MAX_INT):
                        row[key] = value
                        continue
                    if value is None:
                        if leaf.non_null:
                            return None
                        row[key] = None
                        continue
                    if is_awaitable(value):
                        return None
                    coerced = leaf.coerce(value)
                    if coerced is None or coerced is Undefined:
                        return None
                    row[key] = coerced
                completed.append(row)
        except Exception:  # the general way reports it where it belongs
            return None
        return completed


class DeadlineExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's execution, no field resolving past the request's deadline."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline = deadline.current()

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: FieldDetailsList,
        path: Path,
        position_context: Any,
    ) -> Any:
        # Resolving many fields holds the CPU without awaiting, where the request's time
        # limit (a cancellation) cannot reach it: past the deadline, no field resolves.
        if self._deadline is not None and time.monotonic() > self._deadline:
            raise deadline.past_deadline()
        return super().execute_field(parent_type, source, field_details_list, path, position_context)


class FlatExecutionContext(DeadlineExecutionContext):
    """The deadline's execution, completing plain objects flat (the speed-up)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # By the identity of the field's nodes (as graphql-core memoizes its sub-fields)
        # and the item type (a list of lists meets the same nodes twice).
        self._flat_plans: dict[tuple[int, int], tuple[FieldDetailsList, _FlatPlan | None]] = {}

    def complete_iterable_value(
        self,
        item_type: GraphQLOutputType,
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        path: Path,
        items: Iterable[Any],
        position_context: Any,
    ) -> AwaitableOrValue[list[Any]]:
        flat = self._flat_plan(item_type, field_details_list, path)
        if flat is not None:
            items = items if isinstance(items, list) else list(items)
            completed = flat.complete(items, info, self.is_awaitable)
            if completed is not None:
                return completed
        return super().complete_iterable_value(
            item_type, field_details_list, info, path, items, position_context
        )

    def complete_object_value(
        self,
        return_type: GraphQLObjectType,
        field_details_list: FieldDetailsList,
        info: GraphQLResolveInfo[Any],
        path: Path,
        result: Any,
        position_context: Any,
    ) -> AwaitableOrValue[dict[str, Any]]:
        flat = self._flat_plan(return_type, field_details_list, path)
        if flat is not None:
            completed = flat.complete([result], info, self.is_awaitable)
            if completed is not None:
                return cast("dict[str, Any]", completed[0])
        return super().complete_object_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def _flat_plan(
        self, item_type: GraphQLOutputType, field_details_list: FieldDetailsList, path: Path
    ) -> _FlatPlan | None:
        key = (id(field_details_list), id(item_type))
        memo = self._flat_plans.get(key)
        if memo is not None and memo[0] is field_details_list:
            return memo[1]
        flat = self._plan(item_type, field_details_list, path)
        self._flat_plans[key] = (field_details_list, flat)
        return flat

    def _plan(
        self, item_type: GraphQLOutputType, field_details_list: FieldDetailsList, path: Path
    ) -> _FlatPlan | None:
        """How to complete the items flat, or None if they must go the general way."""
        # Strawberry always gives a middleware manager, holding the schema extensions that
        # wrap resolvers (none here): with any of them, fields go the general way.
        middleware = self.middleware_manager
        if middleware is not None and middleware.middlewares:
            return None
        if self.get_stream_usage(field_details_list, path):
            return None
        object_type = item_type.of_type if isinstance(item_type, GraphQLNonNull) else item_type
        if not isinstance(object_type, GraphQLObjectType):
            return None
        collected = self.collect_subfields(object_type, field_details_list)
        if collected.new_defer_usages:
            return None
        leaves: list[_Leaf] = []
        for key, details in collected.grouped_field_set.items():
            node = details[0].node
            if any(d.defer_usage is not None for d in details) or node.arguments or node.directives:
                return None
            name = node.name.value
            if name == _TYPENAME:
                leaves.append(_Leaf(key, None, None, True))
                continue
            field = object_type.fields.get(name)
            read = _attribute(field) if field is not None else None
            if field is None or read is None:
                return None
            field_type = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
            if not is_leaf_type(field_type):
                return None
            leaves.append(_Leaf(key, read, field_type, is_non_null_type(field.type)))
        return _FlatPlan(object_type, tuple(leaves))
