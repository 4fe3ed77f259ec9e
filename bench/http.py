"""The benchmarks' client of the GraphQL API: aiohttp, with orjson for the bodies.

The load generator shares the machine's cores with the servers, so whatever it spends on
a request lands in the latencies it measures. The baselines reach Elasticsearch through
its official client, which is aiohttp and orjson underneath; the API is reached the same
way, so that a ratio compares the servers and not two clients. (httpx, used before, spent
~4 ms of CPU on each 24 KiB search answer against ~0.6 ms for aiohttp and ~0.5 ms for the
Elasticsearch client: at concurrency 16 on two cores, that was charged to the API.)"""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Any

import aiohttp
import orjson

# What a failed request raises: the server's answer was not a success, or the
# connection failed or timed out.
TRANSPORT_ERRORS = (aiohttp.ClientError, asyncio.TimeoutError)


class ApiFailed(Exception):
    """A GraphQL request that did not answer 200 with data and no errors."""


def graphql_endpoint(api_url: str) -> str:
    return api_url if api_url.rstrip("/").endswith("/graphql") else f"{api_url.rstrip('/')}/graphql"


class GraphQLClient:
    """POSTs GraphQL requests to one API. Keeps no cookies: a session travels as a Bearer
    token, as other API clients send it. Create it inside a running event loop."""

    def __init__(self, api_url: str, connections: int = 64, timeout: float = 60) -> None:
        self.endpoint = graphql_endpoint(api_url)
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=connections),
            timeout=aiohttp.ClientTimeout(total=timeout),
            cookie_jar=aiohttp.DummyCookieJar(),
        )

    async def body(self, query: str, variables: dict[str, Any] | None = None, token: str = "") -> bytes:
        """The answer's body as received (parsing it is the client's cost, not the API's)."""
        headers = {"content-type": "application/json"}
        if token:
            headers["authorization"] = f"Bearer {token}"
        payload = orjson.dumps({"query": query, "variables": variables or {}})
        async with self._session.post(self.endpoint, data=payload, headers=headers) as response:
            content = await response.read()
        # The API answers errors with 200 too: a cheap look for the key, not a parse.
        if response.status != 200 or b'"errors"' in content:
            raise ApiFailed(f"{response.status}: {content[:500].decode(errors='replace')}")
        return content

    async def json(self, query: str, variables: dict[str, Any] | None = None, token: str = "") -> Any:
        """The answer, parsed."""
        return orjson.loads(await self.body(query, variables, token))

    async def close(self) -> None:
        await self._session.close()

    async def __aenter__(self) -> GraphQLClient:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        await self.close()
