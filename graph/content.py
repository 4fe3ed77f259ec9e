"""Writing legislation, cases and competent authorities into the graph, batch by batch.

Every content node also carries the label `Document` and the properties the search sync
relies on: `kind`, a content `hash` (unchanged records are not written again), a
`version` bumped on each write, and `indexPending`, true until Elasticsearch holds the
version that the graph holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, LiteralString

from neo4j import AsyncManagedTransaction

from graph.driver import Graph, Record
from graph.reference import UnknownParty


class DocumentKind(StrEnum):
    LEGISLATION = "LEGISLATION"
    CASE = "CASE"
    COMPETENT_AUTHORITY = "COMPETENT_AUTHORITY"
    # What a State under review published of its review (graph/publications.py).
    REVIEW_DOCUMENT = "REVIEW_DOCUMENT"


@dataclass(frozen=True)
class _Statements:
    label: LiteralString
    links: LiteralString


_STATEMENTS: dict[DocumentKind, _Statements] = {
    DocumentKind.LEGISLATION: _Statements(
        "Legislation",
        "CALL (n, row) { UNWIND row.articles AS k MATCH (a:Article {key: k}) "
        "  MERGE (n)-[:IMPLEMENTS]->(a) } "
        "CALL (n, row) { UNWIND row.crimeTypes AS k MATCH (c:CrimeType {key: k}) "
        "  MERGE (n)-[:CONCERNS]->(c) } ",
    ),
    DocumentKind.CASE: _Statements(
        "Case",
        "CALL (n, row) { UNWIND row.articles AS k MATCH (a:Article {key: k}) "
        "  MERGE (n)-[:LEGAL_BASIS]->(a) } "
        "CALL (n, row) { UNWIND row.crimeTypes AS k MATCH (c:CrimeType {key: k}) "
        "  MERGE (n)-[:CONCERNS]->(c) } "
        "CALL (n, row) { UNWIND row.applied AS k MATCH (l:Legislation {key: k}) "
        "  MERGE (n)-[:APPLIED]->(l) } "
        "CALL (n, row) { UNWIND row.related AS k MATCH (c:Case {key: k}) "
        "  MERGE (n)-[:RELATED_TO]->(c) } ",
    ),
    DocumentKind.COMPETENT_AUTHORITY: _Statements(
        "CompetentAuthority",
        "CALL (n, row) { UNWIND row.articles AS k MATCH (a:Article {key: k}) "
        "  MERGE (n)-[:FOR_ARTICLE]->(a) } "
        "CALL (n, row) { WITH n, row WHERE row.contact IS NOT NULL "
        "  CREATE (n)-[:HAS_CONTACT]->(c:AuthorityContact) SET c = row.contact } ",
    ),
}

# A document's version is also its version in the search index (external versioning), so
# it must grow even across a delete and re-creation: the time in ms, or one more.
NEXT_VERSION: LiteralString = (
    "CASE WHEN timestamp() > coalesce(n.version, 0) THEN timestamp() ELSE n.version + 1 END "
)

# The links a write replaces: an updated record drops those of its previous version.
_OWNED: LiteralString = "OF_PARTY|IMPLEMENTS|CONCERNS|LEGAL_BASIS|APPLIED|RELATED_TO|FOR_ARTICLE"


# What a write returns for the search documents of the nodes it wrote (their links are the
# row's: the articles and crime types were validated against the reference data), as one
# list in one record: a record per node cost the driver ~100 µs of socket reads, a quarter
# of the ingest's time.
_WRITTEN: LiteralString = (
    "RETURN collect({key: n.key, version: n.version, regionalGroup: p.regionalGroup}) AS written"
)


def label_of(kind: DocumentKind) -> LiteralString:
    return "Publication" if kind is DocumentKind.REVIEW_DOCUMENT else _STATEMENTS[kind].label


async def existing_hashes(graph: Graph, kind: DocumentKind, keys: list[str]) -> dict[str, str]:
    rows = await graph.read(
        "MATCH (n:" + label_of(kind) + ") WHERE n.key IN $keys RETURN n.key AS key, n.hash AS hash",
        keys=keys,
    )
    return {row["key"]: row["hash"] for row in rows}


async def write_documents(graph: Graph, kind: DocumentKind, rows: list[dict[str, Any]]) -> list[Record]:
    """Create or replace the nodes of `rows` and their links, in one transaction.

    Each row: `key`, `party`, `props` (the node's properties), `articles`, `crimeTypes`,
    and for cases `applied` and `related`, for authorities `contact`. Returns, per node,
    what its search document needs beyond the row: `key`, `version` and `regionalGroup`
    (so the ingest need not read the documents back: search/documents.py
    `written_document`)."""
    statements = _STATEMENTS[kind]

    async def work(tx: AsyncManagedTransaction) -> list[Record]:
        result = await tx.run(
            "UNWIND $rows AS row "
            "MERGE (n:" + statements.label + " {key: row.key}) "
            "WITH n, row, " + NEXT_VERSION + "AS version "
            "SET n = row.props, n:Document, n.key = row.key, n.kind = $kind, "
            "    n.party = row.party, n.version = version, n.indexPending = true, "
            "    n.updatedAt = datetime() "
            "WITH n, row "
            "CALL (n) { MATCH (n)-[old:" + _OWNED + "]->() DELETE old } "
            "CALL (n) { MATCH (n)-[:HAS_CONTACT]->(c:AuthorityContact) DETACH DELETE c } "
            "WITH n, row "
            "MATCH (p:Party {code: row.party}) MERGE (n)-[:OF_PARTY]->(p) "
            "WITH n, row, p " + statements.links + _WRITTEN,
            rows=rows,
            kind=kind.value,
        )
        record = await result.single(strict=True)
        written: list[Record] = record["written"]
        # A row whose party is missing is dropped by the MATCH of its party: the whole batch
        # is refused (rolled back) rather than written in part.
        if len(written) != len(rows):
            done = {w["key"] for w in written}
            raise UnknownParty(next(row["party"] for row in rows if row["key"] not in done))
        return written

    return await graph.write_transaction(work)
