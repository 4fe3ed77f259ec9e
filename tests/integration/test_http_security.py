"""Security at the HTTP edge, on the real app and databases (served in-process through
httpx's ASGI transport, with settings of the test's own): headers, the body limit, CSRF
for cookie sessions, CORS and production mode."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from api.app import create_app
from api.auth import SESSION_COOKIE
from api.config import Environment, Settings
from mechanism.access import Role
from tests.integration.accounts_helpers import create_account, login
from tests.integration.conftest import serving

ME = {"query": "{ me { email } }"}
OWN = "http://testserver"
ALLOWED = "https://sherloc.example.org"


@asynccontextmanager
async def client(settings: Settings, **changes: Any) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings.model_copy(update=changes))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=OWN, timeout=30) as http:
            yield http


async def chunks(size: int) -> AsyncIterator[bytes]:
    """A body with no Content-Length (sent chunked)."""
    yield b'{"query": "{ __typename }", "padding": "'
    for _ in range(size // 1000):
        yield b"x" * 1000
    yield b'"}'


async def test_every_response_carries_the_security_headers(
    settings: Settings, running_services: None
) -> None:
    async with client(settings) as http:
        api = await http.post("/graphql", json={"query": "{ __typename }"})
        page = await http.get("/graphql", headers={"accept": "text/html"})
        health = await http.get("/healthz")
    for response in (api, page, health):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert "strict-transport-security" not in response.headers  # loopback, development
    assert api.headers["content-security-policy"].startswith("default-src 'none'")
    assert page.headers["content-security-policy"].startswith("default-src 'self'")


async def test_a_body_over_the_limit_is_refused_with_its_size(
    settings: Settings, running_services: None
) -> None:
    async with client(settings, max_body_bytes=4096) as http:
        small = await http.post("/graphql", json={"query": "{ __typename }"})
        declared = await http.post("/graphql", json={"query": "{ __typename }", "padding": "x" * 5000})
        chunked = await http.post(
            "/graphql", content=chunks(8000), headers={"content-type": "application/json"}
        )
    assert small.status_code == 200
    for response in (declared, chunked):
        assert response.status_code == 413
        error = response.json()["errors"][0]
        assert error == {
            "message": "request body: at most 4,096 bytes",
            "extensions": {"code": "PAYLOAD_TOO_LARGE"},
        }


async def test_a_cookie_session_writes_only_from_an_allowed_page(
    settings: Settings, running_services: None
) -> None:
    account = await create_account(settings, Role.OBSERVER, "URY")
    async with client(settings, cors_origins=ALLOWED) as http:
        token = (await login(http, account.email, account.password))["token"]
        cookie = {"cookie": f"{SESSION_COOKIE}={token}"}

        async def me(headers: dict[str, str]) -> httpx.Response:
            return await http.post("/graphql", json=ME, headers=headers)

        for origin in ("https://evil.example.com", None):
            refused = await me({**cookie, **({"origin": origin} if origin else {})})
            assert refused.status_code == 403
            assert refused.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN_ORIGIN"
        for origin in (OWN, ALLOWED):
            accepted = await me({**cookie, "origin": origin})
            assert accepted.json()["data"]["me"] == {"email": account.email}
        # A bearer token is not sent by a browser on its own: no origin check.
        bearer = await me({"authorization": f"Bearer {token}", "origin": "https://evil.example.com"})
        assert bearer.json()["data"]["me"] == {"email": account.email}


async def test_a_request_has_one_credential_and_a_cookie_from_elsewhere_is_refused(
    settings: Settings, running_services: None
) -> None:
    """Any Authorization header but `Bearer <token>` is refused, never read as "no header":
    it once let a forged cross-site POST run as the cookie's account."""
    account = await create_account(settings, Role.FOCAL_POINT, "WSM")  # no other test uses it
    with serving(settings) as url:
        async with httpx.AsyncClient(base_url=url, timeout=30) as http:
            token = (await login(http, account.email, account.password))["token"]
            cookie = {"cookie": f"{SESSION_COOKIE}={token}", "origin": "http://evil.example"}
            for authorization in ("Basic dXNlcjpwYXNz", "Bearer", "Token x", "bearer a b", "x"):
                refused = await http.post(
                    "/graphql", json=ME, headers={**cookie, "authorization": authorization}
                )
                assert refused.status_code == 401, authorization
                assert refused.json() == {
                    "data": None,
                    "errors": [
                        {
                            "message": "Authorization: only 'Bearer <session token>' is accepted (or no "
                            "header, and the session cookie from SHERLOC's own pages)",
                            "extensions": {"code": "BAD_AUTHORIZATION"},
                        }
                    ],
                }
            forged = await http.post("/graphql", json=ME, headers=cookie)
            assert forged.status_code == 403
            # A bearer token is the credential: the cookie beside it is not read.
            bearer = await http.post(
                "/graphql", json=ME, headers={**cookie, "authorization": f"Bearer {token}"}
            )
            assert bearer.json()["data"]["me"] == {"email": account.email}
            other = await http.post(
                "/graphql",
                json=ME,
                headers={"cookie": f"{SESSION_COOKIE}={token}", "authorization": "Bearer not-a-session"},
            )
            assert other.json()["data"]["me"] is None


async def test_behind_a_proxy_the_own_origin_comes_from_the_settings(
    settings: Settings, running_services: None
) -> None:
    account = await create_account(settings, Role.OBSERVER, "URY")
    with serving(settings.model_copy(update={"public_origin": ALLOWED})) as url:
        async with httpx.AsyncClient(base_url=url, timeout=30) as http:
            token = (await login(http, account.email, account.password))["token"]
            cookie = {"cookie": f"{SESSION_COOKIE}={token}"}
            # The Host header names the API itself, as a proxy would forward it: not enough.
            as_host = await http.post("/graphql", json=ME, headers={**cookie, "origin": url})
            assert as_host.status_code == 403
            public = await http.post("/graphql", json=ME, headers={**cookie, "origin": ALLOWED})
            assert public.json()["data"]["me"] == {"email": account.email}


def test_the_public_origin_must_be_an_origin() -> None:
    with pytest.raises(ValueError, match="must be an origin"):
        Settings(public_origin="https://sherloc.example.org/portal")


async def test_only_allowed_origins_may_call_from_a_browser(
    settings: Settings, running_services: None
) -> None:
    preflight = {"access-control-request-method": "POST", "access-control-request-headers": "content-type"}
    async with client(settings, cors_origins=ALLOWED) as http:
        allowed = await http.options("/graphql", headers={**preflight, "origin": ALLOWED})
        other = await http.options("/graphql", headers={**preflight, "origin": "https://evil.example.com"})
        simple = await http.post("/graphql", json={"query": "{ __typename }"}, headers={"origin": ALLOWED})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == ALLOWED
    assert allowed.headers["access-control-allow-credentials"] == "true"
    assert "access-control-allow-origin" not in other.headers
    assert simple.headers["access-control-allow-origin"] == ALLOWED
    async with client(settings) as http:  # no origin allowed by default
        none = await http.options("/graphql", headers={**preflight, "origin": ALLOWED})
    assert "access-control-allow-origin" not in none.headers


async def test_production_hides_graphiql_and_the_schema(settings: Settings, running_services: None) -> None:
    async with client(settings, environment=Environment.PRODUCTION) as http:
        page = await http.get("/graphql", headers={"accept": "text/html"})
        schema = await http.post("/graphql", json={"query": "{ __schema { types { name } } }"})
        plain = await http.post("/graphql", json={"query": "{ instruments { code } }"})
    assert "GraphiQL" not in page.text
    assert schema.json()["errors"]
    assert plain.json()["data"]["instruments"][0] == {"code": "UNTOC"}
    assert "roundTrips" not in plain.json().get("extensions", {})
    assert plain.headers["strict-transport-security"].startswith("max-age=")


async def test_a_request_is_stopped_at_its_time_limit(settings: Settings, running_services: None) -> None:
    # No database answers within a millisecond: the request is cut off and says why.
    async with client(settings, request_timeout_seconds=0.001) as http:
        stopped = await http.post("/graphql", json={"query": "{ parties(first: 100) { totalCount } }"})
    assert stopped.status_code == 503
    assert stopped.json()["errors"][0] == {
        "message": "the request took longer than 0.001 s and was stopped; try again",
        "extensions": {"code": "TIMEOUT"},
    }
    assert stopped.headers["x-content-type-options"] == "nosniff"
    async with client(settings) as http:  # the default leaves time enough
        answered = await http.post("/graphql", json={"query": "{ parties(first: 100) { totalCount } }"})
    assert answered.json()["data"]["parties"]["totalCount"] >= 190


async def test_requests_graphql_cannot_read_get_a_json_error(
    settings: Settings, running_services: None
) -> None:
    async with client(settings) as http:
        batch = await http.post("/graphql", json=[{"query": "{ __typename }"}, {"query": "{ __typename }"}])
        garbled = await http.post(
            "/graphql", content=b"{not json", headers={"content-type": "application/json"}
        )
        wrong_type = await http.post("/graphql", content=b"query", headers={"content-type": "text/plain"})
        too_deep = await http.post(
            "/graphql",
            content=b'{"query": ' + b"[" * 5000 + b"]" * 5000 + b"}",
            headers={"content-type": "application/json"},
        )
        not_a_number = await http.post(
            "/graphql",
            content=b'{"query": "{ __typename }", "variables": {"x": NaN}}',
            headers={"content-type": "application/json"},
        )
    for response, message in (
        (batch, "send one operation per request: batches are not accepted"),
        (garbled, "Unable to parse request body as JSON"),
        (too_deep, "Unable to parse request body as JSON"),
        (not_a_number, "Unable to parse request body as JSON"),
        (wrong_type, "send the request as application/json"),
    ):
        assert response.status_code == 400
        assert response.json() == {
            "data": None,
            "errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}],
        }


def test_websockets_are_refused(settings: Settings, running_services: None) -> None:
    # The API has no subscriptions and serves no websocket: a connection is closed at once
    # (the GraphQL route is HTTP only, and the view has no websocket protocol either).
    with TestClient(create_app(settings)) as http, pytest.raises(WebSocketDisconnect):  # noqa: SIM117
        with http.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as socket:
            socket.receive_json()
