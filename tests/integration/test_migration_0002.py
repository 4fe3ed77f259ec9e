"""Migration step 0002 (issue #16) on data in the shape earlier releases wrote: what breaks
the new rules is raised to the floor and logged (¶38, ¶40), written feedback is recorded
from the first message after the answers (¶35), a third language's missing exception is
said (¶50); run twice, it changes nothing more.

The step's statements run in one transaction that is rolled back, so that the shared test
graph keeps nothing of it (in that transaction they commit in one piece, not in batches).
"""

from __future__ import annotations

from typing import Any

import pytest
from neo4j import AsyncManagedTransaction

from api.config import Settings
from graph.migrations import load_steps
from tests.integration.databases import graph_of

REVIEW = "MIG0002-1"


class RolledBack(Exception):
    def __init__(self, found: dict[str, Any]) -> None:
        super().__init__("rolled back")
        self.found = found


OLD_SHAPE = """
MATCH (sur:Party {code: 'ROU'}), (hrv:Party {code: 'HRV'}), (prt:Party {code: 'PRT'})
CREATE (r:Review {id: $id, stateUnderReview: 'ROU', phase: 1, workingLanguages: ['en', 'fr', 'ru'],
  answersSubmittedOn: date('2026-01-10')})
CREATE (r)-[:UNDER_REVIEW]->(sur)
CREATE (r)-[:REVIEWED_BY {instruments: ['UNTOC']}]->(hrv)
CREATE (r)-[:REVIEWED_BY {instruments: ['UNTOC']}]->(prt)
WITH r
UNWIND [['QUESTIONNAIRE_ANSWERS', ''], ['QUESTIONNAIRE_ANSWERS', 'TIP'], ['SUMMARY', ''],
        ['LIST_OF_OBSERVATIONS', ''], ['LIST_OF_OBSERVATIONS', 'recommendations'], ['DIALOGUE', '']] AS flag
CREATE (:Disclosure {key: $id + '|' + flag[0] + '|' + flag[1], reviewId: $id, artefact: flag[0],
  part: flag[1], visibility: 'REVIEW_PARTICIPANTS'})
WITH DISTINCT r
UNWIND [['m1', 'HRV', '2026-01-05T10:00:00Z'], ['m2', 'HRV', '2026-01-12T10:00:00Z'],
        ['m3', 'HRV', '2026-01-20T10:00:00Z'], ['m4', 'ROU', '2026-01-13T10:00:00Z'],
        ['m5', 'PRT', '2026-01-09T10:00:00Z']] AS m
CREATE (:DialogueMessage {id: $id + m[0], reviewId: $id, authorParty: m[1], postedAt: datetime(m[2]),
  kind: 'MESSAGE', body: 'b', thread: $id + m[0], revision: 1})-[:OF_REVIEW]->(r)
"""

FOUND = """
MATCH (r:Review {id: $id})
RETURN r.workingLanguagesException AS exception,
  COLLECT { MATCH (d:Disclosure {reviewId: $id}) RETURN [d.artefact, d.part, d.visibility] } AS flags,
  COLLECT { MATCH (c:DisclosureChange {reviewId: $id})-[:OF_REVIEW]->(r)
            RETURN [c.artefact, c.part, c.from, c.to, c.by, c.reason IS NOT NULL] } AS log,
  COLLECT { MATCH (f:WrittenFeedback {reviewId: $id})-[:WRITTEN_IN]->(m:DialogueMessage)
            RETURN [f.party, toString(f.givenOn), m.id] } AS feedback
"""


async def _migrated(settings: Settings) -> list[dict[str, Any]]:
    """The review in the old shape, then after the step, then after the step again."""
    statements = [s.replace("IN TRANSACTIONS OF 1000 ROWS", "") for s in load_steps()[1].statements]

    async def work(tx: AsyncManagedTransaction) -> None:
        await tx.run(OLD_SHAPE, id=REVIEW)
        found = []
        for _ in range(2):
            for statement in statements:
                await (await tx.run(statement)).consume()
            record = await (await tx.run(FOUND, id=REVIEW)).single()
            assert record is not None
            found.append(dict(record))
        raise RolledBack({"runs": found})

    async with graph_of(settings) as graph:
        with pytest.raises(RolledBack) as rolled_back:
            await graph.write_transaction(work)
        assert await graph.read("MATCH (r:Review {id: $id}) RETURN r", id=REVIEW) == []
    runs: list[dict[str, Any]] = rolled_back.value.found["runs"]
    return runs


async def test_step_0002_brings_old_data_within_the_rules(settings: Settings, running_services: None) -> None:
    first, second = await _migrated(settings)
    assert first == second  # idempotent
    flags = sorted(tuple(f) for f in first["flags"])
    assert flags == [
        ("DIALOGUE", "", "REVIEW_PARTICIPANTS"),  # the State's to decide (¶40)
        ("LIST_OF_OBSERVATIONS", "", "ALL_STATES_PARTIES"),  # the whole list goes to the working groups
        ("LIST_OF_OBSERVATIONS", "recommendations", "REVIEW_PARTICIPANTS"),  # a part may stay
        ("QUESTIONNAIRE_ANSWERS", "", "ALL_STATES_PARTIES"),
        ("QUESTIONNAIRE_ANSWERS", "TIP", "ALL_STATES_PARTIES"),
        ("SUMMARY", "", "ALL_STATES_PARTIES"),
    ]
    assert sorted(tuple(c) for c in first["log"]) == [
        (artefact, part, "REVIEW_PARTICIPANTS", "ALL_STATES_PARTIES", "migration 0002", True)
        for artefact, part in (
            ("LIST_OF_OBSERVATIONS", ""),
            ("QUESTIONNAIRE_ANSWERS", ""),
            ("QUESTIONNAIRE_ANSWERS", "TIP"),
            ("SUMMARY", ""),
        )
    ]
    # HRV's first message on or after the answers; PRT wrote only before; ROU is no reviewer.
    assert first["feedback"] == [["HRV", "2026-01-12", f"{REVIEW}m2"]]
    assert "migration 0002" in first["exception"]
