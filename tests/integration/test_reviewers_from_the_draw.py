"""Reviewers held to the rules through HTTP (¶26, ¶28-¶29, footnote 2): each forbidden way
of naming the reviewers of a review is refused with RuleViolation naming the paragraph, and
nothing is written; a party's choices (¶28(c), ¶29, footnote 2) are recorded by its focal
point and reach the check.

The parties are this module's own (KWT and TZA under review; OMN, SAU, IRQ, ARM, AZE, HRV,
ATG, BHS, AGO and BIH, CZE, LVA as reviewers or fixtures; focal points of OMN, TZA, VAT);
the reviews of a load or a mutual pair are written straight into the graph and removed
afterwards. These
tests name reviewers, so no draw may govern: they remove the draws first (`without_draws`),
as the other modules that name reviewers do; with one, createReview answers ¶28 for every
named set of a State drawn by lot (tested in tests/unit/test_participation.py).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import httpx
import pytest

from api.config import Settings
from graph import reviews as store
from mechanism.access import Role
from mechanism.reviews import new_review
from tests.integration.accounts_helpers import Logins, as_user
from tests.integration.databases import graph_of
from tests.integration.rules_helpers import RULE_VIOLATION, violated, without_draws

SUR = "KWT"
FIXTURE_STATES = ("IRQ", "BIH", "CZE", "LVA", "TZA")
CREATE = (
    "mutation($sur: String!, $phase: Int!, $reviewers: [ReviewerInput!]!, $agreed: Boolean) {"
    ' createReview(stateUnderReview: $sur, phase: $phase, phaseStartedOn: "2026-01-05",'
    " workingLanguages: [EN], reviewers: $reviewers, moreThanFourReviewersAgreed: $agreed) { __typename"
    " ... on Review { id reviewingStates { reviewer { code } sameRegionalGroup instruments { code } } }"
    " ... on InvalidInput { field message } " + RULE_VIOLATION + " } }"
)
COUNT = "query($sur: String!) { reviews(stateUnderReview: $sur) { totalCount } }"
CHOICES = (
    "{ __typename ... on PartyChoices { party { code } moreThanFourReviewers maxReviews notUnderReview"
    " notReviewing } ... on InvalidInput { field message } " + RULE_VIOLATION + " }"
)
VOLUNTEER = "mutation($p: String!, $t: Int!) { volunteerToReview(party: $p, times: $t) " + CHOICES + " }"
AGREE = (
    "mutation($p: String!, $a: Boolean!) { agreeToMoreThanFourReviewers(party: $p, agreed: $a) "
    + CHOICES
    + " }"
)
OPT_OUT = (
    "mutation($p: String!, $s: Boolean!, $r: Boolean!) { chooseNotToTakePart(party: $p,"
    " asStateUnderReview: $s, asReviewingState: $r) " + CHOICES + " }"
)
READ = (
    "query($p: String!) { partyChoices(party: $p) { maxReviews moreThanFourReviewers notUnderReview"
    " notReviewing } }"
)
# Five reviewers of TZA, each instrument reviewed twice (¶26): more than four (¶28(c)).
FIVE = [
    {"party": "AGO", "instruments": ["UNTOC", "SOM"]},
    {"party": "ATG", "instruments": ["UNTOC", "SOM"]},
    {"party": "SAU", "instruments": ["TIP"]},
    {"party": "AZE", "instruments": ["TIP", "FIREARMS"]},
    {"party": "BHS", "instruments": ["FIREARMS"]},
]


def _all(*codes: str) -> list[dict[str, Any]]:
    return [{"party": code, "instruments": ["UNTOC", "TIP", "SOM", "FIREARMS"]} for code in codes]


async def _forget(settings: Settings) -> None:
    await without_draws(settings)
    async with graph_of(settings) as graph:
        await graph.write(
            "MATCH (r:Review) WHERE r.stateUnderReview IN $codes DETACH DELETE r",
            codes=[SUR, "VAT", *FIXTURE_STATES],
        )
        await graph.write(
            "MATCH (c) WHERE (c:PartyChoices OR c:PartyChoiceChange) AND c.party IN $codes DETACH DELETE c",
            codes=["OMN", "TZA", "VAT"],
        )


async def _fixture_reviews(settings: Settings, reviews: list[tuple[str, list[dict[str, Any]]]]) -> None:
    """Reviews written straight into the graph (their State, their reviewers), phase 1."""
    async with graph_of(settings) as graph:
        for code, reviewers in reviews:
            review = new_review(code, 1, date(2026, 1, 5), ["en"], {"UNTOC"}, False, False)
            review["createdAt"] = date(2026, 1, 5)
            await store.create_review(graph, review, reviewers)


@pytest.fixture
async def secretariat(settings: Settings, logins: Logins, running_services: None) -> AsyncIterator[str]:
    await _forget(settings)
    yield await logins.token(Role.SECRETARIAT)
    await _forget(settings)


async def _create(
    http: httpx.AsyncClient, token: str, reviewers: list[dict[str, Any]], phase: int = 1, **more: Any
) -> dict[str, Any]:
    variables = {
        "sur": more.get("sur", SUR),
        "phase": phase,
        "reviewers": reviewers,
        "agreed": more.get("agreed", False),
    }
    body = await as_user(http, token, CREATE, variables)
    assert "errors" not in body, body["errors"]
    result: dict[str, Any] = body["data"]["createReview"]
    return result


async def _count(http: httpx.AsyncClient, token: str, sur: str = SUR) -> int:
    count: int = (await as_user(http, token, COUNT, {"sur": sur}))["data"]["reviews"]["totalCount"]
    return count


async def test_named_reviewers_that_break_a_rule_are_refused_and_nothing_is_written(
    http: httpx.AsyncClient, secretariat: str, settings: Settings
) -> None:
    refusals = [
        (_all("ARM", "ATG"), "¶28", "no reviewer of its regional group"),
        (_all("OMN", "SAU"), "¶28", "no reviewer of another regional group"),
        (
            [{"party": "OMN", "instruments": ["UNTOC", "TIP", "SOM"]}, *_all("ARM")],
            "¶26",
            "FIREARMS is reviewed by 1 reviewers, not 2",
        ),
        (
            [
                {"party": "OMN", "instruments": ["UNTOC"]},
                {"party": "SAU", "instruments": ["UNTOC", "TIP"]},
                {"party": "ARM", "instruments": ["TIP"]},
                {"party": "AZE", "instruments": ["SOM", "FIREARMS"]},
                {"party": "ATG", "instruments": ["SOM", "FIREARMS"]},
            ],
            "¶28(c)",
            "more than 4 reviewers",
        ),
    ]
    refusals.append(  # GEO is not party to the Firearms Protocol
        (
            [
                {"party": "OMN", "instruments": ["UNTOC", "FIREARMS"]},
                {"party": "GEO", "instruments": ["FIREARMS"]},
            ],
            "¶28(b)",
            "GEO may review only instruments both it and KWT are parties to (not FIREARMS)",
        )
    )
    for reviewers, paragraph, fragment in refusals:
        assert fragment in violated(await _create(http, secretariat, reviewers), paragraph)
    refused = await _create(http, secretariat, refusals[3][0], agreed=True)  # five: said, not recorded
    assert "has not recorded its agreement" in violated(refused, "¶28(c)")

    # a mutual pair: KWT reviews IRQ, so IRQ may not review KWT (¶28(a))
    await _fixture_reviews(settings, [("IRQ", _all("KWT", "ARM"))])
    assert "review each other" in violated(await _create(http, secretariat, _all("IRQ", "AZE")), "¶28(a)")
    # the load of three: OMN already reviews BIH, CZE and LVA (¶29)
    await _fixture_reviews(settings, [(code, _all("OMN", "HRV")) for code in ("BIH", "CZE", "LVA")])
    refused = await _create(http, secretariat, _all("OMN", "AZE"))
    assert "OMN: reviews 4 times, more than 3" in violated(refused, "¶29")
    assert await _count(http, secretariat) == 0  # nothing was written

    allowed = await _create(http, secretariat, _all("SAU", "AZE"))
    assert allowed["__typename"] == "Review", allowed
    assert {r["reviewer"]["code"]: r["sameRegionalGroup"] for r in allowed["reviewingStates"]} == {
        "SAU": True,
        "AZE": False,
    }
    # the same reviewing States serve in all four phases (¶28)
    other = await _create(http, secretariat, _all("SAU", "ARM"), phase=2)
    assert "the same reviewing States serve KWT in all four phases" in violated(other, "¶28")
    assert (await _create(http, secretariat, _all("SAU", "AZE"), phase=2))["__typename"] == "Review"
    assert await _count(http, secretariat) == 2


async def test_volunteering_and_consent_are_recorded_by_the_focal_point_and_reach_the_check(
    http: httpx.AsyncClient, secretariat: str, settings: Settings, logins: Logins
) -> None:
    oman = await logins.token(Role.FOCAL_POINT, "OMN")
    tanzania = await logins.token(Role.FOCAL_POINT, "TZA")
    observer = await logins.token(Role.OBSERVER, "OMN")
    refused = await as_user(http, observer, VOLUNTEER, {"p": "OMN", "t": 4})
    assert refused["data"]["volunteerToReview"]["__typename"] == "NotAuthorized"
    other = await as_user(http, tanzania, VOLUNTEER, {"p": "OMN", "t": 4})
    assert other["data"]["volunteerToReview"]["__typename"] == "NotAuthorized"
    few = (await as_user(http, oman, VOLUNTEER, {"p": "OMN", "t": 2}))["data"]["volunteerToReview"]
    assert few["__typename"] == "InvalidInput" and few["field"] == "times"
    assert (await as_user(http, None, READ, {"p": "OMN"}))["data"]["partyChoices"]["maxReviews"] == 3

    await _fixture_reviews(settings, [(code, _all("OMN", "HRV")) for code in ("BIH", "CZE", "LVA")])
    violated(await _create(http, secretariat, _all("OMN", "AZE")), "¶29")
    done = (await as_user(http, oman, VOLUNTEER, {"p": "OMN", "t": 4}))["data"]["volunteerToReview"]
    assert done["maxReviews"] == 4 and done["party"] == {"code": "OMN"}
    assert (await _create(http, secretariat, _all("OMN", "AZE")))["__typename"] == "Review"

    assert violated(await _create(http, secretariat, FIVE, sur="TZA"), "¶28(c)")
    agreed = (await as_user(http, tanzania, AGREE, {"p": "TZA", "a": True}))["data"]
    assert agreed["agreeToMoreThanFourReviewers"]["moreThanFourReviewers"] is True
    created = await _create(http, secretariat, FIVE, sur="TZA")
    assert created["__typename"] == "Review" and len(created["reviewingStates"]) == 5, created
    behalf = (await as_user(http, secretariat, VOLUNTEER, {"p": "TZA", "t": 3}))["data"]["volunteerToReview"]
    assert behalf["maxReviews"] == 3  # the secretariat records a State's choice on its behalf


async def test_only_the_holy_see_chooses_not_to_take_part_and_its_choice_holds(
    http: httpx.AsyncClient, secretariat: str, logins: Logins
) -> None:
    holy_see = await logins.token(Role.FOCAL_POINT, "VAT")
    tanzania = await logins.token(Role.FOCAL_POINT, "TZA")
    refused = (await as_user(http, tanzania, OPT_OUT, {"p": "TZA", "s": True, "r": True}))["data"]
    assert "only the Holy See" in violated(refused["chooseNotToTakePart"], "footnote 2")
    by_secretariat = (await as_user(http, secretariat, OPT_OUT, {"p": "FRA", "s": True, "r": False}))["data"]
    violated(by_secretariat["chooseNotToTakePart"], "footnote 2")
    other = (await as_user(http, tanzania, OPT_OUT, {"p": "VAT", "s": True, "r": True}))["data"]
    assert other["chooseNotToTakePart"]["__typename"] == "NotAuthorized"
    presumed = await as_user(
        http,
        secretariat,
        'mutation { drawStatesUnderReview(optedOut: ["FRA"], conferenceDecision: "tests") { __typename'
        " ... on RuleViolation { paragraph message } } }",
    )
    violated(presumed["data"]["drawStatesUnderReview"], "footnote 2")  # only the Holy See's, as recorded
    read = (await as_user(http, None, READ, {"p": "VAT"}))["data"]["partyChoices"]
    assert read["notUnderReview"] is False and read["notReviewing"] is False  # not presumed

    chosen = (await as_user(http, holy_see, OPT_OUT, {"p": "VAT", "s": True, "r": False}))["data"]
    assert chosen["chooseNotToTakePart"]["notUnderReview"] is True
    assert chosen["chooseNotToTakePart"]["notReviewing"] is False
    named = [{"party": "ITA", "instruments": ["UNTOC"]}, {"party": "POL", "instruments": ["UNTOC"]}]
    assert "chose not to take part" in violated(
        await _create(http, secretariat, named, sur="VAT"), "footnote 2"
    )
    assert await _count(http, secretariat, "VAT") == 0
    back = (await as_user(http, holy_see, OPT_OUT, {"p": "VAT", "s": False, "r": False}))["data"]
    assert back["chooseNotToTakePart"]["notUnderReview"] is False


DRAW_SUR = (
    'mutation { drawStatesUnderReview(seed: "choices", conferenceDecision: "tests") { __typename'
    " ... on Draw { id groups { year party { code } } } } }"
)
DRAW_REVIEWERS = 'mutation { drawReviewingStates(seed: "choices") { __typename ... on Draw { id } } }'
VERIFY = "query($id: ID!) { verifyDraw(id: $id) { reproduced } }"


async def test_the_recorded_choices_reach_the_draws(
    http: httpx.AsyncClient, secretariat: str, settings: Settings, logins: Logins
) -> None:
    """What the focal points recorded is in the inputs of the draws made afterwards (and the
    draws verify): the Holy See left out as it chose (footnote 2), Oman's five reviews (¶29),
    Tanzania's agreement to more than four reviewers (¶28(c))."""
    oman = await logins.token(Role.FOCAL_POINT, "OMN")
    tanzania = await logins.token(Role.FOCAL_POINT, "TZA")
    holy_see = await logins.token(Role.FOCAL_POINT, "VAT")
    await as_user(http, oman, VOLUNTEER, {"p": "OMN", "t": 5})
    await as_user(http, tanzania, AGREE, {"p": "TZA", "a": True})
    await as_user(http, holy_see, OPT_OUT, {"p": "VAT", "s": True, "r": True})
    try:
        states = (await as_user(http, secretariat, DRAW_SUR))["data"]["drawStatesUnderReview"]
        assert states["__typename"] == "Draw", states
        drawn = {g["party"]["code"] for g in states["groups"]}
        assert "VAT" not in drawn and "TZA" in drawn and "OMN" in drawn
        reviewers = (await as_user(http, secretariat, DRAW_REVIEWERS))["data"]["drawReviewingStates"]
        assert reviewers["__typename"] == "Draw", reviewers
        async with graph_of(settings) as graph:
            rows = await graph.read("MATCH (d:Draw) RETURN d.kind AS kind, d.inputs AS inputs ORDER BY d.id")
        inputs = {row["kind"]: json.loads(row["inputs"]) for row in rows}
        pool = {p["code"]: p for p in inputs["REVIEWING_STATES"]["participants"]}
        assert pool["OMN"]["maxReviews"] == 5 and pool["VAT"]["mayReview"] is False
        assert "TZA" in inputs["REVIEWING_STATES"]["moreThanFourAgreed"]
        assert {p["code"]: p["mayBeReviewed"] for p in inputs["STATES_UNDER_REVIEW"]["participants"]}[
            "VAT"
        ] is False
        for draw in (states, reviewers):
            verified = (await as_user(http, None, VERIFY, {"id": draw["id"]}))["data"]["verifyDraw"]
            assert verified["reproduced"] is True
    finally:
        await without_draws(settings)
