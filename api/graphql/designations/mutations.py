"""Designating a focal point or an expert, and ending a designation."""

from __future__ import annotations

import datetime
import uuid
from typing import Annotated

import strawberry

from api.graphql.context import ContextInfo
from api.graphql.designations.types import Designation, DesignationRole
from api.graphql.errors import InvalidInput, NotAuthorized, NotFound
from api.graphql.relay import parse_global_id
from graph import designations as store

DesignationResult = Annotated[
    Designation | NotAuthorized | NotFound | InvalidInput, strawberry.union("DesignationResult")
]


def _text(field: str, value: str | None, required: bool) -> InvalidInput | None:
    if value is None or not value.strip():
        return InvalidInput(field=field, message="must not be empty") if required else None
    if len(value) > 300 or any(ord(c) < 32 for c in value):
        return InvalidInput(field=field, message="must be one line of at most 300 characters")
    return None


@strawberry.type
class DesignationMutations:
    @strawberry.mutation(description="Designate a focal point or a governmental expert (¶18, ¶27)")
    async def designate(
        self,
        info: ContextInfo,
        party: str,
        role: DesignationRole,
        name: str,
        title: str | None = None,
        institution: str | None = None,
        since: datetime.date | None = None,
    ) -> DesignationResult:
        code = party.strip().upper()
        if await info.context.loaders.party.load(code) is None:
            return InvalidInput(field="party", message=f"unknown party {code!r}")
        for field, value, required in (
            ("name", name, True),
            ("title", title, False),
            ("institution", institution, False),
        ):
            problem = _text(field, value, required)
            if problem:
                return problem
        record = await store.designate(
            info.context.graph,
            {
                "id": str(uuid.uuid4()),
                "party": code,
                "role": role.value,
                "name": name.strip(),
                "title": title.strip() if title else None,
                "institution": institution.strip() if institution else None,
                "since": since or datetime.date.today(),
                "by": info.context.viewer.user_id,
            },
        )
        if record is None:  # the party is gone since it was checked
            return InvalidInput(field="party", message=f"unknown party {code!r}")
        return Designation.from_record(record)

    @strawberry.mutation(description="End a designation (the party's focal point, or the secretariat)")
    async def end_designation(self, info: ContextInfo, designation: strawberry.ID) -> DesignationResult:
        ref = parse_global_id(designation, "designation")
        if ref.type_name != "Designation":
            return NotFound()
        record = await store.end_designation(info.context.graph, ref.key, datetime.date.today())
        return Designation.from_record(record) if record else NotFound()
