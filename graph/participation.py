"""A party's choices about its part in the draws (¶28(c), ¶29, footnote 2): one
`PartyChoices` node per party that made any, and a `PartyChoiceChange` per change (who
recorded what, when), never changed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, LiteralString

from graph.driver import Graph, Record

CHOICE_FIELDS = ("moreThanFourReviewers", "maxReviews", "notUnderReview", "notReviewing")
CHOICES: LiteralString = (
    "MATCH (c:PartyChoices) WHERE $parties IS NULL OR c.party IN $parties "
    "RETURN properties(c) AS choices ORDER BY c.party"
)


async def choices_of(graph: Graph, parties: list[str] | None = None) -> list[Record]:
    """The recorded choices ({party, moreThanFourReviewers, maxReviews, notUnderReview,
    notReviewing, updatedAt}) of the parties named, or of every party that made any."""
    return await graph.read(CHOICES, parties=parties)


async def record_choices(
    graph: Graph, party: str, changes: dict[str, Any], recorded: dict[str, Any]
) -> Record | None:
    """Set `changes` (some of CHOICE_FIELDS) for `party` and log them with `recorded`
    ({at, by, onBehalf}); None when the party does not exist."""
    rows = await graph.write(
        "MATCH (p:Party {code: $party}) "
        "MERGE (c:PartyChoices {party: $party}) "
        "SET c += $changes, c.updatedAt = $recorded.at "
        "CREATE (x:PartyChoiceChange) SET x = $recorded, x.party = $party, x.changes = $encoded "
        "RETURN properties(c) AS choices",
        party=party,
        changes=changes,
        recorded=recorded,
        encoded=[f"{k}={v}" for k, v in sorted(changes.items())],
    )
    return rows[0]["choices"] if rows else None


# Every review's State under review, phase and reviewers: what a review named with its
# reviewers is checked against (loads, mutual pairs, the same reviewers in every phase).
REVIEW_REVIEWERS: LiteralString = (
    "MATCH (r:Review) "
    "RETURN r.id AS id, r.stateUnderReview AS stateUnderReview, r.phase AS phase, "
    "  COLLECT { MATCH (r)-[b:REVIEWED_BY]->(q:Party) "
    "            RETURN {party: q.code, instruments: b.instruments} ORDER BY q.code } AS reviewers "
    "ORDER BY r.id"
)


async def review_reviewers(graph: Graph) -> list[Record]:
    return await graph.read(REVIEW_REVIEWERS)


def reviewers_signature(rows: list[Record], parties: Iterable[str]) -> list[str]:
    """The reviews that concern `parties` (under review, or reviewing) with their reviewers,
    in a comparable form: a review opened with named reviewers is written only if none of
    those changed since it was checked (loads, mutual pairs, the same reviewers)."""
    concerned = set(parties)
    return [
        f"{row['id']}:"
        + ";".join(f"{r['party']}={','.join(sorted(r['instruments']))}" for r in row["reviewers"])
        for row in rows
        if row["stateUnderReview"] in concerned or any(r["party"] in concerned for r in row["reviewers"])
    ]
