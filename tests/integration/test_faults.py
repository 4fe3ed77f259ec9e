"""Faults against the real servers: an ingest killed midway, Neo4j stopped and started
again under the API, and Elasticsearch stopped during writes. (An index closed during
writes: test_index_sync.py; a cluster node stopped: test_cluster.py.)"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx

from api.app import create_app
from api.config import Settings
from ops.launcher.elasticsearch import ElasticsearchServer
from ops.launcher.neo4j import Neo4jServer
from search.indices import documents_alias
from tests.integration.databases import graph_of, search_of
from tests.integration.laws import forget_laws, write_laws

SHERLOC = str(Path(sys.executable).parent / "sherloc")
RECORDS = 4_000


async def _counts(settings: Settings, prefix: str) -> tuple[int, int, int]:
    """Laws of the run in the graph (distinct keys, all nodes) and in the index."""
    async with graph_of(settings) as graph, search_of(settings) as es:
        rows = await graph.read(
            "MATCH (n:Legislation) WHERE n.key STARTS WITH $p RETURN count(DISTINCT n.key) AS keys, count(n) AS nodes",
            p=prefix,
        )
        alias = documents_alias(settings.es_index_prefix)
        await es.indices.refresh(index=alias)
        indexed = await es.count(index=alias, query={"prefix": {"key": prefix}})
        return rows[0]["keys"], rows[0]["nodes"], int(indexed["count"])


def test_an_ingest_killed_midway_then_run_again_leaves_every_record_once(
    settings: Settings, running_services: None, tmp_path: Path
) -> None:
    prefix = f"T-KILL-{uuid.uuid4().hex[:8]}"
    path = write_laws(tmp_path / "laws.jsonl", prefix, RECORDS, party="KIR")  # KIR: no other test lists it
    first = subprocess.Popen([SHERLOC, "ingest", str(path)], env=os.environ, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while asyncio.run(_counts(settings, prefix))[0] == 0:  # the first batches are in
        assert time.monotonic() < deadline and first.poll() is None, (
            "the ingest ended before it could be killed"
        )
        time.sleep(0.05)
    first.kill()
    first.wait()
    killed = asyncio.run(_counts(settings, prefix))
    assert killed[0] < RECORDS, "killed too late to test anything"

    try:
        again = subprocess.run(
            [SHERLOC, "ingest", str(path)], env=os.environ, capture_output=True, text=True, timeout=300
        )
        assert again.returncode == 0, again.stdout + again.stderr
        assert asyncio.run(_counts(settings, prefix)) == (RECORDS, RECORDS, RECORDS)
    finally:
        asyncio.run(forget_laws(settings, prefix))


async def test_the_api_says_not_ready_while_neo4j_is_down_and_recovers_by_itself(
    settings: Settings, running_services: None
) -> None:
    app = create_app(settings.model_copy(update={"request_timeout_seconds": 5.0}))
    query = {"query": "{ legislation(first: 1) { totalCount } }"}
    server = Neo4jServer(settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as http,
    ):
        assert (await http.get("/readyz")).status_code == 200
        server.process.stop()
        try:
            not_ready = await http.get("/readyz")
            assert not_ready.status_code == 503
            assert not_ready.json()["checks"]["neo4j"]["ok"] is False
            started = time.monotonic()
            answer = await http.post("/graphql", json=query)
            assert time.monotonic() - started < 5.0 + 2  # never hangs past its time limit
            assert answer.json()["errors"]  # an error naming the request, not a hang
        finally:
            server.start()
            deadline = time.monotonic() + 180
            while not server.ready():
                assert time.monotonic() < deadline, "Neo4j did not come back"
                await asyncio.sleep(0.5)
        # Nobody restarts the API: its driver reconnects by itself.
        deadline = time.monotonic() + 60
        while (await http.get("/readyz")).status_code != 200:
            assert time.monotonic() < deadline, "the API did not recover"
            await asyncio.sleep(0.5)
        recovered = await http.post("/graphql", json=query)
        assert recovered.json()["data"]["legislation"]["totalCount"] >= 0


async def test_elasticsearch_stopped_during_writes_then_back_loses_nothing(
    settings: Settings, running_services: None, tmp_path: Path
) -> None:
    """The whole search server down, not just an index closed (test_index_sync.py): writes
    succeed in the graph, search says it is unavailable while graph pages answer, and the
    API indexes the pending records by itself once Elasticsearch is back."""
    app = create_app(settings.model_copy(update={"index_retry_seconds": 1.0}))
    prefix = f"T-ESDOWN-{uuid.uuid4().hex[:8]}"
    path = write_laws(
        tmp_path / "laws.jsonl",
        prefix,
        50,
        party="KIR",
        text="Whoever smuggles migrants for profit commits an offence.",
    )
    search = {"query": "query($q: String!) { search(query: $q) { totalCount } }", "variables": {"q": prefix}}
    listed = {"query": '{ legislation(filter: {parties: ["KIR"]}, first: 100) { totalCount } }'}
    server = ElasticsearchServer(settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as http,
    ):
        server.process.stop()
        try:
            ingest = await asyncio.to_thread(
                subprocess.run,
                [SHERLOC, "ingest", str(path)],
                env=os.environ,
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert ingest.returncode == 0, ingest.stdout + ingest.stderr
            assert "not yet searchable: 50" in ingest.stdout
            assert (await http.get("/readyz")).status_code == 503
            unavailable = (await http.post("/graphql", json=search)).json()
            assert unavailable["errors"][0]["extensions"]["code"] == "SEARCH_UNAVAILABLE"
            assert (await http.post("/graphql", json=listed)).json()["data"]["legislation"][
                "totalCount"
            ] >= 50
        finally:
            server.start()
            deadline = time.monotonic() + 180
            while not server.ready():
                assert time.monotonic() < deadline, "Elasticsearch did not come back"
                await asyncio.sleep(0.5)
        # Nobody acts: the API's catch-up loop indexes the 50 pending laws.
        deadline = time.monotonic() + 60
        while True:
            found = (await http.post("/graphql", json=search)).json()
            if found.get("data") and found["data"]["search"]["totalCount"] == 50:
                break
            assert time.monotonic() < deadline, f"the pending laws were never indexed: {found}"
            await asyncio.sleep(1)
    try:
        assert await _counts(settings, prefix) == (50, 50, 50)
    finally:
        await forget_laws(settings, prefix)
