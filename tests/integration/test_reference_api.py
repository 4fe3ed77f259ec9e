"""The first public API, through HTTP against the real servers."""

from __future__ import annotations

import pytest

from tests.integration.conftest import GraphQLClient


async def test_the_four_instruments_with_titles_in_the_six_languages(gql: GraphQLClient) -> None:
    data = await gql.data(
        '{ instruments { code en: title { lang text } zh: title(lang: "zh") { lang text }'
        ' ar: title(lang: "ar") { text } none: title(lang: null) { lang } articles { number } } }'
    )
    instruments = data["instruments"]
    assert [i["code"] for i in instruments] == ["UNTOC", "TIP", "SOM", "FIREARMS"]
    assert instruments[0]["en"] == {
        "lang": "en",
        "text": "United Nations Convention against Transnational Organized Crime",
    }
    assert instruments[0]["zh"] == {"lang": "zh", "text": "联合国打击跨国有组织犯罪公约"}
    assert instruments[0]["none"] == {"lang": "en"}  # an explicit null is the default
    assert [len(i["articles"]) for i in instruments] == [41, 20, 25, 21]


async def test_an_article_with_its_cluster_and_the_uncac_rule(gql: GraphQLClient) -> None:
    data = await gql.data(
        "{ instrument(code: UNTOC) { a8: article(number: 8) { key cluster reviewedOnlyForNonUncacParties }"
        " a18: article(number: 18) { key cluster reviewedOnlyForNonUncacParties title { text }"
        ' fr: title(lang: "fr") { lang } instrument { code } }'
        " a1: article(number: 1) { cluster } a99: article(number: 99) { key } } }"
    )
    untoc = data["instrument"]
    assert untoc["a8"] == {
        "key": "UNTOC:8",
        "cluster": "CRIMINALIZATION_AND_JURISDICTION",
        "reviewedOnlyForNonUncacParties": True,
    }
    assert untoc["a18"]["cluster"] == "INTERNATIONAL_COOPERATION"
    assert untoc["a18"]["reviewedOnlyForNonUncacParties"] is False
    assert untoc["a18"]["title"]["text"] == "Mutual legal assistance"
    assert untoc["a18"]["fr"]["lang"] == "fr"
    assert untoc["a18"]["instrument"]["code"] == "UNTOC"
    assert untoc["a1"]["cluster"] is None
    assert untoc["a99"] is None


async def test_a_language_without_a_text_falls_back_to_english(gql: GraphQLClient) -> None:
    data = await gql.data(
        '{ party(code: "FRA") { de: name(lang: "de") { lang text } zh: name(lang: "zh-Hans") { lang } } }'
    )
    assert data["party"]["de"] == {"lang": "en", "text": "France"}
    assert data["party"]["zh"] == {"lang": "zh"}


async def test_a_party_with_its_participations(gql: GraphQLClient) -> None:
    data = await gql.data(
        '{ party(code: "deu") { code kind regionalGroup uncacParty name(lang: "ru") { text }'
        " participations { status signedOn boundOn action instrument { code } } } }"
    )
    germany = data["party"]
    assert germany["code"] == "DEU"
    assert germany["kind"] == "STATE"
    assert germany["regionalGroup"] == "WESTERN_EUROPEAN_OTHERS"
    assert germany["uncacParty"] is True
    assert germany["name"]["text"] == "Германия"
    untoc = germany["participations"][0]
    assert untoc["instrument"]["code"] == "UNTOC"
    assert (untoc["status"], untoc["signedOn"], untoc["boundOn"]) == (
        "PARTY",
        "2000-12-12",
        "2006-06-14",
    )
    assert [p["instrument"]["code"] for p in germany["participations"]] == [
        "UNTOC",
        "TIP",
        "SOM",
        "FIREARMS",
    ]


async def test_the_european_union_has_no_regional_group(gql: GraphQLClient) -> None:
    data = await gql.data('{ party(code: "EUR") { kind regionalGroup name { text } } }')
    assert data["party"] == {
        "kind": "REGIONAL_ECONOMIC_INTEGRATION_ORGANIZATION",
        "regionalGroup": None,
        "name": {"text": "European Union"},
    }


async def test_an_unknown_party_is_null(gql: GraphQLClient) -> None:
    assert (await gql.data('{ party(code: "XXX") { code } }'))["party"] is None


async def test_paging_through_all_parties_visits_each_once(gql: GraphQLClient) -> None:
    query = (
        "query($after: String) { parties(first: 50, after: $after) { totalCount"
        " edges { cursor node { code } } pageInfo { hasNextPage hasPreviousPage endCursor } } }"
    )
    codes: list[str] = []
    after = None
    while True:
        page = (await gql.data(query, {"after": after}))["parties"]
        codes += [edge["node"]["code"] for edge in page["edges"]]
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert page["totalCount"] == 194  # 192 parties and 2 signatories
    assert codes == sorted(set(codes)) and len(codes) == 194


async def test_parties_filtered_by_group_and_instrument(gql: GraphQLClient) -> None:
    data = await gql.data(
        "{ weog: parties(regionalGroup: WESTERN_EUROPEAN_OTHERS, first: 100) { totalCount edges { node { regionalGroup } } }"
        " untoc: parties(instrument: UNTOC) { totalCount }"
        " both: parties(instrument: FIREARMS, regionalGroup: AFRICAN) { totalCount }"
        " via: instrument(code: UNTOC) { parties(first: 5) { totalCount edges { node { code } } } } }"
    )
    assert {e["node"]["regionalGroup"] for e in data["weog"]["edges"]} == {"WESTERN_EUROPEAN_OTHERS"}
    assert data["weog"]["totalCount"] == len(data["weog"]["edges"])
    assert data["untoc"]["totalCount"] == 192
    assert 0 < data["both"]["totalCount"] < 54
    assert data["via"]["parties"]["totalCount"] == 192
    assert len(data["via"]["parties"]["edges"]) == 5


async def test_node_fetches_each_type_by_its_global_id(gql: GraphQLClient) -> None:
    ids = await gql.data(
        '{ instrument(code: TIP) { id article(number: 5) { id } } party(code: "MEX") { id } }'
    )
    query = (
        "query($a: ID!, $b: ID!, $c: ID!) { a: node(id: $a) { id ... on Instrument { code } }"
        " b: node(id: $b) { ... on Article { key } } c: node(id: $c) { ... on Party { code } } }"
    )
    data = await gql.data(
        query,
        {
            "a": ids["instrument"]["id"],
            "b": ids["instrument"]["article"]["id"],
            "c": ids["party"]["id"],
        },
    )
    assert data == {
        "a": {"id": ids["instrument"]["id"], "code": "TIP"},
        "b": {"key": "TIP:5"},
        "c": {"code": "MEX"},
    }


async def test_review_phases_follow_the_workplan(gql: GraphQLClient) -> None:
    data = await gql.data("{ reviewPhases { number cluster years { group firstYear lastYear } } }")
    assert [p["cluster"] for p in data["reviewPhases"]] == [
        "CRIMINALIZATION_AND_JURISDICTION",
        "INTERNATIONAL_COOPERATION",
        "LAW_ENFORCEMENT_AND_JUDICIAL_SYSTEM",
        "PREVENTION_ASSISTANCE_PROTECTION",
    ]
    assert data["reviewPhases"][0]["years"][0] == {"group": 1, "firstYear": 3, "lastYear": 4}


@pytest.mark.speedup("reference_cache")
@pytest.mark.parametrize("size", [5, 50, 100])
async def test_a_page_of_parties_costs_the_same_round_trips_whatever_its_size(
    gql: GraphQLClient, size: int
) -> None:
    body = await gql.raw(
        "query($n: Int) { parties(first: $n) { edges { node { code name { text }"
        " participations { status instrument { code title { text } articles { key } } } } } } }",
        {"n": size},
    )
    assert "errors" not in body
    assert len(body["data"]["parties"]["edges"]) == size
    # The page; participations, instruments and articles come from the process's reference
    # data (api/reference_cache.py), whose refreshes are not the request's own.
    assert body["extensions"]["roundTrips"] == {"neo4j": 1, "elasticsearch": 0}
