"""Account flows through GraphQL over HTTP: invitation, activation, login, sessions,
throttling and lockout, revocation, one focal point per party, and bad input."""

from __future__ import annotations

import asyncio
import json
import statistics
import time
import uuid
from typing import Any

import httpx
import pytest

from api.auth import SESSION_COOKIE
from api.config import Settings
from api.graphql.relay import global_id
from mechanism.access import Role
from ops.bootstrap import ingest_files
from tests.integration.accounts_helpers import (
    LOGIN,
    PASSWORD,
    Account,
    Logins,
    as_user,
    create_account,
    login,
    token_for,
)
from tests.integration.databases import graph_of

ME = "{ me { email role status party { code } } }"
CREATE = (
    "mutation($e: String!, $r: Role!, $p: String) { createAccount(email: $e, role: $r, party: $p) {"
    " __typename ... on AccountInvitation { activationToken expiresAt user { id email role status } }"
    " ... on InvalidInput { field message } ... on NotAuthorized { message } } }"
)
ACTIVATE = (
    "mutation($t: String!, $p: String!) { activateAccount(token: $t, password: $p) {"
    " __typename ... on User { email status } ... on InvalidInput { field message } } }"
)


@pytest.fixture(scope="module")
async def secretariat(settings: Settings, running_services: None) -> Account:
    return await create_account(settings, Role.SECRETARIAT, None)


@pytest.fixture
async def secretariat_token(http: httpx.AsyncClient, secretariat: Account) -> str:
    return await token_for(http, secretariat)


def unique_email() -> str:
    return f"person-{uuid.uuid4().hex[:10]}@test.example.org"


async def test_invitation_activation_login_me_and_logout(
    http: httpx.AsyncClient, secretariat_token: str
) -> None:
    email = unique_email()
    created = (
        await as_user(http, secretariat_token, CREATE, {"e": email, "r": "GOVERNMENTAL_EXPERT", "p": "chl"})
    )["data"]
    invitation = created["createAccount"]
    assert invitation["__typename"] == "AccountInvitation"
    assert invitation["user"]["status"] == "INVITED"
    token = invitation["activationToken"]

    before = await login(http, email, PASSWORD)
    assert before["__typename"] == "LoginFailed"  # not active yet

    weak = (await as_user(http, None, ACTIVATE, {"t": token, "p": "short"}))["data"]["activateAccount"]
    assert weak == {
        "__typename": "InvalidInput",
        "field": "password",
        "message": "must have at least 12 characters",
    }
    mine = (await as_user(http, None, ACTIVATE, {"t": token, "p": email.upper()}))["data"]["activateAccount"]
    assert mine["field"] == "password" and "must not contain the e-mail address" in mine["message"]

    done = (await as_user(http, None, ACTIVATE, {"t": token, "p": PASSWORD}))["data"]["activateAccount"]
    assert done == {"__typename": "User", "email": email, "status": "ACTIVE"}
    again = (await as_user(http, None, ACTIVATE, {"t": token, "p": PASSWORD}))["data"]["activateAccount"]
    assert again == {"__typename": "InvalidInput", "field": "token", "message": "has already been used"}

    session = await login(http, f"  {email.upper()} ", PASSWORD)
    assert session["__typename"] == "Session"
    me = (await as_user(http, session["token"], ME))["data"]["me"]
    assert me == {"email": email, "role": "GOVERNMENTAL_EXPERT", "status": "ACTIVE", "party": {"code": "CHL"}}

    logout = await as_user(http, session["token"], "mutation { logout }")
    assert logout["data"]["logout"] is True
    assert (await as_user(http, session["token"], ME))["data"]["me"] is None
    assert (await as_user(http, session["token"], "mutation { logout }"))["data"]["logout"] is False


async def test_the_session_cookie_is_httponly_samesite_and_authenticates(
    http: httpx.AsyncClient, secretariat: Account
) -> None:
    response = await http.post(
        "/graphql",
        json={
            "query": "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { __typename } }",
            "variables": {"e": secretariat.email, "p": secretariat.password},
        },
    )
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    token = response.cookies[SESSION_COOKIE]
    http.cookies.clear()
    # A browser on SHERLOC's own page sends the cookie with its Origin (see test_http_security).
    own = str(http.base_url).rstrip("/")
    async with httpx.AsyncClient(
        base_url=own, cookies={SESSION_COOKIE: token}, headers={"origin": own}
    ) as browser:
        me = await browser.post("/graphql", json={"query": ME})
    assert me.json()["data"]["me"]["email"] == secretariat.email


async def test_an_expired_activation_token_is_refused(
    http: httpx.AsyncClient, secretariat_token: str, settings: Settings
) -> None:
    created = (
        await as_user(http, secretariat_token, CREATE, {"e": unique_email(), "r": "OBSERVER", "p": "CHL"})
    )["data"]
    token = created["createAccount"]["activationToken"]
    async with graph_of(settings) as graph:
        from api.auth import token_hash

        await graph.write(
            "MATCH (t:ActivationToken {tokenHash: $h}) SET t.expiresAt = datetime() - duration('P1D')",
            h=token_hash(token),
        )
    refused = (await as_user(http, None, ACTIVATE, {"t": token, "p": PASSWORD}))["data"]["activateAccount"]
    assert refused["field"] == "token"
    assert refused["message"].startswith("has expired (tokens last 10 days)")


async def test_wrong_address_and_wrong_password_get_the_same_answer_in_similar_time(
    http: httpx.AsyncClient, settings: Settings
) -> None:
    account = await create_account(settings, Role.OBSERVER, "ARG")
    timings: dict[str, list[float]] = {"address": [], "password": []}
    answers = []
    for _ in range(2):  # below the throttle's threshold
        for kind, (email, password) in {
            "address": (unique_email(), PASSWORD),
            "password": (account.email, PASSWORD + "x"),
        }.items():
            start = time.perf_counter()
            answers.append(await login(http, email, password))
            timings[kind].append(time.perf_counter() - start)
    assert all(
        a == {"__typename": "LoginFailed", "message": "The e-mail address or the password is wrong."}
        for a in answers
    )
    ratio = statistics.median(timings["address"]) / statistics.median(timings["password"])
    assert 0.33 < ratio < 3, timings  # both verify an argon2id hash


@pytest.mark.parametrize("known", [True, False])
async def test_repeated_failures_slow_down_then_lock_the_address(
    http: httpx.AsyncClient, settings: Settings, known: bool
) -> None:
    account = await create_account(settings, Role.OBSERVER, "ARG")
    email = account.email if known else unique_email()
    results = [await login(http, email, "wrong password 123") for _ in range(settings.login_lock_after)]
    assert [r["__typename"] for r in results[:-1]] == ["LoginFailed"] * (settings.login_lock_after - 1)
    assert results[-1]["__typename"] == "LoginLocked"
    locked = await login(http, email, account.password)  # even the right password
    assert locked["__typename"] == "LoginLocked"
    assert locked["message"] == "Too many failed logins for this address; try again later."


async def test_the_secretariat_revokes_sessions_and_an_owner_may_too(
    http: httpx.AsyncClient, settings: Settings, secretariat_token: str
) -> None:
    account = await create_account(settings, Role.AUTHORITY, "KEN")
    first, second = await token_for(http, account), await token_for(http, account)
    revoke = "mutation($u: ID!) { revokeSessions(user: $u) { __typename ... on RevokedSessions { count } } }"
    user_id = str(global_id("User", account.user_id))
    other = await create_account(settings, Role.AUTHORITY, "KEN")
    denied = (await as_user(http, await token_for(http, other), revoke, {"u": user_id}))["data"]
    assert denied["revokeSessions"]["__typename"] == "NotAuthorized"
    revoked = (await as_user(http, secretariat_token, revoke, {"u": user_id}))["data"]["revokeSessions"]
    assert revoked == {"__typename": "RevokedSessions", "count": 2}
    for token in (first, second):
        assert (await as_user(http, token, ME))["data"]["me"] is None


async def test_one_focal_point_per_party_at_a_time(
    http: httpx.AsyncClient, settings: Settings, secretariat_token: str
) -> None:
    party = "NAM"
    # Earlier runs left focal points of NAM (disabled ones pile up page after page): the
    # current one is disabled here directly, as the account helper does.
    async with graph_of(settings) as graph:
        await graph.write(
            "MATCH (u:User {focalPointOf: $party}) SET u.status = 'DISABLED', u.focalPointOf = null",
            party=party,
        )
    first = (
        await as_user(http, secretariat_token, CREATE, {"e": unique_email(), "r": "FOCAL_POINT", "p": party})
    )["data"]
    assert first["createAccount"]["__typename"] == "AccountInvitation"
    second = (
        await as_user(http, secretariat_token, CREATE, {"e": unique_email(), "r": "FOCAL_POINT", "p": party})
    )["data"]
    assert second["createAccount"] == {
        "__typename": "InvalidInput",
        "field": "party",
        "message": "NAM already has a focal point",
    }
    disable = "mutation($u: ID!) { disableAccount(user: $u) { __typename ... on User { status } } }"
    disabled = await as_user(http, secretariat_token, disable, {"u": first["createAccount"]["user"]["id"]})
    assert disabled["data"]["disableAccount"] == {"__typename": "User", "status": "DISABLED"}
    third = (
        await as_user(http, secretariat_token, CREATE, {"e": unique_email(), "r": "FOCAL_POINT", "p": party})
    )["data"]
    assert third["createAccount"]["__typename"] == "AccountInvitation"


@pytest.mark.parametrize(
    ("variables", "field", "message"),
    [
        (
            {"e": "not-an-address", "r": "OBSERVER", "p": "CHL"},
            "email",
            "is not an e-mail address: An email address must have an @-sign.",
        ),
        (
            {"e": "x@y.org", "r": "SECRETARIAT", "p": "CHL"},
            "party",
            "a secretariat account belongs to no party",
        ),
        (
            {"e": "x@y.org", "r": "FOCAL_POINT", "p": None},
            "party",
            "a FOCAL_POINT account belongs to one party",
        ),
        ({"e": "x@y.org", "r": "OBSERVER", "p": "XYZ"}, "party", "unknown party 'XYZ'"),
    ],
)
async def test_bad_account_input_is_named(
    http: httpx.AsyncClient, secretariat_token: str, variables: dict[str, Any], field: str, message: str
) -> None:
    result = (await as_user(http, secretariat_token, CREATE, variables))["data"]["createAccount"]
    assert result == {"__typename": "InvalidInput", "field": field, "message": message}


async def test_a_duplicate_address_is_refused(
    http: httpx.AsyncClient, secretariat: Account, secretariat_token: str
) -> None:
    result = await as_user(
        http, secretariat_token, CREATE, {"e": secretariat.email, "r": "OBSERVER", "p": "CHL"}
    )
    assert result["data"]["createAccount"] == {
        "__typename": "InvalidInput",
        "field": "email",
        "message": "an account with this e-mail address exists",
    }


@pytest.mark.parametrize(
    "role", [None, Role.OBSERVER, Role.GOVERNMENTAL_EXPERT, Role.FOCAL_POINT, Role.AUTHORITY]
)
async def test_only_the_secretariat_manages_accounts(
    http: httpx.AsyncClient, logins: Logins, secretariat: Account, role: Role | None
) -> None:
    token = await logins.token(role, "TTO") if role else None
    created = (await as_user(http, token, CREATE, {"e": unique_email(), "r": "OBSERVER", "p": "CHL"}))["data"]
    assert created["createAccount"]["__typename"] == "NotAuthorized"
    listed = (await as_user(http, token, "{ users { totalCount edges { node { email } } } }"))["data"]
    assert listed["users"] == {"totalCount": 0, "edges": []}
    secretariat_id = str(global_id("User", secretariat.user_id))
    other = await as_user(http, token, "query($u: ID!) { node(id: $u) { id } }", {"u": secretariat_id})
    assert other["data"]["node"] is None


@pytest.fixture(scope="module")
async def authority_with_contact(
    settings: Settings, running_services: None, tmp_path_factory: pytest.TempPathFactory
) -> str:
    record = {
        "kind": "authority",
        "id": "T-ACC-A1",
        "party": "GHA",
        "name": {"en": "Office of the Attorney-General (test)"},
        "functions": ["EXTRADITION"],
        "accepted_languages": ["en"],
        "contact": {"email": "extradition@ag.example.org", "phone": "+233 30 000 0000"},
    }
    path = tmp_path_factory.mktemp("acc") / "authority.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    await ingest_files(settings, [path], report=lambda _: None, progress=False)
    return str(global_id("CompetentAuthority", "T-ACC-A1"))


@pytest.mark.parametrize("role", list(Role))
async def test_contact_blocks_are_visible_to_every_account(
    http: httpx.AsyncClient, logins: Logins, role: Role, authority_with_contact: str
) -> None:
    token = await logins.token(role, None if role is Role.SECRETARIAT else "GHA")
    query = "query($id: ID!) { node(id: $id) { ... on CompetentAuthority { contact { email phone } } } }"
    variables = {"id": authority_with_contact}
    data = (await as_user(http, token, query, variables))["data"]
    assert data["node"]["contact"] == {"email": "extradition@ag.example.org", "phone": "+233 30 000 0000"}
    anonymous = (await as_user(http, None, query, variables))["data"]
    assert anonymous["node"]["contact"] is None


async def test_logging_in_again_replaces_the_session_it_came_with(
    http: httpx.AsyncClient, settings: Settings
) -> None:
    account = await create_account(settings, Role.OBSERVER, "URY")
    old = await token_for(http, account)
    body = await as_user(
        http,
        old,
        LOGIN,
        {"e": account.email, "p": account.password},
    )
    new = body["data"]["login"]["token"]
    assert new != old
    assert (await as_user(http, old, ME))["data"]["me"] is None
    assert (await as_user(http, new, ME))["data"]["me"]["email"] == account.email


async def test_a_scripted_attack_on_one_address_is_locked_out(
    http: httpx.AsyncClient, settings: Settings
) -> None:
    """Many wrong passwords at once: each is counted (atomically), the address locks, no
    attempt errs, and even the right password is then refused."""
    account = await create_account(settings, Role.OBSERVER, "PRY")
    attempts = settings.login_lock_after * 3
    results = await asyncio.gather(
        *(login(http, account.email, f"guess number {n} of many") for n in range(attempts))
    )
    kinds = [r["__typename"] for r in results]
    assert set(kinds) <= {"LoginFailed", "LoginLocked"}
    assert kinds.count("LoginFailed") <= settings.login_lock_after
    assert kinds.count("LoginLocked") >= attempts - settings.login_lock_after
    assert (await login(http, account.email, account.password))["__typename"] == "LoginLocked"
