"""The graph client returns plain maps; a query that returns nodes is refused at once."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from api.config import Settings
from graph.driver import Graph
from tests.integration.databases import graph_of


@pytest.fixture
async def graph(settings: Settings, running_services: None) -> AsyncIterator[Graph]:
    async with graph_of(settings) as connected:
        yield connected


async def test_rows_are_plain_maps_of_what_the_query_returns(graph: Graph) -> None:
    rows = await graph.read(
        "MATCH (p:Party {code: 'FRA'}) RETURN p.code AS code, properties(p) AS party, [1, 2] AS list"
    )
    assert rows == [{"code": "FRA", "party": rows[0]["party"], "list": [1, 2]}]
    assert type(rows[0]) is dict and type(rows[0]["party"]) is dict
    assert rows[0]["party"]["code"] == "FRA"


async def test_a_query_returning_nodes_is_refused(graph: Graph) -> None:
    with pytest.raises(TypeError, match="not nodes"):
        await graph.read("MATCH (p:Party {code: 'FRA'}) RETURN p")
    with pytest.raises(TypeError, match="not nodes"):
        await graph.read("MATCH (p:Party {code: 'FRA'})-[r]-() RETURN r LIMIT 1")
