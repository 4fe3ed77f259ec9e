"""Stakeholders' constructive dialogues (¶53) in the graph.

`(:StakeholderDialogue {id, workingGroup, sessionEndsOn, heldOn, title, status, ...})` and
`(:StakeholderRegistration {id, dialogueId, emailKey, kind, status, ...})-[:FOR_DIALOGUE]->`
its dialogue, one per organization's normalized e-mail and dialogue (a constraint).

Every change to a dialogue or to its registrations is one transaction that takes the
dialogue's write lock first, then reads the state, lets the caller decide (the rules are in
mechanism/dialogues.py) and writes: changes at the same time are serialized, none is lost,
and a refused change writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from neo4j import AsyncManagedTransaction
from neo4j.time import Date, DateTime

from graph.driver import Graph, Record

T = TypeVar("T")


class Duplicate(Exception):
    """The organization's e-mail address is registered for the dialogue already."""


# A dialogue with its registrations, oldest first.
_WITH_REGISTRATIONS = (
    "{dialogue: properties(d), registrations: COLLECT { MATCH (r:StakeholderRegistration "
    "{dialogueId: d.id}) WITH r ORDER BY r.registeredAt, r.id RETURN properties(r) }}"
)
_LOCK = "MATCH (d:StakeholderDialogue {id: $id}) SET d.lockedAt = datetime() RETURN properties(d) AS d"


def _native(value: Any) -> Any:
    """Neo4j's temporal values as Python's, through maps and lists."""
    if isinstance(value, Date | DateTime):
        return value.to_native()
    if isinstance(value, dict):
        return {k: _native(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_native(v) for v in value]
    return value


async def create_dialogue(graph: Graph, dialogue: Record) -> Record:
    rows = await graph.write(
        "CREATE (d:StakeholderDialogue) SET d = $dialogue, d.version = 0 RETURN "
        + _WITH_REGISTRATIONS
        + " AS row",
        dialogue=dialogue,
    )
    created: Record = _native(rows[0]["row"])
    return created


async def dialogue(graph: Graph, dialogue_id: str) -> Record | None:
    """{dialogue, registrations}, or None."""
    rows = await graph.read(
        "MATCH (d:StakeholderDialogue {id: $id}) RETURN " + _WITH_REGISTRATIONS + " AS row", id=dialogue_id
    )
    return _native(rows[0]["row"]) if rows else None


async def dialogue_of_registration(graph: Graph, registration_id: str) -> Record | None:
    """The {dialogue, registrations} a registration belongs to, or None."""
    rows = await graph.read(
        "MATCH (r:StakeholderRegistration {id: $id}) MATCH (d:StakeholderDialogue {id: r.dialogueId}) "
        "RETURN " + _WITH_REGISTRATIONS + " AS row",
        id=registration_id,
    )
    return _native(rows[0]["row"]) if rows else None


async def dialogues_page(
    graph: Graph, working_group: str | None, after: tuple[date, str] | None, limit: int
) -> tuple[list[Record], int]:
    """{dialogue, registrations} rows, the latest dialogue first, after the (heldOn, id) given."""
    match = "MATCH (d:StakeholderDialogue) WHERE ($group IS NULL OR d.workingGroup = $group) "
    rows = await graph.read(
        "CALL () { " + match + "RETURN count(d) AS total } "
        "CALL () { " + match + "AND ($afterOn IS NULL OR d.heldOn < $afterOn "
        "  OR (d.heldOn = $afterOn AND d.id < $afterId)) "
        "WITH d ORDER BY d.heldOn DESC, d.id DESC LIMIT $limit "
        "RETURN collect(" + _WITH_REGISTRATIONS + ") AS rows } "
        "RETURN total, rows",
        group=working_group,
        afterOn=after[0] if after else None,
        afterId=after[1] if after else None,
        limit=limit,
    )
    return _native(rows[0]["rows"]), rows[0]["total"]


async def change_dialogue(
    graph: Graph, dialogue_id: str, decide: Callable[[Record], Record | T]
) -> Record | T | None:
    """`decide(dialogue)` returns the properties to change, or anything else to change nothing
    and return it. Returns {dialogue, registrations} once changed; None if no such dialogue."""

    async def work(tx: AsyncManagedTransaction) -> Record | T | None:
        locked = await (await tx.run(_LOCK, id=dialogue_id)).single()
        if locked is None:
            return None
        changes = decide(_native(locked["d"]))
        if not isinstance(changes, dict):
            return changes
        row = await (
            await tx.run(
                "MATCH (d:StakeholderDialogue {id: $id}) SET d += $changes, d.version = d.version + 1 "
                "RETURN " + _WITH_REGISTRATIONS + " AS row",
                id=dialogue_id,
                changes=changes,
            )
        ).single()
        assert row is not None
        changed: Record = _native(row["row"])
        return changed

    return await graph.write_transaction(work)


async def register(
    graph: Graph, dialogue_id: str, email_key: str, decide: Callable[[Record], Record | T]
) -> tuple[Record, Record] | T | None:
    """`decide(dialogue)` returns the registration to create, or anything else to create
    nothing and return it. Returns (dialogue, registration); None if no such dialogue;
    raises Duplicate if the e-mail address is registered for the dialogue already."""

    async def work(tx: AsyncManagedTransaction) -> tuple[Record, Record] | T | None:
        locked = await (await tx.run(_LOCK, id=dialogue_id)).single()
        if locked is None:
            return None
        current = _native(locked["d"])
        registration = decide(current)
        if not isinstance(registration, dict):
            return registration
        found = await (
            await tx.run(
                "MATCH (r:StakeholderRegistration {dialogueId: $id, emailKey: $key}) RETURN r.id AS id",
                id=dialogue_id,
                key=email_key,
            )
        ).single()
        if found is not None:
            raise Duplicate(email_key)
        row = await (
            await tx.run(
                "MATCH (d:StakeholderDialogue {id: $id}) "
                "CREATE (r:StakeholderRegistration) SET r = $registration, r.dialogueId = $id, "
                "  r.emailKey = $key, r.version = 0 "
                "CREATE (r)-[:FOR_DIALOGUE]->(d) RETURN properties(r) AS r",
                id=dialogue_id,
                key=email_key,
                registration=registration,
            )
        ).single()
        assert row is not None
        return current, _native(row["r"])

    return await graph.write_transaction(work)


async def change_registration(
    graph: Graph, registration_id: str, decide: Callable[[Record, Record], Record | T]
) -> tuple[Record, Record] | T | None:
    """`decide(dialogue, registration)` returns the properties of the registration to change,
    or anything else to change nothing and return it. Returns (dialogue, registration) once
    changed; None if no such registration."""

    async def work(tx: AsyncManagedTransaction) -> tuple[Record, Record] | T | None:
        found = await (
            await tx.run(
                "MATCH (r:StakeholderRegistration {id: $id}) RETURN r.dialogueId AS dialogue",
                id=registration_id,
            )
        ).single()
        if found is None:
            return None
        locked = await (await tx.run(_LOCK, id=found["dialogue"])).single()
        if locked is None:  # a registration whose dialogue is gone is no registration
            return None
        # Read only now, under the lock: this is the latest committed state.
        current = await (
            await tx.run(
                "MATCH (r:StakeholderRegistration {id: $id}) RETURN properties(r) AS r", id=registration_id
            )
        ).single()
        if current is None:
            return None
        dialogue = _native(locked["d"])
        changes = decide(dialogue, _native(current["r"]))
        if not isinstance(changes, dict):
            return changes
        row = await (
            await tx.run(
                "MATCH (r:StakeholderRegistration {id: $id}) SET r += $changes, r.version = r.version + 1 "
                "RETURN properties(r) AS r",
                id=registration_id,
                changes=changes,
            )
        ).single()
        assert row is not None
        return dialogue, _native(row["r"])

    return await graph.write_transaction(work)
