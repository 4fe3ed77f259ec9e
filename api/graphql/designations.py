"""Focal points and governmental experts (¶18, ¶27): designated through the API, shown
publicly; a party without a focal point has its permanent representative as interim one."""

from __future__ import annotations

import datetime
import uuid
from enum import StrEnum
from typing import Annotated

import strawberry

from api.graphql.errors import InvalidInput, NotAuthorized, NotFound
from api.graphql.relay import Node, global_id, parse_global_id
from api.graphql.types import ContextInfo, Party, party_of
from graph import designations as store
from graph.driver import Record


@strawberry.enum
class DesignationRole(StrEnum):
    FOCAL_POINT = "FOCAL_POINT"
    GOVERNMENTAL_EXPERT = "GOVERNMENTAL_EXPERT"


@strawberry.type
class Designation(Node):
    role: DesignationRole
    name: str
    title: str | None
    institution: str | None
    since: datetime.date
    party_code: strawberry.Private[str]

    @classmethod
    def from_record(cls, r: Record) -> Designation:
        return cls(
            id=global_id("Designation", r["id"]),
            role=DesignationRole(r["role"]),
            name=r["name"],
            title=r.get("title"),
            institution=r.get("institution"),
            since=r["since"].to_native(),
            party_code=r["party"],
        )

    @strawberry.field
    def party(self, info: ContextInfo) -> Party:
        return party_of(info, self.party_code)


@strawberry.type
class FocalPoint:
    designation: Designation | None
    interim: bool = strawberry.field(
        description="true while the party has designated none: its permanent representative acts (¶18)"
    )
    description: str


def focal_point_of(code: str, name: str, records: list[Record]) -> FocalPoint:
    current = [r for r in records if r["role"] == DesignationRole.FOCAL_POINT.value]
    if current:
        designation = Designation.from_record(current[-1])
        return FocalPoint(designation=designation, interim=False, description=designation.name)
    return FocalPoint(
        designation=None,
        interim=True,
        description=f"The Permanent Representative of {name} (interim focal point, ¶18)",
    )


async def designation_node(info: ContextInfo, key: str) -> Designation | None:
    """`node(id)` for a designation: a current one is public (as `Party.focalPoint` and
    `Party.governmentalExperts` show it); an ended one only to whoever may designate for its
    party (as `endDesignation` returned it)."""
    record = await info.context.reader.designation(key)
    return Designation.from_record(record) if record else None


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
class DesignationQueries:
    @strawberry.field(description="Parties to the Convention without a focal point, or without any expert")
    async def parties_without(self, info: ContextInfo, role: DesignationRole) -> list[Party]:
        codes = await store.parties_lacking(info.context.graph, role.value)
        records = await info.context.loaders.party.load_many(codes)
        return [Party.from_record(r) for r in records if r]


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
