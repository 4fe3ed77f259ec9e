"""Accounts, activation tokens, sessions and login throttles in the graph.

Tokens are stored only as SHA-256 hashes; passwords only as argon2id hashes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from neo4j import AsyncManagedTransaction
from neo4j.exceptions import ConstraintError

from graph.driver import Graph, Record


class AccountConflict(Exception):
    """The e-mail address is taken, or the party already has a focal point."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


async def create_user(
    graph: Graph,
    *,
    user_id: str,
    email: str,
    role: str,
    party: str | None,
    token_hash: str,
    token_expires: datetime,
    now: datetime,
) -> Record:
    async def work(tx: AsyncManagedTransaction) -> Record:
        if party is not None:
            result = await tx.run("MATCH (p:Party {code: $party}) RETURN p.code AS code", party=party)
            if await result.single() is None:
                raise AccountConflict("party", f"unknown party {party!r}")
        result = await tx.run(
            "CREATE (u:User {id: $id, email: $email, role: $role, party: $party, "
            "  status: 'INVITED', createdAt: $now, "
            "  focalPointOf: CASE WHEN $role = 'FOCAL_POINT' THEN $party END}) "
            "CREATE (t:ActivationToken {tokenHash: $token, expiresAt: $expires, createdAt: $now})"
            "-[:ACTIVATES]->(u) "
            "WITH u OPTIONAL MATCH (p:Party {code: $party}) "
            "FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END | MERGE (u)-[:OF_PARTY]->(p)) "
            "RETURN properties(u) AS user",
            id=user_id,
            email=email,
            role=role,
            party=party,
            token=token_hash,
            expires=token_expires,
            now=now,
        )
        record = await result.single()
        assert record is not None
        user: Record = record["user"]
        return user

    try:
        return await graph.write_transaction(work)
    except ConstraintError as error:
        message = str(error.message or "")
        if "focalPointOf" in message:
            raise AccountConflict("party", f"{party} already has a focal point") from None
        if "email" in message:
            raise AccountConflict("email", "an account with this e-mail address exists") from None
        raise


async def user_by_email(graph: Graph, email: str) -> Record | None:
    rows = await graph.read("MATCH (u:User {email: $email}) RETURN properties(u) AS user", email=email)
    return rows[0]["user"] if rows else None


async def users_by_ids(graph: Graph, ids: list[str]) -> list[Record]:
    return await graph.read("MATCH (u:User) WHERE u.id IN $ids RETURN properties(u) AS user", ids=ids)


async def activate(graph: Graph, token_hash: str, password_hash: str, now: datetime) -> Record | None:
    """Spend an activation token: the account becomes active with this password. None if
    the token is unknown, spent or expired."""
    rows = await graph.write(
        "MATCH (t:ActivationToken {tokenHash: $token})-[:ACTIVATES]->(u:User) "
        "WHERE t.usedAt IS NULL AND t.expiresAt > $now AND u.status <> 'DISABLED' "
        "SET t.usedAt = $now, u.passwordHash = $hash, u.status = 'ACTIVE', u.activatedAt = $now "
        "RETURN properties(u) AS user",
        token=token_hash,
        hash=password_hash,
        now=now,
    )
    return rows[0]["user"] if rows else None


async def activation_token_state(graph: Graph, token_hash: str, now: datetime) -> str:
    rows = await graph.read(
        "MATCH (t:ActivationToken {tokenHash: $token}) "
        "RETURN CASE WHEN t.usedAt IS NOT NULL THEN 'USED' "
        "            WHEN t.expiresAt <= $now THEN 'EXPIRED' ELSE 'VALID' END AS state",
        token=token_hash,
        now=now,
    )
    return str(rows[0]["state"]) if rows else "UNKNOWN"


async def create_session(
    graph: Graph, user_id: str, token_hash: str, now: datetime, expires: datetime
) -> None:
    await graph.write(
        "MATCH (u:User {id: $user}) "
        "CREATE (s:Session {tokenHash: $token, userId: $user, createdAt: $now, expiresAt: $expires})"
        "-[:OF_USER]->(u)",
        user=user_id,
        token=token_hash,
        now=now,
        expires=expires,
    )


async def session_user(graph: Graph, token_hash: str, now: datetime) -> tuple[Record, bool] | None:
    """The active account a live session token belongs to, and whether its party is a
    party to the Convention."""
    rows = await graph.read(
        "MATCH (s:Session {tokenHash: $token})-[:OF_USER]->(u:User {status: 'ACTIVE'}) "
        "WHERE s.revokedAt IS NULL AND s.expiresAt > $now "
        "RETURN properties(u) AS user, s.expiresAt AS expiresAt, "
        "  EXISTS { (:Party {code: u.party})-[:PARTICIPATES_IN {status: 'PARTY'}]->"
        "           (:Instrument {code: 'UNTOC'}) } AS stateParty",
        token=token_hash,
        now=now,
    )
    return (rows[0]["user"], bool(rows[0]["stateParty"])) if rows else None


async def revoke_session(graph: Graph, token_hash: str, now: datetime) -> bool:
    rows = await graph.write(
        "MATCH (s:Session {tokenHash: $token}) WHERE s.revokedAt IS NULL "
        "SET s.revokedAt = $now RETURN count(s) AS n",
        token=token_hash,
        now=now,
    )
    return bool(rows and rows[0]["n"])


async def revoke_user_sessions(graph: Graph, user_id: str, now: datetime) -> int:
    rows = await graph.write(
        "MATCH (s:Session {userId: $user}) WHERE s.revokedAt IS NULL "
        "SET s.revokedAt = $now RETURN count(s) AS n",
        user=user_id,
        now=now,
    )
    return int(rows[0]["n"])


async def set_status(graph: Graph, user_id: str, status: str) -> Record | None:
    rows = await graph.write(
        "MATCH (u:User {id: $user}) SET u.status = $status, "
        "u.focalPointOf = CASE WHEN $status = 'DISABLED' THEN null ELSE u.focalPointOf END "
        "RETURN properties(u) AS user",
        user=user_id,
        status=status,
    )
    return rows[0]["user"] if rows else None


async def throttle_failures(graph: Graph, email_hash: str, now: datetime) -> tuple[int, datetime | None]:
    """Failed logins in a row for an address, and until when it is locked."""
    rows = await graph.read(
        "MATCH (t:LoginThrottle {emailHash: $hash}) RETURN t.failures AS failures, "
        "t.lockedUntil AS lockedUntil",
        hash=email_hash,
    )
    if not rows:
        return 0, None
    locked = rows[0]["lockedUntil"]
    locked_until = locked.to_native() if locked is not None else None
    return int(rows[0]["failures"]), locked_until if locked_until and locked_until > now else None


async def record_failure(
    graph: Graph, email_hash: str, now: datetime, lock_after: int, lock_until: datetime
) -> int:
    rows = await graph.write(
        "MERGE (t:LoginThrottle {emailHash: $hash}) "
        "SET t.failures = coalesce(t.failures, 0) + 1, t.lastFailure = $now "
        "SET t.lockedUntil = CASE WHEN t.failures >= $lockAfter THEN $until ELSE t.lockedUntil END "
        "RETURN t.failures AS failures",
        hash=email_hash,
        now=now,
        lockAfter=lock_after,
        until=lock_until,
    )
    return int(rows[0]["failures"])


async def reset_failures(graph: Graph, email_hash: str) -> None:
    await graph.write("MATCH (t:LoginThrottle {emailHash: $hash}) DELETE t", hash=email_hash)


async def users_page(
    graph: Graph, party: str | None, role: str | None, after: str | None, limit: int
) -> tuple[list[Record], int]:
    match = "MATCH (u:User) WHERE ($party IS NULL OR u.party = $party) AND ($role IS NULL OR u.role = $role) "
    params: dict[str, Any] = {"party": party, "role": role, "after": after, "limit": limit}
    rows = await graph.read(
        "CALL () { " + match + "RETURN count(u) AS total } "
        "CALL () { " + match + "AND ($after IS NULL OR u.email > $after) "
        "WITH u ORDER BY u.email LIMIT $limit RETURN collect(properties(u)) AS users } "
        "RETURN total, users",
        **params,
    )
    return rows[0]["users"], rows[0]["total"]
