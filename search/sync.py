"""Keeping the index in step with the graph.

A write commits to Neo4j first (with `indexPending = true`), then indexes. When indexing
fails the flag stays, and `index_pending` (run by the API every few seconds, and by every
ingest) catches up later: search never silently misses what the graph holds. The flag is
cleared only for the version that was indexed, so a write racing an indexing run is
indexed again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from elasticsearch import AsyncElasticsearch
from elasticsearch.helpers import async_bulk, async_scan

from graph.content import NEXT_VERSION, DocumentKind
from graph.driver import Graph, count_round_trip
from search.documents import all_keys, fetch_documents
from search.indices import (
    MAPPING_VERSION,
    REPLICAS,
    create_index,
    current_index,
    documents_alias,
    mapping_version,
    new_index_name,
)

log = logging.getLogger("sherloc.search")
BATCH = 500


@dataclass
class SyncResult:
    indexed: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


async def _bulk(
    es: AsyncElasticsearch, index: str, documents: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[str]]:
    """Index documents; returns those indexed and the errors of the others."""
    actions = [
        {
            "_op_type": "index",
            "_index": index,
            "_id": f"{doc['kind']}:{doc['key']}",
            "version": doc["version"],
            "version_type": "external_gte",
            "_source": doc,
        }
        for doc in documents
    ]
    count_round_trip("elasticsearch")
    _, errors = await async_bulk(es, actions, raise_on_error=False, raise_on_exception=False, refresh=False)
    failed_ids = set()
    messages = []
    for error in errors:  # type: ignore[union-attr]
        info = next(iter(error.values()))
        failed_ids.add(info.get("_id"))
        messages.append(f"{info.get('_id')}: {info.get('error')}")
    indexed = [d for d in documents if f"{d['kind']}:{d['key']}" not in failed_ids]
    return indexed, messages


async def _mark_indexed(graph: Graph, documents: list[dict[str, Any]]) -> None:
    await graph.write(
        "UNWIND $rows AS row MATCH (n:Document {kind: row.kind, key: row.key}) "
        "WHERE n.version = row.version REMOVE n.indexPending",
        rows=[{"kind": d["kind"], "key": d["key"], "version": d["version"]} for d in documents],
    )


async def index_keys(
    graph: Graph, es: AsyncElasticsearch, prefix: str, kind: DocumentKind, keys: list[str]
) -> SyncResult:
    """Index these documents from the graph into the live index; never raises for an
    unavailable index (the documents stay pending)."""
    return await index_documents(graph, es, prefix, await fetch_documents(graph, kind, keys))


async def index_documents(
    graph: Graph, es: AsyncElasticsearch, prefix: str, documents: list[dict[str, Any]]
) -> SyncResult:
    """Index these documents into the live index and mark them indexed in the graph; never
    raises for an unavailable index (the documents stay pending)."""
    result = SyncResult()
    if not documents:
        return result
    try:
        indexed, errors = await _bulk(es, documents_alias(prefix), documents)
    except Exception as error:  # the index is down: the graph keeps them pending
        log.warning("indexing %d documents failed: %s", len(documents), error)
        result.failed = len(documents)
        result.errors.append(str(error))
        return result
    await _mark_indexed(graph, indexed)
    result.indexed = len(indexed)
    result.failed = len(documents) - len(indexed)
    result.errors.extend(errors)
    return result


TOMBSTONE_MINUTES = 10


async def delete_tombstoned(es: AsyncElasticsearch, prefix: str, tombstones: list[dict[str, Any]]) -> None:
    """Delete documents up to their tombstone's version (a newer version stays)."""
    count_round_trip("elasticsearch")
    await es.bulk(
        operations=[
            {
                "delete": {
                    "_index": documents_alias(prefix),
                    "_id": t["uid"],
                    "version": t["version"],
                    "version_type": "external_gte",
                }
            }
            for t in tombstones
        ],
        refresh="wait_for",
    )


async def remove_tombstones(graph: Graph, es: AsyncElasticsearch, prefix: str) -> None:
    """Delete from the index what was withdrawn (again, for a while: an older write racing
    the withdrawal, or a reindex running meanwhile, may have put it back)."""
    rows = await graph.read("MATCH (t:Tombstone) RETURN t.uid AS uid, t.version AS version LIMIT 5000")
    if not rows:
        return
    await delete_tombstoned(es, prefix, rows)
    await graph.write(
        "MATCH (t:Tombstone) WHERE t.at < datetime() - duration({minutes: $minutes}) DELETE t",
        minutes=TOMBSTONE_MINUTES,
    )


async def index_pending(graph: Graph, es: AsyncElasticsearch, prefix: str) -> SyncResult:
    """Index every document whose latest version the index does not hold yet, and remove
    what was withdrawn meanwhile."""
    await remove_tombstones(graph, es, prefix)
    total = SyncResult()
    for kind in DocumentKind:
        after = ""
        while True:
            rows = await graph.read(
                "MATCH (n:Document) WHERE n.indexPending = true AND n.kind = $kind "
                "AND n.key > $after RETURN n.key AS key ORDER BY n.key LIMIT $batch",
                kind=kind.value,
                after=after,
                batch=BATCH,
            )
            if not rows:
                break
            keys = [row["key"] for row in rows]
            result = await index_keys(graph, es, prefix, kind, keys)
            total.indexed += result.indexed
            total.failed += result.failed
            total.errors.extend(result.errors)
            if result.failed:
                return total  # the index is failing: try again on the next run
            after = keys[-1]
    return total


async def pending_count(graph: Graph) -> int:
    rows = await graph.read("MATCH (n:Document) WHERE n.indexPending = true RETURN count(n) AS n")
    return int(rows[0]["n"])


async def reindex(
    graph: Graph, es: AsyncElasticsearch, prefix: str, report: Callable[[str], object] = print
) -> str:
    """Rebuild the index from the graph into a new index, then swap the alias atomically."""
    alias = documents_alias(prefix)
    started = (await graph.read("RETURN datetime() AS now"))[0]["now"]
    old = await current_index(es, prefix)
    new = new_index_name(prefix)
    await create_index(es, new)
    count = 0
    for kind in DocumentKind:
        async for keys in all_keys(graph, kind, BATCH):
            documents = await fetch_documents(graph, kind, keys)
            _, errors = await _bulk(es, new, documents)
            if errors:
                await es.indices.delete(index=new)
                raise RuntimeError(f"reindex failed, the live index is unchanged: {errors[:3]}")
            count += len(documents)
            report(f"  {count} documents indexed into {new}")
    await es.indices.refresh(index=new)
    actions: list[dict[str, Any]] = [{"add": {"index": new, "alias": alias}}]
    if old:
        actions.insert(0, {"remove": {"index": old, "alias": alias}})
    await es.indices.update_aliases(actions=actions)
    if old:
        await es.indices.delete(index=old)
    # Writes made during the rebuild went to the old index: index them again.
    await graph.write(
        "MATCH (n:Document) WHERE n.updatedAt >= $started SET n.indexPending = true",
        started=started,
    )
    await index_pending(graph, es, prefix)  # also removes what was withdrawn meanwhile
    return new


async def ensure_index(
    graph: Graph, es: AsyncElasticsearch, prefix: str, report: Callable[[str], object] = print
) -> None:
    """Build the index from the graph when there is none, or when its mapping is older."""
    current = await current_index(es, prefix)
    if current is not None and await mapping_version(es, current) >= MAPPING_VERSION:
        await es.indices.put_settings(index=current, settings=REPLICAS)  # older indices had none
        return
    report("Building the search index from the graph ...")
    await reindex(graph, es, prefix, report)


@dataclass
class ReconcileResult:
    reindexed: int
    removed: int


async def reconcile(graph: Graph, es: AsyncElasticsearch, prefix: str) -> ReconcileResult:
    """Make the index hold exactly the graph's documents, each at its graph version.

    After a restore the graph's dump and the index's snapshot were taken moments apart:
    what the graph holds and the index lacks (or holds older) is indexed again, and what
    the index holds and the graph does not is removed from it.
    """
    alias = documents_alias(prefix)
    indexed: dict[str, int] = {}
    count_round_trip("elasticsearch")
    await es.indices.refresh(index=alias)
    async for hit in async_scan(es, index=alias, query={"_source": ["version"]}, size=5000):
        indexed[hit["_id"]] = hit["_source"]["version"]
    stale: list[dict[str, str]] = []
    in_graph: set[str] = set()
    rows = await graph.read("MATCH (n:Document) RETURN n.kind AS kind, n.key AS key, n.version AS version")
    for row in rows:
        uid = f"{row['kind']}:{row['key']}"
        in_graph.add(uid)
        if indexed.get(uid) != row["version"]:
            stale.append({"kind": row["kind"], "key": row["key"]})
    orphans = [uid for uid in indexed if uid not in in_graph]
    if stale:
        # A new version, above whatever the index held or remembers having deleted.
        await graph.write(
            "UNWIND $rows AS row MATCH (n:Document {kind: row.kind, key: row.key}) "
            "SET n.version = " + NEXT_VERSION + ", n.indexPending = true",
            rows=stale,
        )
    for start in range(0, len(orphans), BATCH):
        count_round_trip("elasticsearch")
        batch = orphans[start : start + BATCH]
        response = await es.bulk(operations=[{"delete": {"_index": alias, "_id": uid}} for uid in batch])
        if response["errors"]:
            raise RuntimeError(f"removing documents the graph does not hold failed: {response['items'][:3]}")
    result = await index_pending(graph, es, prefix)
    if result.failed:
        raise RuntimeError(f"indexing after the restore failed: {result.errors[:3]}")
    await es.indices.refresh(index=alias)
    return ReconcileResult(reindexed=len(stale), removed=len(orphans))
