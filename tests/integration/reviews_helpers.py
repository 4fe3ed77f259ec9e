"""Helpers of the tests that build reviews of their own: removing what an earlier run of a
test wrote (a review, its artefacts and its publications), and reading as someone."""

from __future__ import annotations

from typing import Any

import httpx

from api.config import Settings
from search.indices import documents_alias
from tests.integration.accounts_helpers import as_user
from tests.integration.databases import graph_of, search_of

ARTEFACT_LABELS = (
    "Answer",
    "DialogueMessage",
    "ReviewDocument",
    "Observations",
    "Disclosure",
    "DisclosureChange",
    "WrittenFeedback",
    "ObservationsReopening",
    "TimelineProposal",
)


async def forget_review(settings: Settings, review_id: str) -> None:
    """The review, everything written in it, and its publications, from the graph."""
    async with graph_of(settings) as graph:
        await graph.write(
            "MATCH (r:Review {id: $id}) OPTIONAL MATCH (x)-[:OF_REVIEW]->(r) DETACH DELETE x",
            id=review_id,
        )
        for label in (*ARTEFACT_LABELS, "Publication"):
            await graph.write(f"MATCH (n:{label} {{reviewId: $id}}) DETACH DELETE n", id=review_id)
        await graph.write("MATCH (r:Review {id: $id}) DETACH DELETE r", id=review_id)


async def forget_review_publications(settings: Settings, party: str) -> None:
    """The review documents of a State under review, from the index (this Elasticsearch has
    no delete_by_query: it lacks the reindex module)."""
    async with search_of(settings) as es:
        alias = documents_alias(settings.es_index_prefix)
        query = {"bool": {"filter": [{"term": {"kind": "REVIEW_DOCUMENT"}}, {"term": {"party": party}}]}}
        hits = (await es.search(index=alias, query=query, size=1000, source=False))["hits"]["hits"]
        if hits:
            await es.bulk(
                operations=[{"delete": {"_index": alias, "_id": h["_id"]}} for h in hits], refresh=True
            )


async def data_as(http: httpx.AsyncClient, token: str | None, query: str, **variables: Any) -> dict[str, Any]:
    """The data of a query or mutation made with this session token, which must not fail."""
    body = await as_user(http, token, query, variables)
    assert "errors" not in body, body["errors"]
    data: dict[str, Any] = body["data"]
    return data
