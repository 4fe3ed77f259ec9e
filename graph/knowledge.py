"""Reading the knowledge base: legislation, cases, competent authorities, crime types,
treaties and treaty actions.

Lists are pages by keyset: documents newest first (`sortDate` descending, then `key`),
authorities by party then key. Reads take lists of keys, for the GraphQL DataLoaders.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from typing import Any, LiteralString

from graph.driver import Graph, Record
from mechanism.authorities import FUNCTION_INSTRUMENT


@dataclass(frozen=True)
class DocumentFilter:
    """The graph side of the contract's SearchFilter (all given conditions must hold)."""

    parties: list[str] | None = None
    regional_groups: list[str] | None = None
    instruments: list[str] | None = None
    articles: list[str] | None = None
    crime_types: list[str] | None = None
    uses_convention_as_legal_basis: bool | None = None
    date_from: date | None = None
    date_to: date | None = None
    keywords: list[str] | None = None  # "FAMILY:term"
    court_levels: list[str] | None = None
    outcomes: list[str] | None = None

    def params(self) -> dict[str, Any]:
        return {
            "keywords": self.keywords,
            "courtLevels": self.court_levels,
            "outcomes": self.outcomes,
            "parties": self.parties,
            "groups": self.regional_groups,
            "instruments": self.instruments,
            "articles": self.articles,
            "crimeTypes": self.crime_types,
            "legalBasis": self.uses_convention_as_legal_basis,
            "from": self.date_from,
            "to": self.date_to,
        }


# The condition of each filter, by parameter: a query holds only those of the filters
# given (an unused "$x IS NULL OR ..." still costs its evaluation on every node).
_CONDITIONS: dict[str, LiteralString] = {
    "parties": "n.party IN $parties",
    "groups": "EXISTS { (n)-[:OF_PARTY]->(p:Party) WHERE p.regionalGroup IN $groups }",
    "instruments": "EXISTS { (n)-[:IMPLEMENTS|LEGAL_BASIS]->(a:Article) WHERE a.instrument IN $instruments }",
    "articles": "EXISTS { (n)-[:IMPLEMENTS|LEGAL_BASIS]->(a:Article) WHERE a.key IN $articles }",
    "crimeTypes": "EXISTS { (n)-[:CONCERNS]->(c:CrimeType) WHERE c.key IN $crimeTypes }",
    "legalBasis": "coalesce(n.usesConventionAsLegalBasis, false) = $legalBasis",
    "keywords": "any(k IN coalesce(n.keywords, []) WHERE k IN $keywords)",
    "courtLevels": "n.courtLevel IN $courtLevels",
    "outcomes": "n.outcome IN $outcomes",
    "from": "n.sortDate >= $from AND n.sortDate > date('0001-01-01')",
    "to": "n.sortDate <= $to AND n.sortDate > date('0001-01-01')",
}


def _where(filters: DocumentFilter) -> LiteralString:
    """`WHERE` with the conditions of the filters given (always a WHERE: `true` alone)."""
    clause: LiteralString = "WHERE true "
    for name, value in filters.params().items():
        if value is not None:
            clause += "AND " + _CONDITIONS[name] + " "
    return clause


# Keyset on (sortDate DESC, key ASC): the cursor holds both.
_AFTER: LiteralString = (
    "($afterDate IS NULL OR n.sortDate < $afterDate  OR (n.sortDate = $afterDate AND n.key > $afterKey)) "
)

_LABELS: dict[str, LiteralString] = {
    "Legislation": "Legislation",
    "Case": "Case",
    "CompetentAuthority": "CompetentAuthority",
    "Publication": "Publication",
    "Treaty": "Treaty",
    "TreatyAction": "TreatyAction",
    "Strategy": "Strategy",
    "BibliographyEntry": "BibliographyEntry",
}


def _link_keys(node: LiteralString) -> dict[str, LiteralString]:
    """The keys of what a document links to, each read by a subquery from `node`."""
    match: LiteralString = "COLLECT { MATCH (" + node + ")"
    return {
        "_articles": match
        + "-[:IMPLEMENTS|LEGAL_BASIS|FOR_ARTICLE|UNDER_ARTICLE|ABOUT_ARTICLE]->(a:Article) "
        "RETURN a.key ORDER BY a.key }",
        "_crimeTypes": match + "-[:CONCERNS]->(c:CrimeType) RETURN c.key ORDER BY c.key }",
        "_applied": match + "-[:APPLIED]->(l:Legislation) RETURN l.key ORDER BY l.key }",
        "_related": match + "-[:RELATED_TO]-(r:Case) RETURN DISTINCT r.key AS k ORDER BY k }",
        "_extracts": match + "-[i:IMPLEMENTS {hasExtract: true}]->(a:Article) "
        "RETURN i {.*, article: a.key} ORDER BY a.key }",
        # The laws a law amends or repeals, and those that amend or repeal it.
        "_changes": match + "-[c:AMENDS|REPEALS]-(m:Legislation) "
        "RETURN {kind: type(c), outgoing: startNode(c) = " + node + ", law: m.key, on: toString(c.on)} "
        "ORDER BY c.on, m.key }",
        "_people": match
        + "-[r:HAS_PERSON]->(p:CasePerson) RETURN p {.*, role: r.role} ORDER BY r.role, r.position }",
        "_proceedings": match + "-[:HAS_PROCEEDING]->(x:CaseProceeding) "
        "RETURN x {.*, decidedOn: toString(x.decidedOn)} ORDER BY x.position }",
        "_cooperation": match + "-[k:COOPERATION]->(:Party) "
        "RETURN k {.cooperation, .requesting, .requested} "
        "ORDER BY k.cooperation, k.requesting, k.requested }",
    }


LINK_KEYS = frozenset(_link_keys("n"))

# Documents linked to a document that a page can read in its own query, sorted by key as
# their keys are: name -> the pattern from `n` to `m`.
LINKED_DOCUMENTS: dict[str, LiteralString] = {
    "_appliedDocuments": "(n)-[:APPLIED]->(m:Legislation)",
    "_relatedDocuments": "(n)-[:RELATED_TO]-(m:Case)",
}


@dataclass(frozen=True)
class Projection:
    """What a query reads of each document besides its properties: the keys of some of its
    links (of LINK_KEYS), and some linked documents whole (of LINKED_DOCUMENTS), each with
    the link keys asked of them. The API asks only what the request's fields need
    (api/graphql/knowledge/pages.py); a record lacks the links it was not asked for.

    The bookkeeping the API never shows is sent as null: a DateTime with its zone costs the
    driver ~0.1 ms to decode, a third of a page of 100 cases with their applied laws. Dates
    come as ISO strings (`2024-05-01`): the driver's Date objects cost ~3 ms for that page.
    Leaving the long texts out when not asked was measured twice without gain: listing
    the other properties costs Neo4j more than sending the texts, and sending the texts of
    the six languages as null made no difference to a page of 100 cases.
    """

    links: frozenset[str] = LINK_KEYS
    documents: frozenset[tuple[str, frozenset[str]]] = frozenset()

    def cypher(self, node: LiteralString = "n") -> LiteralString:
        return _projection_cypher(self, node)


@functools.lru_cache(maxsize=256)  # pages ask for a few dozen projections at most
def _projection_cypher(projection: Projection, node: LiteralString) -> LiteralString:
    cypher: LiteralString = node + " {.*, updatedAt: null, hash: null, indexPending: null"
    for name in (
        "sortDate",
        "enactedOn",
        "decidedOn",
        "signedOn",
        "inForceOn",
        "madeOn",
        "adoptedOn",
        "yearDate",
    ):
        cypher += ", " + name + ": toString(" + node + "." + name + ")"
    for name, subquery in _link_keys(node).items():
        if name in projection.links:
            cypher += ", " + name + ": " + subquery
    for name, links in sorted(projection.documents):
        linked = Projection(links=links).cypher("m")
        cypher += (
            ", " + name + ": COLLECT { MATCH " + LINKED_DOCUMENTS[name] + " "
            "WITH DISTINCT m ORDER BY m.key RETURN " + linked + " }"
        )
    return cypher + "}"


# A document with the keys of all it links to: a page of laws or cases with their articles,
# crime types and applied laws costs no more queries.
FULL = Projection()
DOCUMENT: LiteralString = FULL.cypher()


@dataclass(frozen=True)
class DocumentCursor:
    sort_date: date
    key: str


def _after_params(after: DocumentCursor | None) -> dict[str, Any]:
    return {
        "afterDate": after.sort_date if after else None,
        "afterKey": after.key if after else None,
    }


async def documents_page(
    graph: Graph,
    label: str,
    filters: DocumentFilter,
    after: DocumentCursor | None,
    limit: int,
    projection: Projection = FULL,
) -> tuple[list[Record], int]:
    """A page of legislation or cases matching `filters`, and how many match in all."""
    node: LiteralString = "MATCH (n:" + _LABELS[label] + ") " + _where(filters)
    rows = await graph.read(
        "CALL () { " + node + "RETURN count(n) AS total } "
        "CALL () { " + node + "AND " + _AFTER + "WITH n ORDER BY n.sortDate DESC, n.key "
        "LIMIT $limit RETURN collect(" + projection.cypher() + ") AS nodes } "
        "RETURN total, nodes",
        **filters.params(),
        **_after_params(after),
        limit=limit,
    )
    return rows[0]["nodes"], rows[0]["total"]


# Documents reached from an owner node: (label of the owner, its key property, the pattern).
NESTED: dict[str, LiteralString] = {
    "party.legislation": "(n:Legislation)-[:OF_PARTY]->(:Party {code: owner})",
    "party.cases": "(n:Case)-[:OF_PARTY]->(:Party {code: owner})",
    "party.strategies": "(n:Strategy)-[:OF_PARTY]->(:Party {code: owner})",
    "article.legislation": "(n:Legislation)-[:IMPLEMENTS]->(:Article {key: owner})",
    "article.cases": "(n:Case)-[:LEGAL_BASIS]->(:Article {key: owner})",
    "legislation.cases": "(n:Case)-[:APPLIED]->(:Legislation {key: owner})",
    # A party's treaties, of every kind of cooperation or of one.
    "party.treaties": "(n:Treaty)-[:BETWEEN]->(:Party {code: owner})",
    "party.treaties.EXTRADITION": (
        "(n:Treaty WHERE 'EXTRADITION' IN n.cooperation)-[:BETWEEN]->(:Party {code: owner})"
    ),
    "party.treaties.MUTUAL_LEGAL_ASSISTANCE": (
        "(n:Treaty WHERE 'MUTUAL_LEGAL_ASSISTANCE' IN n.cooperation)-[:BETWEEN]->(:Party {code: owner})"
    ),
    "party.treaties.TRANSFER_OF_SENTENCED_PERSONS": (
        "(n:Treaty WHERE 'TRANSFER_OF_SENTENCED_PERSONS' IN n.cooperation)-[:BETWEEN]->(:Party {code: owner})"
    ),
    "party.treaties.TRANSFER_OF_PROCEEDINGS": (
        "(n:Treaty WHERE 'TRANSFER_OF_PROCEEDINGS' IN n.cooperation)-[:BETWEEN]->(:Party {code: owner})"
    ),
    "party.treaties.LAW_ENFORCEMENT_COOPERATION": (
        "(n:Treaty WHERE 'LAW_ENFORCEMENT_COOPERATION' IN n.cooperation)-[:BETWEEN]->(:Party {code: owner})"
    ),
}


async def nested_pages(
    graph: Graph,
    relation: str,
    owners: list[str],
    after: DocumentCursor | None,
    limit: int,
    projection: Projection = FULL,
) -> dict[str, tuple[list[Record], int]]:
    """One page of documents for each owner (a party's laws, an article's cases ...), in
    one query whatever the number of owners."""
    pattern = NESTED[relation]
    rows = await graph.read(
        "UNWIND $owners AS owner "
        "CALL (owner) { MATCH " + pattern + " RETURN count(n) AS total } "
        "CALL (owner) { MATCH " + pattern + " WHERE " + _AFTER + "WITH n ORDER BY n.sortDate DESC, n.key "
        "LIMIT $limit RETURN collect(" + projection.cypher() + ") AS nodes } "
        "RETURN owner, total, nodes",
        owners=owners,
        **_after_params(after),
        limit=limit,
    )
    return {row["owner"]: (row["nodes"], row["total"]) for row in rows}


async def authorities_page(
    graph: Graph,
    *,
    party: str | None,
    function: str | None,
    instrument: str | None,
    after: tuple[str, str] | None,
    limit: int,
) -> tuple[list[Record], int]:
    match: LiteralString = (
        "MATCH (n:CompetentAuthority) WHERE ($party IS NULL OR n.party = $party) "
        "AND ($function IS NULL OR $function IN n.functions) "
        "AND ($functions IS NULL OR any(f IN n.functions WHERE f IN $functions)) "
    )
    functions = (
        [f.value for f, code in FUNCTION_INSTRUMENT.items() if code.value == instrument]
        if instrument
        else None
    )
    rows = await graph.read(
        "CALL () { " + match + "RETURN count(n) AS total } "
        "CALL () { " + match + "AND ($afterParty IS NULL OR n.party > $afterParty "
        "  OR (n.party = $afterParty AND n.key > $afterKey)) "
        "WITH n ORDER BY n.party, n.key LIMIT $limit RETURN collect(" + DOCUMENT + ") AS nodes } "
        "RETURN total, nodes",
        party=party,
        function=function,
        functions=functions,
        afterParty=after[0] if after else None,
        afterKey=after[1] if after else None,
        limit=limit,
    )
    return rows[0]["nodes"], rows[0]["total"]


async def documents_by_keys(graph: Graph, label: str, keys: list[str]) -> list[Record]:
    """The documents of these keys (in no particular order; missing ones are left out).
    They come as one list in one record: each record of a result costs the driver ~50 µs,
    a third of the time for 136 laws."""
    rows = await graph.read(
        "MATCH (n:" + _LABELS[label] + ") WHERE n.key IN $keys RETURN collect(" + DOCUMENT + ") AS nodes",
        keys=keys,
    )
    nodes: list[Record] = rows[0]["nodes"]
    return nodes


# Lists linked to a node that are not read with it: relation name -> the pattern from
# `n` to `m` (a document's own links come with it, see DOCUMENT).
LINKS: dict[str, LiteralString] = {
    "party.authorities": "(m:CompetentAuthority)-[:OF_PARTY]->(n:Party)",
    "party.treatyActions": "(m:TreatyAction)-[:OF_PARTY]->(n:Party)",
    "legislation.versions": "(n:Legislation)-[:HAS_VERSION]->(m:LegislationVersion)",
}


async def linked(graph: Graph, relation: str, keys: list[str]) -> dict[str, list[Record]]:
    """For each owner key, the properties of the nodes linked to it, sorted by key."""
    key_property: LiteralString = "code" if relation.startswith("party.") else "key"
    rows = await graph.read(
        "MATCH " + LINKS[relation] + " WHERE n." + key_property + " IN $keys "
        "WITH n, m ORDER BY coalesce(m.key, m.code) "
        "RETURN n." + key_property + " AS owner, collect(DISTINCT properties(m)) AS linked",
        keys=keys,
    )
    return {row["owner"]: row["linked"] for row in rows}


async def authority_contacts(graph: Graph, keys: list[str]) -> dict[str, Record]:
    """Contact blocks: read only for viewers the access policy lets see them."""
    rows = await graph.read(
        "MATCH (n:CompetentAuthority)-[:HAS_CONTACT]->(c:AuthorityContact) WHERE n.key IN $keys "
        "RETURN n.key AS key, properties(c) AS contact",
        keys=keys,
    )
    return {row["key"]: row["contact"] for row in rows}
