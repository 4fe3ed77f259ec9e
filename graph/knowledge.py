"""Reading the knowledge base: legislation, cases, competent authorities, crime types.

Lists are pages by keyset: documents newest first (`sortDate` descending, then `key`),
authorities by party then key. Reads take lists of keys, for the GraphQL DataLoaders.
"""

from __future__ import annotations

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

    def params(self) -> dict[str, Any]:
        return {
            "parties": self.parties,
            "groups": self.regional_groups,
            "instruments": self.instruments,
            "articles": self.articles,
            "crimeTypes": self.crime_types,
            "legalBasis": self.uses_convention_as_legal_basis,
            "from": self.date_from,
            "to": self.date_to,
        }


_FILTER: LiteralString = (
    "($parties IS NULL OR n.party IN $parties) "
    "AND ($groups IS NULL OR EXISTS { (n)-[:OF_PARTY]->(p:Party) "
    "     WHERE p.regionalGroup IN $groups }) "
    "AND ($instruments IS NULL OR EXISTS { (n)-[:IMPLEMENTS|LEGAL_BASIS]->(a:Article) "
    "     WHERE a.instrument IN $instruments }) "
    "AND ($articles IS NULL OR EXISTS { (n)-[:IMPLEMENTS|LEGAL_BASIS]->(a:Article) "
    "     WHERE a.key IN $articles }) "
    "AND ($crimeTypes IS NULL OR EXISTS { (n)-[:CONCERNS]->(c:CrimeType) "
    "     WHERE c.key IN $crimeTypes }) "
    "AND ($legalBasis IS NULL OR coalesce(n.usesConventionAsLegalBasis, false) = $legalBasis) "
    "AND ($from IS NULL OR (n.sortDate >= $from AND n.sortDate > date('0001-01-01'))) "
    "AND ($to IS NULL OR (n.sortDate <= $to AND n.sortDate > date('0001-01-01'))) "
)

# Keyset on (sortDate DESC, key ASC): the cursor holds both.
_AFTER: LiteralString = (
    "($afterDate IS NULL OR n.sortDate < $afterDate  OR (n.sortDate = $afterDate AND n.key > $afterKey)) "
)

_LABELS: dict[str, LiteralString] = {
    "Legislation": "Legislation",
    "Case": "Case",
    "CompetentAuthority": "CompetentAuthority",
    "Publication": "Publication",
}


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
) -> tuple[list[Record], int]:
    """A page of legislation or cases matching `filters`, and how many match in all."""
    node: LiteralString = "MATCH (n:" + _LABELS[label] + ") WHERE " + _FILTER
    rows = await graph.read(
        "CALL () { " + node + "RETURN count(n) AS total } "
        "CALL () { " + node + "AND " + _AFTER + "WITH n ORDER BY n.sortDate DESC, n.key "
        "LIMIT $limit RETURN collect(properties(n)) AS nodes } "
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
    "article.legislation": "(n:Legislation)-[:IMPLEMENTS]->(:Article {key: owner})",
    "article.cases": "(n:Case)-[:LEGAL_BASIS]->(:Article {key: owner})",
    "legislation.cases": "(n:Case)-[:APPLIED]->(:Legislation {key: owner})",
}


async def nested_pages(
    graph: Graph, relation: str, owners: list[str], after: DocumentCursor | None, limit: int
) -> dict[str, tuple[list[Record], int]]:
    """One page of documents for each owner (a party's laws, an article's cases ...), in
    one query whatever the number of owners."""
    pattern = NESTED[relation]
    rows = await graph.read(
        "UNWIND $owners AS owner "
        "CALL (owner) { MATCH " + pattern + " RETURN count(n) AS total } "
        "CALL (owner) { MATCH " + pattern + " WHERE " + _AFTER + "WITH n ORDER BY n.sortDate DESC, n.key "
        "LIMIT $limit RETURN collect(properties(n)) AS nodes } "
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
        "WITH n ORDER BY n.party, n.key LIMIT $limit RETURN collect(properties(n)) AS nodes } "
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
    return await graph.read(
        "MATCH (n:" + _LABELS[label] + ") WHERE n.key IN $keys RETURN properties(n) AS node",
        keys=keys,
    )


# Lists linked to a document: relation name -> the pattern from `n` to `m`.
LINKS: dict[str, LiteralString] = {
    "legislation.articles": "(n:Legislation)-[:IMPLEMENTS]->(m:Article)",
    "legislation.crimeTypes": "(n:Legislation)-[:CONCERNS]->(m:CrimeType)",
    "case.articles": "(n:Case)-[:LEGAL_BASIS]->(m:Article)",
    "case.crimeTypes": "(n:Case)-[:CONCERNS]->(m:CrimeType)",
    "case.legislation": "(n:Case)-[:APPLIED]->(m:Legislation)",
    "case.related": "(n:Case)-[:RELATED_TO]-(m:Case)",
    "party.authorities": "(m:CompetentAuthority)-[:OF_PARTY]->(n:Party)",
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


async def crime_types(graph: Graph, keys: list[str] | None = None) -> list[Record]:
    return await graph.read(
        "MATCH (c:CrimeType) WHERE $keys IS NULL OR c.key IN $keys "
        "RETURN properties(c) AS node ORDER BY c.key",
        keys=keys,
    )


async def authority_contacts(graph: Graph, keys: list[str]) -> dict[str, Record]:
    """Contact blocks: read only for viewers the access policy lets see them."""
    rows = await graph.read(
        "MATCH (n:CompetentAuthority)-[:HAS_CONTACT]->(c:AuthorityContact) WHERE n.key IN $keys "
        "RETURN n.key AS key, properties(c) AS contact",
        keys=keys,
    )
    return {row["key"]: row["contact"] for row in rows}
