"""Search pagination, ordering, facets and bad input, on a corpus of its own (10,050 laws)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from api.config import Settings
from api.graphql.cursors import CursorCodec
from ops.bootstrap import ingest_files
from tests.integration.conftest import GraphQLClient
from tests.integration.cursors import deployment_codec
from tests.integration.databases import refresh_search

COUNT = 10_050
TOKEN = "Pagingtoken"
PAGE = (
    "query($q: String!, $after: String, $order: SearchOrder!, $filter: SearchFilter) {"
    " search(query: $q, first: 100, after: $after, orderBy: $order, filter: $filter) {"
    " totalCount pageInfo { hasNextPage endCursor }"
    " edges { node { score document { ... on Legislation { key enactedOn } } } } } }"
)


@pytest.fixture(scope="module")
async def paging_corpus(
    settings: Settings, running_services: None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = tmp_path_factory.mktemp("paging") / "big.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for i in range(COUNT):
            record = {
                "kind": "legislation",
                "id": f"T-PAGE-{i:05d}",
                "party": "NZL",
                "title": {"en": f"{TOKEN} act number {i}"},
                "original_language": "en",
                "enacted_on": f"{1990 + i % 30}-01-{1 + i % 28:02d}",
                "crime_types": ["cybercrime"],
            }
            out.write(json.dumps(record) + "\n")
    await ingest_files(settings, [path], report=lambda _: None, progress=False)
    await refresh_search(settings)


@pytest.mark.parametrize("order", ["RELEVANCE", "NEWEST"])
async def test_paging_past_10000_hits_visits_every_hit_once(
    gql: GraphQLClient, paging_corpus: None, order: str
) -> None:
    keys: list[str] = []
    dates: list[str] = []
    after = None
    while True:
        page = (await gql.data(PAGE, {"q": TOKEN, "after": after, "order": order}))["search"]
        assert page["totalCount"] == COUNT
        keys += [e["node"]["document"]["key"] for e in page["edges"]]
        dates += [e["node"]["document"]["enactedOn"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(keys) == COUNT == len(set(keys))
    if order == "NEWEST":
        assert dates == sorted(dates, reverse=True)


async def test_facets_count_within_the_active_filters(gql: GraphQLClient, paging_corpus: None) -> None:
    query = (
        "query($f: SearchFilter, $q: String!) { search(query: $q, filter: $f, first: 1) {"
        " totalCount facets { field buckets { key count } } } }"
    )
    everything = (await gql.data(query, {"f": None, "q": TOKEN}))["search"]
    facets = {f["field"]: {b["key"]: b["count"] for b in f["buckets"]} for f in everything["facets"]}
    assert facets["party"] == {"NZL": COUNT}
    assert facets["kind"] == {"LEGISLATION": COUNT}
    assert sum(facets["year"].values()) == COUNT

    narrowed = (await gql.data(query, {"f": {"from": "2019-01-01", "to": "2019-12-31"}, "q": TOKEN}))[
        "search"
    ]
    years = next(f for f in narrowed["facets"] if f["field"] == "year")["buckets"]
    assert years == [{"key": "2019", "count": narrowed["totalCount"]}]
    assert narrowed["totalCount"] == len([i for i in range(COUNT) if 1990 + i % 30 == 2019])

    none = (await gql.data(query, {"f": {"parties": ["FRA"]}, "q": TOKEN}))["search"]
    assert none["totalCount"] == 0
    assert all(f["buckets"] == [] for f in none["facets"])


async def test_the_graph_lists_the_same_number(gql: GraphQLClient, paging_corpus: None) -> None:
    data = await gql.data(
        '{ legislation(filter: {parties: ["NZL"], crimeTypes: ["cybercrime"]}, first: 1) { totalCount } }'
    )
    assert data["legislation"]["totalCount"] >= COUNT


@dataclass(frozen=True)
class _Crafted:
    value: object


def _cursor(value: object) -> _Crafted:
    """A search cursor holding `value`, signed when the test runs with the deployment's key:
    the checks of what a cursor holds, behind its signature (a cursor a client forged is
    refused by its signature alone: tests/integration/test_cursors.py)."""
    return _Crafted(value)


@pytest.fixture(scope="module")
async def codec(settings: Settings, running_services: None) -> CursorCodec:
    return await deployment_codec(settings)


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"q": "x" * 1001}, "query: at most 1000 characters"),
        ({"q": "a\u0000b"}, "query: contains control characters"),
        (
            {"q": "x", "after": "bm9wZQ"},
            "after: is not a cursor given by this search",
        ),
        *[
            ({"q": "x", "after": _cursor(crafted)}, "after: is not a cursor given by this search")
            for crafted in (
                {"after": ["notanumber", "x", "y"]},
                {"after": [None, None, None]},
                {"pit": "bogus"},
                {"o": "RELEVANCE", "after": [1.5, 10**30, "LEGISLATION:x"]},
                {"o": "RELEVANCE", "after": [1.5, 0, "x" * 5000]},
                {"o": "RELEVANCE", "after": [1.5, True, "LEGISLATION:x"]},
                {"o": "RELEVANCE", "after": [1.5, 0, {"a": 1}]},
                {"o": "RELEVANCE", "after": [1.5, 0, "LEGISLATION:x"], "pit": "not base64!"},
            )
        ],
        (
            {
                "q": "x",
                "after": _cursor({"o": "RELEVANCE", "after": [1.5, 0, "LEGISLATION:x", 3], "pit": "bogus"}),
            },
            "after: has expired (after 5 minutes without a page) or is not of this search; search again",
        ),
        (
            {"q": "x", "after": _cursor({"o": "NEWEST", "after": [0, "LEGISLATION:x"]})},
            "after: is a cursor of another order (NEWEST): search again",
        ),
        (
            {"q": "x", "f": {"crimeTypes": ["jaywalking"]}},
            "filter.crimeTypes: 'jaywalking' is not a crime type (see the ingest format)",
        ),
        (
            {"q": "x", "f": {"parties": ["FR"]}},
            "filter.parties: 'FR' is not a party code such as 'FRA'",
        ),
        (
            {"q": "x", "f": {"articles": ["UNTOC:99"]}},
            "filter.articles: 'UNTOC:99' is neither an Article ID nor a reference like 'UNTOC:18'",
        ),
        (
            {"q": "x", "f": {"from": "2020-01-01", "to": "2019-01-01"}},
            "filter.from: is later than filter.to",
        ),
    ],
)
async def test_bad_search_input_is_named(
    gql: GraphQLClient, codec: CursorCodec, variables: dict[str, object], message: str
) -> None:
    crafted = variables.get("after")
    if isinstance(crafted, _Crafted):
        variables = {**variables, "after": codec.sign("search", json.dumps(crafted.value).encode())}
    errors = await gql.errors(
        "query($q: String!, $after: String, $f: SearchFilter) { search(query: $q, after: $after, filter: $f) { totalCount } }",
        variables,
    )
    assert errors == [message]


@pytest.mark.parametrize("text", ['"unclosed', "a AND OR b", "((", "title:*", "+-~*", "ف\u0651", "\\"])
async def test_query_syntax_never_fails_the_search(gql: GraphQLClient, text: str) -> None:
    data = await gql.data("query($q: String!) { search(query: $q) { totalCount } }", {"q": text})
    assert data["search"]["totalCount"] >= 0
