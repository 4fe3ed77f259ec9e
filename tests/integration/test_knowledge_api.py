"""Legislation, cases and competent authorities through GraphQL: lists, filters, nested
connections, round trips, and contact blocks that anonymous viewers never see."""

from __future__ import annotations

import json
from typing import Any

import graphql
import pytest
from graphql import GraphQLObjectType, get_named_type

from api.config import Settings
from api.graphql.schema import build_schema
from ops.bootstrap import ingest_files
from tests.integration.conftest import GraphQLClient

LAWS = [
    {
        "kind": "legislation",
        "id": f"T-KB-L{i}",
        "party": party,
        "title": {"en": f"Knowledge base test law {i}"},
        "original_language": "en",
        "enacted_on": f"20{10 + i}-03-01",
        "implements_articles": articles,
        "crime_types": crimes,
    }
    for i, (party, articles, crimes) in enumerate(
        [
            ("MDG", ["UNTOC:6"], ["money-laundering"]),
            ("MDG", ["TIP:5"], ["trafficking-in-persons"]),
            ("HND", ["SOM:6"], ["smuggling-of-migrants"]),
            ("HND", ["FIREARMS:8"], ["trafficking-in-firearms"]),
        ]
    )
]
CASES = [
    {
        "kind": "case",
        "id": f"T-KB-C{i}",
        "party": law["party"],
        "court": "Test court",
        "decided_on": f"20{15 + i}-05-01",
        "title": {"en": f"Knowledge base test case {i}"},
        "summary": {"en": "A summary."},
        "original_language": "en",
        "uses_convention_as_legal_basis": i % 2 == 0,
        "legal_basis_articles": ["UNTOC:18"] if i % 2 == 0 else [],
        "applied_legislation": [law["id"], *(["T-KB-L0"] if i == 3 else [])],
        "related_cases": ["T-KB-C0"] if i == 1 else [],
        "crime_types": law["crime_types"],
    }
    for i, law in enumerate(LAWS)
]
AUTHORITY = {
    "kind": "authority",
    "id": "T-KB-A1",
    "party": "MDG",
    "name": {
        "fr": "Direction des affaires pénales (test)",
        "en": "Criminal Affairs Directorate (test)",
    },
    "functions": ["MUTUAL_LEGAL_ASSISTANCE", "FIREARMS"],
    "accepted_languages": ["fr", "ar"],
    "contact": {
        "address": "1 rue zzsecretstreet, Antananarivo",
        "phone": "+212 5 00 00 00 00",
        "email": "zzsecretcontact@justice.example.org",
        "office_hours": "8:30-16:30",
        "procedures": "Requests in French or Arabic; zzsecretprocedure",
    },
}


@pytest.fixture(scope="module")
async def corpus(
    settings: Settings, running_services: None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("kb") / "kb.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in [*LAWS, *CASES, AUTHORITY]) + "\n", encoding="utf-8")
    summary = await ingest_files(settings, [path], report=lambda _: None, progress=False)
    assert summary.rejected == 0


def keys(connection: dict[str, Any]) -> list[str]:
    return [edge["node"]["key"] for edge in connection["edges"]]


async def test_filters_on_lists(gql: GraphQLClient, corpus: None) -> None:
    data = await gql.data(
        '{ mar: legislation(filter: {parties: ["MDG"]}) { totalCount edges { node { key } } }'
        ' tip: legislation(filter: {instruments: [TIP], parties: ["MDG", "HND"]}) { edges { node { key } } }'
        ' art: legislation(filter: {articles: ["SOM:6"]}) { edges { node { key } } }'
        ' crime: legislation(filter: {crimeTypes: ["trafficking-in-firearms"], regionalGroups: [LATIN_AMERICAN_CARIBBEAN], parties: ["MDG", "HND"]}) { edges { node { key } } }'
        ' dates: legislation(filter: {parties: ["MDG", "HND"], from: "2011-01-01", to: "2012-12-31"}) { edges { node { key } } }'
        ' basis: cases(filter: {parties: ["MDG", "HND"], usesConventionAsLegalBasis: true}) { edges { node { key } } } }'
    )
    assert keys(data["mar"]) == ["T-KB-L1", "T-KB-L0"]  # newest first
    assert data["mar"]["totalCount"] >= 2
    assert keys(data["tip"]) == ["T-KB-L1"]
    assert "T-KB-L2" in keys(data["art"])
    assert keys(data["crime"]) == ["T-KB-L3"]
    assert keys(data["dates"]) == ["T-KB-L2", "T-KB-L1"]
    assert keys(data["basis"]) == ["T-KB-C2", "T-KB-C0"]


async def test_nested_connections_of_parties_articles_and_laws(gql: GraphQLClient, corpus: None) -> None:
    data = await gql.data(
        '{ party(code: "HND") { legislation(first: 1) { totalCount pageInfo { hasNextPage }'
        " edges { node { key cases { edges { node { key } } } } } } cases { edges { node { key } } } }"
        " instrument(code: UNTOC) { article(number: 18) { cases(first: 100) { edges { node { key } } } } } }"
    )
    party = data["party"]
    assert party["legislation"]["totalCount"] >= 2
    assert party["legislation"]["pageInfo"]["hasNextPage"] is True
    assert keys(party["legislation"]) == ["T-KB-L3"]
    assert keys(party["legislation"]["edges"][0]["node"]["cases"]) == ["T-KB-C3"]
    assert {"T-KB-C2", "T-KB-C3"} <= set(keys(party["cases"]))
    assert {"T-KB-C0", "T-KB-C2"} <= set(keys(data["instrument"]["article"]["cases"]))


@pytest.mark.speedup("reference_cache")
async def test_a_page_of_laws_costs_the_same_round_trips_whatever_its_size(
    gql: GraphQLClient, corpus: None
) -> None:
    query = (
        "query($n: Int) { legislation(first: $n) { edges { node { key party { code name { text } }"
        " implementsArticles { key instrument { code } } crimeTypes { key label { text } }"
        " cases(first: 3) { edges { node { key appliedLegislation { key } legalBasisArticles { key } } } } } } } }"
    )
    trips = []
    for size in (10, 50, 100):
        body = await gql.raw(query, {"n": size})
        assert "errors" not in body
        trips.append(body["extensions"]["roundTrips"]["neo4j"])
    assert len(set(trips)) == 1, trips
    assert trips[0] <= 3, trips  # the page, the cases of each law, the laws they applied


async def test_authorities_by_party_function_and_instrument(gql: GraphQLClient, corpus: None) -> None:
    data = await gql.data(
        '{ a: competentAuthorities(party: "MDG") { edges { node { key functions acceptedLanguages name(lang: "fr") { text } party { code } } } }'
        " b: competentAuthorities(function: FIREARMS) { edges { node { key } } }"
        ' c: competentAuthorities(instrument: SOM, party: "MDG") { totalCount }'
        ' d: party(code: "MDG") { competentAuthorities { key } } }'
    )
    node = data["a"]["edges"][0]["node"]
    assert node == {
        "key": "T-KB-A1",
        "functions": ["MUTUAL_LEGAL_ASSISTANCE", "FIREARMS"],
        "acceptedLanguages": ["fr", "ar"],
        "name": {"text": "Direction des affaires pénales (test)"},
        "party": {"code": "MDG"},
    }
    assert "T-KB-A1" in keys(data["b"])
    assert data["c"]["totalCount"] == 0
    assert {"key": "T-KB-A1"} in data["d"]["competentAuthorities"]


async def test_anonymous_viewers_never_see_contact_blocks(gql: GraphQLClient, corpus: None) -> None:
    data = await gql.data(
        '{ competentAuthorities(party: "MDG") { edges { node { contact { email phone address officeHours procedures } } } }'
        ' party(code: "MDG") { competentAuthorities { contact { email } } } }'
    )
    assert all(e["node"]["contact"] is None for e in data["competentAuthorities"]["edges"])
    assert all(a["contact"] is None for a in data["party"]["competentAuthorities"])
    for text in ("zzsecretcontact", "zzsecretprocedure", "zzsecretstreet"):
        found = await gql.data(
            "query($q: String!) { search(query: $q) { totalCount edges { node { highlights } } facets { buckets { key } } } }",
            {"q": text},
        )
        assert found["search"]["totalCount"] == 0, text


CASE_WITH_LINKS = """fragment case on Case { id key
  appliedLegislation { ...law }
  relatedCases { key title { text } summary { text } legalBasisArticles { key }
    appliedLegislation { key implementsArticles { key } } } }
fragment law on Legislation {
  key title(lang: fr) { lang text } text { text } party { code } enactedOn
  implementsArticles { key } crimeTypes { key } cases { edges { node { key } } } }"""


async def test_a_page_reads_the_laws_and_cases_it_links_to_as_the_dataloaders_do(
    gql: GraphQLClient, corpus: None
) -> None:
    page = await gql.data(
        '{ cases(filter: {parties: ["MDG", "HND"]}) { edges { node { ...case } } } }' + CASE_WITH_LINKS
    )
    cases = {edge["node"]["key"]: edge["node"] for edge in page["cases"]["edges"]}
    assert [law["key"] for law in cases["T-KB-C3"]["appliedLegislation"]] == ["T-KB-L0", "T-KB-L3"]
    assert cases["T-KB-C3"]["appliedLegislation"][0]["implementsArticles"] == [{"key": "UNTOC:6"}]
    assert [case["key"] for case in cases["T-KB-C1"]["relatedCases"]] == ["T-KB-C0"]
    assert cases["T-KB-C0"]["relatedCases"][0]["key"] == "T-KB-C1"
    assert cases["T-KB-C1"]["relatedCases"][0]["appliedLegislation"] == [
        {"key": "T-KB-L0", "implementsArticles": [{"key": "UNTOC:6"}]}
    ]
    # The same cases one by one: `node` reads them whole, and what they link to through
    # the DataLoaders.
    aliases = " ".join(
        f'c{i}: node(id: "{case["id"]}") {{ ...case }}' for i, case in enumerate(cases.values())
    )
    one_by_one = await gql.data("{ " + aliases + " }" + CASE_WITH_LINKS)
    assert list(one_by_one.values()) == list(cases.values())


@pytest.mark.speedup("page_projections", "reference_cache")
async def test_include_and_skip_keep_the_page_to_one_query(gql: GraphQLClient, corpus: None) -> None:
    query = (
        "query($shown: Boolean!) { cases(first: 50) { edges { node { key"
        " appliedLegislation @include(if: $shown) { key title { text } } } } } }"
    )
    shown = await gql.raw(query, {"shown": True})
    hidden = await gql.raw(query, {"shown": False})
    assert "errors" not in shown and "errors" not in hidden
    assert all("appliedLegislation" in edge["node"] for edge in shown["data"]["cases"]["edges"])
    assert all("appliedLegislation" not in edge["node"] for edge in hidden["data"]["cases"]["edges"])
    assert shown["extensions"]["roundTrips"]["neo4j"] == hidden["extensions"]["roundTrips"]["neo4j"] == 1


@pytest.mark.speedup("page_projections", "reference_cache")
async def test_a_page_of_cases_with_their_applied_laws_is_one_query(gql: GraphQLClient, corpus: None) -> None:
    for size in (2, 100):
        body = await gql.raw(
            "query($n: Int) { cases(first: $n) { edges { node { key legalBasisArticles { key }"
            " appliedLegislation { key title { text } crimeTypes { key } } relatedCases { key } } } } }",
            {"n": size},
        )
        assert "errors" not in body
        assert body["extensions"]["roundTrips"]["neo4j"] == 1


def _every_field(type_name: str) -> str:
    """A selection of every field of a type, one level deep: a link the page's projection
    failed to read would show as an empty list here."""
    graphql_type = graphql.build_schema(str(build_schema(Settings()))).get_type(type_name)
    assert isinstance(graphql_type, GraphQLObjectType)
    selections = []
    for name, field in graphql_type.fields.items():
        inner = get_named_type(field.type)
        if isinstance(inner, GraphQLObjectType):
            below = "totalCount" if "totalCount" in inner.fields else "__typename"
            selections.append(f"{name} {{ {below} }}")
        else:
            selections.append(name)
    return " ".join(selections)


@pytest.mark.parametrize(("page", "type_name"), [("legislation", "Legislation"), ("cases", "Case")])
async def test_every_field_of_a_page_is_what_the_document_alone_gives(
    gql: GraphQLClient, corpus: None, page: str, type_name: str
) -> None:
    fields = _every_field(type_name)
    listed = await gql.data(
        f'{{ {page}(filter: {{parties: ["MDG", "HND"]}}) {{ edges {{ node {{ id {fields} }} }} }} }}'
    )
    nodes = [edge["node"] for edge in listed[page]["edges"]]
    assert len(nodes) == 4
    aliases = " ".join(
        f'n{i}: node(id: "{node["id"]}") {{ id ... on {type_name} {{ {fields} }} }}'
        for i, node in enumerate(nodes)
    )
    alone = await gql.data("{ " + aliases + " }")
    assert list(alone.values()) == nodes
