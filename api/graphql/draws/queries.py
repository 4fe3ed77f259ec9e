"""Queries of the draws: the draws, the current assignments, a draw's verification."""

from __future__ import annotations

import hashlib

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
from graph import draws as store
from mechanism.draw import (
    ALGORITHM_VERSION,
)


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

    @strawberry.field(description="recomputes the draw from its recorded inputs and seed")
    async def verify_draw(self, info: ContextInfo, id: strawberry.ID) -> DrawVerification:
        ref = parse_global_id(id)
        rows = await store.draws_by_ids(info.context.graph, [ref.key]) if ref.type_name == "Draw" else []
        if not rows:
            raise UserInputError("id", "no draw has this ID")
        record = rows[0]["draw"]
        kept = speedups.on(info.context.settings, speedups.DRAW_VERIFICATION_CACHE)
        again = await _recomputed(record, kept)
        reproduced = (
            record["algorithmVersion"] == ALGORITHM_VERSION
            and again == record["result"]
            and hashlib.sha256(again.encode()).hexdigest() == record["resultHash"]
        )
        return DrawVerification(draw=Draw.from_record(record), reproduced=reproduced)
