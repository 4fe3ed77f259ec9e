"""The types of a party's choices about the draws."""

from __future__ import annotations

import datetime
from typing import Any

import strawberry

from api.graphql.context import ContextInfo
from api.graphql.reference.types import Party, native, party_of
from mechanism.draw import DEFAULT_MAX_REVIEWS
from mechanism.participation import Choices


@strawberry.type(
    description="What a party decided about its part in the draws, as its focal point recorded it; "
    "the draws made afterwards apply it (¶28(c), ¶29, footnote 2)"
)
class PartyChoices:
    party_code: strawberry.Private[str]
    more_than_four_reviewers: bool = strawberry.field(
        description="as a State under review, it agreed to more than four reviewing States (¶28(c))"
    )
    max_reviews: int = strawberry.field(
        description="how many times it may review: three, or more if it volunteered (¶29)"
    )
    not_under_review: bool = strawberry.field(
        description="the Holy See chose not to take part as a State under review (footnote 2)"
    )
    not_reviewing: bool = strawberry.field(
        description="the Holy See chose not to take part as a reviewing State (footnote 2)"
    )
    updated_at: datetime.datetime | None

    @strawberry.field
    def party(self, info: ContextInfo) -> Party:
        return party_of(info, self.party_code)

    @classmethod
    def from_record(cls, party: str, record: dict[str, Any] | None) -> PartyChoices:
        record = record or {}
        return cls(
            party_code=party,
            more_than_four_reviewers=bool(record.get("moreThanFourReviewers", False)),
            max_reviews=int(record.get("maxReviews", DEFAULT_MAX_REVIEWS)),
            not_under_review=bool(record.get("notUnderReview", False)),
            not_reviewing=bool(record.get("notReviewing", False)),
            updated_at=native(record.get("updatedAt")),
        )


def choices_from(record: dict[str, Any]) -> Choices:
    """A recorded PartyChoices node as mechanism.participation sees it."""
    return Choices(
        party=str(record["party"]),
        more_than_four_reviewers=bool(record.get("moreThanFourReviewers", False)),
        max_reviews=int(record.get("maxReviews", DEFAULT_MAX_REVIEWS)),
        not_under_review=bool(record.get("notUnderReview", False)),
        not_reviewing=bool(record.get("notReviewing", False)),
    )
