"""A list of observations is published only when the API shows it final (docs/policy.md,
"When a list of observations is final"): one rule, mechanism.reviews.review_complete.

The review is COG's, a signatory volunteering (¶52), phase 4, before any reviewing State
is drawn for it (stage AWAITING_REVIEWERS): only the State under review can agree, and ¶39
asks every reviewing State's agreement too, so its list stays a draft. (No draw of lots of
the tests names COG a volunteer, so no draw gives the review reviewers meanwhile.)
"""

from __future__ import annotations

import datetime
from typing import Any

import httpx
import pytest

from api.config import Settings
from mechanism.access import Role
from mechanism.reviews import new_review
from tests.integration.accounts_helpers import Logins
from tests.integration.databases import graph_of
from tests.integration.reviews_helpers import data_as, forget_review, forget_review_publications

SUR = "COG"
REVIEW_ID = f"{SUR}-4"
SIX = ["AR", "ZH", "EN", "FR", "RU", "ES"]


async def _reset(settings: Settings) -> None:
    await forget_review(settings, REVIEW_ID)
    await forget_review_publications(settings, SUR)
    async with graph_of(settings) as graph:
        # A review opened before its reviewing States are drawn, as `startPhase` opens the
        # reviews of a group whose reviewers are not drawn yet (graph/schedule.py; their first
        # draw fills them in later). Written here as it writes it: starting a group's phase
        # would open the reviews of a whole group, shared with other tests.
        review = new_review(SUR, 4, datetime.date(2026, 1, 15), ["en"], ["UNTOC"], False, volunteer=True)
        review["createdAt"] = datetime.datetime.now(datetime.UTC)
        await graph.write(
            "MATCH (p:Party {code: $review.stateUnderReview}) "
            "CREATE (r:Review) SET r = $review CREATE (r)-[:UNDER_REVIEW]->(p)",
            review=review,
        )


async def call(http: httpx.AsyncClient, token: str | None, query: str, **variables: Any) -> dict[str, Any]:
    return await data_as(http, token, query, **variables)


@pytest.fixture(scope="module")
async def tokens(settings: Settings, logins: Logins) -> dict[str, str]:
    await _reset(settings)
    return await logins.tokens(
        {"secretariat": (Role.SECRETARIAT, None), "focal point": (Role.FOCAL_POINT, SUR)}
    )


REVIEW = (
    '{ reviews(stateUnderReview: "COG", phase: 4) { edges { node { id reviewingStates { reviewer { code } } }'
    " } } }"
)
LIST = (
    "query($id: ID!) { node(id: $id) { ... on Review { listOfObservations { final agreedBy { code } }"
    ' summary(lang: "fr") { text } progress { complete } } } }'
)
PUBLISHED = (
    'query { search(query: "", kinds: [REVIEW_DOCUMENT], filter: {parties: ["COG"]}, first: 100) {'
    " edges { node { document { ... on ReviewPublication { key } } } } } }"
)


async def _published(http: httpx.AsyncClient) -> set[str]:
    edges = (await call(http, None, PUBLISHED))["search"]["edges"]
    return {e["node"]["document"]["key"] for e in edges}


async def test_a_list_the_api_shows_as_a_draft_is_not_published(
    tokens: dict[str, str], http: httpx.AsyncClient
) -> None:
    secretariat, focal_point = tokens["secretariat"], tokens["focal point"]
    edges = (await call(http, secretariat, REVIEW))["reviews"]["edges"]
    assert len(edges) == 1 and edges[0]["node"]["reviewingStates"] == []
    review = edges[0]["node"]["id"]

    summary = [{"lang": lang, "text": f"Summary in {lang.lower()}"} for lang in SIX]
    save = (
        'mutation($r: ID!, $s: [SummaryText!]) { saveObservations(review: $r, recommendations: ["Adopt a law"],'
        " summary: $s) { __typename ... on Review { listOfObservations { version } } } }"
    )
    saved = (await call(http, secretariat, save, r=review, s=summary))["saveObservations"]
    assert saved["__typename"] == "Review", saved
    agree = (
        "mutation($r: ID!, $v: Int!) { agreeToObservations(review: $r, version: $v) { __typename"
        " ... on Review { listOfObservations { final } } } }"
    )
    agreed = await call(http, focal_point, agree, r=review, v=saved["listOfObservations"]["version"])
    assert agreed["agreeToObservations"] == {"__typename": "Review", "listOfObservations": {"final": False}}

    # The API: a draft, agreed by the State under review alone, not complete (¶39).
    node = (await call(http, secretariat, LIST, id=review))["node"]
    assert node["listOfObservations"] == {"final": False, "agreedBy": [{"code": SUR}]}
    assert node["progress"] == {"complete": False}
    assert (await call(http, None, LIST, id=review))["node"]["summary"] is None  # a draft: not public

    # Search follows: the summary (PUBLIC by default) is not published while it is a draft...
    assert not any(key.startswith(f"{REVIEW_ID}|SUMMARY") for key in await _published(http))
    # ...while what the State did make public is (the search does show this review's publications).
    flag = "mutation($r: ID!) { setDisclosure(review: $r, artefact: DIALOGUE, visibility: PUBLIC) { __typename } }"
    assert (await call(http, focal_point, flag, r=review))["setDisclosure"]["__typename"] == "Review"
    post = 'mutation($r: ID!) { postDialogueMessage(review: $r, body: "Record of the first call") { __typename } }'
    assert (await call(http, secretariat, post, r=review))["postDialogueMessage"]["__typename"] == (
        "DialogueMessage"
    )
    published = await _published(http)
    assert f"{REVIEW_ID}|DIALOGUE" in published
    assert not any(key.startswith((f"{REVIEW_ID}|SUMMARY", f"{REVIEW_ID}|LIST")) for key in published)
