"""Focal points and governmental experts (¶18, ¶27): designated through the API, shown
publicly; a party without a focal point has its permanent representative as interim one."""

from __future__ import annotations

import datetime
from enum import StrEnum

import strawberry

from api.graphql.context import ContextInfo
from api.graphql.reference.types import Party, party_of
from api.graphql.relay import Node, global_id
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

    @classmethod
    def of(cls, code: str, name: str, records: list[Record]) -> FocalPoint:
        """The party's focal point among its current designations, else its permanent
        representative as the interim one (¶18)."""
        current = [r for r in records if r["role"] == DesignationRole.FOCAL_POINT.value]
        if current:
            designation = Designation.from_record(current[-1])
            return cls(designation=designation, interim=False, description=designation.name)
        return cls(
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
