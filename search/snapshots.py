"""Snapshots of the search index in a shared-filesystem repository (`sherloc backup`).

Each backup is a repository of its own (a directory under SHERLOC_BACKUP_DIR, which every
node lists in `path.repo`), registered only while it is written or read.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from elasticsearch import AsyncElasticsearch

from search.indices import documents_alias

SNAPSHOT = "index"


def _long(es: AsyncElasticsearch) -> AsyncElasticsearch:
    """Taking or restoring a snapshot waits for its end: longer than any search, and never
    sent again to another node of a cluster (a second request would find one running)."""
    return es.options(request_timeout=3600, retry_on_timeout=False, max_retries=0)


@asynccontextmanager
async def _repository(es: AsyncElasticsearch, location: Path, readonly: bool) -> AsyncIterator[str]:
    name = "sherloc-backup"
    await es.snapshot.create_repository(
        name=name,
        repository={"type": "fs", "settings": {"location": str(location), "readonly": readonly}},
    )
    try:
        yield name
    finally:
        await es.snapshot.delete_repository(name=name)


async def take_snapshot(es: AsyncElasticsearch, prefix: str, location: Path) -> int:
    """Snapshot the index behind the alias, with the alias; returns its document count."""
    alias = documents_alias(prefix)
    await es.indices.refresh(index=alias)
    count = int((await es.count(index=alias))["count"])
    async with _repository(es, location, readonly=False) as repository:
        response = await _long(es).snapshot.create(
            repository=repository,
            snapshot=SNAPSHOT,
            indices=alias,
            include_global_state=False,
            wait_for_completion=True,
        )
    snapshot = response["snapshot"]
    if snapshot["state"] != "SUCCESS":
        raise RuntimeError(f"the index snapshot ended {snapshot['state']}: {snapshot.get('failures')}")
    return count


async def check_snapshot(es: AsyncElasticsearch, location: Path) -> None:
    """Raise unless this cluster can read the snapshot at `location` (registered under its
    `path.repo`, and of a version it can restore)."""
    async with _repository(es, location, readonly=True) as repository:
        response = await es.snapshot.get(repository=repository, snapshot=SNAPSHOT)
    state = response["snapshots"][0]["state"]
    if state != "SUCCESS":
        raise RuntimeError(f"the snapshot ended {state}")


async def existing_indices(es: AsyncElasticsearch, prefix: str) -> list[str]:
    response = await es.indices.get(index=f"{documents_alias(prefix)}*", expand_wildcards="all")
    return sorted(response.body)


async def restore_snapshot(es: AsyncElasticsearch, prefix: str, location: Path) -> None:
    """Replace this prefix's indices with the snapshot's (its alias comes with it)."""
    for index in await existing_indices(es, prefix):
        await es.indices.delete(index=index)
    async with _repository(es, location, readonly=True) as repository:
        response = await _long(es).snapshot.restore(
            repository=repository,
            snapshot=SNAPSHOT,
            indices=f"{documents_alias(prefix)}*",
            include_aliases=True,
            include_global_state=False,
            wait_for_completion=True,
        )
    shards = response["snapshot"]["shards"]
    if shards["failed"] or not shards["total"]:
        raise RuntimeError(f"{shards['failed']} of {shards['total']} shards of the index failed to restore")
