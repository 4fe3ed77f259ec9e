"""Queries of country reviews."""

from __future__ import annotations

import strawberry

from api.graphql.context import ContextInfo
from api.graphql.relay import (
    Connection,
    paging,
)
from api.graphql.reviews.types import Review
from graph.reviews import reviews_page


@strawberry.type
class ReviewQueries:
    @strawberry.field(description="Country reviews, by id (their artefacts as the viewer may read them)")
    async def reviews(
        self,
        info: ContextInfo,
        state_under_review: str | None = None,
        phase: int | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Review]:
        page = paging(info.context, "reviews", first, after)
        records, total = await reviews_page(
            info.context.graph,
            state_under_review.strip().upper() if state_under_review else None,
            phase,
            page.position,
            page.fetch,
        )
        ids = [r["id"] for r in records]
        rows = await info.context.loaders.review.load_many(ids)
        found = [Review.from_row(row) for row in rows if row]
        return page.connection(found, [r.review_id for r in found], total)
