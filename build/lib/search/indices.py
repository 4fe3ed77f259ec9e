"""The search indices: each lives behind an alias, so a rebuild can swap it in atomically.

The knowledge-base issue gives the text fields their per-language analyzers; this module
owns the shared structure: the filterable keyword fields every document kind has.
"""

from __future__ import annotations

from typing import Any

from elasticsearch import AsyncElasticsearch

from graph.driver import count_round_trip

INDEX_VERSION = 1

DOCUMENTS_MAPPINGS: dict[str, Any] = {
    "dynamic": "strict",
    "properties": {
        "kind": {"type": "keyword"},
        "key": {"type": "keyword"},
        "party": {"type": "keyword"},
        "regionalGroup": {"type": "keyword"},
        "instruments": {"type": "keyword"},
        "articles": {"type": "keyword"},
        "crimeTypes": {"type": "keyword"},
        "usesConventionAsLegalBasis": {"type": "boolean"},
        "date": {"type": "date"},
        "originalLanguage": {"type": "keyword"},
        "languages": {"type": "keyword"},
        "text": {"type": "object", "dynamic": True},
    },
}


def documents_alias(prefix: str) -> str:
    return f"{prefix}-documents"


def documents_index(prefix: str, version: int = INDEX_VERSION) -> str:
    return f"{documents_alias(prefix)}-v{version}"


async def ensure_indices(es: AsyncElasticsearch, prefix: str) -> None:
    """Create the current index and point the alias at it, unless the alias exists."""
    alias = documents_alias(prefix)
    count_round_trip("elasticsearch")
    if await es.indices.exists_alias(name=alias):
        return
    index = documents_index(prefix)
    count_round_trip("elasticsearch")
    if not await es.indices.exists(index=index):
        await es.indices.create(
            index=index,
            settings={"number_of_shards": 1, "number_of_replicas": 0},
            mappings=DOCUMENTS_MAPPINGS,
        )
    await es.indices.put_alias(index=index, name=alias)


async def indices_ready(es: AsyncElasticsearch, prefix: str) -> bool:
    count_round_trip("elasticsearch")
    return bool(await es.indices.exists_alias(name=documents_alias(prefix)))
