"""What the sustained load adds to the public portal's requests: the secure module (a
focal point drafting answers, a reviewing State's expert reading the review with the
corpus's answer to each of its questions) and an ingest of laws rewritten in a loop by
`sherloc ingest`."""

from __future__ import annotations

import asyncio
import json
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from api.auth import Accounts, now
from api.config import Settings
from api.databases import open_databases
from api.graphql.relay import global_id
from bench.corpus import review_answers
from bench.runtime import SHERLOC, environment
from graph import reviews
from graph.driver import Graph
from graph.reference import participations_of_parties
from mechanism.access import Role
from mechanism.credentials import Throttle
from mechanism.reviews import new_review

UNDER_REVIEW, REVIEWER, PHASE = "URY", "PRY", 1  # parties no other part of the bench uses
LANGUAGE = "es"  # the first working language of the review, that of its answers
PASSWORD = "bench password 2026"  # noqa: S105 (accounts of the bench's own servers)
ARTICLES = ("UNTOC:5", "UNTOC:6", "UNTOC:7", "UNTOC:8")
INGESTED_LAWS = 500

READ_REVIEW = (
    "query ($id: ID!) { node(id: $id) { ... on Review { status answers { article { key } text } "
    "dialogue { body } documents { title } } } }"
)
SAVE_ANSWER = (
    "mutation ($id: ID!, $article: String!, $text: String!) { saveAnswer(review: $id, "
    "article: $article, text: $text) { __typename ... on QuestionnaireAnswer { id } } }"
)
LOGIN = (
    "mutation ($e: String!, $p: String!) { login(email: $e, password: $p) "
    "{ __typename ... on Session { token } } }"
)


@dataclass(frozen=True)
class SecureUsers:
    review_id: str
    focal_point: tuple[str, str]  # email, password
    expert: tuple[str, str]


async def prepare_review(settings: Settings) -> SecureUsers:
    """A review in progress, every question answered, with a focal point of the State
    under review and an expert of a reviewing State (new accounts each run; the review is
    kept between runs)."""
    async with open_databases(settings) as db:
        review_id = f"{UNDER_REVIEW}-{PHASE}"
        found = await reviews.reviews_by_ids(db.graph, [review_id])
        if found:
            review = found[0]["review"]
        else:
            participations = await participations_of_parties(db.graph, [UNDER_REVIEW])
            instruments = [p["instrument"] for p in participations if p["status"] == "PARTY"]
            review = new_review(UNDER_REVIEW, PHASE, date(2026, 1, 5), [LANGUAGE, "en"], instruments, True)
            review["createdAt"] = now()
            await reviews.create_review(db.graph, review, [{"party": REVIEWER, "instruments": instruments}])
        await _answer_all_questions(db.graph, review_id, list(review["questions"]))
        accounts = Accounts(db.graph, session_hours=2, throttle=Throttle())
        users = []
        for role, party in ((Role.FOCAL_POINT, UNDER_REVIEW), (Role.GOVERNMENTAL_EXPERT, REVIEWER)):
            if role is Role.FOCAL_POINT:  # one focal point per party: the last run's leaves
                await db.graph.write(
                    "MATCH (u:User {focalPointOf: $party}) SET u.status = 'DISABLED', u.focalPointOf = null",
                    party=party,
                )
            email = f"bench-{role.value.lower()}-{uuid.uuid4().hex[:8]}@bench.example.org"
            invitation = await accounts.invite(email, role, party)
            await accounts.activate(invitation.activation_token, PASSWORD)
            users.append((email, PASSWORD))
    return SecureUsers(str(global_id("Review", review_id)), users[0], users[1])


async def _answer_all_questions(graph: Graph, review_id: str, questions: list[str]) -> None:
    """The corpus's answers (bench/corpus.py) to the questions not answered yet, written
    as the API writes a focal point's answers, citing laws of the State in the corpus."""
    answered = {row["answer"]["article"] for row in await reviews.answers_of(graph, [review_id])}
    laws = await graph.read(
        "MATCH (l:Legislation)-[:OF_PARTY]->(:Party {code: $party}) WHERE l.key STARTS WITH 'BENCH-L' "
        "RETURN l.key AS key ORDER BY key LIMIT 50",
        party=UNDER_REVIEW,
    )
    law_keys = [row["key"] for row in laws]
    for answer in review_answers(review_id, questions, LANGUAGE, law_keys):
        if answer["article"] in answered:
            continue
        await reviews.save_answer(
            graph,
            review_id=review_id,
            instrument=answer["article"].split(":")[0],
            article=answer["article"],
            text=answer["text"],
            law_keys=answer["law_references"],
            uncac_references=[],
            expected_version=None,
            user_id="bench-corpus",
            now=now(),
        )


Request = tuple[str, dict[str, Any], str]  # query, variables, session token ("" anonymous)


def secure_requests(users: SecureUsers, tokens: tuple[str, str]) -> list[Request]:
    """One round: the focal point saves each answer, the expert reads the review after each."""
    focal_point, expert = tokens
    drafts = review_answers(f"{UNDER_REVIEW}-{PHASE}", list(ARTICLES), LANGUAGE, [])
    requests: list[Request] = []
    for article, draft in zip(ARTICLES, drafts, strict=True):
        text = f"{draft['text']}\n\n[bench: revised under load]"
        requests.append((SAVE_ANSWER, {"id": users.review_id, "article": article, "text": text}, focal_point))
        requests.append((READ_REVIEW, {"id": users.review_id}, expert))
    return requests


def _laws(path: Path, round_number: int) -> None:
    """The same laws each round with another text: every round updates all of them."""
    with path.open("w", encoding="utf-8") as handle:
        for n in range(INGESTED_LAWS):
            law = {
                "kind": "legislation",
                "id": f"BENCH-LOAD-{n:04d}",
                "party": UNDER_REVIEW,
                "title": {"es": f"Ley {n} sobre la delincuencia organizada"},
                "original_language": "es",
                "text": {"es": f"Texto de la ley {n}, revisión {round_number}. " * 20},
            }
            handle.write(json.dumps(law, ensure_ascii=False) + "\n")


async def ingest_all_along(settings: Settings, until: float, workdir: Path) -> tuple[int, list[str]]:
    """`sherloc ingest` of INGESTED_LAWS laws again and again until `until` (the event
    loop's clock): how many runs completed, and what the failed ones said."""
    loop = asyncio.get_running_loop()
    runs, failures = 0, []
    path = workdir / "bench-load-laws.jsonl"
    while loop.time() < until:
        _laws(path, runs)
        process = await asyncio.create_subprocess_exec(
            str(SHERLOC),
            "ingest",
            str(path),
            env=environment(settings),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        try:
            output, _ = await process.communicate()
        except asyncio.CancelledError:  # the load ended early: leave no ingest writing
            process.kill()
            await process.wait()
            raise
        if process.returncode != 0:
            failures.append(output.decode(errors="replace")[-300:])
            await asyncio.sleep(1)
        else:
            runs += 1
    return runs, failures
