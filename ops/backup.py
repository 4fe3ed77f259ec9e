"""`sherloc backup` and `sherloc restore`: the graph's dump and the index's snapshot, kept
together under SHERLOC_BACKUP_DIR/NAME/ with a manifest.

The index is snapshotted online; the graph is dumped with neo4j-admin, which needs Neo4j
stopped for the few seconds it takes (Community Edition has no online backup; the API
answers "not ready" meanwhile and recovers by itself). The two are taken moments apart,
so a restore ends by reconciling the index with the graph, the system of record.

The dump holds password hashes and confidential review material: backups are readable by
their owner only, and Elasticsearch's service user gets only the snapshot's directory.
"""

from __future__ import annotations

import asyncio
import fcntl
import json
import re
import shutil
import time
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypeVar

from elasticsearch import ApiError, TransportError

from api.config import Settings
from api.databases import open_databases
from ops.launcher import services
from ops.launcher.elasticsearch import give_to_service_user
from ops.launcher.errors import LauncherError
from ops.launcher.neo4j import Neo4jServer
from search.indices import MAPPING_VERSION
from search.snapshots import check_snapshot, existing_indices, restore_snapshot, take_snapshot
from search.sync import reconcile

Report = Callable[[str], object]
T = TypeVar("T")
NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
MANIFEST = "manifest.json"
SNAPSHOT_DIR = "elasticsearch"


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
    neo4j_database: str = "neo4j"
    index_prefix: str = "sherloc"


@dataclass(frozen=True)
class RestoreSummary:
    graph_documents: int
    reindexed: int
    removed: int


def default_name() -> str:
    return time.strftime("%Y%m%d-%H%M%S", time.gmtime())


def _check_name(name: str) -> None:
    if not NAME.fullmatch(name):
        raise BackupError(
            f"backup name {name!r}: use 1 to 64 lower-case letters, digits, '-' or '_', "
            "starting with a letter or digit"
        )


def _read_manifest(path: Path) -> Manifest:
    try:
        return Manifest(**json.loads(path.read_text()))
    except (ValueError, TypeError) as error:
        raise BackupError(f"{path} is not a SHERLOC backup manifest ({error})") from None


def list_backups(settings: Settings) -> list[Manifest]:
    return [_read_manifest(path) for path in sorted(settings.backups_dir.glob(f"*/{MANIFEST}"))]


@contextmanager
def _exclusive(settings: Settings) -> Iterator[None]:
    """One backup or restore at a time (they stop Neo4j and share a snapshot repository)."""
    settings.backups_dir.mkdir(parents=True, exist_ok=True)
    with (settings.backups_dir / ".lock").open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BackupError("another backup or restore is running: wait for it to end") from None
        yield


def _run(work: Coroutine[Any, Any, T], failing: str) -> T:
    """Run one step; a failure of Elasticsearch or Neo4j becomes a BackupError naming it."""
    try:
        return asyncio.run(work)
    except (ApiError, TransportError, RuntimeError) as error:
        raise BackupError(f"{failing}: {error}") from None


async def _count_graph_documents(settings: Settings) -> int:
    async with open_databases(settings) as db:
        rows = await db.graph.read("MATCH (n:Document) RETURN count(n) AS n")
        return int(rows[0]["n"])


async def _snapshot(settings: Settings, location: Path) -> int:
    async with open_databases(settings) as db:
        return await take_snapshot(db.es, settings.es_index_prefix, location)


def _with_neo4j_stopped(settings: Settings, action: Callable[[Neo4jServer], object], report: Report) -> None:
    """Stop the launcher's Neo4j, run `action` on its files, and start it again; the
    action's failure is the one reported, even when Neo4j then fails to start."""
    neo4j = Neo4jServer(settings)
    report("Stopping Neo4j (the API answers 'not ready' meanwhile) ...")
    neo4j.process.stop()
    failure: LauncherError | None = None
    try:
        action(neo4j)
    except LauncherError as error:
        failure = error
    report("Starting Neo4j again ...")
    try:
        neo4j.start()
        services.wait_ready([neo4j], settings.start_timeout_seconds)
    except LauncherError as error:
        if failure is None:
            raise BackupError(f"Neo4j did not start again: {error}") from None
    if failure is not None:
        raise BackupError(str(failure)) from None


def backup(settings: Settings, name: str, report: Report = print) -> Manifest:
    """Snapshot the index, then dump the graph, into SHERLOC_BACKUP_DIR/NAME/."""
    _check_name(name)
    target = settings.backups_dir / name
    with _exclusive(settings):
        if target.exists():
            raise BackupError(f"a backup named {name!r} exists already in {settings.backups_dir}")
        services.up(settings, log=report)
        settings.backups_dir.chmod(0o711)  # Elasticsearch's user passes through, lists nothing
        partial = settings.backups_dir / f"{name}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(mode=0o711)
        (partial / SNAPSHOT_DIR).mkdir()
        give_to_service_user(partial / SNAPSHOT_DIR)
        try:
            report("Snapshotting the search index ...")
            indexed = _run(_snapshot(settings, partial / SNAPSHOT_DIR), "the index snapshot failed")
            graph_documents = _run(_count_graph_documents(settings), "the graph could not be read")
            _with_neo4j_stopped(settings, lambda neo4j: neo4j.dump(partial).chmod(0o600), report)
            manifest = Manifest(
                name=name,
                created_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                profile=settings.profile.value,
                neo4j_version=settings.neo4j_version,
                es_version=settings.es_version,
                mapping_version=MAPPING_VERSION,
                graph_documents=graph_documents,
                indexed_documents=indexed,
                neo4j_database=settings.neo4j_database,
                index_prefix=settings.es_index_prefix,
            )
            (partial / MANIFEST).write_text(json.dumps(asdict(manifest), indent=2) + "\n")
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        partial.rename(target)  # complete, or not there at all
    report(f"Backup {name} in {target}: {graph_documents} documents in the graph, {indexed} indexed")
    return manifest


def _check_compatible(manifest: Manifest, source: Path, settings: Settings) -> None:
    """Refuse, before anything is changed, a backup this installation cannot load."""
    if manifest.neo4j_version.split(".")[0] != settings.neo4j_version.split(".")[0]:
        raise BackupError(
            f"backup {manifest.name} is of Neo4j {manifest.neo4j_version}; this is {settings.neo4j_version}"
        )
    if manifest.neo4j_database != settings.neo4j_database:
        raise BackupError(
            f"backup {manifest.name} holds the database '{manifest.neo4j_database}'; set "
            f"SHERLOC_NEO4J_DATABASE={manifest.neo4j_database} to restore it"
        )
    if manifest.index_prefix != settings.es_index_prefix:
        raise BackupError(
            f"backup {manifest.name} holds the indices of prefix '{manifest.index_prefix}'; set "
            f"SHERLOC_ES_INDEX_PREFIX={manifest.index_prefix} to restore it"
        )
    if not (source / f"{manifest.neo4j_database}.dump").is_file():
        raise BackupError(f"backup {manifest.name} has no {manifest.neo4j_database}.dump in {source}")


async def _holds_data(settings: Settings) -> bool:
    async with open_databases(settings) as db:
        rows = await db.graph.read("MATCH (n) RETURN count(n) > 0 AS any")
        return bool(rows[0]["any"]) or bool(await existing_indices(db.es, settings.es_index_prefix))


async def _check_snapshot(settings: Settings, location: Path) -> None:
    async with open_databases(settings) as db:
        await check_snapshot(db.es, location)


async def _restore_index(settings: Settings, location: Path) -> None:
    async with open_databases(settings) as db:
        await restore_snapshot(db.es, settings.es_index_prefix, location)


async def _reconcile(settings: Settings) -> RestoreSummary:
    async with open_databases(settings) as db:
        result = await reconcile(db.graph, db.es, settings.es_index_prefix)
    documents = await _count_graph_documents(settings)
    return RestoreSummary(graph_documents=documents, reindexed=result.reindexed, removed=result.removed)


def restore(settings: Settings, name: str, replace: bool = False, report: Report = print) -> RestoreSummary:
    """Load the backup NAME into this profile's servers: every check first, then the graph
    (the system of record), then the index, then reconcile the two. Servers that hold data
    are replaced only when asked (`replace`)."""
    _check_name(name)
    source = settings.backups_dir / name
    with _exclusive(settings):
        if not (source / MANIFEST).is_file():
            known = ", ".join(m.name for m in list_backups(settings)) or "none"
            raise BackupError(f"no backup named {name!r} in {settings.backups_dir} (backups: {known})")
        manifest = _read_manifest(source / MANIFEST)
        _check_compatible(manifest, source, settings)
        services.up(settings, log=report)
        _run(_check_snapshot(settings, source / SNAPSHOT_DIR), "the index snapshot cannot be read")
        if not replace and _run(_holds_data(settings), "the servers could not be read"):
            raise BackupError(
                f"the servers of profile '{settings.profile}' hold data: restore with --replace to "
                "overwrite it (it is lost), or into fresh servers"
            )
        report("Loading the graph ...")
        _with_neo4j_stopped(settings, lambda neo4j: neo4j.load(source), report)
        report("Restoring the search index ...")
        failed_index = "the graph is restored but the index is not (`sherloc reindex` rebuilds it)"
        _run(_restore_index(settings, source / SNAPSHOT_DIR), failed_index)
        report("Reconciling the index with the graph ...")
        summary = _run(_reconcile(settings), failed_index)
    report(
        f"Restored {name}: {summary.graph_documents} documents; {summary.reindexed} indexed again "
        f"and {summary.removed} removed from the index to match the graph"
    )
    return summary
