"""Treaties, treaty actions, the cooperation cases record, and `legalBasis`, through the
ingest and HTTP against the real servers: each part of a legal basis present and absent,
bad records refused whole with their file, line, field and reason, searchable in the
languages of their texts, and pages whose round trips do not grow with their size."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.config import Settings
from ops.bootstrap import ingest_files
from tests.integration.conftest import GraphQLClient
from tests.integration.databases import refresh_search
from tests.integration.ingest_helpers import refused_whole
from tests.integration.test_ingest import write_lines

# Parties no other module gives treaties, treaty actions or cases with cooperation.
ASKING, ASKED, OUTSIDER = "NOR", "FIN", "IRN"  # Iran signed the Convention, is not bound by it
NOTHING = "LTU"  # no treaty, treaty action, authority or case of Lithuania anywhere
WORD = "Zqtreatytoken"


def treaty(key: str, **extra: Any) -> dict[str, Any]:
    return {
        "kind": "treaty",
        "id": key,
        "parties": [ASKING, ASKED],
        "cooperation": ["EXTRADITION"],
        "title": {"en": f"{WORD} extradition treaty {key}", "fr": f"Traité d'extradition {WORD} {key}"},
        "original_language": "en",
        "signed_on": "2001-05-02",
        "in_force_on": "2003-01-01",
        **extra,
    }


def action(key: str, **extra: Any) -> dict[str, Any]:
    return {
        "kind": "treaty_action",
        "id": key,
        "party": ASKED,
        "article": "UNTOC:16",
        "paragraph": "5(a)",
        "action": "NOTIFICATION",
        "made_on": "2004-10-10",
        "original_language": "en",
        "text": {"en": f"{WORD}: takes the Convention as the legal basis for cooperation on extradition."},
        "source": "written for the tests",
        **extra,
    }


CORPUS = [
    treaty("T-TRT-EXT"),
    treaty("T-TRT-PENDING", in_force_on=None, signed_on="2024-01-01"),  # signed, not in force
    treaty("T-TRT-OTHER", parties=[ASKING, "SWE"]),  # not between the two
    action("T-TRT-16-5"),
    action("T-TRT-35", article="UNTOC:35", paragraph="3", action="RESERVATION"),  # bears on nothing here
    action("T-TRT-WHOLE", article=None, paragraph=None, instrument="UNTOC", action="DECLARATION"),
    action("T-TRT-ASKING", party=ASKING, paragraph="4", action="DECLARATION"),
    {
        "kind": "authority",
        "id": "T-TRT-A-EXT",
        "party": ASKED,
        "name": {"en": f"{WORD} extradition authority"},
        "functions": ["EXTRADITION"],
        "accepted_languages": ["en", "fi"],
    },
    {
        "kind": "authority",
        "id": "T-TRT-A-MLA",
        "party": ASKED,
        "name": {"en": f"{WORD} assistance authority"},
        "functions": ["MUTUAL_LEGAL_ASSISTANCE"],
    },
    *(
        {
            "kind": "case",
            "id": f"T-TRT-C{i}",
            "party": ASKED if i % 2 else ASKING,
            "court": "Supreme Court",
            "decided_on": f"201{i}-06-01",
            "title": {"en": f"{WORD} extradition case {i}"},
            "summary": {"en": "Extradition granted."},
            "original_language": "en",
            "cooperation": [{"cooperation": "EXTRADITION", "requesting": ASKING, "requested": ASKED}],
            "uses_convention_as_legal_basis": i > 0,
            "legal_basis_articles": ["UNTOC:16"] if i > 0 else [],
        }
        for i in range(3)
    ),
]

LEGAL_BASIS = """query($from: String!, $to: String!, $c: CooperationType!) {
  legalBasis(requesting: $from, requested: $to, cooperation: $c) {
    requesting { code } requested { code } cooperation
    treaties { key bilateral inForceOn parties { code } }
    convention { applies article { key } explanation treatyActions { key kind paragraph } }
    competentAuthorities { key acceptedLanguages }
    precedents(first: 2) { totalCount edges { node { key cooperation { cooperation requesting { code } requested { code } } } } }
  }
}"""


@pytest.fixture(scope="module")
async def corpus(
    settings: Settings, running_services: None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = write_lines(tmp_path_factory.mktemp("treaties") / "corpus.jsonl", CORPUS)
    summary = await ingest_files(settings, [path], report=lambda _: None, progress=False)
    assert summary.rejected == 0, summary.rejections
    await refresh_search(settings)


async def _basis(gql: GraphQLClient, requesting: str, requested: str, cooperation: str) -> dict[str, Any]:
    data = await gql.data(LEGAL_BASIS, {"from": requesting, "to": requested, "c": cooperation})
    basis: dict[str, Any] = data["legalBasis"]
    return basis


async def test_every_part_of_a_legal_basis_when_each_is_present(gql: GraphQLClient, corpus: None) -> None:
    basis = await _basis(gql, ASKING, ASKED, "EXTRADITION")
    assert basis["treaties"] == [
        {
            "key": "T-TRT-EXT",
            "bilateral": True,
            "inForceOn": "2003-01-01",
            "parties": [{"code": ASKED}, {"code": ASKING}],
        }
    ] or basis["treaties"] == [
        {
            "key": "T-TRT-EXT",
            "bilateral": True,
            "inForceOn": "2003-01-01",
            "parties": [{"code": ASKING}, {"code": ASKED}],
        }
    ]
    convention = basis["convention"]
    assert convention["applies"] is True and convention["article"] == {"key": "UNTOC:16"}
    # The requested State's notification under 16(5), its declaration on the Convention as a
    # whole, and the requesting State's under article 16; not the reservation under 35.
    assert {a["key"] for a in convention["treatyActions"]} == {"T-TRT-16-5", "T-TRT-WHOLE", "T-TRT-ASKING"}
    assert "Both NOR and FIN are parties" in convention["explanation"]
    assert "3 reservation(s), declaration(s) or notification(s)" in convention["explanation"]
    assert basis["competentAuthorities"] == [{"key": "T-TRT-A-EXT", "acceptedLanguages": ["en", "fi"]}]
    precedents = basis["precedents"]
    assert precedents["totalCount"] == 3
    assert [e["node"]["key"] for e in precedents["edges"]] == ["T-TRT-C2", "T-TRT-C1"]  # newest first
    assert precedents["edges"][0]["node"]["cooperation"] == [
        {"cooperation": "EXTRADITION", "requesting": {"code": ASKING}, "requested": {"code": ASKED}}
    ]
    # Asked the other way round, the precedents are the same cases.
    reverse = await _basis(gql, ASKED, ASKING, "EXTRADITION")
    assert reverse["precedents"]["totalCount"] == 3
    assert reverse["competentAuthorities"] == []  # NOR's directory has no entry here


async def test_every_part_of_a_legal_basis_when_each_is_absent(gql: GraphQLClient, corpus: None) -> None:
    basis = await _basis(gql, ASKING, NOTHING, "TRANSFER_OF_PROCEEDINGS")
    assert basis["treaties"] == [] and basis["competentAuthorities"] == []
    assert basis["precedents"] == {"totalCount": 0, "edges": []}
    convention = basis["convention"]
    assert convention["applies"] is False and convention["article"] == {"key": "UNTOC:21"}
    assert convention["treatyActions"] == []
    assert "not itself a legal basis" in convention["explanation"]
    assert "No reservation, declaration or notification" in convention["explanation"]

    outside = await _basis(gql, ASKING, OUTSIDER, "MUTUAL_LEGAL_ASSISTANCE")
    assert outside["convention"]["applies"] is False
    assert outside["convention"]["explanation"].startswith(f"{OUTSIDER} is not party to the Convention")

    assistance = await _basis(gql, ASKING, ASKED, "MUTUAL_LEGAL_ASSISTANCE")
    assert assistance["convention"]["applies"] is True and assistance["treaties"] == []
    assert [a["key"] for a in assistance["competentAuthorities"]] == ["T-TRT-A-MLA"]


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"from": "XX", "to": ASKED}, "requesting: must be an ISO 3166-1 alpha-3 code"),
        ({"from": ASKING, "to": "ZZZ"}, "requested: no party or signatory has the code ZZZ"),
        ({"from": ASKING, "to": " nor "}, "requested: a State does not request cooperation of itself"),
    ],
)
async def test_bad_parties_are_named(
    gql: GraphQLClient, corpus: None, variables: dict[str, str], message: str
) -> None:
    errors = await gql.errors(LEGAL_BASIS, {**variables, "c": "EXTRADITION"})
    assert errors[0].startswith(message), errors


async def test_a_party_s_treaties_and_treaty_actions(gql: GraphQLClient, corpus: None) -> None:
    data = await gql.data(
        f'{{ party(code: "{ASKED}") {{ treatyActions {{ key kind title(lang: "es") {{ text }} article {{ key }} }}'
        " extradition: treaties(cooperation: EXTRADITION) { totalCount edges { node { key } } }"
        " assistance: treaties(cooperation: MUTUAL_LEGAL_ASSISTANCE) { totalCount } } }"
    )
    party = data["party"]
    mine = {a["key"]: a for a in party["treatyActions"] if a["key"].startswith("T-TRT-")}
    assert mine["T-TRT-16-5"]["title"] == {"text": "Notificación, UNTOC artículo 16(5)(a)"}
    assert mine["T-TRT-WHOLE"]["article"] is None
    assert {e["node"]["key"] for e in party["extradition"]["edges"]} >= {"T-TRT-EXT", "T-TRT-PENDING"}
    assert party["assistance"]["totalCount"] == 0
    listed = await gql.data(
        f'{{ treaties(party: "{ASKING}", cooperation: EXTRADITION, first: 10) {{ edges {{ node {{ key signedOn }} }} }} }}'
    )
    keys = [e["node"]["key"] for e in listed["treaties"]["edges"] if e["node"]["key"].startswith("T-TRT-")]
    assert keys == ["T-TRT-PENDING", "T-TRT-EXT", "T-TRT-OTHER"]  # newest first, then by key


async def test_treaties_and_actions_are_searched_in_the_languages_of_their_texts(
    gql: GraphQLClient, corpus: None
) -> None:
    query = (
        "query($q: String!, $lang: LanguageCode) { search(query: $q, lang: $lang, kinds: [TREATY, TREATY_ACTION],"
        f' filter: {{parties: ["{ASKED}"]}}) {{ totalCount edges {{ node {{ kind document {{'
        " ... on Treaty { key } ... on TreatyAction { key } } } } } }"
    )
    french = await gql.data(query, {"q": f"traité {WORD}", "lang": "fr"})
    assert {e["node"]["document"]["key"] for e in french["search"]["edges"]} == {"T-TRT-EXT", "T-TRT-PENDING"}
    english = await gql.data(query, {"q": f"{WORD} legal basis", "lang": "en"})
    found = {(e["node"]["kind"], e["node"]["document"]["key"]) for e in english["search"]["edges"]}
    assert ("TREATY_ACTION", "T-TRT-16-5") in found


async def test_a_page_of_parties_with_their_treaties_costs_the_same_round_trips_whatever_its_size(
    gql: GraphQLClient, corpus: None
) -> None:
    query = (
        "query($n: Int) { parties(first: $n) { edges { node { code treatyActions { key }"
        " treaties(first: 3) { totalCount edges { node { key parties { code } } } } } } } }"
    )
    trips = []
    for size in (5, 50, 100):
        body = await gql.raw(query, {"n": size})
        assert "errors" not in body, body["errors"]
        trips.append(body["extensions"]["roundTrips"]["neo4j"])
    assert len(set(trips)) == 1, trips


@pytest.mark.parametrize(
    ("record", "field", "reason"),
    [
        (treaty("T-TRT-BAD1", parties=[ASKING, "XXX"]), "parties", "unknown party 'XXX'"),
        (
            treaty("T-TRT-BAD2", signed_on="2005-01-01", in_force_on="2004-01-01"),
            "in_force_on",
            "2004-01-01 is before signed_on 2005-01-01",
        ),
        (treaty("T-TRT-BAD3", parties=[ASKING, ASKING]), "parties", "names a party twice"),
        (treaty("T-TRT-BAD4", cooperation=["SMUGGLING"]), "cooperation.0", "Input should be"),
        (action("T-TRT-BAD5", article="UNTOC:99"), "article", "UNTOC has articles 1 to 41, not 99"),
        (
            action("T-TRT-BAD6", article="TIP:5", instrument="UNTOC"),
            "article",
            "TIP:5 is not an article of UNTOC",
        ),
        (
            action("T-TRT-BAD7", article=None, paragraph=None),
            "article",
            "give the article the action is made under",
        ),
        (action("T-TRT-BAD8", paragraph="five"), "paragraph", "String should match pattern"),
        (action("T-TRT-BAD9", action="RATIFICATION"), "action", "Input should be"),
        (
            {
                **CORPUS[-1],
                "id": "T-TRT-BAD10",
                "cooperation": [{"cooperation": "EXTRADITION", "requesting": "SWE", "requested": "DNK"}],
            },
            "cooperation.0",
            "the case's party NOR is neither",
        ),
        (
            {
                **CORPUS[-1],
                "id": "T-TRT-BAD11",
                "cooperation": [{"cooperation": "EXTRADITION", "requesting": ASKING, "requested": "QQQ"}],
            },
            "cooperation",
            "unknown party 'QQQ'",
        ),
    ],
)
async def test_bad_records_are_refused_whole_with_the_field_and_the_reason(
    settings: Settings,
    running_services: None,
    tmp_path: Path,
    record: dict[str, Any],
    field: str,
    reason: str,
) -> None:
    await refused_whole(settings, tmp_path, [record], field, reason)


DIGEST = (
    "query($p: String) { caseDigest(party: $p, first: 1) { cooperation totalCount article { key }"
    ' cases { key title(lang: "fr") { lang text } } } }'
)


async def test_the_case_digest_groups_cases_by_article_and_cooperation(
    gql: GraphQLClient, http: httpx.AsyncClient, corpus: None
) -> None:
    """Res. 9/3: the cases in which the Convention was the legal basis for cooperation,
    by article and kind of cooperation; the case that did not rely on it is left out."""
    groups = (await gql.data(DIGEST, {"p": ASKED}))["caseDigest"]
    assert groups == [
        {
            "cooperation": "EXTRADITION",
            "totalCount": 2,
            "article": {"key": "UNTOC:16"},
            "cases": [{"key": "T-TRT-C2", "title": {"lang": "en", "text": f"{WORD} extradition case 2"}}],
        }
    ]
    exported = await http.get("/export/case-digest", params={"format": "csv", "lang": "fr", "party": ASKED})
    assert exported.status_code == 200 and exported.headers["content-type"] == "text/csv; charset=utf-8"
    assert 'filename="case-digest-fr.csv"' in exported.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(exported.text.removeprefix("\ufeff"))))
    assert [
        (r["article"], r["article_title"], r["cooperation"], r["case"], r["requesting"], r["requested"])
        for r in rows
    ] == [
        ("UNTOC:16", "Extradition", "EXTRADITION", "T-TRT-C2", ASKING, ASKED),
        ("UNTOC:16", "Extradition", "EXTRADITION", "T-TRT-C1", ASKING, ASKED),
    ]
    lines = await http.get("/export/case-digest", params={"format": "jsonl", "party": ASKED})
    assert [json.loads(line)["case"] for line in lines.text.splitlines()] == ["T-TRT-C2", "T-TRT-C1"]
    for params, error in (
        ({"format": "xml"}, "format: must be one of csv, jsonl"),
        ({"lang": "not a language"}, "lang: "),
        ({"cooperation": "SMUGGLING"}, "cooperation: must be one of"),
        ({"article": "UNTOC:99"}, "article: 'UNTOC:99' is neither"),
        ({"party": "12"}, "party: must be an ISO 3166-1 alpha-3 code"),
        ({"secret": "1"}, "secret: not a parameter of this export"),
    ):
        refused = await http.get("/export/case-digest", params=params)
        assert refused.status_code == 400 and refused.json()["error"].startswith(error), (
            params,
            refused.text,
        )
