"""Redraws through HTTP (¶28(d)-(e), ¶30): counted, refused beyond four, recorded with
their reason, verifiable, and followed by the reviews they concern."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from api.config import Settings
from mechanism.access import Role
from tests.integration.accounts_helpers import Logins, as_user
from tests.integration.databases import graph_of

SUR = "CHL"  # a State with no review in the demo: this module owns its phase-4 review
RACE_SUR = "PER"

# Under a decision of the Conference: a draw of States under review may govern already (¶17).
DRAW_SUR = 'mutation { drawStatesUnderReview(seed: "redraws", conferenceDecision: "tests") { __typename } }'
DRAW_REVIEWERS = 'mutation { drawReviewingStates(seed: "redraws") { __typename } }'
REDRAW = (
    "mutation($sur: String!, $reviewer: String!, $kind: RedrawKind!, $by: String!, $reason: String) {"
    " redrawReviewer(stateUnderReview: $sur, reviewer: $reviewer, kind: $kind, requestedBy: $by,"
    " reason: $reason) { __typename"
    " ... on Draw { id kind assignments { reviewer { code } sameRegionalGroup instruments { code } }"
    "   redraw { kind repetition reason replaced { code } requestedBy { code } stateUnderReview { code } } }"
    " ... on InvalidInput { field message } ... on DrawInfeasibleError { failures } } }"
)
CURRENT = "query($sur: String) { currentAssignments(stateUnderReview: $sur) { reviewer { code } } }"
CREATE_REVIEW = (
    'mutation($sur: String!) { createReview(stateUnderReview: $sur, phase: 4, phaseStartedOn: "2026-01-15",'
    " workingLanguages: [ES]) { __typename ... on Review { id reviewingStates { reviewer { code } } }"
    " ... on InvalidInput { field message } } }"
)
REVIEW = "query($id: ID!) { node(id: $id) { ... on Review { reviewingStates { reviewer { code } } } } }"
POST = 'mutation($id: ID!) { postDialogueMessage(review: $id, body: "Our first questions.") { __typename } }'
REASON = "query($id: ID!) { draw(id: $id) { redraw { reason } } }"


@pytest.fixture(scope="module")
async def tokens(settings: Settings, api_url: str, logins: Logins) -> dict[str, str]:
    async with graph_of(settings) as graph:
        await graph.write("MATCH (d:Draw) DELETE d")
        await graph.write("MATCH (m:DialogueMessage {reviewId: $id}) DETACH DELETE m", id=f"{SUR}-4")
        await graph.write("MATCH (r:Review {id: $id}) DETACH DELETE r", id=f"{SUR}-4")
    secretariat = await logins.token(Role.SECRETARIAT)
    async with httpx.AsyncClient(base_url=api_url, timeout=60) as http:
        for query in (DRAW_SUR, DRAW_REVIEWERS):
            assert (
                next(iter((await as_user(http, secretariat, query))["data"].values()))["__typename"] == "Draw"
            )
    return {
        "SECRETARIAT": secretariat,
        **await logins.tokens(
            {"SUR": (Role.GOVERNMENTAL_EXPERT, SUR), "OUTSIDER": (Role.FOCAL_POINT, "FJI")}
        ),
    }


async def _current(http: httpx.AsyncClient, sur: str) -> list[str]:
    data = (await as_user(http, None, CURRENT, {"sur": sur}))["data"]
    return sorted(a["reviewer"]["code"] for a in data["currentAssignments"])


async def _redraw(http: httpx.AsyncClient, token: str | None, **variables: Any) -> dict[str, Any]:
    body = await as_user(http, token, REDRAW, variables)
    result: dict[str, Any] = body["data"]["redrawReviewer"]
    return result


async def _reviewers_of(http: httpx.AsyncClient, token: str, review_id: str) -> list[str] | None:
    node = (await as_user(http, token, REVIEW, {"id": review_id}))["data"]["node"]
    return None if node is None else sorted(r["reviewer"]["code"] for r in node["reviewingStates"])


async def _post(http: httpx.AsyncClient, token: str, review_id: str) -> str:
    body = await as_user(http, token, POST, {"id": review_id})
    return str(body["data"]["postDialogueMessage"]["__typename"])


async def test_a_review_opened_without_reviewers_takes_the_drawn_ones(
    http: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    created = (await as_user(http, tokens["SECRETARIAT"], CREATE_REVIEW, {"sur": SUR}))["data"][
        "createReview"
    ]
    assert created["__typename"] == "Review", created
    assert sorted(r["reviewer"]["code"] for r in created["reviewingStates"]) == await _current(http, SUR)


async def test_repetitions_are_counted_and_refused_beyond_four(
    http: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    secretariat = tokens["SECRETARIAT"]
    review_id = (await as_user(http, secretariat, CREATE_REVIEW, {"sur": SUR}))["data"]["createReview"]
    assert review_id["field"] == "phase"  # already opened by the test above
    review = await as_user(
        http, secretariat, '{ reviews(stateUnderReview: "CHL", phase: 4) { edges { node { id } } } }'
    )
    node_id = review["data"]["reviews"]["edges"][0]["node"]["id"]
    released = set()
    for number in range(1, 5):
        before = await _current(http, SUR)
        replaced = before[0]
        drawn = await _redraw(http, secretariat, sur=SUR, reviewer=replaced, kind="REPETITION", by=SUR)
        assert drawn["__typename"] == "Draw", drawn
        assert drawn["redraw"]["repetition"] == number
        assert drawn["redraw"]["replaced"]["code"] == replaced
        after = await _current(http, SUR)
        released.add(replaced)
        assert not released & set(after)  # a reviewer that left is never drawn again
        assert set(before) - {replaced} <= set(after)
        assert await _reviewers_of(http, secretariat, node_id) == after  # the review follows
        verified = await as_user(
            http, None, "query($id: ID!) { verifyDraw(id: $id) { reproduced } }", {"id": drawn["id"]}
        )
        assert verified["data"]["verifyDraw"]["reproduced"] is True
    fifth = await _redraw(
        http, secretariat, sur=SUR, reviewer=(await _current(http, SUR))[0], kind="REPETITION", by=SUR
    )
    assert fifth["__typename"] == "InvalidInput" and fifth["field"] == "requestedBy"
    assert "already asked for 4 repetitions of the draw for CHL" in fifth["message"]
    # The reviewing States still have their own four.
    reviewer = (await _current(http, SUR))[0]
    own = await _redraw(http, secretariat, sur=SUR, reviewer=reviewer, kind="REPETITION", by=reviewer)
    assert own["__typename"] == "Draw" and own["redraw"]["repetition"] == 1


async def test_a_replacement_is_asked_by_the_state_under_review_with_its_reason(
    http: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    secretariat = tokens["SECRETARIAT"]
    reviewer = (await _current(http, SUR))[-1]
    by_reviewer = await _redraw(
        http, secretariat, sur=SUR, reviewer=reviewer, kind="REPLACEMENT", by=reviewer, reason="busy"
    )
    assert by_reviewer["__typename"] == "InvalidInput" and "(¶30)" in by_reviewer["message"]
    no_reason = await _redraw(http, secretariat, sur=SUR, reviewer=reviewer, kind="REPLACEMENT", by=SUR)
    assert no_reason == {"__typename": "InvalidInput", "field": "reason", "message": no_reason["message"]}
    replaced = await _redraw(
        http, secretariat, sur=SUR, reviewer=reviewer, kind="REPLACEMENT", by=SUR, reason="cannot serve"
    )
    assert replaced["__typename"] == "Draw"
    assert replaced["redraw"]["reason"] == "cannot serve" and replaced["redraw"]["repetition"] is None
    # The reason is for the secretariat and the States concerned only.
    for token, expected in ((tokens["SUR"], "cannot serve"), (tokens["OUTSIDER"], None), (None, None)):
        shown = await as_user(http, token, REASON, {"id": replaced["id"]})
        assert shown["data"]["draw"]["redraw"]["reason"] == expected


async def test_a_replaced_reviewer_no_longer_reads_the_review(
    http: httpx.AsyncClient, tokens: dict[str, str], logins: Logins
) -> None:
    secretariat = tokens["SECRETARIAT"]
    review = await as_user(
        http, secretariat, '{ reviews(stateUnderReview: "CHL", phase: 4) { edges { node { id } } } }'
    )
    node_id = review["data"]["reviews"]["edges"][0]["node"]["id"]
    reviewer = (await _current(http, SUR))[0]
    expert = await logins.token(Role.GOVERNMENTAL_EXPERT, reviewer)
    assert await _post(http, expert, node_id) == "DialogueMessage"
    drawn = await _redraw(
        http,
        secretariat,
        sur=SUR,
        reviewer=reviewer,
        kind="EXCEPTIONAL",
        by=SUR,
        reason="conflict of interest",
    )
    assert drawn["__typename"] == "Draw"
    assert await _post(http, expert, node_id) == "NotAuthorized"


async def test_only_the_secretariat_redraws(http: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    reviewer = (await _current(http, SUR))[0]
    for token in (tokens["SUR"], tokens["OUTSIDER"], None):
        refused = await _redraw(http, token, sur=SUR, reviewer=reviewer, kind="REPETITION", by=SUR)
        assert refused["__typename"] == "NotAuthorized"
    assert (await _current(http, SUR))[0] == reviewer


async def test_two_redraws_at_once_cannot_both_use_the_last_repetition(
    http: httpx.AsyncClient, tokens: dict[str, str], api_url: str
) -> None:
    secretariat = tokens["SECRETARIAT"]
    for _ in range(3):
        reviewer = (await _current(http, RACE_SUR))[0]
        done = await _redraw(
            http, secretariat, sur=RACE_SUR, reviewer=reviewer, kind="REPETITION", by=RACE_SUR
        )
        assert done["__typename"] == "Draw"
    current = await _current(http, RACE_SUR)

    async def attempt(reviewer: str) -> str:
        async with httpx.AsyncClient(base_url=api_url, timeout=60) as client:
            result = await _redraw(
                client, secretariat, sur=RACE_SUR, reviewer=reviewer, kind="REPETITION", by=RACE_SUR
            )
            return str(result["__typename"])

    outcomes = await asyncio.gather(attempt(current[0]), attempt(current[1]))
    assert sorted(outcomes) == ["Draw", "InvalidInput"]


async def test_unknown_states_and_reviewers_are_named(
    http: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    secretariat = tokens["SECRETARIAT"]
    nobody = await _redraw(http, secretariat, sur="XXX", reviewer="FRA", kind="REPETITION", by="XXX")
    assert nobody["field"] == "stateUnderReview"
    stranger = await _redraw(http, secretariat, sur=SUR, reviewer="XXX", kind="REPETITION", by=SUR)
    assert stranger == {
        "__typename": "InvalidInput",
        "field": "reviewer",
        "message": "XXX is not a reviewing State of CHL",
    }
    long = await _redraw(
        http, secretariat, sur=SUR, reviewer="XXX", kind="EXCEPTIONAL", by=SUR, reason="x" * 2001
    )
    assert long["field"] == "reason"
