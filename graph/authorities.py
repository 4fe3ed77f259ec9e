"""The directory of competent authorities as the States keep it: an entry's node (the one
shape the ingest and the States' changes both write), each change with its audit record in
the same transaction, and the lists the secretariat follows up.

Nothing here decides who may change what: the callers ask mechanism.access first. A written
entry is `indexPending` with a new version, as the ingest leaves what it writes
(graph/content.py); the caller then indexes it through search.sync, and the API's catch-up
loop does if that fails.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction
from neo4j.exceptions import ConstraintError

from graph.content import NEXT_VERSION, DocumentKind
from graph.driver import Graph, Record
from graph.knowledge import DOCUMENT
from graph.localized import localized_properties, read_localized
from graph.reference import UnknownParty
from mechanism.authorities import (
    CONTACT_FIELDS,
    DESIGNATING_ARTICLE,
    AuthorityEntry,
    AuthorityFunction,
    changes_between,
)

NO_DATE = date(1, 1, 1)  # an authority has no date to sort by (graph.knowledge sorts by party)
KIND = DocumentKind.COMPETENT_AUTHORITY


def entry_row(entry: AuthorityEntry) -> dict[str, Any]:
    """The row of an entry: {key, party, props, articles, contact}, as
    graph.content.write_documents takes it (the ingest) and as `revise_entry` writes it.
    `props` holds no bookkeeping (hash, version, indexPending)."""
    props: dict[str, Any] = {
        "functions": [f.value for f in entry.functions],
        "acceptedLanguages": list(entry.accepted_languages),
        "acceptsConventionRequests": entry.accepts_convention_requests,
        "acceptsInterpol": entry.accepts_interpol,
        "confirmedOn": entry.confirmed_on,
        "confirmedBy": entry.confirmed_by,
        "sortDate": NO_DATE,
        "sample": entry.sample,
        **localized_properties("name", entry.name),
        **localized_properties("requirements", entry.requirements),
    }
    articles = {article.key for f in entry.functions if (article := DESIGNATING_ARTICLE[f]) is not None}
    contact = {name: value for name, value in entry.contact.items() if value is not None}
    return {
        "key": entry.key,
        "party": entry.party,
        "props": {name: value for name, value in props.items() if value is not None},
        "articles": sorted(articles),
        "contact": contact or None,
    }


def _day(value: Any) -> date | None:
    """A date as the graph gives it (a Neo4j Date), or None."""
    if value is None or isinstance(value, date):
        return value
    native: date = value.to_native()
    return native


def entry_of(node: Mapping[str, Any], contact: Mapping[str, Any] | None) -> AuthorityEntry:
    """The entry a node (its properties) and its contact block hold."""
    return AuthorityEntry(
        key=node["key"],
        party=node["party"],
        name=read_localized(node, "name"),
        functions=tuple(AuthorityFunction(f) for f in node.get("functions") or []),
        accepted_languages=tuple(node.get("acceptedLanguages") or []),
        accepts_convention_requests=node.get("acceptsConventionRequests"),
        accepts_interpol=node.get("acceptsInterpol"),
        requirements=read_localized(node, "requirements"),
        contact={name: contact[name] for name in CONTACT_FIELDS if contact and contact.get(name) is not None},
        confirmed_on=_day(node.get("confirmedOn")),
        confirmed_by=node.get("confirmedBy"),
        sample=bool(node.get("sample")),
    )


def change_record(
    action: str,
    before: AuthorityEntry | None,
    after: AuthorityEntry | None,
    actor: Mapping[str, Any],
    at: datetime,
) -> dict[str, Any]:
    """The audit record of a change: who (`actor`: byUser, byEmail, byRole, byParty), when,
    what (`action`, and each field's old and new value as JSON)."""
    entry = after or before
    assert entry is not None
    changes = [{"field": c.field, "old": c.old, "new": c.new} for c in changes_between(before, after)]
    return {
        "id": str(uuid.uuid4()),
        "authority": entry.key,
        "party": entry.party,
        "action": action,
        "at": at,
        "changes": json.dumps(changes, ensure_ascii=False),
        **{name: value for name, value in actor.items() if value is not None},
    }


# ---------- writes ----------

# The write lock on the entry, taken before it is read: changes of one entry are serialized,
# and each applies to the latest committed entry. Nothing of the lock stays on the node.
_LOCKED: LiteralString = (
    "MATCH (n:CompetentAuthority {key: $key}) SET n.lockedAt = datetime() REMOVE n.lockedAt "
    "RETURN properties(n) AS node, "
    "  COLLECT { MATCH (n)-[:HAS_CONTACT]->(c:AuthorityContact) RETURN properties(c) }[0] AS contact"
)

# The node as graph.content.write_documents writes an authority, and the audit record.
_WRITE: LiteralString = (
    "WITH n, " + NEXT_VERSION + "AS version "
    "SET n = $row.props, n:Document, n.key = $row.key, n.kind = $kind, n.party = $row.party, "
    "    n.hash = $hash, n.version = version, n.indexPending = true, n.updatedAt = datetime() "
    "WITH n "
    "CALL (n) { MATCH (n)-[old:OF_PARTY|FOR_ARTICLE]->() DELETE old } "
    "CALL (n) { MATCH (n)-[:HAS_CONTACT]->(c:AuthorityContact) DETACH DELETE c } "
    "WITH n MATCH (p:Party {code: $row.party}) MERGE (n)-[:OF_PARTY]->(p) "
    "WITH n "
    "CALL (n) { UNWIND $row.articles AS k MATCH (a:Article {key: k}) MERGE (n)-[:FOR_ARTICLE]->(a) } "
    "CALL (n) { WITH n WHERE $row.contact IS NOT NULL "
    "  CREATE (n)-[:HAS_CONTACT]->(c:AuthorityContact) SET c = $row.contact } "
    "CREATE (x:AuthorityChange) SET x = $change "
    "RETURN n.version AS version"
)

# A retired entry leaves the directory; its tombstone takes it out of the index up to the
# version it had (search.sync.remove_tombstones deletes it again for a while).
_RETIRE: LiteralString = (
    "MATCH (n:CompetentAuthority {key: $key}) "
    "WITH n, n.version AS version "
    "MERGE (t:Tombstone {uid: $uid}) SET t.version = version, t.at = datetime() "
    "CREATE (x:AuthorityChange) SET x = $change "
    "WITH n, version "
    "CALL (n) { MATCH (n)-[:HAS_CONTACT]->(c:AuthorityContact) DETACH DELETE c } "
    "DETACH DELETE n "
    "RETURN version"
)


class EntryMissing(LookupError):
    """No competent authority has this key."""


class EntryExists(Exception):
    """A competent authority already has this key."""


@dataclass(frozen=True)
class Revision:
    """What a change makes of an entry (None: it is retired), and its audit record."""

    entry: AuthorityEntry | None
    change: dict[str, Any]


@dataclass(frozen=True)
class Written:
    """A revision as written: the entry's new version, or the version its tombstone holds."""

    revision: Revision
    version: int


def tombstone_uid(key: str) -> str:
    return f"{KIND.value}:{key}"


async def _write(
    tx: AsyncManagedTransaction,
    head: LiteralString,
    entry: AuthorityEntry,
    digest: str,
    change: dict[str, Any],
) -> int:
    result = await tx.run(
        head + _WRITE, key=entry.key, row=entry_row(entry), kind=KIND.value, hash=digest, change=change
    )
    record = await result.single()
    if record is None:  # the party's MATCH found nothing: the transaction is rolled back
        raise UnknownParty(entry.party)
    version: int = record["version"]
    return version


async def create_entry(graph: Graph, entry: AuthorityEntry, digest: str, change: dict[str, Any]) -> int:
    """Write a new entry and its audit record; EntryExists when its key is taken,
    UnknownParty when its party is not in the graph. Returns its version."""

    async def work(tx: AsyncManagedTransaction) -> int:
        return await _write(tx, "CREATE (n:CompetentAuthority {key: $key}) ", entry, digest, change)

    try:
        return await graph.write_transaction(work)
    except ConstraintError:
        raise EntryExists(entry.key) from None


async def revise_entry(
    graph: Graph, key: str, revise: Callable[[AuthorityEntry], Revision | None]
) -> Written | None:
    """Change an entry in one transaction: the entry locked and read, `revise(entry)` asked
    what it becomes (None: nothing to write), then the entry written (or retired) with the
    audit record. EntryMissing when there is no such entry. An entry keeps the content hash
    of the ingest's line: a later ingest of the same line leaves the State's change alone, a
    changed line replaces the entry (docs/knowledge-base.md)."""

    async def work(tx: AsyncManagedTransaction) -> Written | None:
        found = await (await tx.run(_LOCKED, key=key)).single()
        if found is None:
            raise EntryMissing(key)
        revision = revise(entry_of(found["node"], found["contact"]))
        if revision is None:
            return None
        if revision.entry is None:
            result = await tx.run(_RETIRE, key=key, uid=tombstone_uid(key), change=revision.change)
            record = await result.single(strict=True)
            return Written(revision, record["version"])
        head: LiteralString = "MATCH (n:CompetentAuthority {key: $key}) "
        digest = found["node"].get("hash") or ""
        return Written(revision, await _write(tx, head, revision.entry, digest, revision.change))

    return await graph.write_transaction(work)


# ---------- reads ----------


async def changes_page(
    graph: Graph,
    *,
    parties: list[str] | None,
    authority: str | None,
    after: tuple[datetime, str] | None,
    limit: int,
) -> tuple[list[Record], int]:
    """A page of audit records, newest first, of the parties named (None: of all), of one
    authority or all; and how many there are in all."""
    match: LiteralString = (
        "MATCH (x:AuthorityChange) WHERE ($parties IS NULL OR x.party IN $parties) "
        "AND ($authority IS NULL OR x.authority = $authority) "
    )
    rows = await graph.read(
        "CALL () { " + match + "RETURN count(x) AS total } "
        "CALL () { " + match + "AND ($afterAt IS NULL OR x.at < $afterAt "
        "  OR (x.at = $afterAt AND x.id < $afterId)) "
        "WITH x ORDER BY x.at DESC, x.id DESC LIMIT $limit RETURN collect(properties(x)) AS changes } "
        "RETURN total, changes",
        parties=parties,
        authority=authority,
        afterAt=after[0] if after else None,
        afterId=after[1] if after else None,
        limit=limit,
    )
    return rows[0]["changes"], rows[0]["total"]


async def stale_page(
    graph: Graph, *, cutoff: date, after: tuple[date, str, str] | None, limit: int
) -> tuple[list[Record], int]:
    """A page of the entries confirmed before `cutoff` or never: those never confirmed
    first, then the longest unconfirmed, by party and key; and how many there are in all."""
    match: LiteralString = (
        "MATCH (n:CompetentAuthority) WHERE n.confirmedOn IS NULL OR n.confirmedOn < $cutoff "
        "WITH n, coalesce(n.confirmedOn, $noDate) AS confirmed "
    )
    rows = await graph.read(
        "CALL () { " + match + "RETURN count(n) AS total } "
        "CALL () { " + match + "WHERE $afterDate IS NULL OR confirmed > $afterDate "
        "  OR (confirmed = $afterDate AND (n.party > $afterParty "
        "      OR (n.party = $afterParty AND n.key > $afterKey))) "
        "WITH n ORDER BY confirmed, n.party, n.key LIMIT $limit RETURN collect(" + DOCUMENT + ") AS nodes } "
        "RETURN total, nodes",
        cutoff=cutoff,
        noDate=NO_DATE,
        afterDate=after[0] if after else None,
        afterParty=after[1] if after else None,
        afterKey=after[2] if after else None,
        limit=limit,
    )
    return rows[0]["nodes"], rows[0]["total"]
