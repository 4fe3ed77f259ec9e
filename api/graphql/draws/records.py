"""A draw as it is recorded: its inputs and outcome as JSON, and recomputing it (`verifyDraw`)."""

from __future__ import annotations

import asyncio
import hashlib
import json
from typing import Any

from api.auth import now
from api.graphql.context import ContextInfo
from api.graphql.draws.types import DrawInfeasibleError, DrawKind
from graph.driver import Record
from mechanism.draw import (
    ALGORITHM_VERSION,
    Assignment,
    DrawInfeasible,
    Participant,
    draw_reviewing_states,
    draw_states_under_review,
)
from mechanism.lots import new_seed
from mechanism.redraws import current_assignments, redraw_reviewer


def _participants(rows: list[Record], opted_out: set[str], volunteers: set[str]) -> list[Participant]:
    result = []
    for row in rows:
        bound = set(row["bound"])
        party = "UNTOC" in bound
        volunteer = row["code"] in volunteers and not party
        instruments = frozenset(row["signed"] if volunteer else bound)
        result.append(
            Participant(
                code=row["code"],
                regional_group=row["regionalGroup"],
                instruments=instruments,
                may_be_reviewed=(party or volunteer) and row["code"] not in opted_out,
                may_review=party and row["code"] not in opted_out,
            )
        )
    return result


def _participant_json(p: Participant) -> dict[str, Any]:
    return {
        "code": p.code,
        "regionalGroup": p.regional_group,
        "instruments": sorted(p.instruments),
        "mayBeReviewed": p.may_be_reviewed,
        "mayReview": p.may_review,
        "maxReviews": p.max_reviews,
    }


def _participant_from_json(d: dict[str, Any]) -> Participant:
    return Participant(
        d["code"],
        d["regionalGroup"],
        frozenset(d["instruments"]),
        d["mayBeReviewed"],
        d["mayReview"],
        d["maxReviews"],
    )


def assignment_json(a: Assignment) -> dict[str, Any]:
    return {
        "stateUnderReview": a.state_under_review,
        "reviewer": a.reviewer,
        "instruments": list(a.instruments),
        "sameRegionalGroup": a.same_regional_group,
    }


def assignment_from_json(a: dict[str, Any]) -> Assignment:
    return Assignment(a["stateUnderReview"], a["reviewer"], tuple(a["instruments"]), a["sameRegionalGroup"])


def current_assignments_of(draws: list[Record]) -> list[Assignment]:
    """Who reviews whom now, from the reviewer draws (rows of `draw`), oldest first."""
    return current_assignments(
        (
            row["draw"]["kind"],
            [assignment_from_json(a) for a in json.loads(row["draw"]["result"])["assignments"]],
        )
        for row in draws
    )


def compute(kind: str, inputs: dict[str, Any], seed: str) -> dict[str, Any]:
    """The result of a draw from its recorded inputs: what `verifyDraw` recomputes."""
    participants = [_participant_from_json(p) for p in inputs["participants"]]
    if kind == DrawKind.STATES_UNDER_REVIEW.value:
        return {"years": draw_states_under_review(participants, seed)}
    if kind == DrawKind.REDRAW.value:
        found = redraw_reviewer(
            participants,
            inputs["request"]["stateUnderReview"],
            inputs["request"]["reviewer"],
            seed,
            [assignment_from_json(a) for a in inputs["current"]],
            released=frozenset(inputs["released"]),
        )
    else:
        existing = [assignment_from_json(a) for a in inputs["existing"]]
        found = draw_reviewing_states(participants, inputs["statesUnderReview"], seed, existing=existing)
    return {"assignments": [assignment_json(a) for a in found]}


def _recompute(record: Record) -> str:
    """A draw's result computed again from its recorded inputs and seed, as recorded
    (JSON with sorted keys); empty if the inputs admit no draw."""
    try:
        result = compute(record["kind"], json.loads(record["inputs"]), record["seed"])
    except DrawInfeasible:
        return ""
    return json.dumps(result, sort_keys=True)


# A draw is never changed once recorded, so its recomputation (~0.3 s of CPU for the
# reviewing States) is made once per process and kept (by the draw and its recorded
# inputs: a draw altered in the database is computed again), in a thread so that the event loop
# goes on serving meanwhile; requests asking at the same time share one computation.
_RECOMPUTED: dict[tuple[str, str], str] = {}
_RECOMPUTED_KEPT = 64
_IN_FLIGHT: dict[tuple[int, str, str], asyncio.Future[str]] = {}  # by event loop, then draw


async def _recomputed(record: Record, kept: bool = True) -> str:
    if not kept:  # the speed-up off (SHERLOC_SPEEDUP_DRAW_VERIFICATION_CACHE): computed each time
        return await asyncio.to_thread(_recompute, record)
    recorded = "\n".join(str(record[name]) for name in ("kind", "seed", "inputs"))
    key = (str(record["id"]), hashlib.sha256(recorded.encode()).hexdigest())
    done = _RECOMPUTED.get(key)
    if done is not None:
        return done
    flight = (id(asyncio.get_running_loop()), *key)
    future = _IN_FLIGHT.get(flight)
    if future is None:
        future = asyncio.ensure_future(asyncio.to_thread(_recompute, record))
        _IN_FLIGHT[flight] = future

        def keep(finished: asyncio.Future[str]) -> None:
            del _IN_FLIGHT[flight]
            if not finished.cancelled() and finished.exception() is None:
                _RECOMPUTED[key] = finished.result()
                while len(_RECOMPUTED) > _RECOMPUTED_KEPT:
                    del _RECOMPUTED[next(iter(_RECOMPUTED))]

        future.add_done_callback(keep)
    # Shielded: a request stopped at its time limit leaves the computation to the others.
    return await asyncio.shield(future)


def new_draw(
    info: ContextInfo, kind: DrawKind, inputs: dict[str, Any], seed: str | None
) -> Record | DrawInfeasibleError:
    """The record of a draw (not yet stored), or why no draw meets the constraints. The
    seed is drawn from the operating system unless given."""
    seed = seed or new_seed()
    try:
        result = compute(kind.value, inputs, seed)
    except DrawInfeasible as error:
        return DrawInfeasibleError(message="No draw meets the constraints.", failures=error.failures)
    encoded = json.dumps(result, sort_keys=True)
    created = now()
    return {
        "id": f"{created:%Y%m%dT%H%M%S%f}-{kind.value}",
        "kind": kind.value,
        "seed": seed,
        "algorithmVersion": ALGORITHM_VERSION,
        "createdAt": created,
        "createdBy": info.context.viewer.user_id,
        "inputs": json.dumps(inputs, sort_keys=True),
        "result": encoded,
        "resultHash": hashlib.sha256(encoded.encode()).hexdigest(),
    }
