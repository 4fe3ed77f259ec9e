"""Competent authorities' accounts in a country review, through GraphQL over HTTP
(docs/policy.md, "Competent authorities"): the authority of the State under review reads
its review's drafts, dialogue, documents and progress, on every read path, and writes none
of them; the authorities of a reviewing State and of another State read none of it.

Parties of this module only: GTM under review (phase 4), CRI and EST reviewing, PHL other.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from api.config import Settings
from mechanism.access import Role
from tests.integration.accounts_helpers import Logins
from tests.integration.reviews_helpers import data_as, forget_review, forget_review_publications
from tests.integration.rules_helpers import without_draws

SUR, REVIEWERS, OTHER = "GTM", ("CRI", "EST"), "PHL"
REVIEW_ID = f"{SUR}-4"
SIX = ["AR", "ZH", "EN", "FR", "RU", "ES"]
PDF = base64.b64encode(b"%PDF-1.4\n% a record of a video meeting\n").decode()
# Answers were due on 2024-07-15 (¶34): on this day they are overdue.
AS_OF = "2025-01-01"


@dataclass(frozen=True)
class Person:
    name: str
    token: str


async def _reset(settings: Settings) -> None:
    """Remove this module's review, what was written in it and its publications."""
    await without_draws(settings)  # GTM's reviewers are named, so no draw may govern (¶28)
    await forget_review(settings, REVIEW_ID)
    await forget_review_publications(settings, SUR)


async def call(http: httpx.AsyncClient, person: Person, query: str, **variables: Any) -> dict[str, Any]:
    return await data_as(http, person.token, query, **variables)


CREATE = """mutation { createReview(stateUnderReview: "GTM", phase: 4, phaseStartedOn: "2024-01-15",
  workingLanguages: [EN, ES],
  reviewers: [{party: "CRI", instruments: [UNTOC, TIP, SOM, FIREARMS]},
    {party: "EST", instruments: [UNTOC, TIP, SOM, FIREARMS]}]) {
  __typename ... on Review { id questionnaire { articles { key } } } ... on InvalidInput { field message } } }"""
SAVE_ANSWER = (
    "mutation($r: ID!, $a: String!) { x: saveAnswer(review: $r, article: $a, text: $a) { __typename } }"
)
POST = 'mutation($r: ID!) { x: postDialogueMessage(review: $r, body: "Please clarify article 11") { __typename } }'
UPLOAD = (
    'mutation($r: ID!) { x: uploadDocument(review: $r, title: "Meeting record", contentType: "application/pdf",'
    f' contentBase64: "{PDF}") {{ __typename ... on ReviewDocument {{ id }} }} }}'
)
SAVE_LIST = (
    'mutation($r: ID!, $s: [SummaryText!]) { x: saveObservations(review: $r, gapsAndChallenges: ["A gap"],'
    ' recommendations: ["Adopt a law"], summary: $s) { __typename } }'
)


@pytest.fixture(scope="module")
async def setting(settings: Settings, api_url: str, logins: Logins) -> dict[str, Any]:
    """The review, with a draft answer, a message, a document and a draft list, and the
    accounts reading it."""
    await _reset(settings)
    wanted = {
        "secretariat": (Role.SECRETARIAT, None),
        "sur FOCAL_POINT": (Role.FOCAL_POINT, SUR),
        "sur GOVERNMENTAL_EXPERT": (Role.GOVERNMENTAL_EXPERT, SUR),
        "sur AUTHORITY": (Role.AUTHORITY, SUR),
        "reviewer FOCAL_POINT": (Role.FOCAL_POINT, REVIEWERS[0]),
        "reviewer AUTHORITY": (Role.AUTHORITY, REVIEWERS[0]),
        "other AUTHORITY": (Role.AUTHORITY, OTHER),
    }
    people = {name: Person(name, token) for name, token in (await logins.tokens(wanted)).items()}
    async with httpx.AsyncClient(base_url=api_url, timeout=30) as http:
        created = (await call(http, people["secretariat"], CREATE))["createReview"]
        assert created["__typename"] == "Review", created
        review = str(created["id"])
        question = created["questionnaire"][0]["articles"][0]["key"]
        steps = [
            ("sur GOVERNMENTAL_EXPERT", SAVE_ANSWER, {"a": question}, "QuestionnaireAnswer"),
            ("reviewer FOCAL_POINT", POST, {}, "DialogueMessage"),
            (
                "reviewer FOCAL_POINT",
                SAVE_LIST,
                {"s": [{"lang": lang, "text": f"Summary in {lang.lower()}"} for lang in SIX]},
                "Review",
            ),
        ]
        for name, mutation, variables, expected in steps:
            done = (await call(http, people[name], mutation, r=review, **variables))["x"]
            assert done["__typename"] == expected, (name, done)
        uploaded = (await call(http, people["sur GOVERNMENTAL_EXPERT"], UPLOAD, r=review))["x"]
        assert uploaded["__typename"] == "ReviewDocument", uploaded
        document = str(uploaded["id"])
    return {"people": people, "review": review, "question": question, "document": document}


FIELDS = """answers { article { key } text status }
  dialogue { body } documents { id title }
  listOfObservations { gapsAndChallenges recommendations final }
  summary(lang: "es") { text }
  progress(asOf: "2025-01-01") { stage answered overdue { kind party { code } } }"""
BY_ID = "query($id: ID!) { node(id: $id) { ... on Review { " + FIELDS + " } } }"
LISTED = '{ reviews(stateUnderReview: "GTM", phase: 4) { edges { node { ' + FIELDS + " } } } }"
OVERDUE = (
    'query { overdue(asOf: "2025-01-01") { entry { kind party { code } }'
    " review { stateUnderReview { code } phase } } }"
)


async def _views(http: httpx.AsyncClient, person: Person, review: str) -> list[dict[str, Any]]:
    """The review as the person reads it by ID and in the list of reviews."""
    by_id = (await call(http, person, BY_ID, id=review))["node"]
    listed = (await call(http, person, LISTED))["reviews"]["edges"]
    assert len(listed) == 1
    return [by_id, listed[0]["node"]]


async def _overdue_here(http: httpx.AsyncClient, person: Person) -> list[dict[str, Any]]:
    items = (await call(http, person, OVERDUE))["overdue"]
    return [
        i["entry"]
        for i in items
        if i["review"]["stateUnderReview"]["code"] == SUR and i["review"]["phase"] == 4
    ]


async def _download(http: httpx.AsyncClient, person: Person, document: str) -> int:
    response = await http.get(f"/documents/{document}", headers={"authorization": f"Bearer {person.token}"})
    return response.status_code


async def test_the_authority_of_the_state_under_review_reads_what_its_focal_point_reads(
    setting: dict[str, Any], http: httpx.AsyncClient
) -> None:
    people, review = setting["people"], setting["review"]
    authority, focal_point = people["sur AUTHORITY"], people["sur FOCAL_POINT"]
    views = await _views(http, authority, review)
    assert views == await _views(http, focal_point, review)
    for view in views:
        assert [a["status"] for a in view["answers"]] == ["DRAFT"]
        assert [m["body"] for m in view["dialogue"]] == ["Please clarify article 11"]
        assert [d["id"] for d in view["documents"]] == [setting["document"]]
        assert view["listOfObservations"] == {
            "gapsAndChallenges": ["A gap"],
            "recommendations": ["Adopt a law"],
            "final": False,
        }
        assert view["summary"] == {"text": "Summary in es"}
        assert view["progress"]["answered"] == 1
        assert {"kind": "ANSWERS", "party": {"code": SUR}} in view["progress"]["overdue"]
    assert await _download(http, authority, setting["document"]) == 200
    overdue = await _overdue_here(http, authority)
    assert overdue == await _overdue_here(http, focal_point)
    assert {"kind": "ANSWERS", "party": {"code": SUR}} in overdue


@pytest.mark.parametrize("name", ["reviewer AUTHORITY", "other AUTHORITY"])
async def test_other_authorities_read_none_of_it(
    setting: dict[str, Any], http: httpx.AsyncClient, name: str
) -> None:
    person = setting["people"][name]
    for view in await _views(http, person, setting["review"]):
        assert view == {
            "answers": [],
            "dialogue": [],
            "documents": [],
            "listOfObservations": None,
            "summary": None,
            "progress": None,
        }, name
    assert await _download(http, person, setting["document"]) == 404
    assert await _overdue_here(http, person) == []


async def test_the_authority_of_the_state_under_review_writes_nothing(
    setting: dict[str, Any], http: httpx.AsyncClient
) -> None:
    people, review = setting["people"], setting["review"]
    authority = people["sur AUTHORITY"]
    before = await _views(http, people["secretariat"], review)
    version = "mutation($r: ID!) { x: agreeToObservations(review: $r, version: 1) { __typename } }"
    attempts = [
        (SAVE_ANSWER, {"a": setting["question"]}),
        ("mutation($r: ID!) { x: submitAnswers(review: $r) { __typename } }", {}),
        (POST, {}),
        (UPLOAD, {}),
        (SAVE_LIST, {"s": None}),
        (version, {}),
        (
            "mutation($r: ID!) { x: setDisclosure(review: $r, artefact: DIALOGUE, visibility: PUBLIC)"
            " { __typename } }",
            {},
        ),
        ('mutation($r: ID!) { x: submitWrittenFeedback(review: $r, body: "b") { __typename } }', {}),
        ('mutation($r: ID!) { x: reopenObservations(review: $r, reason: "r") { __typename } }', {}),
        (
            'mutation($r: ID!) { x: proposeReviewTimeline(review: $r, answersDueOn: "2026-06-01",'
            " workingLanguages: [EN]) { __typename } }",
            {},
        ),
        ("mutation($r: ID!) { x: agreeToReviewTimeline(review: $r, version: 1) { __typename } }", {}),
    ]
    for mutation, variables in attempts:
        done = (await call(http, authority, mutation, r=review, **variables))["x"]
        assert done == {"__typename": "NotAuthorized"}, mutation
    assert await _views(http, people["secretariat"], review) == before
