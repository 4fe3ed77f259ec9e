"""Fields that come back empty for some viewers, declared where the field is.

    @strawberry.field(extensions=[restricted(rules.authority_contact)])
    async def contact(self, info: ContextInfo) -> AuthorityContact | None: ...

A field declared `restricted(rule)` resolves only for viewers `rule` lets read it; for
the others it is its empty value (null, or [] for a list) and its resolver does not run.
`restricted(ROWS)` declares a field whose rows the request's Reader filters
(api/policy/reader.py): answers, the dialogue, a list of observations. Either way the
declaration is what tests/integration/test_policy_walk.py finds when it walks the schema:
every restricted field, and every field of the types they lead to, must be reached by the
authorization matrices.

The rules are the named functions below, each a question to mechanism/ about one source
object; a source offers what its rule needs through a small protocol.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from strawberry.extensions.field_extension import FieldExtension
from strawberry.types.base import StrawberryList, StrawberryOptional
from strawberry.types.field import StrawberryField

from mechanism.access import (
    Viewer,
    may_read_authority_contact,
    may_read_dialogue_list,
    may_read_redraw_reason,
    may_read_stakeholder_contact,
    may_read_stakeholder_objection,
)
from mechanism.disclosure import may_read_disclosure_log

ReadRule = Callable[[Viewer, Any], bool]


def ROWS(viewer: Viewer, source: Any) -> bool:
    """The field resolves for everyone; the request's Reader filters what it returns."""
    return True


class Restricted(FieldExtension):
    def __init__(self, rule: ReadRule) -> None:
        self.rule = rule
        self.empty: Callable[[], Any] = lambda: None

    def apply(self, field: StrawberryField) -> None:
        kind = field.type
        if self.rule is ROWS:
            return  # never empties the field itself
        if isinstance(kind, StrawberryList):
            self.empty = list
        elif not isinstance(kind, StrawberryOptional):
            raise TypeError(f"{field.python_name}: a restricted field is nullable or a list")

    def resolve(self, next_: Callable[..., Any], source: Any, info: Any, **kwargs: Any) -> Any:
        if not self.rule(info.context.viewer, source):
            return self.empty()
        return next_(source, info, **kwargs)

    async def resolve_async(
        self, next_: Callable[..., Awaitable[Any]], source: Any, info: Any, **kwargs: Any
    ) -> Any:
        if not self.rule(info.context.viewer, source):
            return self.empty()
        return await next_(source, info, **kwargs)


def restricted(rule: ReadRule) -> Restricted:
    return Restricted(rule)


def rule_of(field: StrawberryField) -> ReadRule | None:
    """The rule a field is declared restricted by, if any."""
    for extension in field.extensions:
        if isinstance(extension, Restricted):
            return extension.rule
    return None


# ---------- the rules ----------


class OfStakeholderList(Protocol):
    @property
    def list_circulated(self) -> bool: ...


class Objected(Protocol):
    @property
    def objecting_party(self) -> str | None: ...


class Redrawn(Protocol):
    @property
    def concerned_parties(self) -> set[str]: ...


def authority_contact(viewer: Viewer, _: object) -> bool:
    return may_read_authority_contact(viewer)


def disclosure_log(viewer: Viewer, _: object) -> bool:
    return may_read_disclosure_log(viewer)


def stakeholder_list(viewer: Viewer, source: OfStakeholderList) -> bool:
    return may_read_dialogue_list(viewer, source.list_circulated)


def stakeholder_contact(viewer: Viewer, _: object) -> bool:
    return may_read_stakeholder_contact(viewer)


def stakeholder_objection(viewer: Viewer, source: Objected) -> bool:
    party = source.objecting_party
    return party is not None and may_read_stakeholder_objection(viewer, party)


def redraw_reason(viewer: Viewer, source: Redrawn) -> bool:
    return may_read_redraw_reason(viewer, source.concerned_parties)
