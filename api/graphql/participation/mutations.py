"""Recording a party's choices about the draws: who may is the guard's (api/policy/writes.py)."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from api.auth import now
from api.graphql.context import ContextInfo
from api.graphql.errors import InvalidInput, NotAuthorized, NotFound, RuleViolation
from api.graphql.participation.types import PartyChoices
from graph import participation as store
from mechanism.participation import volunteered_problem
from mechanism.rules import Violation

PartyChoicesResult = Annotated[
    PartyChoices | NotAuthorized | NotFound | InvalidInput | RuleViolation,
    strawberry.union("PartyChoicesResult"),
]


async def _record(info: ContextInfo, party: str, changes: dict[str, Any]) -> PartyChoicesResult:
    code = party.strip().upper()
    participations = await info.context.loaders.participations_of_party.load(code)
    if await info.context.loaders.party.load(code) is None:
        return NotFound()
    if not any(p["instrument"] == "UNTOC" and p["status"] == "PARTY" for p in participations):
        return RuleViolation.of(
            Violation(
                "¶28",
                f"{code} is not a party to the Convention: it is neither drawn to review nor reviewed by lot",
            )
        )
    viewer = info.context.viewer
    recorded = {"at": now(), "by": viewer.user_id, "onBehalf": viewer.party is None}
    record = await store.record_choices(info.context.graph, code, changes, recorded)
    if record is None:
        return NotFound()
    return PartyChoices.from_record(code, record)


@strawberry.type
class ParticipationMutations:
    @strawberry.mutation(
        description="The State under review agrees to more than four reviewing States, or withdraws "
        "its agreement (¶28(c)); the draws made afterwards apply it (its focal point, or the "
        "secretariat on its behalf)"
    )
    async def agree_to_more_than_four_reviewers(
        self, info: ContextInfo, party: str, agreed: bool
    ) -> PartyChoicesResult:
        return await _record(info, party, {"moreThanFourReviewers": agreed})

    @strawberry.mutation(
        description="The party volunteers to review up to `times` States, more than the three of "
        "¶29 (3 withdraws it); the draws made afterwards apply it (its focal point, or the "
        "secretariat on its behalf)"
    )
    async def volunteer_to_review(self, info: ContextInfo, party: str, times: int) -> PartyChoicesResult:
        problem = volunteered_problem(times)
        if problem:
            return InvalidInput(field="times", message=problem)
        return await _record(info, party, {"maxReviews": times})

    @strawberry.mutation(
        description="The Holy See's choice not to take part as a State under review, as a reviewing "
        "State, or both, or to take part after all (footnote 2 of resolution 9/1); no other party "
        "may make it. The draws made afterwards apply it."
    )
    async def choose_not_to_take_part(
        self, info: ContextInfo, party: str, as_state_under_review: bool, as_reviewing_state: bool
    ) -> PartyChoicesResult:
        return await _record(
            info, party, {"notUnderReview": as_state_under_review, "notReviewing": as_reviewing_state}
        )
