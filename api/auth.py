"""Accounts and sessions: activation, login with throttling, the viewer of a request.

Secrets never leave in the clear nor rest in the clear: passwords are argon2id hashes,
activation and session tokens are stored as SHA-256 hashes of random 256-bit tokens.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from starlette.datastructures import Headers
from starlette.requests import HTTPConnection, cookie_parser

from graph import accounts
from graph.driver import Graph, Record
from mechanism.access import ANONYMOUS, Role, Viewer
from mechanism.credentials import Throttle, password_problems
from mechanism.emails import canonical_email

SESSION_COOKIE = "sherloc_session"
ACTIVATION_DAYS = 10
_HASHER = PasswordHasher()  # argon2id with the library's current recommended parameters


def warm_up_login() -> None:
    _dummy_hash()


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the address is unknown, so that both failures take the same
    time; made on first use, not at import (commands that never log in skip its cost)."""
    return _HASHER.hash(secrets.token_urlsafe(16))


def now() -> datetime:
    return datetime.now(UTC)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalize_email(email: str) -> str:
    """The canonical form of an address (mechanism/emails.py): what accounts, registrations
    and the login throttle are keyed by. Raises mechanism.emails.InvalidEmail, with the reason."""
    return canonical_email(email)


@dataclass(frozen=True)
class Invitation:
    user: Record
    activation_token: str
    expires_at: datetime


@dataclass(frozen=True)
class NewSession:
    token: str
    user: Record
    expires_at: datetime


class LoginRefused(Exception):
    """Wrong address or password (never said which), or a locked address."""

    def __init__(self, locked_until: datetime | None = None) -> None:
        super().__init__("login refused")
        self.locked_until = locked_until


class ActivationRefused(Exception):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


async def _verify(password_hash: str, password: str) -> bool:
    def check() -> bool:
        try:
            return _HASHER.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    return await asyncio.to_thread(check)


class Accounts:
    def __init__(self, graph: Graph, session_hours: float, throttle: Throttle) -> None:
        self.graph = graph
        self.session_lifetime = timedelta(hours=session_hours)
        self.throttle = throttle

    async def invite(self, email: str, role: Role, party: str | None) -> Invitation:
        token = secrets.token_urlsafe(32)
        expires = now() + timedelta(days=ACTIVATION_DAYS)
        user = await accounts.create_user(
            self.graph,
            user_id=str(uuid.uuid4()),
            email=normalize_email(email),
            role=role.value,
            party=party,
            token_hash=token_hash(token),
            token_expires=expires,
            now=now(),
        )
        return Invitation(user, token, expires)

    async def activate(self, token: str, password: str) -> Record:
        hashed = token_hash(token)
        state = await accounts.activation_token_state(self.graph, hashed, now())
        if state != "VALID":
            reasons = {
                "UNKNOWN": "is not a valid activation token",
                "USED": "has already been used",
                "EXPIRED": f"has expired (tokens last {ACTIVATION_DAYS} days): "
                "ask the secretariat for a new one",
            }
            raise ActivationRefused("token", reasons[state])
        rows = await self.graph.read(
            "MATCH (:ActivationToken {tokenHash: $t})-[:ACTIVATES]->(u:User) RETURN u.email AS email",
            t=hashed,
        )
        problems = password_problems(password, rows[0]["email"] if rows else "")
        if problems:
            raise ActivationRefused("password", "; ".join(problems))
        password_hash = await asyncio.to_thread(_HASHER.hash, password)
        user = await accounts.activate(self.graph, hashed, password_hash, now())
        if user is None:
            raise ActivationRefused("token", "is not a valid activation token")
        return user

    async def login(self, email: str, password: str) -> NewSession:
        address = normalize_email(email)
        address_hash = token_hash(address)
        _, locked_until = await accounts.throttle_failures(self.graph, address_hash, now())
        if locked_until is not None:
            raise LoginRefused(locked_until)
        # The attempt counts before the password is checked, atomically: parallel attempts
        # cannot try more passwords than the lock allows.
        failures = await accounts.record_failure(
            self.graph,
            address_hash,
            now(),
            self.throttle.lock_after,
            now() + timedelta(minutes=self.throttle.lock_minutes),
        )
        if failures > self.throttle.lock_after:
            raise LoginRefused(self.throttle.locked_until(failures, now()))
        user = await accounts.user_by_email(self.graph, address)
        stored = user.get("passwordHash") if user else None
        valid = await _verify(stored or _dummy_hash(), password)
        if not (valid and user and stored and user.get("status") == "ACTIVE"):
            await asyncio.sleep(self.throttle.delay_seconds(failures))
            raise LoginRefused(self.throttle.locked_until(failures, now()))
        await accounts.reset_failures(self.graph, address_hash)
        token = secrets.token_urlsafe(32)
        expires = now() + self.session_lifetime
        await accounts.create_session(self.graph, user["id"], token_hash(token), now(), expires)
        return NewSession(token, user, expires)

    async def logout(self, token: str) -> bool:
        return await accounts.revoke_session(self.graph, token_hash(token), now())

    async def viewer(self, token: str | None) -> tuple[Viewer, Record | None]:
        if not token or len(token) > 200:
            return ANONYMOUS, None
        found = await accounts.session_user(self.graph, token_hash(token), now())
        if found is None:
            return ANONYMOUS, None
        user, state_party = found
        viewer = Viewer(
            role=Role(user["role"]), party=user.get("party"), user_id=user["id"], state_party=state_party
        )
        return viewer, user


@dataclass(frozen=True)
class Credential:
    """The one credential a request is authenticated by: a session token sent as
    `Authorization: Bearer <token>`, or the session cookie (then `by_cookie`), or none."""

    token: str | None
    by_cookie: bool = False


class BadAuthorization(Exception):
    """An Authorization header other than `Bearer <token>`: refused, never ignored (a
    cookie beside it must not be taken instead, nor escape the origin check)."""


_TOKEN68 = re.compile(r"^[A-Za-z0-9._~+/-]+=*$")  # RFC 6750's b64token


def request_credential(headers: Headers) -> Credential:
    """The credential of a request. When an Authorization header is present, it is the
    credential, whatever else the request carries; it must be `Bearer <token>`."""
    header = headers.get("authorization")
    if header is not None:
        scheme, _, value = header.strip().partition(" ")
        value = value.strip()
        if scheme.lower() != "bearer" or not _TOKEN68.match(value):
            raise BadAuthorization
        return Credential(value)
    token = cookie_parser(headers.get("cookie", "")).get(SESSION_COOKIE)
    return Credential(token, by_cookie=True) if token else Credential(None)


def request_token(connection: HTTPConnection) -> str | None:
    """The session token of a request (SecurityMiddleware has refused a bad Authorization
    header before any route runs)."""
    try:
        return request_credential(connection.headers).token
    except BadAuthorization:
        return None
