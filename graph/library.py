"""Reading the strategies and the bibliography.

Strategies are `(:Strategy)-[:OF_PARTY]->(:Party)` and `-[:CONCERNS]->(:CrimeType)`, with
their period as `fromYear` and `toYear` (null: open-ended). Publications are
`(:BibliographyEntry)` (the label `Publication` is a review's), `-[:ABOUT_ARTICLE]->(:Article)`
and `-[:CONCERNS]->(:CrimeType)`, with the States they are about as `parties` (possibly
none; filed under the first by `OF_PARTY`). Both lists are newest first (`sortDate`: the
first of January of the period's first year or of the year of publication), then by key,
and page by keyset.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, LiteralString

from graph.driver import Graph, Record
from graph.knowledge import DocumentCursor, Projection

# What the types of both read of their links: articles and crime types.
LINKS = Projection(links=frozenset({"_articles", "_crimeTypes"}))
_ENTRY: LiteralString = LINKS.cypher()

_AFTER: LiteralString = (
    "($afterDate IS NULL OR n.sortDate < $afterDate OR (n.sortDate = $afterDate AND n.key > $afterKey)) "
)


@dataclass(frozen=True)
class StrategyFilter:
    """All the given conditions must hold (each a Cypher parameter of its name); `year`: a
    year the period covers."""

    parties: list[str] | None = None
    crime_types: list[str] | None = None
    document_types: list[str] | None = None
    year: int | None = None


_STRATEGY_CONDITIONS: dict[str, LiteralString] = {
    "parties": "n.party IN $parties",
    "crime_types": "EXISTS { (n)-[:CONCERNS]->(c:CrimeType) WHERE c.key IN $crime_types }",
    "document_types": "n.documentType IN $document_types",
    "year": "n.fromYear <= $year AND coalesce(n.toYear, $year) >= $year",
}


@dataclass(frozen=True)
class BibliographyFilter:
    """All the given conditions must hold. `author` and `publisher` are folded
    (mechanism.library.folded) and match part of a name; `languages` match a publication's
    languages or their primary subtag, in lower case (`zh` matches `zh-Hant`)."""

    author: str | None = None
    publisher: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    languages: list[str] | None = None
    crime_types: list[str] | None = None
    articles: list[str] | None = None
    parties: list[str] | None = None


_BIBLIOGRAPHY_CONDITIONS: dict[str, LiteralString] = {
    "author": "any(a IN n.authorKeys WHERE a CONTAINS $author)",
    "publisher": "n.publisherKey CONTAINS $publisher",
    "year_from": "n.year >= $year_from",
    "year_to": "n.year <= $year_to",
    "languages": "any(l IN n.publicationLanguages WHERE toLower(l) IN $languages "
    "OR toLower(split(l, '-')[0]) IN $languages)",
    "crime_types": "EXISTS { (n)-[:CONCERNS]->(c:CrimeType) WHERE c.key IN $crime_types }",
    "articles": "EXISTS { (n)-[:ABOUT_ARTICLE]->(a:Article) WHERE a.key IN $articles }",
    "parties": "any(p IN n.parties WHERE p IN $parties)",
}


def _where(conditions: dict[str, LiteralString], params: dict[str, Any]) -> LiteralString:
    """`WHERE` with the conditions of the filters given only (an unused `$x IS NULL OR ...`
    still costs its evaluation on every node)."""
    clause: LiteralString = "WHERE true "
    for name, condition in conditions.items():
        if params[name] is not None:
            clause += "AND " + condition + " "
    return clause


async def _page(
    graph: Graph,
    label: LiteralString,
    where: LiteralString,
    params: dict[str, Any],
    after: DocumentCursor | None,
    limit: int,
) -> tuple[list[Record], int]:
    match: LiteralString = "MATCH (n:" + label + ") " + where
    rows = await graph.read(
        "CALL () { " + match + "RETURN count(n) AS total } "
        "CALL () { " + match + "AND " + _AFTER + "WITH n ORDER BY n.sortDate DESC, n.key "
        "LIMIT $limit RETURN collect(" + _ENTRY + ") AS nodes } "
        "RETURN total, nodes",
        **params,
        afterDate=after.sort_date if after else None,
        afterKey=after.key if after else None,
        limit=limit,
    )
    return rows[0]["nodes"], rows[0]["total"]


async def strategies_page(
    graph: Graph, filters: StrategyFilter, after: DocumentCursor | None, limit: int
) -> tuple[list[Record], int]:
    """A page of strategies matching `filters`, newest first, and how many match in all."""
    params = asdict(filters)
    return await _page(graph, "Strategy", _where(_STRATEGY_CONDITIONS, params), params, after, limit)


async def bibliography_page(
    graph: Graph, filters: BibliographyFilter, after: DocumentCursor | None, limit: int
) -> tuple[list[Record], int]:
    """A page of publications matching `filters`, newest first, and how many match in all."""
    params = asdict(filters)
    where = _where(_BIBLIOGRAPHY_CONDITIONS, params)
    return await _page(graph, "BibliographyEntry", where, params, after, limit)
