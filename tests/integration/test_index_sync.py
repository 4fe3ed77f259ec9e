"""The graph is the system of record: a write succeeds while the index is unavailable, and
search catches up by itself; a reindex never leaves search without answers."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from elasticsearch import AsyncElasticsearch

from api.config import Settings
from graph.driver import Graph
from ops.bootstrap import ingest_files, rebuild_index
from search.indices import current_index, documents_alias
from search.sync import pending_count
from tests.integration.conftest import GraphQLClient
from tests.integration.databases import graph_of, search_of

SEARCH = "query($q: String!) { search(query: $q) { totalCount edges { node { document { id } } } } }"


@pytest.fixture
async def es(settings: Settings, running_services: None) -> AsyncIterator[AsyncElasticsearch]:
    async with search_of(settings) as client:
        yield client


@pytest.fixture
async def graph(settings: Settings, running_services: None) -> AsyncIterator[Graph]:
    async with graph_of(settings) as client:
        yield client


def _law(path: Path, word: str) -> Path:
    record = {
        "kind": "legislation",
        "id": f"T-SYNC-{word}",
        "party": "CAN",
        "title": {"en": f"Act on {word}"},
        "original_language": "en",
        "text": {"en": f"An act about {word}."},
    }
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return path


async def test_a_write_while_the_index_is_closed_is_searchable_once_it_reopens(
    settings: Settings, es: AsyncElasticsearch, graph: Graph, gql: GraphQLClient, tmp_path: Path
) -> None:
    word = "zq" + uuid.uuid4().hex[:10]
    index = await current_index(es, settings.es_index_prefix)
    assert index is not None
    await es.indices.close(index=index)
    try:
        summary = await ingest_files(
            settings, [_law(tmp_path / "sync.jsonl", word)], report=lambda _: None, progress=False
        )
        assert summary.created == {"LEGISLATION": 1}
        assert summary.pending_index == 1
        assert await pending_count(graph) >= 1

        body = await gql.raw(SEARCH, {"q": word})
        assert body["errors"][0]["extensions"]["code"] == "SEARCH_UNAVAILABLE"
        listed = await gql.data(
            '{ legislation(filter: {parties: ["CAN"]}, first: 100) { edges { node { key } } } }'
        )
        assert f"T-SYNC-{word}" in [e["node"]["key"] for e in listed["legislation"]["edges"]]
    finally:
        await es.indices.open(index=index, wait_for_active_shards="1")

    # Nobody acts: the API's catch-up loop indexes the pending record.
    deadline = time.monotonic() + 60
    while True:
        await es.indices.refresh(index=documents_alias(settings.es_index_prefix))
        data = await gql.data(SEARCH, {"q": word})
        if data["search"]["totalCount"] == 1:
            break
        assert time.monotonic() < deadline, "the pending record was never indexed"
        await asyncio.sleep(1)
    assert await pending_count(graph) == 0


async def test_reindex_swaps_the_alias_and_search_answers_throughout(
    settings: Settings, es: AsyncElasticsearch, gql: GraphQLClient, tmp_path: Path
) -> None:
    word = "zr" + uuid.uuid4().hex[:10]
    await ingest_files(settings, [_law(tmp_path / "re.jsonl", word)], report=lambda _: None, progress=False)
    await es.indices.refresh(index=documents_alias(settings.es_index_prefix))
    before = await current_index(es, settings.es_index_prefix)
    assert before is not None

    rebuild = asyncio.create_task(rebuild_index(settings, report=lambda _: None))
    answers = []
    while not rebuild.done():
        answers.append((await gql.data(SEARCH, {"q": word}))["search"]["totalCount"])
        await asyncio.sleep(0.05)
    new = await rebuild
    answers.append((await gql.data(SEARCH, {"q": word}))["search"]["totalCount"])

    assert new != before
    assert await current_index(es, settings.es_index_prefix) == new
    assert not await es.indices.exists(index=before)
    assert len(answers) >= 2 and set(answers) == {1}
