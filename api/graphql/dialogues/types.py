"""Stakeholders' constructive dialogues (¶53): the dialogues, their registrations and the
objections. Dialogues (dates, title, status, the chair's decisions and summary) are public;
who reads the registrations, their contact e-mails and the objections is declared on the
fields (api/policy/fields.py), and the deadlines are mechanism/dialogues.py's, on the
server's date (UTC).
"""

from __future__ import annotations

import datetime

import strawberry

from api.graphql.context import ContextInfo
from api.graphql.reference.types import Party, party_of
from api.graphql.relay import (
    Node,
    global_id,
    parse_global_id,
)
from api.policy import fields as rules
from api.policy.fields import restricted
from graph import dialogues as store
from graph.driver import Record
from mechanism.dialogues import (
    DialogueStatus,
    RegistrationStatus,
    StakeholderKind,
    WorkingGroup,
    circulation_due_on,
    is_approved,
    objections_due_on,
    registrations_due_on,
)

strawberry.enum(WorkingGroup, description="The working group holding the dialogue after its session")
strawberry.enum(DialogueStatus)
strawberry.enum(StakeholderKind, description="OTHER_STAKEHOLDER: the private sector, academia")
strawberry.enum(RegistrationStatus)

_CHAIR = "; by the chair: the secretariat records it on the chair's behalf (there is no chair role)"


def _key(value: strawberry.ID, argument: str, type_name: str) -> str | None:
    ref = parse_global_id(value, argument)
    return ref.key if ref.type_name == type_name else None


@strawberry.type(description="A State party's objection to a stakeholder (¶53)")
class StakeholderObjection:
    reason: str
    objected_on: datetime.date
    bureau_upheld: bool | None = strawberry.field(
        description="an NGO's: the Bureau of the Conference's decision, null while pending or for others"
    )
    party_code: strawberry.Private[str]

    @strawberry.field(description="the objecting State party")
    def party(self, info: ContextInfo) -> Party:
        return party_of(info, self.party_code)


@strawberry.type(description="An NGO's confirmed attendance, or another stakeholder's application (¶53)")
class StakeholderRegistration(Node):
    kind: StakeholderKind
    organization: str
    status: RegistrationStatus
    registered_on: datetime.date
    comments_submitted_on: datetime.date | None
    record: strawberry.Private[Record]
    parent: strawberry.Private[StakeholderDialogue]

    @classmethod
    def from_record(cls, r: Record, dialogue: StakeholderDialogue) -> StakeholderRegistration:
        return cls(
            id=global_id("StakeholderRegistration", r["id"]),
            kind=StakeholderKind(r["kind"]),
            organization=r["organization"],
            status=RegistrationStatus(r["status"]),
            registered_on=r["registeredOn"],
            comments_submitted_on=r.get("commentsSubmittedOn"),
            record=r,
            parent=dialogue,
        )

    @strawberry.field(
        description="no objection stands against it as of now (CONFIRMED or APPLIED); objections "
        "are open until the day before the dialogue, so it is final only then"
    )
    def approved(self) -> bool:
        return is_approved(self.status)

    @property
    def list_circulated(self) -> bool:
        return self.parent.list_circulated

    @property
    def objecting_party(self) -> str | None:
        party: str | None = self.record.get("objectingParty")
        return party

    @strawberry.field(
        description="the secretariat reads it; others get null",
        extensions=[restricted(rules.stakeholder_contact)],
    )
    def contact_email(self) -> str | None:
        email: str = self.record["contactEmail"]
        return email

    @strawberry.field(
        description="an NGO's written comments, or another stakeholder's written views (¶53(d)-(e)): read "
        "by whoever reads the list, else null",
        extensions=[restricted(rules.stakeholder_list)],
    )
    def comments(self) -> str | None:
        comments: str | None = self.record.get("comments")
        return comments

    @strawberry.field(
        description="the secretariat and the objecting party read it; others get null",
        extensions=[restricted(rules.stakeholder_objection)],
    )
    def objection(self) -> StakeholderObjection | None:
        if self.objecting_party is None:
            return None
        return StakeholderObjection(
            reason=self.record["objectionReason"],
            objected_on=self.record["objectedOn"],
            bureau_upheld=self.record.get("bureauUpheld"),
            party_code=self.objecting_party,
        )

    @strawberry.field
    def dialogue(self) -> StakeholderDialogue:
        return self.parent


@strawberry.type(
    description="A stakeholders' constructive dialogue, held by a working group after its session (¶53)"
)
class StakeholderDialogue(Node):
    working_group: WorkingGroup
    session_ends_on: datetime.date
    held_on: datetime.date = strawberry.field(description="on or after sessionEndsOn")
    title: str
    status: DialogueStatus
    not_convened_reason: str | None = strawberry.field(description="why it was not convened" + _CHAIR)
    summary: str | None = strawberry.field(description="the summary of the discussion" + _CHAIR)
    summary_filed_on: datetime.date | None
    list_circulated_on: datetime.date | None = strawberry.field(
        description="when the list of NGOs and other stakeholders was circulated to the States"
    )
    record: strawberry.Private[Record]
    # None when not read with the dialogue (a registration's dialogue): loaded when asked.
    registration_records: strawberry.Private[list[Record] | None]

    @classmethod
    def from_record(cls, d: Record, registrations: list[Record] | None) -> StakeholderDialogue:
        return cls(
            id=global_id("StakeholderDialogue", d["id"]),
            working_group=WorkingGroup(d["workingGroup"]),
            session_ends_on=d["sessionEndsOn"],
            held_on=d["heldOn"],
            title=d["title"],
            status=DialogueStatus(d["status"]),
            not_convened_reason=d.get("notConvenedReason"),
            summary=d.get("summary"),
            summary_filed_on=d.get("summaryFiledOn"),
            list_circulated_on=d.get("circulatedOn"),
            record=d,
            registration_records=registrations,
        )

    @classmethod
    def from_row(cls, row: Record) -> StakeholderDialogue:
        return cls.from_record(row["dialogue"], row["registrations"])

    @property
    def list_circulated(self) -> bool:
        return self.list_circulated_on is not None

    @strawberry.field(description="the last day NGOs confirm and other stakeholders apply (15 days before)")
    def registrations_due_on(self) -> datetime.date:
        return registrations_due_on(self.held_on)

    @strawberry.field(description="the last day to circulate the list to the States (10 days before)")
    def circulation_due_on(self) -> datetime.date:
        return circulation_due_on(self.held_on)

    @strawberry.field(description="the last day States parties may object (the day before)")
    def objections_due_on(self) -> datetime.date:
        return objections_due_on(self.held_on)

    @strawberry.field(
        description="the NGOs and other stakeholders, oldest first: the secretariat reads them, and "
        "once the list is circulated every account of a State party; others get an empty list",
        extensions=[restricted(rules.stakeholder_list)],
    )
    async def registrations(self, info: ContextInfo) -> list[StakeholderRegistration]:
        records = self.registration_records
        if records is None:
            row = await store.dialogue(info.context.graph, self.record["id"])
            records = row["registrations"] if row else []
        return [StakeholderRegistration.from_record(r, self) for r in records]


async def dialogue_node(info: ContextInfo, type_name: str, key: str) -> Node | None:
    """`node(id)` for a dialogue or a registration (a registration as its dialogue shows it)."""
    if type_name == "StakeholderDialogue":
        row = await store.dialogue(info.context.graph, key)
        return StakeholderDialogue.from_row(row) if row else None
    row = await store.dialogue_of_registration(info.context.graph, key)
    if row is None:
        return None
    dialogue = StakeholderDialogue.from_row(row)
    if not info.context.reader.reads_stakeholder_list(dialogue.list_circulated):
        return None
    record = next(r for r in row["registrations"] if r["id"] == key)
    return StakeholderRegistration.from_record(record, dialogue)
