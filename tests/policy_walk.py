"""Walking the schema for the policy: which fields are restricted, and a selection of every
field of a type.

A restricted field is one declared `restricted(...)` (api/policy/fields.py): its value is
empty for the viewers its rule refuses, or its rows are filtered by the request's Reader.
`selection(schema, type)` selects every field of a type and, recursively, of the value
objects it holds (types without an `id`); a type with an `id` is selected by its `id` alone,
since it is walked as a sample of its own (tests/integration/test_policy_walk.py).
"""

from __future__ import annotations

from typing import Any

import strawberry
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLUnionType,
    Undefined,
    get_named_type,
)
from strawberry.types.base import StrawberryObjectDefinition

from api.policy.fields import ReadRule, rule_of

# Restricted fields the walk of samples through `node` does not reach, and the tests that
# check them against the policy instead.
WALKED_ELSEWHERE = {
    "Redraw.reason": "tests/integration/test_redraws.py::"
    "test_a_replacement_is_asked_by_the_state_under_review_with_its_reason",
    "Query.users": "tests/integration/test_policy_walk.py::"
    "test_accounts_and_overdue_reviews_are_listed_as_the_policy_says",
    "Query.overdue": "tests/integration/test_policy_walk.py::"
    "test_accounts_and_overdue_reviews_are_listed_as_the_policy_says",
    "Query.competentAuthorityChanges": "tests/integration/test_authority_directory.py::"
    "test_the_log_is_read_as_the_policy_says",
    "Query.staleCompetentAuthorities": "tests/integration/test_authority_directory.py::"
    "test_entries_not_confirmed_for_a_year_are_listed_for_the_secretariat_only",
}

# Arguments a field requires, given for the walk: "Type.field" -> the arguments.
ARGUMENTS = {
    "Instrument.article": "(number: 5)",
}


def restricted_fields(schema: strawberry.Schema) -> dict[str, ReadRule]:
    """ "Type.field" -> the rule of every field declared restricted."""
    found = {}
    for name in schema._schema.type_map:
        definition = schema.get_type_by_name(name)
        if not isinstance(definition, StrawberryObjectDefinition):
            continue
        for field in definition.fields:
            rule = rule_of(field)
            if rule is not None:
                found[f"{name}.{schema.config.name_converter.get_graphql_name(field)}"] = rule
    return found


def _has_id(kind: GraphQLNamedType) -> bool:
    return isinstance(kind, GraphQLObjectType | GraphQLInterfaceType) and "id" in kind.fields


def _arguments(coordinate: str, field: GraphQLField) -> str:
    required = [
        name
        for name, argument in field.args.items()
        if isinstance(argument.type, GraphQLNonNull) and argument.default_value is Undefined
    ]
    if not required:
        return ""
    if coordinate not in ARGUMENTS:
        raise KeyError(f"{coordinate} requires {required}: give them in tests/policy_walk.py ARGUMENTS")
    return ARGUMENTS[coordinate]


def selection(schema: strawberry.Schema, type_name: str, *, root: bool = True) -> str:
    """`{ ... }` selecting every field of `type_name` and of the value objects it holds."""
    kind = schema._schema.type_map[type_name]
    if not root and _has_id(kind):
        return "{ id }"
    if isinstance(kind, GraphQLUnionType):
        members = " ".join(f"... on {m.name} {selection(schema, m.name, root=False)}" for m in kind.types)
        return "{ __typename " + members + " }"
    assert isinstance(kind, GraphQLObjectType), type_name
    parts = []
    for name, field in kind.fields.items():
        target = get_named_type(field.type)
        arguments = _arguments(f"{type_name}.{name}", field)
        if isinstance(target, GraphQLScalarType | GraphQLEnumType):
            parts.append(name + arguments)
        else:
            parts.append(f"{name}{arguments} {selection(schema, target.name, root=False)}")
    return "{ " + " ".join(parts) + " }"


def coordinates_of(schema: strawberry.Schema, type_name: str, value: Any) -> list[tuple[str, Any]]:
    """Every ("Type.field", value) of a response to `selection(schema, type_name)`, depth first."""
    found: list[tuple[str, Any]] = []
    kind = schema._schema.type_map[type_name]
    if value is None or not isinstance(kind, GraphQLObjectType | GraphQLUnionType):
        return found
    if isinstance(value, list):
        for item in value:
            found += coordinates_of(schema, type_name, item)
        return found
    if isinstance(kind, GraphQLUnionType):
        kind = schema._schema.type_map[value["__typename"]]
        assert isinstance(kind, GraphQLObjectType)
    for name, field in kind.fields.items():
        if name not in value:
            continue
        found.append((f"{kind.name}.{name}", value[name]))
        found += coordinates_of(schema, get_named_type(field.type).name, value[name])
    return found
