"""The demo `make run` loads: the corpus, the accounts of the README and two reviews."""

from __future__ import annotations

import csv
import re
import textwrap
from pathlib import Path

import httpx
import pytest

from api.config import Settings
from ops.bootstrap import DEMO_PASSWORD, create_demo_accounts, create_demo_reviews
from ops.cli import DEMO_DIR
from tests.integration.accounts_helpers import as_user, login

REVIEWS = """{ reviews(first: 100) { edges { node { stateUnderReview { code } status feedbackDueOn
  answers { status } dialogue { body } documents { title }
  listOfObservations { final recommendations } summary(lang: "ar") { lang text } } } } }"""


@pytest.fixture(scope="module")
async def demo(settings: Settings, running_services: None) -> None:
    await create_demo_accounts(settings, DEMO_DIR / "accounts.csv", report=lambda _: None)
    await create_demo_reviews(settings, DEMO_DIR / "reviews.json", report=lambda _: None)


async def test_every_demo_account_of_the_readme_logs_in(http: httpx.AsyncClient, demo: None) -> None:
    with (DEMO_DIR / "accounts.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    roles = {(row["party"], row["role"]) for row in rows}
    for party in ("ARG", "KEN", "CHL", "SWE", "NGA", "JPN", "NZL"):
        for role in ("FOCAL_POINT", "GOVERNMENTAL_EXPERT", "OBSERVER", "AUTHORITY"):
            assert (party, role) in roles
    for row in rows:
        session = await login(http, row["email"], DEMO_PASSWORD)
        assert session["__typename"] == "Session", row
        assert session["user"]["role"] == row["role"]


async def test_two_demo_reviews_are_complete(http: httpx.AsyncClient, demo: None) -> None:
    session = await login(http, "secretariat@unodc.example.org", DEMO_PASSWORD)
    data = (await as_user(http, session["token"], REVIEWS))["data"]
    reviews = {e["node"]["stateUnderReview"]["code"]: e["node"] for e in data["reviews"]["edges"]}
    for code in ("ARG", "KEN"):
        review = reviews[code]
        assert review["status"] == "ANSWERS_SUBMITTED" and review["feedbackDueOn"]
        assert review["answers"] and {a["status"] for a in review["answers"]} == {"SUBMITTED"}
        assert review["dialogue"] and review["documents"]
        assert review["listOfObservations"]["final"] is True
        assert review["summary"]["lang"] == "ar"


async def test_the_public_reads_the_demo_summaries_only(http: httpx.AsyncClient, demo: None) -> None:
    data = (await as_user(http, None, REVIEWS))["data"]
    for edge in data["reviews"]["edges"]:
        node = edge["node"]
        if node["stateUnderReview"]["code"] in ("ARG", "KEN"):
            assert node["summary"] is not None
            assert node["answers"] == [] and node["dialogue"] == [] and node["documents"] == []
            assert node["listOfObservations"] is None


README = Path(__file__).parents[2] / "README.md"


def _tour() -> tuple[list[str], list[str]]:
    """The README tour's GraphQL: its fenced blocks, and its inline queries in backticks."""
    text = README.read_text(encoding="utf-8")
    blocks = [textwrap.dedent(b) for b in re.findall(r"```graphql\n(.*?)```", text, re.S)]
    inline = re.findall(r"`(\{ reviews .*?)`", text)
    return blocks, inline


async def test_the_readme_tour_runs(http: httpx.AsyncClient, demo: None) -> None:
    blocks, inline = _tour()
    search, legal_basis, login_block = blocks
    found = await as_user(http, None, search)
    assert "errors" not in found and found["data"]["search"]["totalCount"] > 0, found
    basis = await as_user(http, None, legal_basis)
    assert "errors" not in basis, basis
    assert basis["data"]["legalBasis"]["treaties"] and basis["data"]["legalBasis"]["precedents"]["totalCount"]
    session = (await as_user(http, None, login_block))["data"]["login"]
    assert session["token"]
    http.cookies.clear()  # the session goes as a Bearer token, as the tour says
    (reviews,) = inline
    seen = (await as_user(http, session["token"], reviews))["data"]["reviews"]["edges"]
    dialogues = {e["node"]["stateUnderReview"]["code"]: e["node"]["dialogue"] for e in seen}
    assert dialogues["ARG"]
    outsider = (await login(http, "focal.point@nzl.example.org", DEMO_PASSWORD))["token"]
    seen = (await as_user(http, outsider, reviews))["data"]["reviews"]["edges"]
    dialogues = {e["node"]["stateUnderReview"]["code"]: e["node"]["dialogue"] for e in seen}
    assert dialogues["ARG"] == dialogues["KEN"] == []  # the demo's reviews (tests add others)


KNOWLEDGE_BASE = Path(__file__).parents[2] / "docs" / "knowledge-base.md"


async def test_the_knowledge_base_s_examples_run_on_the_demo(http: httpx.AsyncClient, demo: None) -> None:
    """Every query of docs/knowledge-base.md (its ```graphql blocks that read, anonymously)
    runs without an error on the demo data and finds something."""
    text = KNOWLEDGE_BASE.read_text(encoding="utf-8")
    queries = [b for b in re.findall(r"```graphql\n(.*?)```", text, re.S) if b.lstrip().startswith("{")]
    assert len(queries) >= 2
    for query in queries:
        answer = await as_user(http, None, query)
        assert "errors" not in answer and all(answer["data"].values()), (query, answer)
