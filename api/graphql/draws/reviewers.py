"""Drawing the reviewing States and redrawing one of them (¶28-¶30; secretariat).

Both run inside one transaction holding the lock of reviewer draws (graph.draws), decide
from who reviews whom at that moment, and give the reviews of the States concerned their
reviewers: a first draw fills the reviews that have none; a redraw hands the replaced
reviewer's place in the reviews not yet complete to whoever was drawn.
"""

from __future__ import annotations

import json
from typing import Any

import strawberry

from api.graphql.context import ContextInfo
from api.graphql.draws.records import assignment_json, current_assignments_of, new_draw
from api.graphql.draws.types import Draw, DrawInfeasibleError, DrawKind, DrawResult
from api.graphql.enums import RedrawKind
from api.graphql.errors import InvalidInput
from api.graphql.participation.draws import more_than_four_agreed, with_recorded_choices
from graph import draws as store
from graph.driver import Record
from mechanism.draw import Assignment
from mechanism.redraws import RedrawRequest, request_problem
from mechanism.reviews import review_complete


def _reviewers_json(assignments: list[Assignment]) -> list[dict[str, Any]]:
    return [{"party": a.reviewer, "instruments": list(a.instruments)} for a in assignments]


def _open(review: Record) -> bool:
    reviewers = [r["party"] for r in review["reviewers"]]
    return not review_complete(review["stateUnderReview"], reviewers, review["agreedBy"])


def _links_of_first_draw(reviews: list[Record], assignments: list[Assignment]) -> list[dict[str, Any]]:
    """Reviews of the States drawn that have no reviewers yet get the drawn ones."""
    by_state: dict[str, list[Assignment]] = {}
    for a in assignments:
        by_state.setdefault(a.state_under_review, []).append(a)
    return [
        {"review": r["id"], "reviewers": _reviewers_json(by_state[r["stateUnderReview"]])}
        for r in reviews
        if r["stateUnderReview"] in by_state and not r["reviewers"]
    ]


def _links_of_redraw(
    reviews: list[Record], sur: str, replaced: str, now: list[Assignment]
) -> list[dict[str, Any]]:
    """In the State's open reviews where the replaced reviewer served, its place goes to
    the newly drawn reviewers; the other reviewers stay as they are."""
    links = []
    for review in reviews:
        parties = {r["party"] for r in review["reviewers"]}
        if review["stateUnderReview"] != sur or replaced not in parties or not _open(review):
            continue
        kept = [r for r in review["reviewers"] if r["party"] != replaced]
        newcomers = [a for a in now if a.reviewer not in parties]
        links.append({"review": review["id"], "reviewers": kept + _reviewers_json(newcomers)})
    return links


def first_draw_inputs(
    participants: list[dict[str, Any]], years: dict[str, int], draws: list[Record]
) -> dict[str, Any] | DrawInfeasibleError:
    """The inputs of a draw of the reviewing States of every State under review that has
    none yet, given the reviewer draws so far (oldest first); announced or not."""
    current = current_assignments_of(draws)
    reviewed = {a.state_under_review for a in current}
    inputs = {
        "participants": participants,
        "statesUnderReview": sorted(code for code in years if code not in reviewed),
        "existing": [assignment_json(a) for a in current],
        "moreThanFourAgreed": more_than_four_agreed(participants),
    }
    if not inputs["statesUnderReview"]:
        return DrawInfeasibleError(message="Every State under review has its reviewers.", failures=[])
    return inputs


async def _states_drawn(info: ContextInfo) -> tuple[list[dict[str, Any]], dict[str, int]] | None:
    """The pool (who may be drawn, and for what) and the years of the latest draw of States
    under review, or None before any."""
    draw = await store.latest_draw(info.context.graph, DrawKind.STATES_UNDER_REVIEW.value)
    if draw is None:
        return None
    participants: list[dict[str, Any]] = json.loads(draw["inputs"])["participants"]
    years: dict[str, int] = json.loads(draw["result"])["years"]
    # As the parties' recorded choices make them now (¶28(c), ¶29, footnote 2).
    return await with_recorded_choices(info.context.graph, participants), years


@strawberry.type
class ReviewerDrawMutations:
    @strawberry.mutation(
        description="draws the reviewing States of every State under review that has none yet (¶28-¶29)"
    )
    async def draw_reviewing_states(self, info: ContextInfo, seed: str | None = None) -> DrawResult:
        drawn = await _states_drawn(info)
        if drawn is None:
            return DrawInfeasibleError(
                message="Draw the States under review first.", failures=["no STATES_UNDER_REVIEW draw"]
            )
        participants, years = drawn

        def decide(draws: list[Record], reviews: list[Record]) -> Record | DrawInfeasibleError:
            inputs = first_draw_inputs(participants, years, draws)
            if isinstance(inputs, DrawInfeasibleError):
                return inputs
            draw = new_draw(info, DrawKind.REVIEWING_STATES, inputs, seed)
            if isinstance(draw, dict):
                draw["links"] = _links_of_first_draw(reviews, current_assignments_of([{"draw": draw}]))
            return draw

        outcome: Record | InvalidInput | DrawInfeasibleError
        outcome = await store.draw_reviewers(info.context.graph, decide)
        return Draw.from_record(outcome) if isinstance(outcome, dict) else outcome

    @strawberry.mutation(
        description="draws again the place of one reviewing State of a State under review: a repetition "
        "(¶28(d), at most four per requester), an exceptional redraw (¶28(e)) or a replacement (¶30)"
    )
    async def redraw_reviewer(
        self,
        info: ContextInfo,
        state_under_review: str,
        reviewer: str,
        kind: RedrawKind,
        requested_by: str,
        reason: str = "",
        seed: str | None = None,
    ) -> DrawResult:
        if len(reason) > 2_000:
            return InvalidInput(field="reason", message="must have at most 2000 characters")
        drawn = await _states_drawn(info)
        if drawn is None:
            return InvalidInput(field="stateUnderReview", message="no State has been drawn yet")
        participants = drawn[0]
        request = RedrawRequest(
            kind,
            state_under_review.strip().upper(),
            reviewer.strip().upper(),
            requested_by.strip().upper(),
            reason.strip(),
        )

        def decide(draws: list[Record], reviews: list[Record]) -> Record | InvalidInput | DrawInfeasibleError:
            current = current_assignments_of(draws)
            mine = [a for a in current if a.state_under_review == request.state_under_review]
            if not mine:
                return InvalidInput(
                    field="stateUnderReview",
                    message=f"{request.state_under_review} has no drawn reviewing States",
                )
            earlier = [
                json.loads(row["draw"]["inputs"])["request"]
                for row in draws
                if row["draw"]["kind"] == DrawKind.REDRAW.value
            ]
            earlier = [r for r in earlier if r["stateUnderReview"] == request.state_under_review]
            repetitions = sum(
                1
                for r in earlier
                if r["kind"] == RedrawKind.REPETITION.value and r["requestedBy"] == request.requested_by
            )
            problem = request_problem(request, [a.reviewer for a in mine], repetitions)
            if problem:
                return InvalidInput(field=problem[0], message=problem[1])
            inputs = {
                "participants": participants,
                "request": {
                    "kind": request.kind.value,
                    "stateUnderReview": request.state_under_review,
                    "reviewer": request.reviewer,
                    "requestedBy": request.requested_by,
                    "reason": request.reason,
                    "repetition": repetitions + 1 if request.kind is RedrawKind.REPETITION else None,
                },
                "released": sorted({r["reviewer"] for r in earlier}),
                "current": [assignment_json(a) for a in current],
                "moreThanFourAgreed": more_than_four_agreed(participants),
            }
            draw = new_draw(info, DrawKind.REDRAW, inputs, seed)
            if isinstance(draw, dict):
                now = current_assignments_of([{"draw": draw}])
                draw["links"] = _links_of_redraw(reviews, request.state_under_review, request.reviewer, now)
            return draw

        outcome: Record | InvalidInput | DrawInfeasibleError
        outcome = await store.draw_reviewers(info.context.graph, decide)
        return Draw.from_record(outcome) if isinstance(outcome, dict) else outcome
