"""Case records at SHERLOC's depth, through the ingest and HTTP: court, legal system,
outcome and sentence, defendants and victims never named, keywords in SHERLOC's families,
facts, commentary, procedural history and the decision's document; listed, filtered and
faceted; a name where initials belong refused whole."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from api.config import Settings
from api.graphql.relay import global_id
from ops.bootstrap import ingest_files
from tests.integration.conftest import GraphQLClient
from tests.integration.databases import refresh_search
from tests.integration.ingest_helpers import refused_whole
from tests.integration.test_ingest import write_lines

PARTY = "SVK"  # no other module writes its cases
WORD = "Zqcasedepthtoken"


def case(key: str, **extra: Any) -> dict[str, Any]:
    return {
        "kind": "case",
        "id": key,
        "party": PARTY,
        "court": "Specialized Criminal Court",
        "decided_on": "2019-04-04",
        "title": {"en": f"Case {key}", "sk": f"Vec {key}"},
        "summary": {"en": "Trafficking for forced labour."},
        "original_language": "sk",
        **extra,
    }


FULL = case(
    "T-CASE-FULL",
    court_level="SPECIALIZED",
    legal_system="CIVIL_LAW",
    outcome="CONVICTION",
    sentence="Eight years' imprisonment",
    defendants=[
        {"initials": "J.-P. M.", "gender": "MALE", "nationality": "SVK", "age_group": "ADULT"},
        {"gender": "FEMALE", "nationality": "UKR", "age_group": "ADULT", "count": 2},
    ],
    victims=[{"gender": "MALE", "nationality": "VNM", "age_group": "CHILD", "count": 12}],
    keywords=[
        {"family": "MEANS", "term": "debt-bondage"},
        {"family": "PURPOSE_OF_EXPLOITATION", "term": "forced-labour"},
        {"family": "SECTOR", "term": "construction"},
    ],
    facts={"en": f"The workers were housed on the site; {WORD} wages were withheld."},
    commentary={"en": "A first conviction for forced labour in construction."},
    procedural_history=[
        {"court": "District Court", "decided_on": "2018-02-01", "outcome": "ACQUITTAL"},
        {
            "court": "Supreme Court",
            "decided_on": "2020-01-10",
            "outcome": "APPEAL_DISMISSED",
            "note": "final",
        },
    ],
    decision={"url": "https://example.org/decisions/T-CASE-FULL.pdf", "language": "sk", "title": "Rozsudok"},
)
CORPUS = [FULL, case("T-CASE-OTHER", outcome="ACQUITTAL", court_level="FIRST_INSTANCE")]
CASE = (
    "query($id: ID!) { node(id: $id) { ... on Case { key courtLevel legalSystem outcome sentence"
    " defendants { initials gender nationality ageGroup count } victims { initials gender nationality ageGroup count }"
    " keywords { family term label } facts { text } commentary { text }"
    " proceduralHistory { court decidedOn outcome note } decision { url language title } } } }"
)


@pytest.fixture(scope="module")
async def corpus(
    settings: Settings, running_services: None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = write_lines(tmp_path_factory.mktemp("cases") / "corpus.jsonl", CORPUS)
    summary = await ingest_files(settings, [path], report=lambda _: None, progress=False)
    assert summary.rejected == 0, summary.rejections
    await refresh_search(settings)


async def test_a_case_shows_every_facet_of_its_record(gql: GraphQLClient, corpus: None) -> None:
    node = (await gql.data(CASE, {"id": global_id("Case", "T-CASE-FULL")}))["node"]
    assert node == {
        "key": "T-CASE-FULL",
        "courtLevel": "SPECIALIZED",
        "legalSystem": "CIVIL_LAW",
        "outcome": "CONVICTION",
        "sentence": "Eight years' imprisonment",
        "defendants": [
            {"initials": "J.-P. M.", "gender": "MALE", "nationality": "SVK", "ageGroup": "ADULT", "count": 1},
            {"initials": None, "gender": "FEMALE", "nationality": "UKR", "ageGroup": "ADULT", "count": 2},
        ],
        "victims": [
            {"initials": None, "gender": "MALE", "nationality": "VNM", "ageGroup": "CHILD", "count": 12}
        ],
        "keywords": [
            {"family": "MEANS", "term": "debt-bondage", "label": "debt bondage"},
            {"family": "PURPOSE_OF_EXPLOITATION", "term": "forced-labour", "label": "forced labour"},
            {"family": "SECTOR", "term": "construction", "label": "construction"},
        ],
        "facts": {"text": f"The workers were housed on the site; {WORD} wages were withheld."},
        "commentary": {"text": "A first conviction for forced labour in construction."},
        "proceduralHistory": [
            {"court": "District Court", "decidedOn": "2018-02-01", "outcome": "ACQUITTAL", "note": None},
            {
                "court": "Supreme Court",
                "decidedOn": "2020-01-10",
                "outcome": "APPEAL_DISMISSED",
                "note": "final",
            },
        ],
        "decision": {
            "url": "https://example.org/decisions/T-CASE-FULL.pdf",
            "language": "sk",
            "title": "Rozsudok",
        },
    }


async def test_cases_are_listed_and_searched_by_their_facets(gql: GraphQLClient, corpus: None) -> None:
    listed = await gql.data(
        f'{{ cases(filter: {{parties: ["{PARTY}"], outcomes: [CONVICTION], keywords: ["SECTOR:construction"]}})'
        " { totalCount edges { node { key } } } }"
    )
    assert [e["node"]["key"] for e in listed["cases"]["edges"]] == ["T-CASE-FULL"]
    by_court = await gql.data(
        f'{{ cases(filter: {{parties: ["{PARTY}"], courtLevels: [FIRST_INSTANCE]}}) {{ edges {{ node {{ key }} }} }} }}'
    )
    assert [e["node"]["key"] for e in by_court["cases"]["edges"]] == ["T-CASE-OTHER"]
    # The facts are searched; the keyword, court and outcome facets count.
    found = await gql.data(
        f'{{ search(query: "{WORD}", filter: {{parties: ["{PARTY}"]}}) {{ totalCount'
        " edges { node { document { ... on Case { key } } } } facets { field buckets { key count } } } }"
    )
    assert found["search"]["totalCount"] == 1
    facets = {f["field"]: {b["key"]: b["count"] for b in f["buckets"]} for f in found["search"]["facets"]}
    assert facets["keyword"] == {
        "MEANS:debt-bondage": 1,
        "PURPOSE_OF_EXPLOITATION:forced-labour": 1,
        "SECTOR:construction": 1,
    }
    assert facets["courtLevel"] == {"SPECIALIZED": 1} and facets["outcome"] == {"CONVICTION": 1}


@pytest.mark.parametrize(
    ("keywords", "message"),
    [
        (["SECTOR:space"], "'space' is not a term of SECTOR"),
        (["COLOUR:red"], "'COLOUR' is not a keyword family"),
    ],
)
async def test_an_unknown_keyword_in_a_filter_is_named(
    gql: GraphQLClient, corpus: None, keywords: list[str], message: str
) -> None:
    errors = await gql.errors(
        "query($k: [String!]) { cases(filter: {keywords: $k}) { totalCount } }", {"k": keywords}
    )
    assert errors[0].startswith("filter.keywords: " + message), errors


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        (
            {"defendants": [{"initials": "John Smith", "gender": "MALE"}]},
            "defendants.0.initials",
            "looks like a name",
        ),
        ({"victims": [{"initials": "张伟"}]}, "victims.0.initials", "looks like a name"),
        ({"victims": [{"initials": "Maria"}]}, "victims.0.initials", "looks like a name"),
        ({"victims": [{"name": "M. K."}]}, "victims.0.name", "Extra inputs are not permitted"),
        (
            {"defendants": [{"nationality": "Slovak"}]},
            "defendants.0.nationality",
            "String should match pattern",
        ),
        (
            {"keywords": [{"family": "SECTOR", "term": "space"}]},
            "keywords.0.term",
            "'space' is not a term of SECTOR",
        ),
        ({"outcome": "GUILTY"}, "outcome", "Input should be"),
        ({"decision": {"url": "not a url", "language": "sk"}}, "decision.url", "Input should be a valid URL"),
        ({"victims": [{"count": 0}]}, "victims.0.count", "greater than or equal to 1"),
    ],
)
async def test_a_bad_case_is_refused_whole_with_its_field_and_reason(
    settings: Settings,
    running_services: None,
    tmp_path: Path,
    change: dict[str, Any],
    field: str,
    reason: str,
) -> None:
    await refused_whole(settings, tmp_path, [case("T-CASE-BAD", **change)], field, reason)
