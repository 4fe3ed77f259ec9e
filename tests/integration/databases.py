"""The test servers' databases for a test's own reads and writes (setting up, checking what
the API stored, cleaning up after itself): opened and closed around the work."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from elasticsearch import AsyncElasticsearch

from api.config import Settings
from graph.driver import Graph
from search.client import connect
from search.indices import documents_alias


@asynccontextmanager
async def graph_of(settings: Settings) -> AsyncIterator[Graph]:
    graph = Graph.connect(
        settings.bolt_uri, settings.neo4j_user, settings.neo4j_password, settings.neo4j_database
    )
    try:
        yield graph
    finally:
        await graph.close()


@asynccontextmanager
async def search_of(settings: Settings) -> AsyncIterator[AsyncElasticsearch]:
    """A client of every node of the settings (a cluster's too), as the API has."""
    es = connect(settings.elasticsearch_urls, settings.es_username, settings.es_password)
    try:
        yield es
    finally:
        await es.close()


async def refresh_search(settings: Settings) -> None:
    """Make what was indexed searchable now (Elasticsearch does it within a second)."""
    async with search_of(settings) as es:
        await es.indices.refresh(index=documents_alias(settings.es_index_prefix))
