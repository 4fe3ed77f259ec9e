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
from api.graphql.participation.draws import more_than_four_agreed, with_choices_of
from graph import draws as store
from graph.driver import Record
from mechanism.draw import Assignment
from mechanism.redraws import RedrawRequest, request_problem
from mechanism.reviews import review_complete

MAX_REASON_LENGTH = 2_000


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


def redraw_request(
    kind: RedrawKind, state_under_review: str, reviewer: str, requested_by: str, reason: str
) -> RedrawRequest | InvalidInput:
    """The request as the mechanism reads it, or the field it cannot take."""
    if len(reason) > MAX_REASON_LENGTH:
        return InvalidInput(field="reason", message=f"must have at most {MAX_REASON_LENGTH} characters")
    codes = [code.strip().upper() for code in (state_under_review, reviewer, requested_by)]
    return RedrawRequest(kind, codes[0], codes[1], codes[2], reason.strip())


def request_json(request: RedrawRequest) -> dict[str, Any]:
    return {
        "kind": request.kind.value,
        "stateUnderReview": request.state_under_review,
        "reviewer": request.reviewer,
        "requestedBy": request.requested_by,
        "reason": request.reason,
    }


def request_from_json(recorded: dict[str, Any]) -> RedrawRequest:
    return RedrawRequest(
        RedrawKind(recorded["kind"]),
        recorded["stateUnderReview"],
        recorded["reviewer"],
        recorded["requestedBy"],
        recorded["reason"],
    )


def redraw_inputs(
    participants: list[dict[str, Any]], request: RedrawRequest, draws: list[Record], reviews: list[Record]
) -> dict[str, Any] | InvalidInput:
    """The inputs of a redraw given the reviewer draws so far (oldest first) and the
    reviews, or why the request is refused (¶28(d)-(e), ¶30). A repetition or an
    exceptional redraw records what places the released reviewer if it would review no
    one (¶29): the States whose review has opened, and who left each State's review."""
    current = current_assignments_of(draws)
    mine = [a for a in current if a.state_under_review == request.state_under_review]
    if not mine:
        return InvalidInput(
            field="stateUnderReview", message=f"{request.state_under_review} has no drawn reviewing States"
        )
    earlier = [
        json.loads(row["draw"]["inputs"])["request"]
        for row in draws
        if row["draw"]["kind"] == DrawKind.REDRAW.value
    ]
    departures: dict[str, set[str]] = {}
    for r in earlier:
        departures.setdefault(r["stateUnderReview"], set()).add(r["reviewer"])
    repetitions = sum(
        1
        for r in earlier
        if r["stateUnderReview"] == request.state_under_review
        and r["kind"] == RedrawKind.REPETITION.value
        and r["requestedBy"] == request.requested_by
    )
    problem = request_problem(request, [a.reviewer for a in mine], repetitions)
    if problem:
        return InvalidInput(field=problem[0], message=problem[1])
    inputs: dict[str, Any] = {
        "participants": participants,
        "request": {
            **request_json(request),
            "repetition": repetitions + 1 if request.kind is RedrawKind.REPETITION else None,
        },
        "released": sorted(departures.get(request.state_under_review, set())),
        "current": [assignment_json(a) for a in current],
        "moreThanFourAgreed": more_than_four_agreed(participants),
    }
    if request.kind is not RedrawKind.REPLACEMENT:  # ¶30: a State that cannot serve is not placed
        inputs["placeReleased"] = {
            "opened": sorted({r["stateUnderReview"] for r in reviews}),
            "departures": {state: sorted(codes) for state, codes in sorted(departures.items())},
        }
    return inputs


def links_of_redraw(reviews: list[Record], request: RedrawRequest, draw: Record) -> list[dict[str, Any]]:
    """The reviews whose reviewers a redraw changes (those of the State under review)."""
    now = [
        a
        for a in current_assignments_of([{"draw": draw}])
        if a.state_under_review == request.state_under_review
    ]
    return _links_of_redraw(reviews, request.state_under_review, request.reviewer, now)


def reviewer_pool(state: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, int]] | None:
    """From `graph.draws.draw_state`: the pool of the governing draw of States under review
    (who may be drawn, and for what, as the parties' recorded choices make them now: ¶28(c),
    ¶29, footnote 2) and its years; None before any."""
    governing = state["governing"]
    if governing is None:
        return None
    participants = with_choices_of(state["choices"], json.loads(governing["inputs"])["participants"])
    years: dict[str, int] = json.loads(governing["result"])["years"]
    return participants, years


NO_STATES_DRAWN = DrawInfeasibleError(
    message="Draw the States under review first.", failures=["no STATES_UNDER_REVIEW draw"]
)


@strawberry.type
class ReviewerDrawMutations:
    @strawberry.mutation(
        description="draws the reviewing States of every State under review that has none yet (¶28-¶29)"
    )
    async def draw_reviewing_states(self, info: ContextInfo, seed: str | None = None) -> DrawResult:
        def decide(state: dict[str, Any]) -> Record | DrawInfeasibleError:
            pool = reviewer_pool(state)
            if pool is None:
                return NO_STATES_DRAWN
            inputs = first_draw_inputs(*pool, state["draws"])
            if isinstance(inputs, DrawInfeasibleError):
                return inputs
            draw = new_draw(info, DrawKind.REVIEWING_STATES, inputs, seed)
            if isinstance(draw, dict):
                draw["links"] = _links_of_first_draw(
                    state["reviews"], current_assignments_of([{"draw": draw}])
                )
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
        request = redraw_request(kind, state_under_review, reviewer, requested_by, reason)
        if isinstance(request, InvalidInput):
            return request

        def decide(state: dict[str, Any]) -> Record | InvalidInput | DrawInfeasibleError:
            pool = reviewer_pool(state)
            if pool is None:
                return InvalidInput(field="stateUnderReview", message="no State has been drawn yet")
            inputs = redraw_inputs(pool[0], request, state["draws"], state["reviews"])
            if isinstance(inputs, InvalidInput):
                return inputs
            draw = new_draw(info, DrawKind.REDRAW, inputs, seed)
            if isinstance(draw, dict):
                draw["links"] = links_of_redraw(state["reviews"], request, draw)
            return draw

        outcome: Record | InvalidInput | DrawInfeasibleError
        outcome = await store.draw_reviewers(info.context.graph, decide)
        return Draw.from_record(outcome) if isinstance(outcome, dict) else outcome
