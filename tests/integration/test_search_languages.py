"""Search in each working language on the demo corpus, through GraphQL over HTTP: words
find their inflected forms, Arabic ignores diacritics and alef forms, Chinese ranks a
word above its characters apart."""

from __future__ import annotations

from typing import Any

import pytest

from api.config import Settings
from api.graphql.knowledge.search_hits import BUILDERS
from ops.bootstrap import ingest_files
from ops.cli import DEMO_FILES
from tests.integration.conftest import GraphQLClient
from tests.integration.databases import refresh_search

SEARCH = (
    "query($q: String!, $lang: LanguageCode, $kinds: [DocumentKind!], $f: SearchFilter) {"
    " search(query: $q, lang: $lang, kinds: $kinds, filter: $f, first: 50) { totalCount"
    " edges { node { kind lang score highlights document { id"
    " ... on Legislation { key } ... on Case { key } ... on CompetentAuthority { key }"
    " ... on ReviewPublication { key } ... on Strategy { key } ... on BibliographyEntry { key } } } }"
    " facets { field buckets { key count } } } }"
)


@pytest.fixture(scope="module")
async def demo(settings: Settings, running_services: None) -> None:
    summary = await ingest_files(settings, DEMO_FILES, report=lambda _: None, progress=False)
    assert summary.rejected == 0
    await refresh_search(settings)


async def search(gql: GraphQLClient, query: str, **variables: Any) -> dict[str, Any]:
    data = await gql.data(SEARCH, {"q": query, **variables})
    result: dict[str, Any] = data["search"]
    return result


def found(result: dict[str, Any]) -> list[str]:
    return [edge["node"]["document"]["key"] for edge in result["edges"]]


async def test_russian_finds_inflected_forms(gql: GraphQLClient, demo: None) -> None:
    result = await search(gql, "торговля людьми", lang="ru")
    assert {"DEMO-RUS-L01", "DEMO-RUS-C01"} <= set(found(result))
    assert all(edge["node"]["lang"] == "ru" for edge in result["edges"])
    highlighted = " ".join(h for e in result["edges"] for h in e["node"]["highlights"])
    assert "<em>торговли</em>" in highlighted or "<em>торговли людьми</em>" in highlighted


async def test_french_finds_the_plural(gql: GraphQLClient, demo: None) -> None:
    singular = found(await search(gql, "blanchiment", lang="fr"))
    plural = found(await search(gql, "blanchiments", lang="fr"))
    assert "DEMO-FRA-C02" in singular
    assert "DEMO-MAR-L01" in plural
    assert set(singular) == set(plural)


async def test_arabic_ignores_diacritics_and_alef_forms(gql: GraphQLClient, demo: None) -> None:
    plain = set(found(await search(gql, "الاتجار بالأشخاص", lang="ar")))
    with_tashkeel = set(found(await search(gql, "الِاتِّجَار بِالْأَشْخَاص", lang="ar")))
    assert "DEMO-EGY-L01" in plain
    assert plain == with_tashkeel
    hamza_below = set(found(await search(gql, "إتجار", lang="ar")))
    bare_alef = set(found(await search(gql, "اتجار", lang="ar")))
    assert {"DEMO-TUN-L01", "DEMO-DZA-L01"} <= hamza_below
    assert hamza_below == bare_alef


async def test_chinese_ranks_the_word_above_its_characters_apart(gql: GraphQLClient, demo: None) -> None:
    result = await search(gql, "洗钱", lang="zh")
    keys = found(result)
    assert {"DEMO-CHN-L01", "DEMO-CHN-C04"} <= set(keys)
    if "DEMO-CHN-C07" in keys:
        assert keys.index("DEMO-CHN-C07") > max(keys.index("DEMO-CHN-L01"), keys.index("DEMO-CHN-C04"))


@pytest.mark.parametrize(
    ("lang", "query"),
    [
        ("en", "trafficked persons"),
        ("es", "trata de personas"),
        ("fr", "traite des êtres humains"),
        ("ru", "легализация доходов"),
        ("ar", "غسل الأموال"),
        ("zh", "引渡"),
    ],
)
async def test_each_working_language_finds_its_documents(
    gql: GraphQLClient, demo: None, lang: str, query: str
) -> None:
    result = await search(gql, query, lang=lang)
    assert result["totalCount"] > 0, (lang, query)
    assert all(edge["node"]["lang"] == lang for edge in result["edges"])
    assert all(edge["node"]["highlights"] for edge in result["edges"])


async def test_searching_across_languages_and_in_other_languages(gql: GraphQLClient, demo: None) -> None:
    everywhere = await search(gql, "Menschenhandel")
    assert everywhere["totalCount"] > 0  # German: indexed under "other"
    assert {e["node"]["lang"] for e in everywhere["edges"]} == {"de"}
    only_french = await search(gql, "Menschenhandel", lang="fr")
    assert only_french["totalCount"] == 0


async def test_filters_kinds_and_facets_agree(gql: GraphQLClient, demo: None) -> None:
    cases = await search(gql, "", kinds=["CASE"], f={"usesConventionAsLegalBasis": True})
    assert cases["totalCount"] >= 20
    assert {e["node"]["kind"] for e in cases["edges"]} == {"CASE"}
    facets = {f["field"]: {b["key"]: b["count"] for b in f["buckets"]} for f in cases["facets"]}
    assert facets["kind"] == {"CASE": cases["totalCount"]}
    assert facets["usesConventionAsLegalBasis"] == {"true": cases["totalCount"]}
    assert sum(facets["regionalGroup"].values()) == cases["totalCount"]
    untoc18 = await search(
        gql, "", kinds=["CASE"], f={"articles": ["UNTOC:18"], "usesConventionAsLegalBasis": True}
    )
    assert 0 < untoc18["totalCount"] == facets["article"]["UNTOC:18"]


@pytest.mark.speedup("reference_cache")
async def test_hits_resolve_to_graph_objects_in_bounded_round_trips(gql: GraphQLClient, demo: None) -> None:
    body = await gql.raw(
        '{ search(query: "", first: 100) { edges { node { document {'
        " ... on Legislation { key party { code } implementsArticles { key } }"
        " ... on Case { key party { code } appliedLegislation { key } }"
        " ... on CompetentAuthority { key party { code } } } } } } }"
    )
    assert "errors" not in body
    assert len(body["data"]["search"]["edges"]) == 100
    assert body["extensions"]["roundTrips"]["elasticsearch"] <= 2  # the query, and a point in time for page 2
    assert body["extensions"]["roundTrips"]["neo4j"] <= len(BUILDERS)  # one query per kind of document


LIST_FIELDS = (
    "id __typename key sample originalLanguage party { code name { text } }"
    " en: title { text lang } fr: title(lang: fr) { text lang } de: title(lang: de) { text lang }"
)
AUTHORITY_FIELDS = (
    "id __typename key sample party { code } en: name { text lang } es: name(lang: es) { text lang }"
)


def _hits(kinds: str, extra: str) -> str:
    return (
        f'{{ search(query: "", kinds: {kinds}, first: 100) {{'
        " edges { node { kind document {"
        f" ... on Legislation {{ {LIST_FIELDS} {extra} }}"
        f" ... on Case {{ {LIST_FIELDS} }}"
        f" ... on CompetentAuthority {{ {AUTHORITY_FIELDS} {extra and 'functions'} }} }} }} }} }} }}"
    )


@pytest.mark.speedup("search_hits_from_index", "reference_cache")
@pytest.mark.parametrize("kinds", ["[LEGISLATION, CASE]", "[COMPETENT_AUTHORITY]"])
async def test_hits_built_from_the_index_equal_those_read_from_the_graph(
    gql: GraphQLClient, demo: None, kinds: str
) -> None:
    """A list of results asks only what the index holds: no graph read, the same objects."""
    from_index = await gql.raw(_hits(kinds, ""))
    from_graph = await gql.raw(_hits(kinds, "inForce"))  # a field only the graph holds
    assert "errors" not in from_index and "errors" not in from_graph, (from_index, from_graph)
    assert from_index["extensions"]["roundTrips"]["neo4j"] == 0
    assert from_graph["extensions"]["roundTrips"]["neo4j"] >= 1
    for edge in from_graph["data"]["search"]["edges"]:
        edge["node"]["document"].pop("inForce", None)
        edge["node"]["document"].pop("functions", None)
    assert from_index["data"] == from_graph["data"]
    edges = from_index["data"]["search"]["edges"]
    assert len(edges) >= 10
    if "LEGISLATION" in kinds:
        assert {edge["node"]["kind"] for edge in edges} == {"LEGISLATION", "CASE"}
        # A title in a language searched under "other" keeps its language.
        assert any(edge["node"]["document"]["de"]["lang"] == "de" for edge in edges)


async def test_a_directive_or_a_graph_field_anywhere_reads_the_graph(gql: GraphQLClient, demo: None) -> None:
    for query in (
        '{ search(query: "", first: 5) { edges { node { document { id @include(if: true) } } } } }',
        '{ search(query: "", first: 5) { edges { node { document { ... on Case { court } } } } } }',
        '{ search(query: "", first: 5) { edges { node { document { ...Full } } } } }'
        " fragment Full on Legislation { text { text } }",
    ):
        body = await gql.raw(query)
        assert "errors" not in body, body
        assert body["extensions"]["roundTrips"]["neo4j"] >= 1, query
