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
    TREATY = "TREATY"
    TREATY_ACTION = "TREATY_ACTION"
    STRATEGY = "STRATEGY"
    # The bibliography's publications (label BibliographyEntry: Publication is a review's).
    BIBLIOGRAPHY = "BIBLIOGRAPHY"


@dataclass(frozen=True)
class _Statements:
    label: LiteralString
    links: LiteralString


_STATEMENTS: dict[DocumentKind, _Statements] = {
    DocumentKind.LEGISLATION: _Statements(
        "Legislation",
        "CALL (n, row) { UNWIND row.articles AS k MATCH (a:Article {key: k}) "
        "  MERGE (n)-[i:IMPLEMENTS]->(a) "
        "  SET i += coalesce(row.extracts[k], {}), i.hasExtract = row.extracts[k] IS NOT NULL } "
        "CALL (n, row) { UNWIND row.amends AS c MATCH (m:Legislation {key: c.law}) "
        "  CREATE (n)-[:AMENDS {on: c.on}]->(m) } "
        "CALL (n, row) { UNWIND row.repeals AS c MATCH (m:Legislation {key: c.law}) "
        "  CREATE (n)-[:REPEALS {on: c.on}]->(m) } "
        "CALL (n, row) { UNWIND row.versions AS v "
        "  CREATE (n)-[:HAS_VERSION]->(x:LegislationVersion) SET x = v } "
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
        "  MERGE (n)-[:RELATED_TO]->(c) } "
        "CALL (n, row) { UNWIND row.cooperation AS k MATCH (q:Party {code: k.requested}) "
        "  CREATE (n)-[:COOPERATION {cooperation: k.cooperation, requesting: k.requesting, "
        "    requested: k.requested}]->(q) } "
        "CALL (n, row) { UNWIND row.people AS p "
        "  CREATE (n)-[:HAS_PERSON {role: p.role, position: p.position}]->(x:CasePerson) "
        "  SET x = p, x.role = null, x.position = null } "
        "CALL (n, row) { UNWIND row.proceedings AS p "
        "  CREATE (n)-[:HAS_PROCEEDING]->(x:CaseProceeding) SET x = p } ",
    ),
    DocumentKind.TREATY: _Statements(
        "Treaty",
        "CALL (n, row) { UNWIND row.parties AS k MATCH (q:Party {code: k}) MERGE (n)-[:BETWEEN]->(q) } ",
    ),
    DocumentKind.TREATY_ACTION: _Statements(
        "TreatyAction",
        "CALL (n, row) { UNWIND row.articles AS k MATCH (a:Article {key: k}) "
        "  MERGE (n)-[:UNDER_ARTICLE]->(a) } "
        "CALL (n, row) { MATCH (i:Instrument {code: row.instrument}) MERGE (n)-[:UNDER_INSTRUMENT]->(i) } ",
    ),
    DocumentKind.COMPETENT_AUTHORITY: _Statements(
        "CompetentAuthority",
        "CALL (n, row) { UNWIND row.articles AS k MATCH (a:Article {key: k}) "
        "  MERGE (n)-[:FOR_ARTICLE]->(a) } "
        "CALL (n, row) { WITH n, row WHERE row.contact IS NOT NULL "
        "  CREATE (n)-[:HAS_CONTACT]->(c:AuthorityContact) SET c = row.contact } ",
    ),
    DocumentKind.STRATEGY: _Statements(
        "Strategy",
        "CALL (n, row) { UNWIND row.crimeTypes AS k MATCH (c:CrimeType {key: k}) "
        "  MERGE (n)-[:CONCERNS]->(c) } ",
    ),
    DocumentKind.BIBLIOGRAPHY: _Statements(
        "BibliographyEntry",
        "CALL (n, row) { UNWIND row.articles AS k MATCH (a:Article {key: k}) "
        "  MERGE (n)-[:ABOUT_ARTICLE]->(a) } "
        "CALL (n, row) { UNWIND row.crimeTypes AS k MATCH (c:CrimeType {key: k}) "
        "  MERGE (n)-[:CONCERNS]->(c) } ",
    ),
}

# A document's version is also its version in the search index (external versioning), so
# it must grow even across a delete and re-creation: the time in ms, or one more.
NEXT_VERSION: LiteralString = (
    "CASE WHEN timestamp() > coalesce(n.version, 0) THEN timestamp() ELSE n.version + 1 END "
)

# The links a write replaces: an updated record drops those of its previous version.
_OWNED: LiteralString = (
    "OF_PARTY|IMPLEMENTS|CONCERNS|LEGAL_BASIS|APPLIED|RELATED_TO|FOR_ARTICLE|COOPERATION|BETWEEN|"
    "UNDER_ARTICLE|UNDER_INSTRUMENT|AMENDS|REPEALS|ABOUT_ARTICLE"
)


# The nodes a record is written with (an authority's contact block, a law's versions, a
# case's people and proceedings): a write replaces them.
_PARTS: LiteralString = "HAS_CONTACT|HAS_VERSION|HAS_PERSON|HAS_PROCEEDING"

# What a write returns for the search documents of the nodes it wrote (their links are the
# row's: the articles and crime types were validated against the reference data), as one
# list in one record: a record per node cost the driver ~100 µs of socket reads, a quarter
# of the ingest's time.
_WRITTEN: LiteralString = (
    "RETURN collect({key: n.key, version: n.version, regionalGroup: p.regionalGroup}) AS written"
)


def label_of(kind: DocumentKind) -> LiteralString:
    return "Publication" if kind is DocumentKind.REVIEW_DOCUMENT else _STATEMENTS[kind].label


async def amended_beyond(graph: Graph, laws: list[str]) -> dict[str, set[str]]:
    """The links (law -> the laws it amends or repeals) reachable from `laws`."""
    if not laws:
        return {}
    rows = await graph.read(
        "MATCH (t:Legislation) WHERE t.key IN $laws "
        "MATCH (t)-[:AMENDS|REPEALS*0..100]->(x:Legislation)-[:AMENDS|REPEALS]->(y:Legislation) "
        "RETURN x.key AS law, collect(DISTINCT y.key) AS targets",
        laws=laws,
    )
    return {row["law"]: set(row["targets"]) for row in rows}


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
            "CALL (n) { MATCH (n)-[:" + _PARTS + "]->(c) DETACH DELETE c } "
            "WITH n, row "
            # A publication of the bibliography may be filed under no party (row.party null).
            "OPTIONAL MATCH (p:Party {code: row.party}) "
            "WITH n, row, p WHERE p IS NOT NULL OR row.party IS NULL "
            "FOREACH (q IN CASE WHEN p IS NULL THEN [] ELSE [p] END | MERGE (n)-[:OF_PARTY]->(q)) "
            "WITH n, row, p " + statements.links + _WRITTEN,
            rows=rows,
            kind=kind.value,
        )
        record = await result.single(strict=True)
        written: list[Record] = record["written"]
        # A row whose party is missing is dropped where its party is matched: the whole batch
        # is refused (rolled back) rather than written in part.
        if len(written) != len(rows):
            done = {w["key"] for w in written}
            raise UnknownParty(next(row["party"] for row in rows if row["key"] not in done))
        return written

    return await graph.write_transaction(work)
