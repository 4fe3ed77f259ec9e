"""The search index: its mapping, and the alias it lives behind.

The alias always points at one complete index, so a rebuild (`sherloc reindex`) fills a
new index and swaps the alias in one atomic step: search never answers from half an index.
Each text is indexed once per language it exists in, with the analyzer of that language
(from the project's analysis plugin, search/analysis-plugin/), and under `other` with a
language-neutral analyzer for every other language.
"""

from __future__ import annotations

import time
from typing import Any

from elasticsearch import AsyncElasticsearch, NotFoundError

from graph.driver import count_round_trip
from mechanism.vocabulary import WORKING_LANGUAGES
from search.documents import OTHER

# Bump when the mapping changes: `sherloc setup` then rebuilds the index from the graph.
MAPPING_VERSION = 6

ANALYZERS = {lang: f"sherloc_{lang}" for lang in WORKING_LANGUAGES} | {OTHER: "sherloc_default"}


def _localized_text() -> dict[str, Any]:
    return {
        "properties": {lang: {"type": "text", "analyzer": analyzer} for lang, analyzer in ANALYZERS.items()}
    }


MAPPINGS: dict[str, Any] = {
    "dynamic": "strict",
    "_meta": {"mappingVersion": MAPPING_VERSION},
    "properties": {
        "kind": {"type": "keyword"},
        "key": {"type": "keyword"},
        "uid": {"type": "keyword"},
        "version": {"type": "long"},
        "party": {"type": "keyword"},
        "regionalGroup": {"type": "keyword"},
        "instruments": {"type": "keyword"},
        "articles": {"type": "keyword"},
        "crimeTypes": {"type": "keyword"},
        "usesConventionAsLegalBasis": {"type": "boolean"},
        # A case's keywords ("FAMILY:term"), the level of its court and its outcome.
        "keywords": {"type": "keyword"},
        "courtLevel": {"type": "keyword"},
        "outcome": {"type": "keyword"},
        "date": {"type": "date"},
        "year": {"type": "integer"},
        "originalLanguage": {"type": "keyword"},
        "languages": {"type": "keyword"},
        "sample": {"type": "boolean"},
        "title": _localized_text(),
        "body": _localized_text(),
        # A law's extract for each article it implements, searched per article.
        "extracts": {
            "type": "nested",
            "properties": {"article": {"type": "keyword"}, "text": _localized_text()},
        },
        # The title (a name for authorities) by language, as the graph holds it: returned
        # with the hits, never searched (the analyzed copies above are).
        "titles": {"type": "object", "enabled": False},
    },
}

# One replica of each shard on another node as soon as the cluster has two nodes (none on
# a single node, which would otherwise stay yellow): a node lost loses no data.
REPLICAS = {"auto_expand_replicas": "0-1"}
SETTINGS: dict[str, Any] = {"number_of_shards": 1, **REPLICAS}


def documents_alias(prefix: str) -> str:
    return f"{prefix}-documents"


def new_index_name(prefix: str) -> str:
    return f"{documents_alias(prefix)}-{time.strftime('%Y%m%d%H%M%S')}-{time.time_ns() % 1000000:06d}"


async def create_index(es: AsyncElasticsearch, name: str) -> None:
    count_round_trip("elasticsearch")
    await es.indices.create(index=name, settings=SETTINGS, mappings=MAPPINGS)


async def current_index(es: AsyncElasticsearch, prefix: str) -> str | None:
    """The index behind the alias, or None."""
    count_round_trip("elasticsearch")
    try:
        aliases = await es.indices.get_alias(name=documents_alias(prefix))
    except NotFoundError:
        return None
    names = sorted(aliases.body)
    return names[-1] if names else None


async def mapping_version(es: AsyncElasticsearch, index: str) -> int:
    count_round_trip("elasticsearch")
    mapping = await es.indices.get_mapping(index=index)
    meta = mapping.body[index]["mappings"].get("_meta", {})
    return int(meta.get("mappingVersion", 0))


async def indices_ready(es: AsyncElasticsearch, prefix: str) -> bool:
    return await current_index(es, prefix) is not None
