"""A three-node Elasticsearch cluster started by the launcher: a node stopped during
searches and writes loses nothing, searches keep answering, and the cluster heals when
the node returns."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
from elasticsearch import AsyncElasticsearch

from api.config import Settings
from ops.bootstrap import ingest_files, prepare_databases
from ops.launcher import services
from ops.launcher.elasticsearch import ElasticsearchServer
from search.indices import current_index, documents_alias
from search.sync import pending_count
from tests.integration.conftest import serving
from tests.integration.databases import graph_of, search_of
from tests.integration.laws import write_laws

pytestmark = pytest.mark.slow  # servers of its own, a minute or more

NODES = 3
LAWS_PER_FILE = 400
SEARCH = "query($q: String!) { search(query: $q, lang: en, first: 5) { totalCount edges { node { kind } } } }"


@pytest.fixture(scope="module")
def cluster(settings: Settings) -> Iterator[Settings]:
    """Neo4j and a three-node cluster of their own, on other ports and in another home."""
    home = Path(tempfile.mkdtemp(prefix="cluster-", dir=settings.home))
    home.chmod(0o755)  # Elasticsearch's service user enters it
    urls = ",".join(f"http://127.0.0.1:{19261 + n}" for n in range(NODES))
    cluster = settings.model_copy(
        update={
            "home": home,
            "cache": settings.cache_dir,
            "neo4j_uri": "bolt://127.0.0.1:17692",
            "es_url": urls,
            "es_transport_port": 19361,
            "es_nodes": NODES,
            "es_cluster_name": "sherloc-cluster-test",
            "neo4j_heap": "512m",
            "es_heap": "512m",
        }
    )
    try:
        services.up(cluster, log=lambda _: None)
        asyncio.run(prepare_databases(cluster, report=lambda _: None))
        yield cluster
    finally:
        services.down(cluster, log=lambda _: None)
        shutil.rmtree(home, ignore_errors=True)


def _laws(path: Path, prefix: str) -> Path:
    return write_laws(
        path,
        prefix,
        LAWS_PER_FILE,
        party="KEN",
        title="Act {n} against trafficking in persons ({prefix})",
        text="Whoever recruits or transports persons for exploitation commits an offence.",
    )


async def _health(es: AsyncElasticsearch, **wait: Any) -> dict[str, Any]:
    health: dict[str, Any] = (await es.cluster.health(**wait)).body
    return health


async def _shards(es: AsyncElasticsearch, index: str | None) -> list[dict[str, str]]:
    """The index's shard copies: primary or replica, node and state."""
    response = await es.cat.shards(index=index, format="json", h="prirep,node,state")
    return cast(list[dict[str, str]], response.body)


async def _primary_node(es: AsyncElasticsearch, settings: Settings) -> int:
    """The number (from 1) of the node holding the index's primary shard."""
    index = await current_index(es, settings.es_index_prefix)
    name = next(s["node"] for s in await _shards(es, index) if s["prirep"] == "p")
    return int(name.rsplit("-", 1)[1])


def test_each_index_keeps_one_replica_on_another_node(cluster: Settings) -> None:
    async def check() -> None:
        async with search_of(cluster) as es:
            health = await _health(es, wait_for_status="green", timeout="60s")
            assert health["number_of_nodes"] == NODES and health["status"] == "green"
            index = await current_index(es, cluster.es_index_prefix)
            shards = await _shards(es, index)
            assert sorted(s["prirep"] for s in shards) == ["p", "r"]
            assert len({s["node"] for s in shards}) == 2 and {s["state"] for s in shards} == {"STARTED"}

    asyncio.run(check())


def test_a_node_stopped_during_searches_and_writes_loses_nothing(cluster: Settings, tmp_path: Path) -> None:
    before = _laws(tmp_path / "before.jsonl", "T-CLUSTER-A")
    during = _laws(tmp_path / "during.jsonl", "T-CLUSTER-B")
    asyncio.run(ingest_files(cluster, [before], progress=False, report=lambda _: None))

    async def scenario(api: str) -> tuple[int, int, list[str]]:
        async with search_of(cluster) as es:
            stop_searching = asyncio.Event()
            answered, failures = 0, []

            async def search_all_along() -> None:
                nonlocal answered
                async with httpx.AsyncClient(base_url=api, timeout=30) as http:
                    while not stop_searching.is_set():
                        response = await http.post(
                            "/graphql", json={"query": SEARCH, "variables": {"q": "trafficking exploitation"}}
                        )
                        body = response.json()
                        if response.status_code != 200 or body.get("errors"):
                            failures.append(f"{response.status_code} {body.get('errors')}")
                        elif body["data"]["search"]["totalCount"] < LAWS_PER_FILE:
                            failures.append(f"only {body['data']['search']['totalCount']} hits")
                        answered += 1
                        await asyncio.sleep(0.02)

            searcher = asyncio.create_task(search_all_along())
            try:
                node = ElasticsearchServer(cluster, await _primary_node(es, cluster))
                await asyncio.sleep(1)
                await asyncio.to_thread(node.process.stop)
                summary = await ingest_files(cluster, [during], progress=False, report=lambda _: None)
                # Written to the graph and indexed by the nodes that remain, none left pending.
                assert (summary.rejected, summary.pending_index) == (0, 0), summary.lines()
                degraded = await _health(es, wait_for_nodes=str(NODES - 1), timeout="60s")
                assert degraded["number_of_nodes"] == NODES - 1, degraded
                await asyncio.sleep(1)
                await asyncio.to_thread(node.start)
                await asyncio.to_thread(services.wait_ready, [node], cluster.start_timeout_seconds)
                healed = await _health(es, wait_for_status="green", wait_for_nodes=str(NODES), timeout="120s")
                assert healed["status"] == "green" and healed["number_of_nodes"] == NODES, healed
            finally:
                stop_searching.set()
                await searcher
            alias = documents_alias(cluster.es_index_prefix)
            await es.indices.refresh(index=alias)
            indexed = int((await es.count(index=alias, query={"prefix": {"key": "T-CLUSTER-"}}))["count"])
            return answered, indexed, failures

    with serving(cluster) as api:
        answered, indexed, failures = asyncio.run(scenario(api))

    assert failures == [], failures[:5]
    assert answered > 20  # searches ran all along
    assert indexed == 2 * LAWS_PER_FILE

    async def in_graph() -> tuple[int, int]:
        async with graph_of(cluster) as graph:
            rows = await graph.read(
                "MATCH (n:Legislation) WHERE n.key STARTS WITH 'T-CLUSTER-' RETURN count(n) AS n"
            )
            return int(rows[0]["n"]), await pending_count(graph)

    assert asyncio.run(in_graph()) == (2 * LAWS_PER_FILE, 0)
