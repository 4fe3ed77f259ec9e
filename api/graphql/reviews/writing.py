"""What the mutations of the secure module share: finding the review, checking text,
answering a refusal, and reloading (and publishing) the review after a write."""

from __future__ import annotations

import logging
from collections.abc import Awaitable

import strawberry

from api.graphql.context import ContextInfo
from api.graphql.errors import InvalidInput, NotFound, RuleViolation
from api.graphql.relay import parse_global_id
from api.graphql.reviews.types import Review
from graph.driver import Record
from graph.reviews import Refused, ReviewMissing
from mechanism.rules import Violation
from search.publishing import publish_review

MAX_TEXT = 200_000
MAX_REASON = 2_000
log = logging.getLogger("sherloc.reviews")


@strawberry.type(description="Someone saved a newer version first: reload, then save again")
class VersionConflictError:
    message: str
    current_version: int


async def review_of(info: ContextInfo, id: strawberry.ID) -> Review | None:
    ref = parse_global_id(id, "review")
    if ref.type_name != "Review":
        return None
    row = await info.context.loaders.review.load(ref.key)
    return Review.from_row(row) if row else None


def refusal(refused: Refused) -> RuleViolation:
    """What a rule checked in the write's transaction answered (nothing was written)."""
    assert isinstance(refused.refusal, Violation)
    return RuleViolation.of(refused.refusal)


def participants(locked: Record) -> tuple[str, list[str]]:
    """The State under review and its reviewing States, of a review `graph.reviews` locked."""
    return locked["review"]["stateUnderReview"], list(locked["reviewers"])


def text_problem(field: str, value: str, limit: int = MAX_TEXT) -> InvalidInput | None:
    if not value.strip():
        return InvalidInput(field=field, message="must not be empty")
    if len(value) > limit:
        return InvalidInput(field=field, message=f"must have at most {limit} characters")
    if any(ord(c) < 32 and c not in "\t\n\r" for c in value):
        return InvalidInput(field=field, message="contains control characters")
    return None


async def publish(info: ContextInfo, review_id: str) -> None:
    """Search follows every change of what is public (never failing the write itself)."""
    try:
        await publish_review(
            info.context.graph, info.context.es, info.context.settings.es_index_prefix, review_id
        )
    except Exception as error:  # the graph holds the truth; the catch-up loop follows
        log.warning("publishing review %s failed: %s", review_id, error)


async def written(
    info: ContextInfo, review_id: str, write: Awaitable[object]
) -> Review | RuleViolation | NotFound:
    """The review once `write` (a change of graph.reviews checked by its `decide`) is done;
    the rule's refusal, or NotFound for no such review, when it is not."""
    try:
        await write
    except Refused as refused:
        return refusal(refused)
    except ReviewMissing:
        return NotFound()
    return await reload_review(info, review_id)


async def reload_review(info: ContextInfo, review_id: str) -> Review:
    """The review as it is now (its publications brought in line): what this request
    cached of it before the write is dropped."""
    await publish(info, review_id)
    loaders = info.context.loaders
    loaders.review.clear_all()
    for loader in loaders.review_artefacts.values():
        loader.clear_all()
    row = await loaders.review.load(review_id)
    assert row is not None
    return Review.from_row(row)
