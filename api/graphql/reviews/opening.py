"""Opening a review (secretariat): its phase, languages and reviewing States, which come from the
draw or pass the rules of ¶26-¶29 (api/graphql/reviews/reviewer_rules.py)."""

from __future__ import annotations

import datetime
import json
from typing import Annotated, Any

import strawberry
from neo4j.exceptions import ConstraintError

from api.auth import now
from api.graphql import enums
from api.graphql.context import ContextInfo
from api.graphql.draws.records import current_assignments_of
from api.graphql.draws.types import DrawKind
from api.graphql.errors import InvalidInput, NotAuthorized, NotFound, RuleViolation
from api.graphql.reviews.reviewer_rules import check_reviewers, workplan_in_force
from api.graphql.reviews.types import (
    Review,
    WorkingLanguage,
)
from api.graphql.reviews.writing import reload_review
from graph import draws as draws_store
from graph import reviews as store
from graph.reference import UnknownParty
from graph.reviews import DrawsChanged
from mechanism.reviews import (
    new_review,
    working_languages_problem,
)
from mechanism.workplan import PHASES

# Opening a review with the drawn reviewers while reviewers are being drawn: tries before
# giving up (each try reads the draws again).
DRAW_RACE_ATTEMPTS = 3


@strawberry.input
class ReviewerInput:
    party: str
    instruments: list[enums.InstrumentCode]


ReviewResult = Annotated[
    Review | NotAuthorized | NotFound | InvalidInput | RuleViolation, strawberry.union("ReviewResult")
]


async def _undrawn_problem(info: ContextInfo, code: str) -> RuleViolation | None:
    """Why a review of `code`, which has no reviewing States drawn, may not be opened without
    naming them; None when its reviewers are still to be drawn: the first draw of reviewing
    States fills the reviews of the States drawn that have none (¶28), as for the reviews a
    phase's start opens."""
    draw = await draws_store.latest_draw(info.context.graph, DrawKind.STATES_UNDER_REVIEW.value)
    if draw is None:
        return RuleViolation(
            paragraph="¶28",
            message=f"{code} has no reviewing States drawn (¶28) and no States under review have been "
            "drawn yet (¶17): draw them first, or name the reviewing States",
        )
    if code not in json.loads(draw["result"]).get("years", {}):
        return RuleViolation(
            paragraph="¶28",
            message=f"{code} has no reviewing States drawn (¶28), and no draw will give it any: it is "
            "not among the States under review drawn by lot (¶17); name the reviewing States",
        )
    return None


async def _review_to_open(
    info: ContextInfo,
    code: str,
    phase: int,
    phase_started_on: datetime.date,
    working_languages: list[WorkingLanguage],
    reviewers: list[ReviewerInput],
    *,
    drawn: bool,
    volunteer: bool,
    more_than_four_reviewers_agreed: bool,
) -> tuple[dict[str, Any], list[dict[str, Any]]] | InvalidInput | RuleViolation:
    """The review to create and its reviewers ({party, instruments}), or why not. `drawn`:
    the reviewers are those drawn for the State (¶28), not named by the secretariat."""
    codes = [code, *(r.party.strip().upper() for r in reviewers)]
    records = await info.context.loaders.party.load_many(codes)
    participations = await info.context.loaders.participations_of_party.load_many(codes)
    if records[0] is None:
        return InvalidInput(field="stateUnderReview", message=f"unknown party {code!r}")
    bound = {p["instrument"] for p in participations[0] if p["status"] == "PARTY"}
    if "UNTOC" not in bound:
        if not volunteer:
            return InvalidInput(
                field="stateUnderReview",
                message=f"{code} is a signatory, not a party: it may take part only as a volunteer (¶52)",
            )
        bound = {p["instrument"] for p in participations[0]}
    if drawn and not reviewers:
        problem = await _undrawn_problem(info, code)
        if problem:
            return problem
    # The rules of ¶26-¶29 (the cap of four, ...) are checked by reviewer_rules.check_reviewers.
    assigned = []
    for index, (reviewer, record, theirs) in enumerate(
        zip(reviewers, records[1:], participations[1:], strict=True)
    ):
        party = codes[index + 1]
        field = f"reviewers.{index}"
        if record is None:
            return InvalidInput(field=field, message=f"unknown party {party!r}")
        if party == code or party in codes[1 : index + 1]:
            return InvalidInput(field=field, message=f"{party} is named twice or is under review")
        parties_to = {p["instrument"] for p in theirs if p["status"] == "PARTY"}
        instruments = [i.value for i in reviewer.instruments]
        outside = [i for i in instruments if i not in parties_to or i not in bound]
        if not instruments:
            return InvalidInput(field=field, message=f"name the instruments {party} reviews")
        if outside:  # ¶28(b): reviewed, per instrument, only by parties to it
            return RuleViolation(
                paragraph="¶28(b)",
                message=f"{party} may review only instruments both it and {code} are parties to "
                f"(not {', '.join(outside)})",
            )
        assigned.append({"party": party, "instruments": instruments})
    review = new_review(
        code,
        phase,
        phase_started_on,
        [lang.value for lang in working_languages],
        bound,
        bool(records[0].get("uncacParty")),
        volunteer,
        workplan=await workplan_in_force(info),  # table 2 as amended (¶16)
    )
    review["createdAt"] = now()
    return review, assigned


@strawberry.type
class ReviewOpeningMutations:
    @strawberry.mutation(
        description="Open the review of a State for a phase (secretariat). Without `reviewers`, the "
        "review takes the reviewing States drawn for the State (¶28), or, for a State drawn as a State "
        "under review (¶17) whose reviewers are not drawn yet, those of its first draw later; any other "
        "State's reviewers must be named."
    )
    async def create_review(
        self,
        info: ContextInfo,
        state_under_review: str,
        phase: int,
        phase_started_on: datetime.date,
        working_languages: list[WorkingLanguage],
        reviewers: list[ReviewerInput] | None = None,
        volunteer: bool = False,
        more_than_four_reviewers_agreed: bool = False,
    ) -> ReviewResult:
        if phase not in PHASES:
            return InvalidInput(field="phase", message="must be 1, 2, 3 or 4")
        problem = working_languages_problem([lang.value for lang in working_languages])
        if problem:
            return InvalidInput(field="workingLanguages", message=problem)
        if reviewers is not None and not reviewers:
            return InvalidInput(field="reviewers", message="name the reviewing States (¶28), or omit them")
        code = state_under_review.strip().upper()
        for _ in range(DRAW_RACE_ATTEMPTS):
            seen: list[str] | None = None
            chosen = reviewers
            if chosen is None:
                rows = await draws_store.reviewer_draws(info.context.graph)
                seen = [row["draw"]["id"] for row in rows]
                chosen = [
                    ReviewerInput(
                        party=a.reviewer, instruments=[enums.InstrumentCode(i) for i in a.instruments]
                    )
                    for a in current_assignments_of(rows)
                    if a.state_under_review == code
                ]
            opening = await _review_to_open(
                info,
                code,
                phase,
                phase_started_on,
                working_languages,
                chosen,
                drawn=seen is not None,
                volunteer=volunteer,
                more_than_four_reviewers_agreed=more_than_four_reviewers_agreed,
            )
            if isinstance(opening, InvalidInput | RuleViolation):
                return opening
            review, assigned = opening
            checked = await check_reviewers(
                info,
                code,
                phase,
                None if seen is not None else assigned,
                volunteer=volunteer,
                more_than_four_argument=more_than_four_reviewers_agreed,
            )
            if isinstance(checked, InvalidInput | RuleViolation):
                return checked
            try:
                await store.create_review(
                    info.context.graph,
                    review,
                    assigned,
                    reviewer_draws_seen=seen if seen is not None else checked.draws,
                    reviewers_seen=None if seen is not None else checked.reviewers,
                )
            except DrawsChanged:  # reviewers were drawn meanwhile: take them
                continue
            except ConstraintError:
                return InvalidInput(field="phase", message=f"{code} already has a review for phase {phase}")
            except UnknownParty as unknown:
                field = "stateUnderReview" if unknown.code == code else "reviewers"
                return InvalidInput(field=field, message=f"unknown party {unknown.code!r}")
            return await reload_review(info, str(review["id"]))
        return InvalidInput(
            field="reviewers", message="reviewing States were being drawn at the same time: try again"
        )
