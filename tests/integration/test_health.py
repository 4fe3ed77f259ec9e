from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from api.config import Settings


async def test_healthz_says_the_process_is_alive(http: httpx.AsyncClient) -> None:
    response = await http.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_checks_both_databases_and_the_schema(http: httpx.AsyncClient) -> None:
    response = await http.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["checks"] == {"neo4j": {"ok": True}, "elasticsearch": {"ok": True}}


async def test_every_response_carries_a_request_id(http: httpx.AsyncClient) -> None:
    response = await http.get("/healthz")
    assert len(response.headers["x-request-id"]) == 16


async def test_graphiql_is_served_from_local_assets(http: httpx.AsyncClient) -> None:
    page = await http.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert "GraphiQL" in page.text
    assert "https://" not in page.text and "http://" not in page.text
    for asset in ("graphiql.min.js", "graphiql.min.css", "react.production.min.js"):
        response = await http.get(f"/static/graphiql/{asset}")
        assert response.status_code == 200
        assert len(response.content) > 1000


async def test_queries_over_get_are_refused(http: httpx.AsyncClient) -> None:
    response = await http.get("/graphql", params={"query": "{ instruments { code } }"})
    assert response.status_code in (400, 405)


def test_several_workers_serve_the_same_api(settings: Settings, running_services: None) -> None:
    """`SHERLOC_API_WORKERS=2`: two processes on one socket, each with its own app."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {**os.environ, "SHERLOC_API_WORKERS": "2", "SHERLOC_API_PORT": str(port)}
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "sherloc"), "serve"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        with httpx.Client(base_url=url, timeout=10) as client:  # one keep-alive connection
            for _ in range(3):
                body = client.post("/graphql", json={"query": "{ instruments { code } }"}).json()
                assert [i["code"] for i in body["data"]["instruments"]] == ["UNTOC", "TIP", "SOM", "FIREARMS"]
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        commands = [Path(f"/proc/{pid}/cmdline").read_bytes() for pid in children]
        # The two workers, beside multiprocessing's resource tracker.
        assert sum(b"resource_tracker" not in command for command in commands) == 2
    finally:
        server.terminate()
        server.wait(timeout=30)
