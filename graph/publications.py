"""What the States under review published of their reviews, as search documents.

A publication is a `(:Publication:Document {kind: 'REVIEW_DOCUMENT'})` node per published
artefact or part; the search index follows it like any document. The set of a review's
publications is replaced as a whole whenever its disclosure or content changes.
"""

from __future__ import annotations

from typing import Any

from graph.content import NEXT_VERSION
from graph.driver import Graph


async def replace_publications(
    graph: Graph, review_id: str, party: str, rows: list[dict[str, Any]]
) -> list[str]:
    """Make the review's publications exactly `rows` (key, props); returns the keys removed."""
    removed = await graph.write(
        "MATCH (n:Publication {reviewId: $review}) WHERE NOT n.key IN $keys "
        "WITH n, n.key AS key DETACH DELETE n RETURN key",
        review=review_id,
        keys=[row["key"] for row in rows],
    )
    if rows:
        await graph.write(
            "UNWIND $rows AS row "
            "MERGE (n:Publication {key: row.key}) "
            "WITH n, row, " + NEXT_VERSION + "AS version, n.hash = row.props.hash AS same "
            "FOREACH (_ IN CASE WHEN same THEN [] ELSE [1] END | "
            "  SET n = row.props, n:Document, n.key = row.key, n.kind = 'REVIEW_DOCUMENT', "
            "      n.reviewId = $review, n.party = $party, n.version = version, "
            "      n.indexPending = true, n.updatedAt = datetime()) "
            "WITH n MATCH (p:Party {code: $party}) MERGE (n)-[:OF_PARTY]->(p)",
            rows=rows,
            review=review_id,
            party=party,
        )
    return [row["key"] for row in removed]
