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
from mechanism.commitments import CALLER, OPERATING_SYSTEM
from mechanism.draw import ALGORITHM_VERSION, Assignment, DrawInfeasible, Participant
from mechanism.draw_records import (
    assignment_from_json,
    assignment_json,
    compute,
    participant_from_json,
    participant_json,
)
from mechanism.lots import new_seed
from mechanism.redraws import current_assignments

__all__ = ["assignment_from_json", "assignment_json", "compute"]


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


_participant_json = participant_json
_participant_from_json = participant_from_json


def current_assignments_of(draws: list[Record]) -> list[Assignment]:
    """Who reviews whom now, from the reviewer draws (rows of `draw`), oldest first."""
    return current_assignments(
        (
            row["draw"]["kind"],
            [assignment_from_json(a) for a in json.loads(row["draw"]["result"])["assignments"]],
        )
        for row in draws
    )


def _recompute(record: Record) -> str:
    """A draw's result computed again from its recorded inputs and seed, as recorded
    (JSON with sorted keys); empty if the inputs admit no draw."""
    try:
        result = compute(
            record["kind"], json.loads(record["inputs"]), record["seed"], record["algorithmVersion"]
        )
    except (DrawInfeasible, ValueError):
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
    seed is drawn from the operating system unless given (outside production: the policy
    refuses a chosen seed in production), and the record says which."""
    origin = CALLER if seed else OPERATING_SYSTEM
    return make_draw(kind.value, inputs, seed or new_seed(), info.context.viewer.user_id, origin)


def make_draw(
    kind: str, inputs: dict[str, Any], seed: str, user_id: str | None, origin: str
) -> Record | DrawInfeasibleError:
    """The record of a draw made with `seed` (whose origin it records), or why none can be."""
    try:
        result = compute(kind, inputs, seed)
    except DrawInfeasible as error:
        return DrawInfeasibleError(message="No draw meets the constraints.", failures=error.failures)
    encoded = json.dumps(result, sort_keys=True)
    created = now()
    return {
        "id": f"{created:%Y%m%dT%H%M%S%f}-{kind}",
        "kind": kind,
        "seed": seed,
        "seedOrigin": origin,
        "algorithmVersion": ALGORITHM_VERSION,
        "createdAt": created,
        "createdBy": user_id,
        "inputs": json.dumps(inputs, sort_keys=True),
        "result": encoded,
        "resultHash": hashlib.sha256(encoded.encode()).hexdigest(),
    }
