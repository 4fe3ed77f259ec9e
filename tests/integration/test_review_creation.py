"""Opening a review whose State has no reviewing States drawn: a typed refusal over HTTP,
never an internal error, and a write that keeps its row whatever the reviewers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import httpx
import pytest

from api.config import Settings
from graph import draws as draws_store
from graph import reviews as store
from graph.driver import Graph
from graph.reference import UnknownParty
from graph.reviews import DrawsChanged
from mechanism.access import Role
from mechanism.reviews import new_review
from tests.integration.accounts_helpers import Logins, as_user
from tests.integration.databases import graph_of
from tests.integration.rules_helpers import violated, without_draws

# The Holy See: drawn unless it recorded its choice not to be (footnote 2 of resolution 9/1);
# with no draw of States under review made (or it left out), no draw gives it reviewers. No
# other module opens a review of it.
HOLY_SEE = "VAT"
CREATE = (
    'mutation { createReview(stateUnderReview: "VAT", phase: 2, phaseStartedOn: "2026-01-05",'
    " workingLanguages: [EN]) { __typename ... on Review { id } ... on InvalidInput { field message }"
    " ... on RuleViolation { paragraph message } } }"
)
COUNT = '{ reviews(stateUnderReview: "VAT", phase: 2) { totalCount } }'


@pytest.fixture
async def graph(settings: Settings, running_services: None) -> AsyncIterator[Graph]:
    async with graph_of(settings) as connected:
        yield connected


async def test_a_state_without_drawn_reviewers_is_refused_with_the_rule(
    http: httpx.AsyncClient, logins: Logins, settings: Settings
) -> None:
    await without_draws(settings)  # none drawn yet: no draw will give VAT reviewers
    secretariat = await logins.token(Role.SECRETARIAT)
    body = await as_user(http, secretariat, CREATE)
    assert "errors" not in body, body["errors"]
    message = violated(body["data"]["createReview"], "¶28")
    assert "VAT has no reviewing States drawn (¶28)" in message
    assert "¶17" in message and "name the reviewing States" in message
    assert (await as_user(http, secretariat, COUNT))["data"]["reviews"]["totalCount"] == 0


def _review(phase: int) -> dict[str, object]:
    review = new_review(HOLY_SEE, phase, date(2026, 1, 5), ["en"], {"UNTOC"}, False, False)
    review["createdAt"] = date(2026, 1, 5)
    return review


async def _exists(graph: Graph, review_id: str) -> bool:
    return bool(await store.reviews_by_ids(graph, [review_id]))


async def test_the_write_keeps_its_row_without_reviewers(graph: Graph) -> None:
    """What createReview writes for a State drawn under review whose reviewers are still to
    be drawn (the first draw of reviewers then fills it): under the lock of reviewer draws."""
    review = _review(3)
    await graph.write("MATCH (r:Review {id: $id}) DETACH DELETE r", id=review["id"])
    try:
        for _ in range(3):  # another module may draw meanwhile: read the draws again
            seen = [row["draw"]["id"] for row in await draws_store.reviewer_draws(graph)]
            try:
                created = await store.create_review(graph, review, [], reviewer_draws_seen=seen)
            except DrawsChanged:
                continue
            break
        assert created["id"] == "VAT-3"
        rows = await store.reviews_by_ids(graph, ["VAT-3"])
        assert rows[0]["reviewers"] == []
    finally:
        await graph.write("MATCH (r:Review {id: $id}) DETACH DELETE r", id=review["id"])


async def test_a_missing_party_or_a_draw_made_meanwhile_writes_nothing(graph: Graph) -> None:
    review = _review(4)
    await graph.write("MATCH (r:Review {id: $id}) DETACH DELETE r", id=review["id"])
    try:
        with pytest.raises(UnknownParty) as unknown:
            await store.create_review(graph, review, [{"party": "XXX", "instruments": ["UNTOC"]}])
        assert unknown.value.code == "XXX"
        assert not await _exists(graph, "VAT-4")
        with pytest.raises(UnknownParty) as unknown:
            await store.create_review(graph, {**review, "stateUnderReview": "XXX"}, [])
        assert unknown.value.code == "XXX"
        assert not await _exists(graph, "VAT-4")
        with pytest.raises(DrawsChanged):
            await store.create_review(graph, review, [], reviewer_draws_seen=["no such draw"])
        assert not await _exists(graph, "VAT-4")
    finally:
        await graph.write("MATCH (r:Review {id: $id}) DETACH DELETE r", id=review["id"])
