"""Redraws through HTTP (¶28(d)-(e), ¶30): counted, refused beyond four, recorded with
their reason, verifiable, and followed by the reviews they concern."""

from __future__ import annotations

import asyncio
import datetime
from collections import Counter
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


ALL_CURRENT = "{ currentAssignments { stateUnderReview { code } reviewer { code } } }"
VERIFY = "query($id: ID!) { verifyDraw(id: $id) { reproduced meetsTheRules problems } }"
OPENED = "{ reviews(first: 100) { edges { node { stateUnderReview { code } } } } }"


async def test_a_redraw_never_leaves_the_released_reviewer_reviewing_no_one(
    http: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    """¶29: a repetition releases a reviewer that reviews no other State; the same redraw
    gives it, by lot, a place in the review not yet opened of another State, instead of a
    reviewer that reviews more than once, and the record verifies."""
    secretariat = tokens["SECRETARIAT"]
    rows = (await as_user(http, None, ALL_CURRENT))["data"]["currentAssignments"]
    pairs = [(r["stateUnderReview"]["code"], r["reviewer"]["code"]) for r in rows]
    load = Counter(reviewer for _, reviewer in pairs)
    opened = {
        e["node"]["stateUnderReview"]["code"]
        for e in (await as_user(http, secretariat, OPENED))["data"]["reviews"]["edges"]
    }
    sur, released = next(
        (s, r) for s, r in pairs if load[r] == 1 and s not in (SUR, RACE_SUR) and s not in opened
    )
    drawn = await _redraw(http, secretariat, sur=sur, reviewer=released, kind="REPETITION", by=sur)
    assert drawn["__typename"] == "Draw", drawn
    placed = [a for a in drawn["assignments"] if a["reviewer"]["code"] == released]
    assert len(placed) == 1
    after = (await as_user(http, None, ALL_CURRENT))["data"]["currentAssignments"]
    now = [(r["stateUnderReview"]["code"], r["reviewer"]["code"]) for r in after]
    (other,) = [s for s, r in now if r == released]
    assert other not in opened and other != sur
    verified = (await as_user(http, None, VERIFY, {"id": drawn["id"]}))["data"]["verifyDraw"]
    assert verified["reproduced"] and verified["meetsTheRules"], verified
    assert [p for p in verified["problems"] if "not announced" not in p] == []


ANNOUNCE_REDRAW = (
    "mutation($c: DateTime!, $r: DateTime, $k: DrawKind!, $j: Boolean! = false, $redraw: RedrawRequestInput) {"
    " announceDraw(kind: $k, contributionsCloseAt: $c, revealsCloseAt: $r, onlyJoining: $j, redraw: $redraw) {"
    " __typename ... on DrawAnnouncement { id onlyJoining redraw { kind replaced { code } reason } }"
    " ... on InvalidInput { field message } ... on RuleViolation { paragraph message } } }"
)
PERFORM = (
    "mutation($a: ID!) { performDraw(announcement: $a) { __typename"
    " ... on Draw { id seedOrigin redraw { kind repetition replaced { code } }"
    "   assignments { stateUnderReview { code } reviewer { code } } announcement { id } }"
    " ... on InvalidInput { field message } ... on RuleViolation { paragraph message } } }"
)


async def test_a_redraw_is_announced_performed_and_verified_like_the_draws(
    http: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    secretariat = tokens["SECRETARIAT"]
    closes = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=2)
    times = {"c": closes.isoformat(), "r": (closes + datetime.timedelta(seconds=1)).isoformat()}
    reviewer = (await _current(http, SUR))[0]
    request = {"stateUnderReview": SUR, "reviewer": reviewer, "kind": "EXCEPTIONAL", "requestedBy": SUR}

    async def announce(**variables: Any) -> dict[str, Any]:
        body = await as_user(http, secretariat, ANNOUNCE_REDRAW, {**times, **variables})
        return dict(body["data"]["announceDraw"])

    # Refused before anything is written: no request, a request for another kind, an
    # exceptional redraw without its reason, a reviewer the State does not have.
    assert (await announce(k="REDRAW"))["field"] == "redraw"
    assert (await announce(k="REVIEWING_STATES", redraw=request))["field"] == "redraw"
    assert (await announce(k="REVIEWING_STATES", j=True))["field"] == "onlyJoining"
    assert (await announce(k="REDRAW", redraw=request))["field"] == "reason"
    stranger = await announce(k="REDRAW", redraw={**request, "reviewer": "XXX", "reason": "tests"})
    assert stranger["message"] == f"XXX is not a reviewing State of {SUR}"

    announced = await announce(k="REDRAW", redraw={**request, "reason": "announced for tests"})
    assert announced["__typename"] == "DrawAnnouncement", announced
    assert announced["redraw"] == {
        "kind": "EXCEPTIONAL",
        "replaced": {"code": reviewer},
        "reason": "announced for tests",
    }
    early = (await as_user(http, secretariat, PERFORM, {"a": announced["id"]}))["data"]["performDraw"]
    assert early["__typename"] == "RuleViolation" and early["paragraph"] == "¶28"
    await asyncio.sleep((closes - datetime.datetime.now(datetime.UTC)).total_seconds() + 1.2)
    drawn = (await as_user(http, secretariat, PERFORM, {"a": announced["id"]}))["data"]["performDraw"]
    assert drawn["__typename"] == "Draw", drawn
    assert drawn["seedOrigin"] == "ANNOUNCED" and drawn["announcement"]["id"] == announced["id"]
    assert drawn["redraw"]["replaced"]["code"] == reviewer
    assert reviewer not in await _current(http, SUR)
    verified = await as_user(
        http,
        None,
        "query($id: ID!) { verifyDraw(id: $id) { reproduced commitmentHonoured meetsTheRules } }",
        {"id": drawn["id"]},
    )
    assert verified["data"]["verifyDraw"] == {
        "reproduced": True,
        "commitmentHonoured": True,
        "meetsTheRules": True,
    }
