"""Phases, the 70% rule and the Conference's decisions (¶9-¶15, ¶10), a review's progress
and what is overdue (¶34-¶35), through HTTP against the real servers."""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from api.config import Settings
from mechanism.access import Role
from mechanism.reviews import add_months
from mechanism.workplan import phase_years
from tests.integration.accounts_helpers import Logins, as_user
from tests.integration.databases import graph_of
from tests.integration.rules_helpers import violated

SCHEDULE = (
    "{ phaseSchedule { group currentPhase parties { code } phases { phase cluster firstYear lastYear state"
    " startedOn scheduledReviews completedReviews mayMoveOn reason conferenceDecision { reference } } } }"
)
START = (
    "mutation($g: Int!, $p: Int!, $on: Date!) { startPhase(group: $g, phase: $p, startedOn: $on) { __typename"
    " ... on GroupSchedule { group currentPhase phases { phase state scheduledReviews } }"
    " ... on InvalidInput { field message } ... on RuleViolation { paragraph message } } }"
)
DECIDE = (
    "mutation($g: Int!, $p: Int!, $on: Date!, $ref: String!) { recordConferenceDecision(group: $g, phase: $p,"
    " decidedOn: $on, reference: $ref) { __typename ... on ConferenceDecision { group phase reference }"
    " ... on InvalidInput { field message } } }"
)
OVERDUE = (
    "query($on: Date, $kind: OverdueKind) { overdue(asOf: $on, kind: $kind) { entry { kind dueOn daysOverdue"
    " party { code } } review { id stateUnderReview { code } } } }"
)
PROGRESS = (
    "query($sur: String!, $on: Date) { reviews(stateUnderReview: $sur, phase: 1) { edges { node { id"
    " reviewingStates { reviewer { code } }"
    " progress(asOf: $on) { stage questions answered answersDueOn answersSubmittedOn feedbackDueOn complete"
    " feedbackFrom { code } awaitingFeedbackFrom { code } overdue { kind daysOverdue party { code } } } } } } }"
)
STARTED_ON = "2025-01-15"
# Parties with demo accounts: this module creates no focal point for them (that would disable theirs).
DEMO_PARTIES = {"ARG", "KEN", "CHL", "SWE", "NGA", "JPN", "NZL"}


async def _remove_what_the_module_owns(settings: Settings) -> None:
    """Phase starts, decisions, draws, and the reviews the phase starts opened (with what was
    written in them); the demo's reviews stay."""
    async with graph_of(settings) as graph:
        await graph.write("MATCH (n) WHERE n:PhaseStart OR n:ConferenceDecision OR n:Draw DETACH DELETE n")
        owned = "MATCH (r:Review) WHERE r.phaseStartKey IS NOT NULL "
        for label in ("Answer", "DialogueMessage", "Observations", "WrittenFeedback", "TimelineProposal"):
            await graph.write(owned + f"MATCH (n:{label} {{reviewId: r.id}}) DETACH DELETE n")
        await graph.write(owned + "DETACH DELETE r")


@pytest.fixture(scope="module")
async def setup(settings: Settings, api_url: str, logins: Logins) -> AsyncIterator[dict[str, Any]]:
    await _remove_what_the_module_owns(settings)
    secretariat = await logins.token(Role.SECRETARIAT)
    async with httpx.AsyncClient(base_url=api_url, timeout=120) as http:
        for mutation, decision in (
            ("drawStatesUnderReview", ', conferenceDecision: "tests"'),  # one may govern (¶17)
            ("drawReviewingStates", ""),
        ):
            done = await as_user(
                http, secretariat, f'mutation {{ {mutation}(seed: "schedule"{decision}) {{ __typename }} }}'
            )
            assert done["data"][mutation]["__typename"] == "Draw"
    yield {"secretariat": secretariat}
    await _remove_what_the_module_owns(settings)  # the other modules see the demo's reviews alone


async def _schedule(http: httpx.AsyncClient) -> dict[int, dict[str, Any]]:
    data = (await as_user(http, None, SCHEDULE))["data"]["phaseSchedule"]
    return {g["group"]: g for g in data}


async def _start(http: httpx.AsyncClient, token: str | None, group: int, phase: int) -> dict[str, Any]:
    body = await as_user(http, token, START, {"g": group, "p": phase, "on": STARTED_ON})
    result: dict[str, Any] = body["data"]["startPhase"]
    return result


async def _complete(settings: Settings, review_ids: list[str]) -> None:
    """Make reviews complete as if every participant had agreed to their list of
    observations (agreeing is tested in test_review_access; here only the count matters)."""
    async with graph_of(settings) as graph:
        await graph.write(
            "UNWIND $ids AS id MATCH (r:Review {id: id}) "
            "MERGE (o:Observations {reviewId: id}) ON CREATE SET o.version = 1 "
            "SET o.agreedBy = [r.stateUnderReview] + COLLECT { MATCH (r)-[:REVIEWED_BY]->(q) RETURN q.code }",
            ids=review_ids,
        )


async def test_every_group_starts_with_no_phase(http: httpx.AsyncClient, setup: dict[str, Any]) -> None:
    groups = await _schedule(http)
    assert sorted(groups) == [1, 2, 3]
    assert sum(len(g["parties"]) for g in groups.values()) >= 190
    for number, group in groups.items():
        assert group["currentPhase"] is None
        assert [p["state"] for p in group["phases"]] == ["NOT_STARTED"] * 4
        assert [(p["firstYear"], p["lastYear"]) for p in group["phases"]] == [
            phase_years(phase, number) for phase in (1, 2, 3, 4)
        ]
    assert groups[1]["phases"][0]["cluster"] == "CRIMINALIZATION_AND_JURISDICTION"


async def test_only_the_secretariat_starts_phases_and_records_decisions(
    http: httpx.AsyncClient, setup: dict[str, Any], logins: Logins
) -> None:
    focal_point = await logins.token(Role.FOCAL_POINT, "URY")
    for token in (None, focal_point):
        assert (await _start(http, token, 3, 1))["__typename"] == "NotAuthorized"
        body = await as_user(
            http, token, DECIDE, {"g": 3, "p": 1, "on": "2026-06-01", "ref": "decision 13/1"}
        )
        assert body["data"]["recordConferenceDecision"]["__typename"] == "NotAuthorized"
    assert (await _schedule(http))[3]["currentPhase"] is None


async def test_a_phase_opens_the_reviews_of_its_group_with_their_drawn_reviewers(
    http: httpx.AsyncClient, setup: dict[str, Any]
) -> None:
    started = await _start(http, setup["secretariat"], 1, 1)
    assert started["__typename"] == "GroupSchedule", started
    members = [p["code"] for p in (await _schedule(http))[1]["parties"]]
    assert started["currentPhase"] == 1
    assert started["phases"][0] == {"phase": 1, "state": "CURRENT", "scheduledReviews": len(members)}
    sur = next(code for code in members if code not in {"ARG", "KEN"})
    review = (await as_user(http, setup["secretariat"], PROGRESS, {"sur": sur}))["data"]["reviews"]["edges"]
    node = review[0]["node"]
    drawn = await as_user(
        http,
        None,
        "query($s: String) { currentAssignments(stateUnderReview: $s) { reviewer { code } } }",
        {"s": sur},
    )
    assert sorted(r["reviewer"]["code"] for r in node["reviewingStates"]) == sorted(
        a["reviewer"]["code"] for a in drawn["data"]["currentAssignments"]
    )
    assert node["progress"]["stage"] == "ANSWERING"
    assert node["progress"]["answersDueOn"] == "2025-07-15"
    assert node["progress"]["questions"] > 0 and node["progress"]["answered"] == 0


async def test_phases_start_in_order_and_only_at_seventy_percent(
    http: httpx.AsyncClient, setup: dict[str, Any], settings: Settings
) -> None:
    secretariat = setup["secretariat"]
    again = await _start(http, secretariat, 1, 1)
    assert again == {
        "__typename": "RuleViolation",
        "paragraph": "¶10",
        "message": "group 1 is in phase 1: the next phase it may start is 2",
    }
    assert violated(await _start(http, secretariat, 1, 3), "¶10")
    scheduled = (await _schedule(http))[1]["phases"][0]["scheduledReviews"]
    needed = math.ceil(0.7 * scheduled)
    members = sorted(p["code"] for p in (await _schedule(http))[1]["parties"])
    await _complete(settings, [f"{code}-1" for code in members[: needed - 1]])
    refused = await _start(http, secretariat, 1, 2)
    assert violated(refused, "¶10").startswith(
        f"{needed - 1} of {scheduled} reviews are complete; {needed} are needed"
    )
    current = (await _schedule(http))[1]["phases"][0]
    assert (current["completedReviews"], current["mayMoveOn"]) == (needed - 1, False)

    await _complete(settings, [f"{members[needed - 1]}-1"])
    assert (await _schedule(http))[1]["phases"][0]["mayMoveOn"] is True
    moved = await _start(http, secretariat, 1, 2)
    assert moved["__typename"] == "GroupSchedule" and moved["currentPhase"] == 2
    assert [p["state"] for p in moved["phases"]] == ["FINISHED", "CURRENT", "NOT_STARTED", "NOT_STARTED"]


async def test_a_decision_of_the_conference_lets_a_group_move_on(
    http: httpx.AsyncClient, setup: dict[str, Any]
) -> None:
    secretariat = setup["secretariat"]
    assert (await _start(http, secretariat, 2, 1))["__typename"] == "GroupSchedule"
    assert violated(await _start(http, secretariat, 2, 2), "¶10")  # nothing complete, no decision
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    future = await as_user(
        http, secretariat, DECIDE, {"g": 2, "p": 1, "on": tomorrow, "ref": "decision 13/1"}
    )
    assert future["data"]["recordConferenceDecision"]["field"] == "decidedOn"
    blank = await as_user(http, secretariat, DECIDE, {"g": 2, "p": 1, "on": "2026-06-01", "ref": " \n"})
    assert blank["data"]["recordConferenceDecision"]["field"] == "reference"
    decided = await as_user(
        http, secretariat, DECIDE, {"g": 2, "p": 1, "on": "2026-06-01", "ref": "decision 13/1"}
    )
    assert decided["data"]["recordConferenceDecision"] == {
        "__typename": "ConferenceDecision",
        "group": 2,
        "phase": 1,
        "reference": "decision 13/1",
    }
    twice = await as_user(http, secretariat, DECIDE, {"g": 2, "p": 1, "on": "2026-06-01", "ref": "again"})
    assert twice["data"]["recordConferenceDecision"]["field"] == "phase"
    phase_one = (await _schedule(http))[2]["phases"][0]
    assert phase_one["mayMoveOn"] is True and phase_one["conferenceDecision"] == {
        "reference": "decision 13/1"
    }
    assert (await _start(http, secretariat, 2, 2))["__typename"] == "GroupSchedule"


async def test_overdue_answers_and_feedback_and_who_sees_them(
    http: httpx.AsyncClient, setup: dict[str, Any], logins: Logins
) -> None:
    secretariat = setup["secretariat"]
    members = sorted(p["code"] for p in (await _schedule(http))[1]["parties"])
    sur = next(code for code in reversed(members) if code not in DEMO_PARTIES)  # not completed above
    review = (await as_user(http, secretariat, PROGRESS, {"sur": sur}))["data"]["reviews"]["edges"][0]["node"]
    reviewers = sorted(r["reviewer"]["code"] for r in review["reviewingStates"])
    outsider = next(code for code in ("FJI", "URY", "MNG") if code not in {sur, *reviewers})
    tokens = await logins.tokens(
        {
            "sur expert": (Role.GOVERNMENTAL_EXPERT, sur),
            "sur focal point": (Role.FOCAL_POINT, sur),
            "reviewer": (Role.GOVERNMENTAL_EXPERT, reviewers[0]),
            "reviewer focal point": (Role.FOCAL_POINT, reviewers[0]),
            "outsider": (Role.FOCAL_POINT, outsider),
        }
    )

    def owed(body: dict[str, Any]) -> list[tuple[str, str, int]]:
        return [
            (item["entry"]["kind"], item["entry"]["party"]["code"], item["entry"]["daysOverdue"])
            for item in body["data"]["overdue"]
            if item["review"]["id"] == review["id"]
        ]

    on_due_date = await as_user(http, secretariat, OVERDUE, {"on": "2025-07-15"})
    assert owed(on_due_date) == []
    day_after = await as_user(http, secretariat, OVERDUE, {"on": "2025-07-16", "kind": "ANSWERS"})
    assert owed(day_after) == [("ANSWERS", sur, 1)]
    assert owed(await as_user(http, tokens["sur focal point"], OVERDUE, {"on": "2025-07-16"})) == [
        ("ANSWERS", sur, 1)
    ]
    assert owed(await as_user(http, tokens["outsider"], OVERDUE, {"on": "2025-07-16"})) == []
    assert (await as_user(http, None, OVERDUE, {"on": "2025-07-16"}))["data"]["overdue"] == []

    save = 'mutation($r: ID!) { saveAnswer(review: $r, article: "UNTOC:6", text: "Articles 300-305 of the code.") { __typename } }'
    assert (await as_user(http, tokens["sur expert"], save, {"r": review["id"]}))["data"]["saveAnswer"][
        "__typename"
    ] == "QuestionnaireAnswer"
    submit = "mutation($r: ID!) { submitAnswers(review: $r) { __typename } }"
    assert (await as_user(http, tokens["sur focal point"], submit, {"r": review["id"]}))["data"][
        "submitAnswers"
    ]["__typename"] == "SubmittedAnswers"

    feedback_due = add_months(date.today(), 6)
    late = (feedback_due + timedelta(days=3)).isoformat()
    progress = (await as_user(http, tokens["sur focal point"], PROGRESS, {"sur": sur, "on": late}))["data"]
    shown = progress["reviews"]["edges"][0]["node"]["progress"]
    assert shown["stage"] == "AWAITING_FEEDBACK" and shown["answered"] == 1
    assert shown["feedbackDueOn"] == feedback_due.isoformat()
    assert sorted(o["party"]["code"] for o in shown["overdue"]) == reviewers
    assert {o["daysOverdue"] for o in shown["overdue"]} == {3}

    post = 'mutation($r: ID!) { postDialogueMessage(review: $r, body: "Our questions on article 6.") { __typename } }'
    assert (await as_user(http, tokens["reviewer"], post, {"r": review["id"]}))["data"][
        "postDialogueMessage"
    ]["__typename"] == "DialogueMessage"
    # A message in the dialogue is not the written feedback (¶35): that is an act of its own.
    still = await as_user(http, secretariat, OVERDUE, {"on": late, "kind": "FEEDBACK"})
    assert owed(still) == [("FEEDBACK", code, 3) for code in reviewers]
    give = 'mutation($r: ID!) { submitWrittenFeedback(review: $r, body: "Our feedback on article 6.") { __typename } }'
    assert (await as_user(http, tokens["reviewer focal point"], give, {"r": review["id"]}))["data"][
        "submitWrittenFeedback"
    ]["__typename"] == "DialogueMessage"
    after = await as_user(http, secretariat, OVERDUE, {"on": late, "kind": "FEEDBACK"})
    assert owed(after) == [("FEEDBACK", code, 3) for code in reviewers[1:]]
    shown = (await as_user(http, tokens["reviewer"], PROGRESS, {"sur": sur}))["data"]["reviews"]["edges"][0][
        "node"
    ]["progress"]
    assert [p["code"] for p in shown["feedbackFrom"]] == reviewers[:1]
    assert [p["code"] for p in shown["awaitingFeedbackFrom"]] == reviewers[1:]
    hidden = (await as_user(http, tokens["outsider"], PROGRESS, {"sur": sur}))["data"]["reviews"]["edges"][0][
        "node"
    ]
    assert hidden["progress"] is None


AMEND = (
    "mutation($c: [ReviewCluster!]!, $on: Date!, $ref: String!) { amendWorkplan(phaseClusters: $c,"
    " decidedOn: $on, reference: $ref) { __typename ... on WorkplanAmendment { number clusters reference }"
    " ... on InvalidInput { field message } ... on RuleViolation { paragraph message } } }"
)
WORKPLAN = (
    "{ workplan { number cluster } reviewPhases { number cluster } workplanAmendments { number reference } }"
)


async def test_a_decision_of_the_conference_amends_the_workplan(
    http: httpx.AsyncClient, setup: dict[str, Any], settings: Settings, logins: Logins
) -> None:
    """¶16: table 2 is data a recorded decision of the Conference amends, for the phases no
    group has started; the reviews opened afterwards take the amended cluster."""
    secretariat = setup["secretariat"]
    adopted = {
        p["number"]: p["cluster"] for p in (await as_user(http, None, WORKPLAN))["data"]["reviewPhases"]
    }
    swapped = [adopted[1], adopted[2], adopted[4], adopted[3]]
    async with graph_of(settings) as graph:
        await graph.write("MATCH (a:WorkplanAmendment) DETACH DELETE a")
        await graph.write(
            "MERGE (s:PhaseStart {key: '3-3'}) SET s.group = 3, s.phase = 3, s.scheduledReviews = []"
        )
    try:
        focal_point = await logins.token(Role.FOCAL_POINT, "LCA")
        refused = await as_user(
            http, focal_point, AMEND, {"c": swapped, "on": "2026-06-01", "ref": "decision 12/1"}
        )
        assert refused["data"]["amendWorkplan"]["__typename"] == "NotAuthorized"
        twice = await as_user(
            http, secretariat, AMEND, {"c": [adopted[1]] * 4, "on": "2026-06-01", "ref": "x"}
        )
        violated(twice["data"]["amendWorkplan"], "¶9")
        started = await as_user(
            http, secretariat, AMEND, {"c": swapped, "on": "2026-06-01", "ref": "decision 12/1"}
        )
        assert "phase 3 has started" in violated(started["data"]["amendWorkplan"], "¶16")
        async with graph_of(settings) as graph:
            await graph.write("MATCH (s:PhaseStart {key: '3-3'}) DETACH DELETE s")
        blank = await as_user(http, secretariat, AMEND, {"c": swapped, "on": "2026-06-01", "ref": " "})
        assert blank["data"]["amendWorkplan"]["field"] == "reference"
        done = await as_user(
            http, secretariat, AMEND, {"c": swapped, "on": "2026-06-01", "ref": "decision 12/1"}
        )
        assert done["data"]["amendWorkplan"] == {
            "__typename": "WorkplanAmendment",
            "number": 1,
            "clusters": swapped,
            "reference": "decision 12/1",
        }
        data = (await as_user(http, None, WORKPLAN))["data"]
        assert [p["cluster"] for p in data["workplan"]] == swapped
        assert [p["cluster"] for p in data["reviewPhases"]] == [
            adopted[n] for n in (1, 2, 3, 4)
        ]  # as adopted
        assert data["workplanAmendments"] == [{"number": 1, "reference": "decision 12/1"}]
        phases = (await _schedule(http))[3]["phases"]
        assert [p["cluster"] for p in phases] == swapped
    finally:
        async with graph_of(settings) as graph:
            await graph.write("MATCH (a:WorkplanAmendment) DETACH DELETE a")
            await graph.write("MATCH (s:PhaseStart {key: '3-3'}) DETACH DELETE s")
