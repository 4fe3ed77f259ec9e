"""Legislation at SHERLOC's depth, through the ingest and HTTP: the extract that implements
each article (shown, and searched per article), the law's status in time (amended by,
repealed by, with dates), its versions; amendment cycles and inconsistent records refused
whole with their field and reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from api.config import Settings
from api.graphql.relay import global_id
from ops.bootstrap import ingest_files
from tests.integration.conftest import GraphQLClient
from tests.integration.databases import graph_of, refresh_search
from tests.integration.ingest_helpers import refused_whole
from tests.integration.test_ingest import write_lines

PARTY = "LVA"  # no other module writes its laws
WORD = "Zqextracttoken"


def law(key: str, **extra: Any) -> dict[str, Any]:
    return {
        "kind": "legislation",
        "id": key,
        "party": PARTY,
        "title": {"en": f"Law {key}", "lv": f"Likums {key}"},
        "original_language": "lv",
        "enacted_on": "2005-01-01",
        "implements_articles": ["UNTOC:5", "UNTOC:6"],
        **extra,
    }


BASE = law(
    "T-LEG-BASE",
    extracts=[
        {"article": "UNTOC:5", "text": {"en": f"{WORD} participation in an organized group is punishable."}},
        {
            "article": "UNTOC:6",
            "text": {"en": "Laundering of proceeds is punishable.", "lv": "Noziedzīgi iegūtu"},
        },
    ],
    versions=[
        {"in_force_from": "2010-01-01", "text": {"en": "The later text."}},
        {"in_force_from": "2005-01-01", "text": {"en": "The first text."}},
    ],
)
CORPUS = [
    BASE,
    law("T-LEG-AMEND", enacted_on="2012-05-05", amends=[{"law": "T-LEG-BASE", "on": "2013-01-01"}]),
    law("T-LEG-OLD", in_force=False, enacted_on="1999-01-01"),
    law("T-LEG-REPEAL", enacted_on="2015-01-01", repeals=[{"law": "T-LEG-OLD", "on": "2015-02-01"}]),
    law("T-LEG-LATER", enacted_on="2020-01-01", repeals=[{"law": "T-LEG-AMEND", "on": "2999-01-01"}]),
]
LAW = (
    "query($id: ID!) { node(id: $id) { ... on Legislation { key status"
    ' past: status(on: "2012-12-31") extracts { article { key } text { lang text } }'
    " amends { on law { key } } amendedBy { on law { key } } repeals { on law { key } }"
    " repealedBy { on law { key } } versions { inForceFrom text { text } } } } }"
)


@pytest.fixture(scope="module")
async def corpus(
    settings: Settings, running_services: None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = write_lines(tmp_path_factory.mktemp("legislation") / "corpus.jsonl", CORPUS)
    summary = await ingest_files(settings, [path], report=lambda _: None, progress=False)
    assert summary.rejected == 0, summary.rejections
    await refresh_search(settings)


async def _law(gql: GraphQLClient, key: str) -> dict[str, Any]:
    node: dict[str, Any] = (await gql.data(LAW, {"id": global_id("Legislation", key)}))["node"]
    return node


async def test_the_extract_of_each_article_and_the_versions_are_shown(
    gql: GraphQLClient, corpus: None
) -> None:
    base = await _law(gql, "T-LEG-BASE")
    assert base["extracts"] == [
        {
            "article": {"key": "UNTOC:5"},
            "text": {"lang": "en", "text": f"{WORD} participation in an organized group is punishable."},
        },
        {
            "article": {"key": "UNTOC:6"},
            "text": {"lang": "en", "text": "Laundering of proceeds is punishable."},
        },
    ]
    assert [(v["inForceFrom"], v["text"]["text"]) for v in base["versions"]] == [
        ("2005-01-01", "The first text."),
        ("2010-01-01", "The later text."),
    ]


async def test_the_status_in_time_follows_amendments_and_repeals(gql: GraphQLClient, corpus: None) -> None:
    base = await _law(gql, "T-LEG-BASE")
    assert base["status"] == "AMENDED" and base["past"] == "IN_FORCE"  # the amendment took effect in 2013
    assert base["amendedBy"] == [{"on": "2013-01-01", "law": {"key": "T-LEG-AMEND"}}]
    amending = await _law(gql, "T-LEG-AMEND")
    assert amending["amends"] == [{"on": "2013-01-01", "law": {"key": "T-LEG-BASE"}}]
    assert amending["status"] == "IN_FORCE"  # its repeal takes effect in 2999
    assert amending["repealedBy"] == [{"on": "2999-01-01", "law": {"key": "T-LEG-LATER"}}]
    old = await _law(gql, "T-LEG-OLD")
    assert old["status"] == "REPEALED" and old["repealedBy"] == [
        {"on": "2015-02-01", "law": {"key": "T-LEG-REPEAL"}}
    ]


async def test_a_law_is_found_by_the_extract_of_the_article_asked_about(
    gql: GraphQLClient, corpus: None
) -> None:
    query = (
        'query($q: String!, $a: [ID!]) { search(query: $q, lang: "en", kinds: [LEGISLATION],'
        f' filter: {{parties: ["{PARTY}"], articles: $a}}) {{ totalCount edges {{ node {{ highlights'
        " document { ... on Legislation { key } } } } } }"
    )
    found = (await gql.data(query, {"q": WORD, "a": ["UNTOC:5"]}))["search"]
    assert [e["node"]["document"]["key"] for e in found["edges"]] == ["T-LEG-BASE"]
    assert found["edges"][0]["node"]["highlights"] == [
        f"UNTOC:5: <em>{WORD}</em> participation in an organized group is punishable."
    ]
    # The words are in the extract for article 5, not in that for article 6.
    elsewhere = (await gql.data(query, {"q": WORD, "a": ["UNTOC:6"]}))["search"]
    assert elsewhere["totalCount"] == 0


@pytest.mark.parametrize(
    ("records", "field", "reason"),
    [
        (
            [law("T-LEG-X1", extracts=[{"article": "UNTOC:8", "text": {"en": "x"}}])],
            "extracts.0.article",
            "UNTOC:8 is not among implements_articles",
        ),
        ([law("T-LEG-X2", amends=[{"law": "T-LEG-NONE"}])], "amends", "unknown law 'T-LEG-NONE'"),
        ([law("T-LEG-X3", amends=[{"law": "T-LEG-X3"}])], "amends", "names the law itself"),
        (
            [law("T-LEG-X4", versions=[{"in_force_from": "2001-01-01", "text": {"en": "x"}}])],
            "versions",
            "a version is in force before the law was enacted (2005-01-01)",
        ),
        # BASE is amended by AMEND: AMEND amended by BASE would close a cycle.
        (
            [{**BASE, "amends": [{"law": "T-LEG-AMEND"}]}],
            "amends",
            "would close a cycle of amendments: T-LEG-BASE -> T-LEG-AMEND -> T-LEG-BASE",
        ),
        # Within one file: X5 amends X6, then X6 repeals X5.
        (
            [
                law("T-LEG-X6"),
                law("T-LEG-X5", amends=[{"law": "T-LEG-X6"}]),
                law("T-LEG-X6", repeals=[{"law": "T-LEG-X5"}]),
            ],
            "repeals",
            "would close a cycle of amendments: T-LEG-X6 -> T-LEG-X5 -> T-LEG-X6",
        ),
    ],
)
async def test_inconsistent_laws_are_refused_whole(
    settings: Settings,
    running_services: None,
    corpus: None,
    tmp_path: Path,
    records: list[dict[str, Any]],
    field: str,
    reason: str,
) -> None:
    await refused_whole(settings, tmp_path, records, field, reason)
    async with graph_of(settings) as graph:
        rows = await graph.read(
            "MATCH (:Legislation {key: 'T-LEG-AMEND'})-[:AMENDS]->(b:Legislation) RETURN b.key AS key"
        )
    assert [row["key"] for row in rows] == ["T-LEG-BASE"]  # the links as they were
