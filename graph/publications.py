"""What the States under review published of their reviews, as search documents.

A publication is a `(:Publication:Document {kind: 'REVIEW_DOCUMENT'})` node per published
artefact or part; the search index follows it like any document. The set of a review's
publications is replaced as a whole whenever its disclosure or content changes.
"""

from __future__ import annotations

from typing import Any

from neo4j import AsyncManagedTransaction

from graph.content import NEXT_VERSION
from graph.driver import Graph


async def replace_publications(
    graph: Graph, review_id: str, party: str, rows: list[dict[str, Any]], content_version: int
) -> list[tuple[str, int]] | None:
    """Make the review's publications exactly `rows` (key, props), if the review is still at
    `content_version` (None otherwise: it changed meanwhile, compute again). Returns the
    (key, version) of those removed. One transaction, under the review's write lock."""

    async def work(tx: AsyncManagedTransaction) -> list[tuple[str, int]] | None:
        result = await tx.run(
            "MATCH (r:Review {id: $review}) SET r.publishing = timestamp() "
            "RETURN coalesce(r.contentVersion, 0) AS version",
            review=review_id,
        )
        record = await result.single()
        if record is None or record["version"] != content_version:
            return None
        result = await tx.run(
            "MATCH (n:Publication {reviewId: $review}) WHERE NOT n.key IN $keys "
            "WITH n, n.key AS key, n.version AS version DETACH DELETE n RETURN key, version",
            review=review_id,
            keys=[row["key"] for row in rows],
        )
        removed = [(record["key"], record["version"]) async for record in result]
        await tx.run(
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
        await tx.run("MATCH (r:Review {id: $review}) REMOVE r.publishPending", review=review_id)
        return removed

    return await graph.write_transaction(work)


async def reviews_to_publish(graph: Graph) -> list[str]:
    """Reviews changed since their publications were last computed."""
    rows = await graph.read("MATCH (r:Review) WHERE r.publishPending = true RETURN r.id AS id LIMIT 100")
    return [row["id"] for row in rows]
