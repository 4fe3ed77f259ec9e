"""Accounts for the tests, created and activated through the real account service."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from api.auth import Accounts
from api.config import Settings
from mechanism.access import Role
from mechanism.credentials import Throttle
from tests.integration.databases import graph_of

PASSWORD = "correct horse battery staple"


@dataclass(frozen=True)
class Account:
    email: str
    password: str
    role: Role
    party: str | None
    user_id: str


async def create_account(settings: Settings, role: Role, party: str | None) -> Account:
    """An active account; a focal point replaces the party's current one (disabled)."""
    async with graph_of(settings) as graph:
        if role is Role.FOCAL_POINT:
            await graph.write(
                "MATCH (u:User {focalPointOf: $party}) SET u.status = 'DISABLED', u.focalPointOf = null",
                party=party,
            )
        service = Accounts(graph, session_hours=1, throttle=Throttle())
        email = f"{role.value.lower()}-{uuid.uuid4().hex[:10]}@test.example.org"
        invitation = await service.invite(email, role, party)
        await service.activate(invitation.activation_token, PASSWORD)
        return Account(email, PASSWORD, role, party, invitation.user["id"])


LOGIN = (
    "mutation($e: String!, $p: String!) { login(email: $e, password: $p) {"
    " __typename ... on Session { token expiresAt user { email role } }"
    " ... on LoginFailed { message } ... on LoginLocked { message lockedUntil } } }"
)


async def login(http: httpx.AsyncClient, email: str, password: str) -> dict[str, Any]:
    response = await http.post("/graphql", json={"query": LOGIN, "variables": {"e": email, "p": password}})
    # The session travels as a Bearer token in these tests: keep no cookie in the client.
    http.cookies.clear()
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["login"]
    return result


async def token_for(http: httpx.AsyncClient, account: Account) -> str:
    result = await login(http, account.email, account.password)
    assert result["__typename"] == "Session", result
    return str(result["token"])


@dataclass(frozen=True)
class Login:
    account: Account
    token: str


class Logins:
    """Logins per role, the shared fixture `logins` (conftest.py): each asks for an account of
    its own, active, and logs it in through the API under test. The parties stay each
    module's choice (a focal point replaces its party's current one)."""

    def __init__(self, settings: Settings, api_url: str) -> None:
        self.settings = settings
        self.api_url = api_url

    async def login(self, role: Role, party: str | None = None) -> Login:
        account = await create_account(self.settings, role, party)
        async with httpx.AsyncClient(base_url=self.api_url, timeout=60) as http:
            return Login(account, await token_for(http, account))

    async def token(self, role: Role, party: str | None = None) -> str:
        """The session token of a new account of that role and party."""
        return (await self.login(role, party)).token

    async def tokens(self, wanted: Mapping[str, tuple[Role, str | None]]) -> dict[str, str]:
        """A token for each name, of a new account of its role and party, made in order."""
        return {name: await self.token(role, party) for name, (role, party) in wanted.items()}


async def as_user(
    http: httpx.AsyncClient, token: str | None, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    response = await http.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
