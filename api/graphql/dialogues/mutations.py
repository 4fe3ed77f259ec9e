"""Scheduling, registering for and deciding on stakeholders' dialogues (¶53)."""

from __future__ import annotations

import datetime
import hmac
import uuid
from collections.abc import Callable
from typing import Annotated

import strawberry
from neo4j.exceptions import ConstraintError

from api.auth import normalize_email, now
from api.graphql.context import ContextInfo
from api.graphql.dialogues.types import _CHAIR, StakeholderDialogue, StakeholderRegistration, _key
from api.graphql.errors import InvalidInput, NotAuthorized, NotFound, RuleViolation
from graph import dialogues as store
from graph.driver import Record
from mechanism.dialogues import (
    DialogueStatus,
    Problem,
    RegistrationStatus,
    StakeholderKind,
    WorkingGroup,
    bureau_decision_problem,
    circulation_problem,
    comments_problem,
    comments_violation,
    initial_status,
    not_convening_problem,
    objection_problem,
    registration_problem,
    schedule_problem,
    status_after_bureau_decision,
    status_after_objection,
    summary_problem,
)
from mechanism.emails import InvalidEmail


def _invalid(problem: Problem) -> InvalidInput:
    return InvalidInput(field=problem[0], message=problem[1])


DialogueResult = Annotated[
    StakeholderDialogue | NotAuthorized | NotFound | InvalidInput,
    strawberry.union("StakeholderDialogueResult"),
]
RegistrationResult = Annotated[
    StakeholderRegistration | NotAuthorized | NotFound | InvalidInput | RuleViolation,
    strawberry.union("StakeholderRegistrationResult"),
]
Refusal = NotAuthorized | NotFound | InvalidInput
RegistrationRefusal = Refusal | RuleViolation  # who may submit written views is a rule (¶53(d)-(e))


def _dialogue_result(outcome: Record | Refusal | None) -> DialogueResult:
    if outcome is None:
        return NotFound()
    return StakeholderDialogue.from_row(outcome) if isinstance(outcome, dict) else outcome


def _registration_result(outcome: tuple[Record, Record] | RegistrationRefusal | None) -> RegistrationResult:
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
        description="A confirmed NGO's written comments (¶53(d)), or the written views of another "
        "stakeholder whose application is approved (¶53(e)), until the day of the dialogue: the "
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

        def decide(d: Record, r: Record) -> Record | RegistrationRefusal:
            if given is None or not hmac.compare_digest(given, r["emailKey"].encode()):
                return NotAuthorized(message="This is not the e-mail address of the registration.")
            violation = comments_violation(StakeholderKind(r["kind"]), RegistrationStatus(r["status"]))
            if violation:
                return RuleViolation.of(violation)
            problem = comments_problem(DialogueStatus(d["status"]), d["heldOn"], comments, today)
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
