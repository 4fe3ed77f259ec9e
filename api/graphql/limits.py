"""The limits every GraphQL document is held to, checked before its validation.

graphql-core's validation is thorough but not cheap for every shape of document: the rule
"fields with the same name can be merged" compares the fields of a response name pairwise
(1,200 copies of `instruments { code }` kept a core busy for 1.6 s before the request was
refused), and variables are coerced item by item (100,000 kinds took 0.5 s). So the shape
of a document and the size of its lists are checked first, in one walk, and refused with
a message naming the limit; validation (cached per document) runs only on what passes.
The cost of the costly fields is a validation rule of its own (`cost_rule`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    ValueNode,
    VariableNode,
)
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from api.graphql.errors import UserInputError


@dataclass(frozen=True)
class DocumentLimits:
    max_selections: int = 1000
    """fields, fragment spreads and inline fragments in a document, all selection sets together"""
    max_repeats: int = 10
    """times one response name (or one fragment) may be selected in one selection set"""
    max_list_items: int = 300
    """items of any list argument, given in the document or in the variables (the largest
    list a client needs is a filter on every party: about 200)"""
    max_cost: int = 100
    """the sum of the costs of the costly fields (`COSTS`) a document selects"""


# Fields that cost far more than reading a page: what one costs against `max_cost`.
COSTS: Mapping[tuple[str, str], int] = {
    ("Query", "verifyDraw"): 25,  # recomputes a draw (cached per process once computed)
    ("Query", "search"): 10,  # an Elasticsearch query with its facets
    ("Query", "legalBasis"): 5,  # four reads in one round trip, and a page of precedents
}


def _limit_error(message: str, limit: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "QUERY_TOO_LARGE", "limit": limit})


def _operations(document: DocumentNode) -> list[OperationDefinitionNode]:
    return [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]


def _selection_sets(document: DocumentNode) -> Iterator[SelectionSetNode]:
    pending = [
        d.selection_set
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode | FragmentDefinitionNode)
    ]
    while pending:
        selection_set = pending.pop()
        yield selection_set
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode | InlineFragmentNode) and selection.selection_set:
                pending.append(selection.selection_set)


def _shape_problem(document: DocumentNode, limits: DocumentLimits) -> GraphQLError | None:
    selections = 0
    for selection_set in _selection_sets(document):
        names: Counter[str] = Counter()
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                names[(selection.alias or selection.name).value] += 1
            elif isinstance(selection, FragmentSpreadNode):
                names["..." + selection.name.value] += 1
        if names:
            name, times = names.most_common(1)[0]
            if times > limits.max_repeats:
                return _limit_error(
                    f"'{name}' is selected {times} times in one selection set; "
                    f"at most {limits.max_repeats} (once is enough: the answer is the same)",
                    "maxRepeats",
                )
        selections += len(selection_set.selections)
        if selections > limits.max_selections:
            return _limit_error(
                f"the document selects more than {limits.max_selections} fields and fragments: "
                "split it into several requests",
                "maxSelections",
            )
    return None


def _argument_uses(document: DocumentNode) -> tuple[dict[str, str], list[tuple[str, ListValueNode]]]:
    """Where each variable is used (the argument it stands for, e.g. "filter.parties") and
    the literal lists of the document with the argument each belongs to."""
    variables: dict[str, str] = {}
    literals: list[tuple[str, ListValueNode]] = []

    def visit(name: str, value: ValueNode) -> None:
        if isinstance(value, VariableNode):
            variables.setdefault(value.name.value, name)
        elif isinstance(value, ListValueNode):
            literals.append((name, value))
            for item in value.values:
                visit(name, item)
        elif isinstance(value, ObjectValueNode):
            for field in value.fields:
                visit(f"{name}.{field.name.value}", field.value)

    for selection_set in _selection_sets(document):
        for selection in selection_set.selections:
            for argument in getattr(selection, "arguments", None) or ():
                visit(argument.name.value, argument.value)
    for operation in _operations(document):
        for definition in operation.variable_definitions or ():
            if definition.default_value is not None:
                visit(f"${definition.variable.name.value}", definition.default_value)
    return variables, literals


def _long_list(value: Any, path: str, limit: int) -> tuple[str, int] | None:
    """The path and length of a list longer than `limit` in a variable's value, if any
    (the items of a list are looked at only when it is within the limit)."""
    pending: list[tuple[str, Any]] = [(path, value)]
    while pending:
        at, current = pending.pop()
        if isinstance(current, list):
            if len(current) > limit:
                return at, len(current)
            pending.extend((at, item) for item in current if isinstance(item, list | dict))
        elif isinstance(current, dict):
            pending.extend((f"{at}.{k}", v) for k, v in current.items() if isinstance(v, list | dict))
    return None


def _list_problem(
    document: DocumentNode, variables: Mapping[str, Any] | None, limits: DocumentLimits
) -> GraphQLError | None:
    uses, literals = _argument_uses(document)
    limit = limits.max_list_items
    for argument, literal in literals:
        if len(literal.values) > limit:
            return UserInputError(argument, f"at most {limit:,} items ({len(literal.values):,} given)")
    for name, value in (variables or {}).items():
        found = _long_list(value, uses.get(name, f"${name}"), limit)
        if found is not None:
            path, length = found
            return UserInputError(path, f"at most {limit:,} items ({length:,} given)")
    return None


def _operation_problem(document: DocumentNode, operation_name: str | None) -> GraphQLError | None:
    operations = _operations(document)
    if operation_name is None and len(operations) > 1:
        names = ", ".join(o.name.value if o.name else "(anonymous)" for o in operations)
        return GraphQLError(
            f"operationName: the document holds {len(operations)} operations ({names}); say which one to run",
            extensions={"code": "BAD_REQUEST"},
        )
    return None


def document_problems(
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
    limits: DocumentLimits,
) -> list[GraphQLError]:
    """What makes a document unfit to run, found in one cheap walk (at most one error)."""
    problem = (
        _operation_problem(document, operation_name)
        or _shape_problem(document, limits)
        or _list_problem(document, variables, limits)
    )
    return [problem] if problem is not None else []


# Each document is validated once per process (a search's validation cost ~3 ms), as
# strawberry's ValidationCache does; bounded, so distinct documents cannot grow memory.
_validate = lru_cache(maxsize=128)(validate_document)


class LimitedValidation(SchemaExtension):
    """Checks a document's shape, operations and lists, then validates it (cached, unless
    the speed-up is off: SHERLOC_SPEEDUP_DOCUMENT_CACHE)."""

    def __init__(self, limits: DocumentLimits, cached: bool = True) -> None:
        super().__init__()
        self.limits = limits
        self.validate = _validate if cached else validate_document

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        assert context.graphql_document is not None
        # strawberry answers `operation_name` with the first operation's name when the
        # request gave none, so it would run the first of several: the name as given.
        given = context._provided_operation_name
        problems = document_problems(context.graphql_document, given, context.variables, self.limits)
        if problems:
            context.pre_execution_errors = problems
        else:
            context.pre_execution_errors = self.validate(
                context.schema._schema, context.graphql_document, context.validation_rules
            )
        yield


def cost_rule(costs: Mapping[tuple[str, str], int], max_cost: int) -> type[ValidationRule]:
    """A validation rule refusing a document whose costly fields cost more than `max_cost`
    together (each occurrence counted: aliases run a field again)."""

    class CostRule(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self.spent: Counter[str] = Counter()

        def enter_field(self, node: FieldNode, *_: Any) -> None:
            parent = self.context.get_parent_type()
            if parent is not None and (parent.name, node.name.value) in costs:
                self.spent[f"{parent.name}.{node.name.value}"] += costs[(parent.name, node.name.value)]

        def leave_document(self, *_: Any) -> None:
            total = sum(self.spent.values())
            if total > max_cost:
                detail = ", ".join(
                    f"{field} {costs[tuple(field.split('.'))]} each"  # type: ignore[index]
                    for field in sorted(self.spent)
                )
                self.report_error(
                    GraphQLError(
                        f"the document costs {total}, more than {max_cost} ({detail}): "
                        "split it into several requests",
                        extensions={"code": "QUERY_TOO_COSTLY", "limit": "maxCost"},
                    )
                )

    return CostRule
