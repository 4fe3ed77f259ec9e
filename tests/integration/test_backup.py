"""Backup and restore: `sherloc backup` of the test servers, `sherloc restore` into fresh
servers of their own, and the same answers from both APIs."""

from __future__ import annotations

import asyncio
import json
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.config import Settings
from mechanism.access import Role
from ops import backup
from ops.bootstrap import ingest_files
from ops.launcher import services
from search.indices import documents_alias
from search.sync import reconcile
from tests.integration.accounts_helpers import Account, create_account, token_for
from tests.integration.accounts_helpers import as_user as ask
from tests.integration.conftest import serving
from tests.integration.databases import graph_of, search_of
from tests.integration.laws import forget_laws, write_laws

pytestmark = pytest.mark.slow  # servers of its own, a minute or more

LAWS = 60
SEARCH = (
    "query($q: String!) { search(query: $q, lang: en, first: 100) {"
    " totalCount edges { node { kind document { ... on Legislation { id title { text } } } } } } }"
)
LAWS_PAGE = (
    'query { legislation(filter: {parties: ["TON"]}, first: 100) { totalCount'
    " edges { node { id title { text } party { code } implementsArticles { id } } } } }"
)
REVIEWS = (
    "query { reviews(first: 100) { totalCount edges { node { id status stateUnderReview { code } } } } }"
)
ME = "query { me { email role } }"


def _laws(path: Path, token: str) -> Path:
    # TON: a party no other test lists.
    return write_laws(path, f"T-BACKUP-{token}", LAWS, party="TON", implements_articles=["UNTOC:6"])


async def _answers(url: str, secretariat: Account, token: str) -> dict[str, Any]:
    """What a practitioner and the secretariat see; compared before and after."""
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        session = await token_for(http, secretariat)

        async def as_user(token: str | None, query: str, variables: dict[str, Any] | None = None) -> Any:
            body = await ask(http, token, query, variables)
            assert "errors" not in body, body["errors"]
            return body["data"]

        return {
            "search": await as_user(None, SEARCH, {"q": token}),
            "broad search": (await as_user(None, SEARCH, {"q": "proceeds of crime"}))["search"]["totalCount"],
            "laws": await as_user(None, LAWS_PAGE),
            "reviews": await as_user(session, REVIEWS),
            "me": await as_user(session, ME),
        }


@pytest.fixture(scope="module")
def fresh(settings: Settings) -> Iterator[Settings]:
    """Servers of their own, never started before, on other ports and in another home."""
    home = Path(tempfile.mkdtemp(prefix="restore-", dir=settings.home))
    home.chmod(0o755)  # Elasticsearch's service user enters it
    fresh = settings.model_copy(
        update={
            "home": home,
            "cache": settings.cache_dir,
            "backup_dir": settings.backups_dir,
            "neo4j_uri": "bolt://127.0.0.1:17691",
            "es_url": "http://127.0.0.1:19251",
            "es_transport_port": 19351,
            "es_cluster_name": "sherloc-restore-test",
            "neo4j_heap": "512m",
            "es_heap": "512m",
        }
    )
    yield fresh
    services.down(fresh, log=lambda _: None)
    shutil.rmtree(home, ignore_errors=True)


def test_a_backup_restored_into_fresh_servers_gives_the_same_answers(
    settings: Settings, running_services: None, api_url: str, fresh: Settings, tmp_path: Path
) -> None:
    token = uuid.uuid4().hex[:10]
    asyncio.run(ingest_files(settings, [_laws(tmp_path / "laws.jsonl", token)], progress=False, report=print))
    secretariat = asyncio.run(create_account(settings, Role.SECRETARIAT, None))
    asyncio.run(_reconcile(settings))  # what earlier tests left behind
    before = asyncio.run(_answers(api_url, secretariat, token))
    assert before["search"]["search"]["totalCount"] == LAWS
    assert before["laws"]["legislation"]["totalCount"] >= LAWS

    name = f"test-{token}"
    try:
        manifest = backup.backup(settings, name, report=print)
        assert manifest.graph_documents >= LAWS
        assert manifest.indexed_documents == manifest.graph_documents
        assert name in [m.name for m in backup.list_backups(settings)]

        summary = backup.restore(fresh, name, report=print)
        assert summary.graph_documents == manifest.graph_documents
        assert (summary.reindexed, summary.removed) == (0, 0)  # nothing was written meanwhile
        with serving(fresh) as fresh_url:
            after = asyncio.run(_answers(fresh_url, secretariat, token))
        assert after == before

        # The fresh servers now hold data: a second restore needs --replace, then gives
        # the same answers again (the graph overwritten, the indices replaced).
        with pytest.raises(backup.BackupError, match="--replace"):
            backup.restore(fresh, name, report=lambda _: None)
        assert (
            backup.restore(fresh, name, replace=True, report=print).graph_documents == summary.graph_documents
        )
        with serving(fresh) as fresh_url:
            assert asyncio.run(_answers(fresh_url, secretariat, token)) == before
        # The source came back by itself after its Neo4j was stopped for the dump.
        again = asyncio.run(_answers(api_url, secretariat, token))
        assert again == before
    finally:
        shutil.rmtree(settings.backups_dir / name, ignore_errors=True)
        asyncio.run(forget_laws(settings, f"T-BACKUP-{token}"))


def test_a_backup_that_cannot_be_loaded_is_refused_before_anything_changes(
    settings: Settings, running_services: None
) -> None:
    """Missing parts and other settings are found first; the servers keep their data."""
    name = f"test-{uuid.uuid4().hex[:10]}"
    target = settings.backups_dir / name
    target.mkdir(parents=True)
    manifest = backup.Manifest(name, "2026-01-01T00:00:00Z", "test", settings.neo4j_version, "8", 3, 0, 0)
    try:
        (target / backup.MANIFEST).write_text(json.dumps(asdict(manifest)))
        with pytest.raises(backup.BackupError, match=r"has no neo4j\.dump"):
            backup.restore(settings, name, replace=True, report=lambda _: None)
        (target / "neo4j.dump").write_bytes(b"")
        with pytest.raises(backup.BackupError, match="snapshot cannot be read"):
            backup.restore(settings, name, replace=True, report=lambda _: None)
        (target / backup.MANIFEST).write_text(json.dumps(asdict(manifest) | {"index_prefix": "other"}))
        with pytest.raises(backup.BackupError, match="SHERLOC_ES_INDEX_PREFIX=other"):
            backup.restore(settings, name, replace=True, report=lambda _: None)
        (target / backup.MANIFEST).write_text("{not json")
        with pytest.raises(backup.BackupError, match="not a SHERLOC backup manifest"):
            backup.restore(settings, name, report=lambda _: None)
    finally:
        shutil.rmtree(target)
    assert asyncio.run(_index_exists(settings))


async def _index_exists(settings: Settings) -> bool:
    async with search_of(settings) as es:
        return bool((await es.indices.exists_alias(name=documents_alias(settings.es_index_prefix))).body)


def test_backup_names_and_missing_backups_are_refused_clearly(settings: Settings) -> None:
    for bad in ("../etc", "nightly\n", "Nightly", "-x", "a" * 65):
        with pytest.raises(backup.BackupError, match="lower-case letters"):
            backup.backup(settings, bad, report=lambda _: None)
    with pytest.raises(backup.BackupError, match="no backup named 'nothing-here'"):
        backup.restore(settings, "nothing-here", report=lambda _: None)


def test_reconcile_makes_the_index_hold_exactly_the_graph(
    settings: Settings, running_services: None, tmp_path: Path
) -> None:
    async def scenario() -> None:
        alias = documents_alias(settings.es_index_prefix)
        token = uuid.uuid4().hex[:10]
        try:
            async with graph_of(settings) as graph, search_of(settings) as es:
                await ingest_files(settings, [_laws(tmp_path / "laws.jsonl", token)], progress=False)
                missing, older = f"LEGISLATION:T-BACKUP-{token}-00000", f"LEGISLATION:T-BACKUP-{token}-00001"
                orphan = f"LEGISLATION:T-BACKUP-{token}-orphan"
                await es.delete(index=alias, id=missing, refresh=True)
                await graph.write(
                    "MATCH (n:Legislation {key: $key}) SET n.version = n.version + 1", key=older.split(":")[1]
                )
                source = (await es.get(index=alias, id=older))["_source"]
                await es.index(index=alias, id=orphan, document={**source, "key": f"T-BACKUP-{token}-orphan"})

                result = await reconcile(graph, es, settings.es_index_prefix)

                assert result.reindexed >= 2 and result.removed >= 1  # and other tests' leftovers
                assert (await es.exists(index=alias, id=missing)).body
                assert not (await es.exists(index=alias, id=orphan)).body
                rows = await graph.read(
                    "MATCH (n:Legislation {key: $key}) RETURN n.version AS v", key=older.split(":")[1]
                )
                assert (await es.get(index=alias, id=older))["_source"]["version"] == rows[0]["v"]
                again = await reconcile(graph, es, settings.es_index_prefix)
                assert (again.reindexed, again.removed) == (0, 0)
        finally:
            await forget_laws(settings, f"T-BACKUP-{token}")

    asyncio.run(scenario())


async def _reconcile(settings: Settings) -> None:
    async with graph_of(settings) as graph, search_of(settings) as es:
        await reconcile(graph, es, settings.es_index_prefix)
