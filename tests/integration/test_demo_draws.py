"""The demo's draws (`sherloc setup --demo`): made through the announced flow, performed, and
verifiable, in GraphQL and offline. In servers of their own: the shared test servers hold
the draws of other modules, and the demo makes its draws only in a graph that has none."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
import pytest

from api.config import Settings
from ops.bootstrap import create_demo_accounts, create_demo_draws, prepare_databases
from ops.cli import DEMO_DIR
from ops.launcher import services
from ops.verify_draw import verify_file
from tests.integration.conftest import serving
from tests.integration.databases import graph_of
from tests.integration.upgrade import servers_of_their_own

pytestmark = pytest.mark.slow  # servers of their own

DRAWS = """{ draws(first: 10) { edges { node { id kind seedOrigin
  announcement { secret contributions { party { code } revealed } } } } } }"""
VERIFY = "query($id: ID!) { verifyDraw(id: $id) { reproduced commitmentHonoured meetsTheRules problems } }"


def test_the_demo_has_announced_draws_that_verify(settings: Settings, tmp_path: Path) -> None:
    with servers_of_their_own(settings, (17695, 19275, 19375)) as fresh:
        services.up(fresh)

        async def setup() -> int:
            quiet = lambda _: None  # noqa: E731
            await prepare_databases(fresh, quiet)
            await create_demo_accounts(fresh, DEMO_DIR / "accounts.csv", quiet)
            made = await create_demo_draws(fresh, quiet)
            assert await create_demo_draws(fresh, quiet) == 0  # once: a second setup adds none
            return made

        assert asyncio.run(setup()) == 2
        with serving(fresh) as url, httpx.Client(base_url=url, timeout=60) as http:
            edges = http.post("/graphql", json={"query": DRAWS}).json()["data"]["draws"]["edges"]
            draws = [e["node"] for e in edges]
            assert sorted(d["kind"] for d in draws) == ["REVIEWING_STATES", "STATES_UNDER_REVIEW"]
            for draw in draws:
                assert draw["seedOrigin"] == "ANNOUNCED" and draw["announcement"]["secret"]
                revealed = {c["party"]["code"]: c["revealed"] for c in draw["announcement"]["contributions"]}
                assert revealed == {"ARG": True, "CHL": True, "KEN": True, "NGA": False, "SWE": True}
                body = http.post("/graphql", json={"query": VERIFY, "variables": {"id": draw["id"]}}).json()
                assert body["data"]["verifyDraw"] == {
                    "reproduced": True,
                    "commitmentHonoured": True,
                    "meetsTheRules": True,
                    "problems": [],
                }, draw

        async def exported() -> list[dict[str, object]]:
            from graph.announcements import draw_export

            async with graph_of(fresh) as graph:
                rows = await graph.read("MATCH (d:Draw) RETURN d.id AS id")
                return [r for row in rows if (r := await draw_export(graph, row["id"])) is not None]

        for number, record in enumerate(asyncio.run(exported())):
            path = tmp_path / f"draw-{number}.json"
            path.write_text(json.dumps(record), encoding="utf-8")
            assert verify_file(path) == 0
