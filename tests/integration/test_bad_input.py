"""Bad arguments and abusive queries get clear GraphQL errors, never a 500."""

from __future__ import annotations

import pytest

from tests.integration.conftest import GraphQLClient


@pytest.mark.parametrize("first", [0, -1, 101, 100000])
async def test_page_sizes_out_of_bounds(gql: GraphQLClient, first: int) -> None:
    errors = await gql.errors("query($n: Int) { parties(first: $n) { totalCount } }", {"n": first})
    assert errors == [f"first: must be between 1 and 100, not {first}"]


@pytest.mark.parametrize("after", ["nonsense", "", "Zm9v", "Zm9vOmJhcg"])
async def test_cursors_not_given_by_the_api(gql: GraphQLClient, after: str) -> None:
    errors = await gql.errors("query($a: String) { parties(after: $a) { totalCount } }", {"a": after})
    assert errors == ["after: is not a cursor given by this connection"]


@pytest.mark.parametrize("code", ["FR", "FRANCE", "F1A", "' OR 1=1 --", "ÉTA"])
async def test_malformed_party_codes(gql: GraphQLClient, code: str) -> None:
    errors = await gql.errors("query($c: String!) { party(code: $c) { code } }", {"c": code})
    assert errors == [
        "code: must be an ISO 3166-1 alpha-3 code such as 'FRA' (or 'EUR' for the European Union)"
    ]


@pytest.mark.parametrize("node_id", ["zzz", "", "UGFydHk", "!!!"])
async def test_ids_not_given_by_the_api(gql: GraphQLClient, node_id: str) -> None:
    body = await gql.raw("query($i: ID!) { node(id: $i) { id } }", {"i": node_id})
    if body.get("errors"):
        assert body["errors"][0]["message"] == "id: is not an ID given by this API"
    else:
        assert body["data"]["node"] is None


async def test_unknown_enum_values(gql: GraphQLClient) -> None:
    errors = await gql.errors("{ instrument(code: UNCAC) { code } }")
    assert "UNCAC" in errors[0] and "InstrumentCode" in errors[0]


@pytest.mark.parametrize("lang", ["english", "e", "en_US", "<script>", "x" * 50])
async def test_malformed_language_codes(gql: GraphQLClient, lang: str) -> None:
    errors = await gql.errors(
        "query($l: LanguageCode!) { instrument(code: TIP) { title(lang: $l) { text } } }",
        {"l": lang},
    )
    assert "is not a language code" in errors[0]


async def test_queries_too_deep_are_refused(gql: GraphQLClient) -> None:
    nested = "instrument { articles { " * 7
    query = "{ instruments { articles { " + nested + "code" + " } }" * 7 + " } } }"
    errors = await gql.errors(query)
    assert "exceeds maximum operation depth" in errors[0]


async def test_too_many_aliases_are_refused(gql: GraphQLClient) -> None:
    query = "{ " + " ".join(f"a{i}: instruments {{ code }}" for i in range(31)) + " }"
    errors = await gql.errors(query)
    assert "aliases" in errors[0]


async def test_too_many_tokens_are_refused(gql: GraphQLClient) -> None:
    query = "{ " + " ".join("instruments { code }" for _ in range(2000)) + " }"
    errors = await gql.errors(query)
    assert "token" in errors[0].lower()


async def test_malformed_documents_are_a_clear_error(gql: GraphQLClient) -> None:
    errors = await gql.errors("{ instruments { code ")
    assert "Syntax Error" in errors[0]
