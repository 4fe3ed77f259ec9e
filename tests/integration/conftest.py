"""Integration tests: the real Neo4j and Elasticsearch of the `test` profile, and the API
served over real HTTP by uvicorn in a background thread.

The servers are started if they are not running, and stopped at the end only if this
session started them (so a developer may keep them up between runs with
`SHERLOC_PROFILE=test sherloc services up`).
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
import uvicorn

from api import speedups
from api.app import create_app
from api.config import Settings, load_settings
from ops.bootstrap import prepare_databases
from ops.launcher import services
from tests.integration.accounts_helpers import Logins


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests of the API served over HTTP are marked `api`: `make test` runs them a second
    time with every speed-up off (api/speedups). A test marked `speedup(name, ...)` asserts
    what those speed-ups save (a round-trip count), and is skipped when one is off."""
    settings = load_settings()
    for item in items:
        if "api_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.api)
        for marker in item.iter_markers("speedup"):
            off = [name for name in marker.args if not speedups.on(settings, speedups.BY_NAME[name])]
            if off:
                reason = f"asserts what a speed-up saves, off: {', '.join(off)}"
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def settings() -> Settings:
    return load_settings()


@pytest.fixture(scope="session")
def running_services(settings: Settings) -> Iterator[None]:
    already_running = all(s.ready for s in services.status(settings))
    if not already_running:
        services.up(settings)
    asyncio.run(prepare_databases(settings, report=lambda _: None))
    yield
    if not already_running:
        services.down(settings, log=lambda _: None)


@contextmanager
def serving(settings: Settings) -> Iterator[str]:
    """The API of these settings over real HTTP (uvicorn in a thread); yields its URL."""
    port = _free_port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the API did not start within 30 s")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


@pytest.fixture(scope="session")
def api_url(settings: Settings, running_services: None) -> Iterator[str]:
    with serving(settings) as url:
        yield url


@pytest.fixture(scope="session")
def logins(settings: Settings, api_url: str) -> Logins:
    """Logins per role: `await logins.token(Role.FOCAL_POINT, "GUY")` makes an account of its
    own and returns its session token (tests/integration/accounts_helpers.py)."""
    return Logins(settings, api_url)


@pytest.fixture
async def http(api_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=api_url, timeout=30) as client:
        yield client


class GraphQLClient:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def raw(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = await self.http.post("/graphql", json={"query": query, "variables": variables})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        body = await self.raw(query, variables)
        assert "errors" not in body, body["errors"]
        result: dict[str, Any] = body["data"]
        return result

    async def errors(self, query: str, variables: dict[str, Any] | None = None) -> list[str]:
        body = await self.raw(query, variables)
        assert body.get("errors"), f"expected errors, got {body}"
        return [e["message"] for e in body["errors"]]


@pytest.fixture
def gql(http: httpx.AsyncClient) -> GraphQLClient:
    return GraphQLClient(http)
