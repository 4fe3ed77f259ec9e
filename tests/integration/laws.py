"""Laws the integration tests write for themselves, and take away again."""

from __future__ import annotations

import json
from pathlib import Path

from elasticsearch.helpers import async_scan

from api.config import Settings
from search.indices import documents_alias
from tests.integration.databases import graph_of, search_of

TEXT = "Any person who launders the proceeds of crime commits an offence."


def write_laws(
    path: Path,
    prefix: str,
    count: int,
    party: str,
    title: str = "Act {n} on the matter {prefix}",
    text: str = TEXT,
    **fields: object,
) -> Path:
    """`count` laws in English, keyed `{prefix}-00000` on, as a JSON Lines file to ingest."""
    with path.open("w", encoding="utf-8") as handle:
        for n in range(count):
            law = {
                "kind": "legislation",
                "id": f"{prefix}-{n:05d}",
                "party": party,
                "title": {"en": title.format(n=n, prefix=prefix)},
                "original_language": "en",
                "text": {"en": text},
                **fields,  # more of the ingest format, e.g. implements_articles
            }
            handle.write(json.dumps(law) + "\n")
    return path


async def forget_laws(settings: Settings, prefix: str) -> None:
    """The laws whose key starts with `prefix` leave the graph and the index."""
    alias = documents_alias(settings.es_index_prefix)
    async with graph_of(settings) as graph, search_of(settings) as es:
        await graph.write("MATCH (n:Legislation) WHERE n.key STARTS WITH $p DETACH DELETE n", p=prefix)
        await es.indices.refresh(index=alias)
        ids = [
            hit["_id"]
            async for hit in async_scan(es, index=alias, query={"query": {"prefix": {"key": prefix}}})
        ]
        if ids:
            await es.bulk(operations=[{"delete": {"_index": alias, "_id": i}} for i in ids], refresh=True)
