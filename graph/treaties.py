"""Reading treaties, treaty actions, and what the legal basis between two States rests on.

Treaties are `(:Treaty)-[:BETWEEN]->(:Party)` for each of their parties; treaty actions
`(:TreatyAction)-[:OF_PARTY]->(:Party)`, `-[:UNDER_ARTICLE]->(:Article)` and
`-[:UNDER_INSTRUMENT]->(:Instrument)`; the cooperation a case records is
`(:Case)-[:COOPERATION {cooperation, requesting, requested}]->(requested:Party)`.
"""

from __future__ import annotations

import datetime
from typing import Any, LiteralString

from graph.driver import Graph, Record
from graph.knowledge import DOCUMENT, DocumentCursor, Projection

_AFTER: LiteralString = (
    "($afterDate IS NULL OR n.sortDate < $afterDate OR (n.sortDate = $afterDate AND n.key > $afterKey)) "
)


def _after(after: DocumentCursor | None) -> dict[str, Any]:
    return {"afterDate": after.sort_date if after else None, "afterKey": after.key if after else None}


async def _page(
    graph: Graph,
    match: LiteralString,
    node: LiteralString,
    after: DocumentCursor | None,
    limit: int,
    **params: Any,
) -> tuple[list[Record], int]:
    """A page of the nodes `match` finds (as `n`), newest first, and how many it finds."""
    rows = await graph.read(
        "CALL () { " + match + "RETURN count(n) AS total } "
        "CALL () { " + match + "AND " + _AFTER + "WITH n ORDER BY n.sortDate DESC, n.key "
        "LIMIT $limit RETURN collect(" + node + ") AS nodes } "
        "RETURN total, nodes",
        **params,
        **_after(after),
        limit=limit,
    )
    return rows[0]["nodes"], rows[0]["total"]


async def treaties_page(
    graph: Graph,
    *,
    party: str | None,
    cooperation: str | None,
    after: DocumentCursor | None,
    limit: int,
) -> tuple[list[Record], int]:
    """Treaties newest first (by date of signature), of a party and of a kind of
    cooperation when given, and how many match in all."""
    match: LiteralString = (
        "MATCH (n:Treaty) WHERE ($cooperation IS NULL OR $cooperation IN n.cooperation) "
        "AND ($party IS NULL OR $party IN n.parties) "
    )
    return await _page(graph, match, DOCUMENT, after, limit, party=party, cooperation=cooperation)


async def legal_basis_facts(
    graph: Graph, requesting: str, requested: str, cooperation: str, today: datetime.date
) -> Record:
    """In one round trip: the treaties in force between the two for `cooperation`
    (`treaties`), the treaty actions of either under the Convention (`actions`), and the
    requested State's competent authorities for it (`authorities`: an authority's functions
    name the kinds of cooperation alike)."""
    rows = await graph.read(
        "CALL () { MATCH (n:Treaty)-[:BETWEEN]->(:Party {code: $requesting}) "
        "  WHERE $cooperation IN n.cooperation AND $requested IN n.parties "
        "    AND n.inForceOn IS NOT NULL AND n.inForceOn <= $today "
        "  WITH n ORDER BY n.inForceOn DESC, n.key RETURN collect(" + DOCUMENT + ") AS treaties } "
        "CALL () { MATCH (n:TreatyAction {instrument: 'UNTOC'}) WHERE n.party IN [$requesting, $requested] "
        "  WITH n ORDER BY n.party, n.sortDate, n.key RETURN collect(" + DOCUMENT + ") AS actions } "
        "CALL () { MATCH (n:CompetentAuthority {party: $requested}) WHERE $cooperation IN n.functions "
        "  WITH n ORDER BY n.key RETURN collect(" + DOCUMENT + ") AS authorities } "
        "RETURN treaties, actions, authorities",
        requesting=requesting,
        requested=requested,
        cooperation=cooperation,
        today=today,
    )
    return rows[0]


async def precedents_page(
    graph: Graph,
    first_party: str,
    second_party: str,
    cooperation: str,
    after: DocumentCursor | None,
    limit: int,
    projection: Projection,
) -> tuple[list[Record], int]:
    """Cases in which one of the two asked the other for `cooperation`, newest first."""
    match: LiteralString = (
        "MATCH (n:Case) WHERE EXISTS { MATCH (n)-[k:COOPERATION {cooperation: $cooperation}]->(:Party) "
        "  WHERE (k.requesting = $a AND k.requested = $b) OR (k.requesting = $b AND k.requested = $a) } "
    )
    return await _page(
        graph,
        match,
        projection.cypher(),
        after,
        limit,
        a=first_party,
        b=second_party,
        cooperation=cooperation,
    )


async def convention_cooperation_groups(
    graph: Graph,
    *,
    cooperation: str | None,
    article: str | None,
    party: str | None,
    per_group: int,
    projection: Projection,
) -> list[Record]:
    """The case digest of resolution 9/3: cases in which the Convention was the legal basis
    for international cooperation, grouped by the article relied on and the kind of
    cooperation ({article, cooperation, total, cases}: the newest `per_group` of each)."""
    return await graph.read(
        "MATCH (c:Case {usesConventionAsLegalBasis: true})-[:LEGAL_BASIS]->(a:Article) "
        "WHERE $article IS NULL OR a.key = $article "
        "MATCH (c)-[k:COOPERATION]->(:Party) "
        "WHERE ($cooperation IS NULL OR k.cooperation = $cooperation) "
        "  AND ($party IS NULL OR $party IN [k.requesting, k.requested]) "
        "WITH DISTINCT a.key AS article, k.cooperation AS cooperation, c "
        "ORDER BY c.sortDate DESC, c.key "
        "WITH article, cooperation, collect(c) AS cases "
        "CALL (cases) { UNWIND cases[0..$perGroup] AS n RETURN collect("
        + projection.cypher()
        + ") AS shown } "
        "RETURN article, cooperation, size(cases) AS total, shown AS cases "
        "ORDER BY article, cooperation",
        cooperation=cooperation,
        article=article,
        party=party,
        perGroup=per_group,
    )
