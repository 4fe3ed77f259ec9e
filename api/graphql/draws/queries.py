"""Queries of the draws: the draws, the current assignments, a draw's verification."""

from __future__ import annotations

import asyncio

import strawberry

from api import speedups
from api.graphql.context import ContextInfo
from api.graphql.draws.records import _recomputed, current_assignments_of
from api.graphql.draws.types import Draw, DrawAssignment, DrawKind, DrawVerification
from api.graphql.errors import UserInputError
from api.graphql.relay import (
    Connection,
    paging,
    parse_global_id,
)
from graph import announcements as announced
from graph import draws as store
from mechanism.draw_verification import verify


@strawberry.type
class DrawQueries:
    @strawberry.field(description="Draws, newest first")
    async def draws(
        self,
        info: ContextInfo,
        kind: DrawKind | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Draw]:
        page = paging(info.context, "draws", first, after)
        records, total = await store.draws_page(
            info.context.graph, kind.value if kind else None, page.position, page.fetch
        )
        return page.connection([Draw.from_record(r) for r in records], [r["id"] for r in records], total)

    @strawberry.field(description="who reviews whom now: the draws of reviewing States with their redraws")
    async def current_assignments(
        self, info: ContextInfo, state_under_review: str | None = None
    ) -> list[DrawAssignment]:
        code = state_under_review.strip().upper() if state_under_review else None
        current = current_assignments_of(await store.reviewer_draws(info.context.graph))
        return [
            DrawAssignment(
                same_regional_group=a.same_regional_group,
                state_code=a.state_under_review,
                reviewer_code=a.reviewer,
                instrument_codes=list(a.instruments),
            )
            for a in current
            if code is None or a.state_under_review == code
        ]

    @strawberry.field
    async def draw(self, info: ContextInfo, id: strawberry.ID) -> Draw | None:
        ref = parse_global_id(id)
        rows = await store.draws_by_ids(info.context.graph, [ref.key]) if ref.type_name == "Draw" else []
        return Draw.from_record(rows[0]["draw"]) if rows else None

    @strawberry.field(
        description="checks a draw: recomputes it from its recorded inputs and seed, checks its "
        "announcement's commitment, contributions and seed, and its result against the rules"
    )
    async def verify_draw(self, info: ContextInfo, id: strawberry.ID) -> DrawVerification:
        ref = parse_global_id(id)
        record = await announced.draw_export(info.context.graph, ref.key) if ref.type_name == "Draw" else None
        if record is None:
            raise UserInputError("id", "no draw has this ID")
        rows = await store.draws_by_ids(info.context.graph, [ref.key])
        kept = speedups.on(info.context.settings, speedups.DRAW_VERIFICATION_CACHE)
        again = await _recomputed(rows[0]["draw"], kept)
        checked = await asyncio.to_thread(verify, record, again)
        return DrawVerification(
            draw=Draw.from_record(rows[0]["draw"]),
            reproduced=checked.reproduced,
            commitment_honoured=checked.commitment_honoured,
            meets_the_rules=checked.meets_the_rules,
            problems=checked.problems,
        )
