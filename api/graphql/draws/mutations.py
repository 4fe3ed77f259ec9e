"""Drawing the States under review (¶17)."""

from __future__ import annotations

import strawberry

from api.graphql.context import ContextInfo
from api.graphql.draws.records import _participant_json, _participants, new_draw
from api.graphql.draws.types import HOLY_SEE, Draw, DrawInfeasibleError, DrawKind, DrawResult
from graph import draws as store


@strawberry.type
class DrawMutations:
    @strawberry.mutation(description="Draw the year (1-3) of every party under review (¶17; secretariat)")
    async def draw_states_under_review(
        self,
        info: ContextInfo,
        seed: str | None = None,
        opted_out: list[str] | None = None,
        volunteers: list[str] | None = None,
    ) -> DrawResult:
        out = {c.strip().upper() for c in (opted_out if opted_out is not None else [HOLY_SEE])}
        rows = await store.draw_participants(info.context.graph)
        participants = _participants(rows, out, {c.strip().upper() for c in volunteers or []})
        inputs = {"participants": [_participant_json(p) for p in participants], "optedOut": sorted(out)}
        draw = new_draw(info, DrawKind.STATES_UNDER_REVIEW, inputs, seed)
        if isinstance(draw, DrawInfeasibleError):
            return draw
        return Draw.from_record(await store.create_draw(info.context.graph, draw))
