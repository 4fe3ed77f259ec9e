"""Focal points and governmental experts (¶18, ¶27) through GraphQL over HTTP."""

from __future__ import annotations

import httpx
import pytest

from api.config import Settings
from mechanism.access import Role
from tests.integration.accounts_helpers import Logins, as_user
from tests.integration.databases import graph_of

PARTY = "MNG"
DESIGNATE = (
    "mutation($p: String!, $r: DesignationRole!, $n: String!) { designate(party: $p, role: $r, name: $n,"
    ' institution: "Ministry of Justice") { __typename ... on Designation { id role name party { code } }'
    " ... on InvalidInput { field message } } }"
)
SHOW = (
    '{ party(code: "MNG") { focalPoint { interim description designation { name institution } }'
    " governmentalExperts { name } } }"
)
LACKING = "query($r: DesignationRole!) { partiesWithout(role: $r) { code } }"


@pytest.fixture(scope="module")
async def tokens(settings: Settings, logins: Logins) -> dict[str, str]:
    async with graph_of(settings) as graph:
        await graph.write("MATCH (n:Designation {party: $p}) DETACH DELETE n", p=PARTY)
    return await logins.tokens(
        {
            "secretariat": (Role.SECRETARIAT, None),
            "own focal point": (Role.FOCAL_POINT, PARTY),
            "own expert": (Role.GOVERNMENTAL_EXPERT, PARTY),
            "other focal point": (Role.FOCAL_POINT, "KAZ"),
        }
    )


async def test_the_permanent_representative_is_the_interim_focal_point(
    http: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    shown = (await as_user(http, None, SHOW))["data"]["party"]
    assert shown["focalPoint"] == {
        "interim": True,
        "description": "The Permanent Representative of Mongolia (interim focal point, ¶18)",
        "designation": None,
    }
    lacking = (await as_user(http, None, LACKING, {"r": "FOCAL_POINT"}))["data"]["partiesWithout"]
    assert {"code": PARTY} in lacking


@pytest.mark.parametrize(
    ("who", "allowed"), [(None, False), ("own expert", False), ("other focal point", False)]
)
async def test_only_the_own_focal_point_or_the_secretariat_designates(
    http: httpx.AsyncClient, tokens: dict[str, str], who: str | None, allowed: bool
) -> None:
    token = tokens[who] if who else None
    result = (await as_user(http, token, DESIGNATE, {"p": PARTY, "r": "GOVERNMENTAL_EXPERT", "n": "X"}))[
        "data"
    ]
    assert result["designate"]["__typename"] == "NotAuthorized"


async def test_designations_are_shown_and_a_new_focal_point_replaces_the_old(
    http: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    first = await as_user(
        http, tokens["own focal point"], DESIGNATE, {"p": PARTY, "r": "FOCAL_POINT", "n": "Ms A. Batbayar"}
    )
    assert first["data"]["designate"]["__typename"] == "Designation"
    expert = await as_user(
        http, tokens["secretariat"], DESIGNATE, {"p": PARTY, "r": "GOVERNMENTAL_EXPERT", "n": "Mr B. Dorj"}
    )
    assert expert["data"]["designate"]["role"] == "GOVERNMENTAL_EXPERT"
    await as_user(
        http, tokens["secretariat"], DESIGNATE, {"p": PARTY, "r": "FOCAL_POINT", "n": "Mr C. Gantulga"}
    )
    shown = (await as_user(http, None, SHOW))["data"]["party"]
    assert shown["focalPoint"]["interim"] is False
    assert shown["focalPoint"]["designation"] == {
        "name": "Mr C. Gantulga",
        "institution": "Ministry of Justice",
    }
    assert shown["governmentalExperts"] == [{"name": "Mr B. Dorj"}]
    for role in ("FOCAL_POINT", "GOVERNMENTAL_EXPERT"):
        lacking = (await as_user(http, None, LACKING, {"r": role}))["data"]["partiesWithout"]
        assert {"code": PARTY} not in lacking

    ended = await as_user(
        http,
        tokens["own focal point"],
        "mutation($d: ID!) { endDesignation(designation: $d) { __typename } }",
        {"d": expert["data"]["designate"]["id"]},
    )
    assert ended["data"]["endDesignation"]["__typename"] == "Designation"
    assert (await as_user(http, None, SHOW))["data"]["party"]["governmentalExperts"] == []


@pytest.mark.parametrize(
    ("variables", "field", "message"),
    [
        ({"p": PARTY, "r": "GOVERNMENTAL_EXPERT", "n": "  "}, "name", "must not be empty"),
        (
            {"p": PARTY, "r": "GOVERNMENTAL_EXPERT", "n": "a\u0000b"},
            "name",
            "must be one line of at most 300 characters",
        ),
        ({"p": "XYZ", "r": "GOVERNMENTAL_EXPERT", "n": "A"}, "party", "unknown party 'XYZ'"),
    ],
)
async def test_bad_designations_are_named(
    http: httpx.AsyncClient, tokens: dict[str, str], variables: dict[str, str], field: str, message: str
) -> None:
    result = (await as_user(http, tokens["secretariat"], DESIGNATE, variables))["data"]["designate"]
    assert result == {"__typename": "InvalidInput", "field": field, "message": message}
