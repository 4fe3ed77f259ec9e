"""What a query asks below the field being resolved, known before its children run.

A resolver uses it to read in its own query what the fields below it will need: a page of
cases reads the laws they applied when the page asks for them (api/graphql/knowledge/pages.py),
and a search builds its documents from the index when it asks only what the index holds
(api/graphql/knowledge/search_hits.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection

from api.graphql.context import ContextInfo

# The fields asked, by name, each with the fields asked below it (fragments of any type
# merged in; aliases do not matter).
Asked = dict[str, "Asked"]


# `@include` and `@skip` can only take fields away: a field under them counts as asked
# (reading what is then not shown costs time, never correctness).
_REMOVING = frozenset({"include", "skip"})


class _Unknowable(Exception):
    """Another directive may change what a field needs."""


def _merge(selections: Iterable[Selection], into: Asked) -> Asked:
    for selection in selections:
        if selection.directives.keys() - _REMOVING:
            raise _Unknowable
        if isinstance(selection, SelectedField):
            _merge(selection.selections, into.setdefault(selection.name, {}))
        elif isinstance(selection, InlineFragment | FragmentSpread):
            _merge(selection.selections, into)
    return into


def asked(info: ContextInfo, *path: str) -> Asked | None:
    """The fields that may be asked at `path` below the field being resolved, or None when
    a directive other than `@include` and `@skip` makes that unknowable before running. In
    `Query.cases`, `asked(info, "edges", "node")` gives the fields asked of each case."""
    try:
        tree: Asked = {}
        for field in info.selected_fields:
            if field.directives.keys() - _REMOVING:
                raise _Unknowable
            _merge(field.selections, tree)
    except _Unknowable:
        return None
    for name in path:
        tree = tree.get(name, {})
    return tree
