from __future__ import annotations

import httpx


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
