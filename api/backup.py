"""`sherloc backup` and `sherloc restore`: the graph's dump and the index's snapshot, kept
together under SHERLOC_BACKUP_DIR/NAME/ with a manifest.

The index is snapshotted online; the graph is dumped with neo4j-admin, which needs Neo4j
stopped for the few seconds it takes (Community Edition has no online backup; the API
answers "not ready" meanwhile and recovers by itself). The two are taken moments apart,
so a restore ends by reconciling the index with the graph, the system of record.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from api.config import Settings
from api.databases import open_databases
from api.launcher import services
from api.launcher.elasticsearch import give_to_service_user
from api.launcher.errors import LauncherError
from api.launcher.neo4j import Neo4jServer
from search.indices import MAPPING_VERSION
from search.snapshots import existing_indices, restore_snapshot, take_snapshot
from search.sync import reconcile

Report = Callable[[str], object]
NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A backup or restore refused or failed; the message says why and what to do."""


@dataclass(frozen=True)
class Manifest:
    name: str
    created_at: str
    profile: str
    neo4j_version: str
    es_version: str
    mapping_version: int
    graph_documents: int
    indexed_documents: int


@dataclass(frozen=True)
class RestoreSummary:
    graph_documents: int
    reindexed: int
    removed: int


def default_name() -> str:
    return time.strftime("%Y%m%d-%H%M%S", time.gmtime())


def _check_name(name: str) -> None:
    if not NAME.match(name):
        raise BackupError(
            f"backup name {name!r}: use 1 to 64 lower-case letters, digits, '-' or '_', "
            "starting with a letter or digit"
        )


def list_backups(settings: Settings) -> list[Manifest]:
    manifests = []
    for path in sorted(settings.backups_dir.glob(f"*/{MANIFEST}")):
        manifests.append(Manifest(**json.loads(path.read_text())))
    return manifests


async def _count_graph_documents(settings: Settings) -> int:
    async with open_databases(settings) as db:
        rows = await db.graph.read("MATCH (n:Document) RETURN count(n) AS n")
        return int(rows[0]["n"])


async def _snapshot(settings: Settings, location: Path) -> int:
    async with open_databases(settings) as db:
        return await take_snapshot(db.es, settings.es_index_prefix, location)


def _with_neo4j_stopped(settings: Settings, action: Callable[[Neo4jServer], object], report: Report) -> None:
    """Stop the launcher's Neo4j, run `action` on its files, and start it again."""
    neo4j = Neo4jServer(settings)
    if neo4j.process.pid() is None:
        raise BackupError(
            f"Neo4j at {neo4j.endpoint} was not started by `sherloc services up`: back it up "
            "with neo4j-admin where it runs"
        )
    report("Stopping Neo4j for the dump (the API answers 'not ready' meanwhile) ...")
    neo4j.process.stop()
    try:
        action(neo4j)
    finally:
        report("Starting Neo4j again ...")
        neo4j.start()
        services.wait_ready([neo4j], settings.start_timeout_seconds)


def backup(settings: Settings, name: str, report: Report = print) -> Manifest:
    """Snapshot the index, then dump the graph, into SHERLOC_BACKUP_DIR/NAME/."""
    _check_name(name)
    target = settings.backups_dir / name
    if target.exists():
        raise BackupError(f"a backup named {name!r} exists already in {settings.backups_dir}")
    services.up(settings, log=report)
    partial = settings.backups_dir / f"{name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    (partial / "elasticsearch").mkdir(parents=True)
    give_to_service_user(partial / "elasticsearch")
    try:
        report("Snapshotting the search index ...")
        indexed = asyncio.run(_snapshot(settings, partial / "elasticsearch"))
        graph_documents = asyncio.run(_count_graph_documents(settings))
        _with_neo4j_stopped(settings, lambda neo4j: neo4j.dump(partial), report)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    manifest = Manifest(
        name=name,
        created_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        profile=settings.profile.value,
        neo4j_version=settings.neo4j_version,
        es_version=settings.es_version,
        mapping_version=MAPPING_VERSION,
        graph_documents=graph_documents,
        indexed_documents=indexed,
    )
    (partial / MANIFEST).write_text(json.dumps(asdict(manifest), indent=2) + "\n")
    partial.rename(target)  # complete, or not there at all
    report(f"Backup {name} in {target}: {graph_documents} documents in the graph, {indexed} indexed")
    return manifest


async def _holds_data(settings: Settings) -> bool:
    async with open_databases(settings) as db:
        rows = await db.graph.read("MATCH (n) RETURN count(n) > 0 AS any")
        return bool(rows[0]["any"]) or bool(await existing_indices(db.es, settings.es_index_prefix))


async def _restore_index(settings: Settings, location: Path) -> None:
    async with open_databases(settings) as db:
        await restore_snapshot(db.es, settings.es_index_prefix, location)


async def _reconcile(settings: Settings) -> RestoreSummary:
    async with open_databases(settings) as db:
        result = await reconcile(db.graph, db.es, settings.es_index_prefix)
        rows = await db.graph.read("MATCH (n:Document) RETURN count(n) AS n")
    return RestoreSummary(
        graph_documents=int(rows[0]["n"]), reindexed=result.reindexed, removed=result.removed
    )


def restore(settings: Settings, name: str, replace: bool = False, report: Report = print) -> RestoreSummary:
    """Load the backup NAME into this profile's servers. Servers that hold data are
    replaced only when asked (`replace`)."""
    _check_name(name)
    source = settings.backups_dir / name
    if not (source / MANIFEST).is_file():
        known = ", ".join(m.name for m in list_backups(settings)) or "none"
        raise BackupError(f"no backup named {name!r} in {settings.backups_dir} (backups: {known})")
    manifest = Manifest(**json.loads((source / MANIFEST).read_text()))
    if manifest.neo4j_version.split(".")[0] != settings.neo4j_version.split(".")[0]:
        raise BackupError(
            f"backup {name} is of Neo4j {manifest.neo4j_version}; this is {settings.neo4j_version}"
        )
    services.up(settings, log=report)
    if not replace and asyncio.run(_holds_data(settings)):
        raise BackupError(
            f"the servers of profile '{settings.profile}' hold data: restore with --replace to "
            "overwrite it (it is lost), or into fresh servers"
        )
    report("Restoring the search index ...")
    asyncio.run(_restore_index(settings, source / "elasticsearch"))
    report("Loading the graph ...")
    try:
        _with_neo4j_stopped(settings, lambda neo4j: neo4j.load(source), report)
    except LauncherError as error:
        raise BackupError(f"the graph could not be loaded: {error}") from None
    report("Reconciling the index with the graph ...")
    summary = asyncio.run(_reconcile(settings))
    report(
        f"Restored {name}: {summary.graph_documents} documents; {summary.reindexed} indexed again "
        f"and {summary.removed} removed from the index to match the graph"
    )
    return summary
