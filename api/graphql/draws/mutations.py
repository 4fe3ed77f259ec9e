"""Drawing the States under review (¶17): one draw governs; another only under a decision
of the Conference (the history is kept); parties that join later are placed without
drawing the others again."""

from __future__ import annotations

import json
from typing import Any

import strawberry

from api.graphql.context import ContextInfo
from api.graphql.draws.records import _participant_json, _participants, new_draw
from api.graphql.draws.types import Draw, DrawInfeasibleError, DrawKind, DrawResult
from api.graphql.errors import InvalidInput, RuleViolation
from api.graphql.participation.draws import with_choices_of
from graph import draws as store
from graph.driver import Record
from mechanism.commitments import second_draw_violation
from mechanism.participation import opt_out_violation

MAX_DECISION_LENGTH = 500


def states_inputs(
    state: dict[str, Any], opted_out: list[str] | None, volunteers: list[str] | None
) -> dict[str, Any]:
    """The inputs of a draw of States under review, from `graph.draws.draw_state`: who
    may be drawn (and for what). The Holy See's choice not to take part is the one it
    recorded (footnote 2), not presumed."""
    out = {c.strip().upper() for c in opted_out or []}
    participants = _participants(state["parties"], out, {c.strip().upper() for c in volunteers or []})
    recorded = with_choices_of(state["choices"], [_participant_json(p) for p in participants])
    return {"participants": recorded, "optedOut": sorted(out)}


def joining_inputs(inputs: dict[str, Any], governing: Record) -> dict[str, Any] | InvalidInput:
    """The inputs of a draw that places the parties missing from the governing draw."""
    kept: dict[str, int] = json.loads(governing["result"])["years"]
    joining = sorted(
        p["code"] for p in inputs["participants"] if p["mayBeReviewed"] and p["code"] not in kept
    )
    if not joining:
        return InvalidInput(
            field="onlyJoining", message="every party that may be reviewed has its year already"
        )
    return {**inputs, "governing": governing["id"], "kept": kept, "joining": joining}


def decision_problem(conference_decision: str | None) -> InvalidInput | None:
    if conference_decision is not None and len(conference_decision) > MAX_DECISION_LENGTH:
        return InvalidInput(
            field="conferenceDecision", message=f"must have at most {MAX_DECISION_LENGTH} characters"
        )
    return None


@strawberry.type
class DrawMutations:
    @strawberry.mutation(
        description="Draw the year (1-3) of every party under review (¶17; secretariat). Once a draw "
        "governs, another needs `conferenceDecision` (the reference of the Conference's decision, "
        "recorded with the draw); `onlyJoining` places the parties that joined since, the others keeping "
        "their year. `seed`: outside production only (tests, replays)."
    )
    async def draw_states_under_review(
        self,
        info: ContextInfo,
        seed: str | None = None,
        opted_out: list[str] | None = None,
        volunteers: list[str] | None = None,
        conference_decision: str | None = None,
        only_joining: bool = False,
    ) -> DrawResult:
        problem = decision_problem(conference_decision)
        if problem:
            return problem
        for code in opted_out or []:  # footnote 2: the Holy See alone may choose not to take part
            refused = opt_out_violation(code.strip().upper())
            if refused:
                return RuleViolation.of(refused)
        decision = (conference_decision or "").strip() or None

        def decide(state: dict[str, Any]) -> Record | RuleViolation | InvalidInput | DrawInfeasibleError:
            made = states_inputs(state, opted_out, volunteers)
            governing = state["governing"]
            if only_joining:
                if governing is None:
                    return InvalidInput(
                        field="onlyJoining", message="no draw of States under review governs yet"
                    )
                joined = joining_inputs(made, governing)
                if isinstance(joined, InvalidInput):
                    return joined
                made = joined
            else:
                violation = second_draw_violation(governing["id"] if governing else None, decision)
                if violation:
                    return RuleViolation.of(violation)
            draw = new_draw(info, DrawKind.STATES_UNDER_REVIEW, made, seed)
            if isinstance(draw, dict) and decision and not only_joining:
                draw["conferenceDecision"] = decision
            return draw

        outcome: Record | RuleViolation | InvalidInput | DrawInfeasibleError
        outcome = await store.draw_states(info.context.graph, decide)
        return Draw.from_record(outcome) if isinstance(outcome, dict) else outcome
