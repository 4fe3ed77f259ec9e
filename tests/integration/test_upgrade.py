"""Upgrades keep every record: each backup an earlier release made (tests/data/upgrade/,
made by `python -m tests.integration.upgrade build`) is restored into fresh servers, this
release's `sherloc setup` migrates it, and the recorded questions get the recorded answers:
logins with the same passwords, the knowledge base, every kind of viewer's reviews, the
draws (verified again), the designations, the stakeholder dialogues, the audit logs."""

from __future__ import annotations

import asyncio
import json
import shutil
from typing import Any

import httpx
import pytest

from api.config import Settings
from graph.migrations import applied_steps, load_steps
from ops import backup
from ops.cli import cmd_setup
from ops.launcher.elasticsearch import give_to_service_user
from tests.integration.conftest import serving
from tests.integration.databases import graph_of
from tests.integration.upgrade import ANSWERS, DATA, Asker, answers_of, servers_of_their_own

pytestmark = pytest.mark.slow  # servers of their own, a minute or more each

RELEASES = sorted(path.name for path in DATA.iterdir() if (path / ANSWERS).is_file())

# A step that renames a label or a relationship type says so here, old name: new name.
RENAMED: dict[str, str] = {}


def _copy_into(settings: Settings, name: str) -> None:
    """The committed backup into the fresh servers' backup folder, as `sherloc backup` left it."""
    settings.backups_dir.mkdir(mode=0o711, parents=True, exist_ok=True)
    target = settings.backups_dir / name
    shutil.copytree(DATA / name, target)
    (target / "neo4j.dump").chmod(0o600)
    give_to_service_user(target / backup.SNAPSHOT_DIR)


async def _counts(settings: Settings) -> dict[str, int]:
    """How many nodes of each label and relationships of each type the graph holds."""
    async with graph_of(settings) as graph:
        labels = await graph.read("MATCH (n) UNWIND labels(n) AS label RETURN label AS name, count(*) AS n")
        types = await graph.read("MATCH ()-[r]->() RETURN type(r) AS name, count(*) AS n")
    return {f":{row['name']}": row["n"] for row in labels} | {f"-{row['name']}-": row["n"] for row in types}


async def _ask(url: str, record: dict[str, Any]) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        return await answers_of(Asker(http, dict(record["passwords"])), record)


# Reference data corrected since a release (each with its source in the reference files):
# the parties' participations this release adds, as (party, instrument). `sherloc setup`
# loads the release's reference data, so an upgraded graph answers with them.
PARTICIPATIONS_ADDED = {("GAB", "SOM")}  # treaty-status/SOM.csv, 2026-12-08


# The kinds of document a backup's release knew (recorded since 2026-12-08; before, these):
# a search of that release did not find the kinds added since, so its searches are asked of
# its kinds only.
KINDS_BEFORE_THEY_WERE_RECORDED = ["LEGISLATION", "CASE", "COMPETENT_AUTHORITY", "REVIEW_DOCUMENT"]


def _as_their_release_asked(record: dict[str, Any]) -> dict[str, Any]:
    asked: dict[str, Any] = json.loads(json.dumps(record))
    kinds = "[" + ", ".join(record.get("document_kinds", KINDS_BEFORE_THEY_WERE_RECORDED)) + "]"
    for question in asked["questions"]:
        query = question["query"]
        if "search(" in query and "kinds:" not in query:
            question["query"] = query.replace("search(", f"search(kinds: {kinds}, ", 1)
    return asked


def _with_corrections(query: str, answer: Any) -> Any:
    """A recorded answer as this release's reference data makes it."""
    if "participations" not in query or "parties(" not in query:
        return answer
    corrected = json.loads(json.dumps(answer))
    for edge in corrected["parties"]["edges"]:
        node = edge["node"]
        have = {p["instrument"]["code"] for p in node["participations"]}
        for party, instrument in sorted(PARTICIPATIONS_ADDED):
            if node["code"] == party and instrument not in have:
                node["participations"].append({"instrument": {"code": instrument}})
    return corrected


def _comparable(query: str, answer: Any) -> Any:
    """A search's hits and facets as sets: a later release may rank and count buckets in
    another order (its mapping changed), never find other documents. A party's
    participations as a set too."""
    if "participations" in query and "parties(" in query:
        answer = json.loads(json.dumps(answer))
        for edge in answer["parties"]["edges"]:
            edge["node"]["participations"].sort(key=lambda p: p["instrument"]["code"])
        return answer
    if "search(" not in query:
        return answer
    search = answer["search"]
    return {
        "totalCount": search["totalCount"],
        "hits": sorted(json.dumps(edge, sort_keys=True) for edge in search["edges"]),
        "facets": {
            f["field"]: sorted(json.dumps(b, sort_keys=True) for b in f["buckets"]) for f in search["facets"]
        },
    }


@pytest.mark.parametrize("name", RELEASES)
def test_an_earlier_release_s_data_upgrades_with_every_record(settings: Settings, name: str) -> None:
    record = json.loads((DATA / name / ANSWERS).read_text(encoding="utf-8"))
    with servers_of_their_own(settings, (17693, 19271, 19371)) as fresh:
        _copy_into(fresh, name)
        backup.restore(fresh, name, report=print)
        before = asyncio.run(_counts(fresh))

        cmd_setup(fresh)  # what an operator runs after installing the new release

        steps = load_steps()
        assert [a.version for a in asyncio.run(_applied(fresh))] == [s.version for s in steps]
        after = asyncio.run(_counts(fresh))
        lost = {
            what: (count, after.get(RENAMED.get(what, what), 0))
            for what, count in before.items()
            if after.get(RENAMED.get(what, what), 0) < count
        }
        assert not lost, f"nodes or relationships lost in the upgrade (before, after): {lost}"

        with serving(fresh) as url:
            answers = asyncio.run(_ask(url, _as_their_release_asked(record)))

    expected = record["answers"]
    assert answers["logins"] == expected["logins"]
    assert answers["downloads"] == expected["downloads"]
    for question, now, then in zip(
        record["questions"], answers["questions"], expected["questions"], strict=True
    ):
        then = _with_corrections(question["query"], then)
        found, recorded = _comparable(question["query"], now), _comparable(question["query"], then)
        if "search(" in question["query"]:  # facets added since are not in the recorded answer
            found["facets"] = {f: b for f, b in found["facets"].items() if f in recorded["facets"]}
        assert found == recorded, (
            f"as {question['viewer'] or 'anyone'}: {question['query']} {question['variables']}"
        )


async def _applied(settings: Settings) -> list[Any]:
    async with graph_of(settings) as graph:
        return await applied_steps(graph)
