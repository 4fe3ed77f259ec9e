"""The two databases of one process, opened from the settings."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from elasticsearch import AsyncElasticsearch

from api.config import Settings
from graph.driver import Graph
from search.client import connect as connect_search


@dataclass
class Databases:
    graph: Graph
    es: AsyncElasticsearch

    @classmethod
    def connect(cls, settings: Settings) -> Databases:
        return cls(
            graph=Graph.connect(
                settings.bolt_uri,
                settings.neo4j_user,
                settings.neo4j_password,
                settings.neo4j_database,
            ),
            es=connect_search(settings.elasticsearch_urls, settings.es_username, settings.es_password),
        )

    async def close(self) -> None:
        await self.graph.close()
        await self.es.close()


@asynccontextmanager
async def open_databases(settings: Settings) -> AsyncIterator[Databases]:
    databases = Databases.connect(settings)
    try:
        yield databases
    finally:
        await databases.close()
