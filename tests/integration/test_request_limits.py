"""The limits a GraphQL document is held to before it runs (api/graphql/limits.py), and
the request's time limit for work that holds the CPU, through real HTTP."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from api.config import Settings
from tests.integration.conftest import serving


async def post(http: httpx.AsyncClient, body: dict[str, Any], status: int = 200) -> dict[str, Any]:
    response = await http.post("/graphql", json=body)
    assert response.status_code == status, response.text
    result: dict[str, Any] = response.json()
    return result


DUPLICATED = "{" + " instruments { code }" * 1200 + " }"


async def test_duplicated_fields_are_refused_before_validation(http: httpx.AsyncClient) -> None:
    body = await post(http, {"query": DUPLICATED})
    assert {"data": body["data"], "errors": body["errors"]} == {
        "data": None,
        "errors": [
            {
                "message": "'instruments' is selected 1200 times in one selection set; at most 10 "
                "(once is enough: the answer is the same)",
                "extensions": {"code": "QUERY_TOO_LARGE", "limit": "maxRepeats"},
            }
        ],
    }
    # The same through fragments, and many distinct aliases (each a field of its own).
    spreads = "query { ...F " * 1 + "...F " * 11 + "} fragment F on Query { instruments { code } }"
    body = await post(http, {"query": spreads})
    assert body["errors"][0]["extensions"]["limit"] == "maxRepeats"
    wide = "{" + " ".join(f"i{i}: __typename" for i in range(1001)) + "}"
    body = await post(http, {"query": wide})
    assert body["errors"][0]["message"].startswith("the document selects more than 1000 fields")
    # Within the limits, repeats are merged as the specification says.
    body = await post(http, {"query": "{" + " instruments { code }" * 10 + " }"})
    assert [i["code"] for i in body["data"]["instruments"]] == ["UNTOC", "TIP", "SOM", "FIREARMS"]


@pytest.mark.parametrize("size", [301, 100_000])
async def test_every_list_argument_is_bounded(http: httpx.AsyncClient, size: int) -> None:
    query = 'query($k: [DocumentKind!]) { search(query: "x", kinds: $k) { totalCount } }'
    body = await post(http, {"query": query, "variables": {"k": ["CASE"] * size}})
    assert body["errors"] == [
        {
            "message": f"kinds: at most 300 items ({size:,} given)",
            "extensions": {"code": "BAD_USER_INPUT", "argument": "kinds"},
        }
    ]
    nested = 'query($f: SearchFilter) { search(query: "x", filter: $f) { totalCount } }'
    body = await post(http, {"query": nested, "variables": {"f": {"parties": ["FRA"] * size}}})
    assert body["errors"][0]["message"] == f"filter.parties: at most 300 items ({size:,} given)"
    # Beyond 200,000 values a body is refused before it is parsed (~30 ms of a core for
    # 500,000 items), as a whole: which argument holds them is not looked for.
    body = await post(http, {"query": query, "variables": {"k": ["CASE"] * 500_000}}, status=413)
    assert body["errors"] == [
        {"message": "request body: at most 200,000 values (or commas)", "extensions": {"code": "BAD_REQUEST"}}
    ]
    inline = '{ search(query: "x", filter: {crimeTypes: [' + ", ".join(['"x"'] * 301) + "]}) { totalCount } }"
    body = await post(http, {"query": inline})
    assert body["errors"][0]["message"] == "filter.crimeTypes: at most 300 items (301 given)"


async def test_several_operations_need_an_operation_name(http: httpx.AsyncClient) -> None:
    document = "query A { instruments { code } } mutation B { logout }"
    body = await post(http, {"query": document})
    assert {"data": body["data"], "errors": body["errors"]} == {
        "data": None,
        "errors": [
            {
                "message": "operationName: the document holds 2 operations (A, B); say which one to run",
                "extensions": {"code": "BAD_REQUEST"},
            }
        ],
    }
    named = await post(http, {"query": document, "operationName": "A"})
    assert named["data"]["instruments"][0] == {"code": "UNTOC"}


ARTICLE = 'articles { id number title(lang: "fr") { text } cluster reviewedOnlyForNonUncacParties }'
# ~2 s of field completion after one awaited read (6.5 MB of answer), all CPU.
CPU_BOUND = (
    "{"
    + " ".join(
        f"i{i}: instruments {{ articles {{ id number instrument {{ {ARTICLE} }} }} }}" for i in range(12)
    )
    + "}"
)


async def test_cpu_bound_execution_stops_at_the_time_limit(
    settings: Settings, running_services: None
) -> None:
    """Completing fields holds the CPU without awaiting, where the time limit (a
    cancellation) cannot reach it: execution itself stops at the deadline."""
    with serving(settings.model_copy(update={"request_timeout_seconds": 0.3})) as url:
        async with httpx.AsyncClient(base_url=url, timeout=60) as http:
            response = await http.post("/graphql", json={"query": CPU_BOUND})
    errors = response.json().get("errors")
    assert errors and all(e["extensions"]["code"] == "TIMEOUT" for e in errors), response.text[:300]


WORST: list[dict[str, Any]] = [
    {"query": DUPLICATED},
    {
        "query": 'query($k: [DocumentKind!]) { search(query: "x", kinds: $k) { totalCount } }',
        "variables": {"k": ["CASE"] * 500_000},
    },
    {"query": "{" + " ".join(f"i{i}: __typename" for i in range(1500)) + "}"},
    {"query": "query A { instruments { code } } mutation B { logout }"},
    {
        "query": "{"
        + " ".join(f'v{i}: verifyDraw(id: "RHJhdzpub25l") {{ reproduced }}' for i in range(30))
        + "}"
    },
]


@pytest.fixture
def own_process(settings: Settings, running_services: None) -> Iterator[str]:
    """The API served by `sherloc serve` in a process of its own, as `make run` serves it
    (the other tests' API shares this process, and its GIL, with the test client)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "SHERLOC_API_PORT": str(port)}
    process = subprocess.Popen([sys.executable, "-m", "ops.cli", "serve"], env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, "the API did not start"
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


async def test_health_answers_while_the_worst_requests_run(own_process: str) -> None:
    """Five of the worst requests the attack test sent, over and over at once: the process
    keeps answering /healthz within 100 ms (the refusals are cheap)."""
    async with httpx.AsyncClient(base_url=own_process, timeout=30) as http:
        stop = asyncio.Event()

        async def attack(body: dict[str, Any]) -> int:
            sent = 0
            encoded = json.dumps(body).encode()
            while not stop.is_set():
                headers = {"content-type": "application/json"}
                answer = (await http.post("/graphql", content=encoded, headers=headers)).json()
                assert answer["errors"], answer
                sent += 1
            return sent

        attackers = [asyncio.create_task(attack(body)) for body in WORST]
        await asyncio.sleep(0.5)
        latencies = []
        for _ in range(40):
            started = time.perf_counter()
            assert (await http.get("/healthz")).status_code == 200
            latencies.append(time.perf_counter() - started)
            await asyncio.sleep(0.05)
        stop.set()
        sent = await asyncio.gather(*attackers)
    assert all(n > 0 for n in sent)
    assert max(latencies) < 0.1, sorted(latencies)[-5:]
