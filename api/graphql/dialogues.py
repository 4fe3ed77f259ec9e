"""Stakeholders' constructive dialogues (¶53) in GraphQL.

Dialogues (dates, title, status, the chair's decisions and summary) are public; who reads
the registrations, their contact e-mails and the objections is decided by mechanism/access.py,
and the deadlines by mechanism/dialogues.py, on the server's date (UTC). Registering is the
portal's public form; an NGO proves it is the registrant by giving the same e-mail address.
"""

from __future__ import annotations

import datetime
import hmac
import uuid
from collections.abc import Callable
from typing import Annotated, Any

import strawberry
from neo4j.exceptions import ConstraintError

from api.auth import normalize_email, now
from api.graphql.errors import InvalidInput, NotAuthorized, NotFound
from api.graphql.relay import (
    Connection,
    Node,
    global_id,
    paging,
    parse_global_id,
)
from api.graphql.types import ContextInfo, Party, party_of
from api.policy import fields as rules
from api.policy.fields import restricted
from graph import dialogues as store
from graph.driver import Record
from mechanism.dialogues import (
    DialogueStatus,
    Problem,
    RegistrationStatus,
    StakeholderKind,
    WorkingGroup,
    bureau_decision_problem,
    circulation_due_on,
    circulation_problem,
    comments_problem,
    initial_status,
    is_approved,
    not_convening_problem,
    objection_problem,
    objections_due_on,
    registration_problem,
    registrations_due_on,
    schedule_problem,
    status_after_bureau_decision,
    status_after_objection,
    summary_problem,
)
from mechanism.emails import InvalidEmail

strawberry.enum(WorkingGroup, description="The working group holding the dialogue after its session")
strawberry.enum(DialogueStatus)
strawberry.enum(StakeholderKind, description="OTHER_STAKEHOLDER: the private sector, academia")
strawberry.enum(RegistrationStatus)

_CHAIR = "; by the chair: the secretariat records it on the chair's behalf (there is no chair role)"


def _invalid(problem: Problem) -> InvalidInput:
    return InvalidInput(field=problem[0], message=problem[1])


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
        description="an NGO's written comments: read by whoever reads the list, else null",
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


DialogueResult = Annotated[
    StakeholderDialogue | NotAuthorized | NotFound | InvalidInput,
    strawberry.union("StakeholderDialogueResult"),
]
RegistrationResult = Annotated[
    StakeholderRegistration | NotAuthorized | NotFound | InvalidInput,
    strawberry.union("StakeholderRegistrationResult"),
]
Refusal = NotAuthorized | NotFound | InvalidInput


def _dialogue_result(outcome: Record | Refusal | None) -> DialogueResult:
    if outcome is None:
        return NotFound()
    return StakeholderDialogue.from_row(outcome) if isinstance(outcome, dict) else outcome


def _registration_result(outcome: tuple[Record, Record] | Refusal | None) -> RegistrationResult:
    if outcome is None:
        return NotFound()
    if isinstance(outcome, tuple):
        dialogue, registration = outcome
        return StakeholderRegistration.from_record(
            registration, StakeholderDialogue.from_record(dialogue, None)
        )
    return outcome


# A change of a dialogue by the secretariat: given the dialogue as it is (locked), today
# and the recording user, the properties to set, or why not.
DialogueChange = Callable[[Record, datetime.date, str | None], Record | Refusal]


async def _secretariat_changes(
    info: ContextInfo, dialogue: strawberry.ID, change: DialogueChange
) -> DialogueResult:
    viewer = info.context.viewer
    key = _key(dialogue, "dialogue", "StakeholderDialogue")
    if key is None:
        return NotFound()
    today = now().date()

    def decide(d: Record) -> Record | Refusal:
        return change(d, today, viewer.user_id)

    outcome: Record | Refusal | None = await store.change_dialogue(info.context.graph, key, decide)
    return _dialogue_result(outcome)


def _position(value: Any) -> tuple[datetime.date, str]:
    """A dialogues' cursor holds the date and id of the dialogue it follows."""
    held_on, dialogue_id = value
    if not isinstance(held_on, str) or not isinstance(dialogue_id, str):
        raise TypeError("a dialogues' cursor holds two strings")
    return datetime.date.fromisoformat(held_on), dialogue_id


@strawberry.type
class DialogueQueries:
    @strawberry.field(description="Stakeholders' constructive dialogues (¶53), the latest first")
    async def stakeholder_dialogues(
        self,
        info: ContextInfo,
        working_group: WorkingGroup | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[StakeholderDialogue]:
        page = paging(info.context, "dialogues", first, after, _position)
        rows, total = await store.dialogues_page(
            info.context.graph, working_group.value if working_group else None, page.position, page.fetch
        )
        return page.connection(
            [StakeholderDialogue.from_row(r) for r in rows],
            [[r["dialogue"]["heldOn"].isoformat(), r["dialogue"]["id"]] for r in rows],
            total,
        )

    @strawberry.field
    async def stakeholder_dialogue(self, info: ContextInfo, id: strawberry.ID) -> StakeholderDialogue | None:
        key = _key(id, "id", "StakeholderDialogue")
        row = await store.dialogue(info.context.graph, key) if key else None
        return StakeholderDialogue.from_row(row) if row else None


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


@strawberry.type
class DialogueMutations:
    @strawberry.mutation(description="Schedule a stakeholders' dialogue after a session (¶53; secretariat)")
    async def schedule_stakeholder_dialogue(
        self,
        info: ContextInfo,
        working_group: WorkingGroup,
        session_ends_on: datetime.date,
        held_on: datetime.date,
        title: str,
    ) -> DialogueResult:
        viewer = info.context.viewer
        moment = now()
        problem = schedule_problem(session_ends_on, held_on, title, moment.date())
        if problem:
            return _invalid(problem)
        row = await store.create_dialogue(
            info.context.graph,
            {
                "id": uuid.uuid4().hex,
                "workingGroup": working_group.value,
                "sessionEndsOn": session_ends_on,
                "heldOn": held_on,
                "title": title.strip(),
                "status": DialogueStatus.SCHEDULED.value,
                "createdAt": moment,
                "createdBy": viewer.user_id,
            },
        )
        return StakeholderDialogue.from_row(row)

    @strawberry.mutation(
        description="An NGO confirms its attendance, or another stakeholder applies, at least 15 days "
        "before the dialogue (¶53; the portal's public form, no account needed)"
    )
    async def register_for_stakeholder_dialogue(
        self,
        info: ContextInfo,
        dialogue: strawberry.ID,
        kind: StakeholderKind,
        organization: str,
        contact_email: str,
    ) -> RegistrationResult:
        key = _key(dialogue, "dialogue", "StakeholderDialogue")
        if key is None:
            return NotFound()
        moment = now()
        try:
            address: str | None = normalize_email(contact_email)
        except InvalidEmail:
            address = None  # registration_problem refuses it in decide, and says why

        def decide(d: Record) -> Record | Refusal:
            status = DialogueStatus(d["status"])
            problem = registration_problem(
                kind, organization, contact_email, d["heldOn"], status, moment.date()
            )
            if problem:
                return _invalid(problem)
            assert address is not None  # registration_problem refuses what normalize_email refuses
            return {
                "id": uuid.uuid4().hex,
                "kind": kind.value,
                "organization": organization.strip(),
                "contactEmail": address,
                "status": initial_status(kind).value,
                "registeredOn": moment.date(),
                "registeredAt": moment,
            }

        try:
            outcome: tuple[Record, Record] | Refusal | None = await store.register(
                info.context.graph, key, address or "", decide
            )
        except (store.Duplicate, ConstraintError):
            return InvalidInput(
                field="contactEmail", message="this e-mail address is already registered for this dialogue"
            )
        return _registration_result(outcome)

    @strawberry.mutation(
        description="A confirmed NGO's written comments, until the day of the dialogue (¶53): the "
        "registrant proves itself with the e-mail address it registered with; a new submission "
        "replaces the earlier one"
    )
    async def submit_stakeholder_comments(
        self, info: ContextInfo, registration: strawberry.ID, contact_email: str, comments: str
    ) -> RegistrationResult:
        key = _key(registration, "registration", "StakeholderRegistration")
        if key is None:
            return NotFound()
        today = now().date()
        try:
            given: bytes | None = normalize_email(contact_email).encode()
        except InvalidEmail:
            given = None  # no registration is known by it

        def decide(d: Record, r: Record) -> Record | Refusal:
            if given is None or not hmac.compare_digest(given, r["emailKey"].encode()):
                return NotAuthorized(message="This is not the e-mail address of the registration.")
            problem = comments_problem(
                StakeholderKind(r["kind"]),
                RegistrationStatus(r["status"]),
                DialogueStatus(d["status"]),
                d["heldOn"],
                comments,
                today,
            )
            if problem:
                return _invalid(problem)
            return {"comments": comments, "commentsSubmittedOn": today}

        return _registration_result(await store.change_registration(info.context.graph, key, decide))

    @strawberry.mutation(
        description="A State party's focal point or expert objects to a stakeholder on the circulated "
        "list, until the day before the dialogue (¶53): another stakeholder is rejected, an NGO "
        "referred to the Bureau of the Conference"
    )
    async def object_to_stakeholder(
        self, info: ContextInfo, registration: strawberry.ID, reason: str
    ) -> RegistrationResult:
        viewer = info.context.viewer
        key = _key(registration, "registration", "StakeholderRegistration")
        if key is None:
            return NotFound()
        today = now().date()

        def decide(d: Record, r: Record) -> Record | Refusal:
            # Before the list is circulated, the party does not see the registration at all.
            if not info.context.reader.reads_stakeholder_list(d.get("circulatedOn") is not None):
                return NotFound()
            problem = objection_problem(
                RegistrationStatus(r["status"]),
                r.get("objectingParty") is not None,
                DialogueStatus(d["status"]),
                d["heldOn"],
                reason,
                today,
            )
            if problem:
                return _invalid(problem)
            return {
                "status": status_after_objection(StakeholderKind(r["kind"])).value,
                "objectingParty": viewer.party,
                "objectionReason": reason.strip(),
                "objectedOn": today,
                "objectedBy": viewer.user_id,
            }

        return _registration_result(await store.change_registration(info.context.graph, key, decide))

    @strawberry.mutation(
        description="Record the Bureau of the Conference's decision on an objection to an NGO (¶53; "
        "secretariat): upheld rejects the NGO, dismissed confirms it"
    )
    async def record_bureau_decision(
        self, info: ContextInfo, registration: strawberry.ID, upheld: bool
    ) -> RegistrationResult:
        viewer = info.context.viewer
        key = _key(registration, "registration", "StakeholderRegistration")
        if key is None:
            return NotFound()
        today = now().date()

        def decide(d: Record, r: Record) -> Record | Refusal:
            problem = bureau_decision_problem(RegistrationStatus(r["status"]), DialogueStatus(d["status"]))
            if problem:
                return _invalid(problem)
            return {
                "status": status_after_bureau_decision(upheld).value,
                "bureauUpheld": upheld,
                "bureauDecidedOn": today,
                "bureauDecidedBy": viewer.user_id,
            }

        return _registration_result(await store.change_registration(info.context.graph, key, decide))

    @strawberry.mutation(
        description="Circulate the list of NGOs and other stakeholders to the States, no later than "
        "10 days before the dialogue (¶53; secretariat)"
    )
    async def circulate_stakeholder_list(self, info: ContextInfo, dialogue: strawberry.ID) -> DialogueResult:
        def change(d: Record, today: datetime.date, user: str | None) -> Record | Refusal:
            status = DialogueStatus(d["status"])
            problem = circulation_problem(d["heldOn"], d.get("circulatedOn"), status, today)
            if problem:
                return _invalid(problem)
            return {"circulatedOn": today, "circulatedBy": user}

        return await _secretariat_changes(info, dialogue, change)

    @strawberry.mutation(
        description="Not convening the dialogue for want of applications, once the 15-day deadline "
        "has passed and before the dialogue (¶53)" + _CHAIR
    )
    async def decide_not_to_convene(
        self, info: ContextInfo, dialogue: strawberry.ID, reason: str
    ) -> DialogueResult:
        def change(d: Record, today: datetime.date, user: str | None) -> Record | Refusal:
            problem = not_convening_problem(d["heldOn"], DialogueStatus(d["status"]), reason, today)
            if problem:
                return _invalid(problem)
            return {
                "status": DialogueStatus.NOT_CONVENED.value,
                "notConvenedReason": reason.strip(),
                "notConvenedOn": today,
                "notConvenedRecordedBy": user,
            }

        return await _secretariat_changes(info, dialogue, change)

    @strawberry.mutation(
        description="File the summary of the discussion for the next session, on or after the day of "
        "the dialogue (¶53); the dialogue is then HELD" + _CHAIR
    )
    async def file_dialogue_summary(
        self, info: ContextInfo, dialogue: strawberry.ID, summary: str
    ) -> DialogueResult:
        def change(d: Record, today: datetime.date, user: str | None) -> Record | Refusal:
            problem = summary_problem(d["heldOn"], DialogueStatus(d["status"]), summary, today)
            if problem:
                return _invalid(problem)
            return {
                "status": DialogueStatus.HELD.value,
                "summary": summary.strip(),
                "summaryFiledOn": today,
                "summaryFiledBy": user,
            }

        return await _secretariat_changes(info, dialogue, change)
