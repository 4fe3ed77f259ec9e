"""Asserting that the ingest refuses a bad record whole: its line, field and reason named,
and the graph holding what it held before (no node of a new key, an existing one unchanged)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from api.config import Settings
from ingest.content.pipeline import Rejection
from ops.bootstrap import ingest_files
from tests.integration.databases import graph_of
from tests.integration.test_ingest import write_lines

_STATE = "OPTIONAL MATCH (n {key: $key}) WHERE n.hash IS NOT NULL RETURN collect(n.hash) AS hashes"


async def refused_whole(
    settings: Settings, folder: Path, records: list[dict[str, Any]], field: str, reason: str
) -> Rejection:
    """Ingest `records` (a file of them) whose last is refused with `field` and a reason
    holding `reason`; the node of its key, if any, is as it was."""
    key = records[-1]["id"]
    async with graph_of(settings) as graph:
        before = (await graph.read(_STATE, key=key))[0]["hashes"]
    path = write_lines(folder / "bad.jsonl", records)
    summary = await ingest_files(settings, [path], report=lambda _: None, progress=False)
    (rejection,) = summary.rejections
    assert (rejection.file, rejection.line, rejection.field) == ("bad.jsonl", len(records), field), rejection
    assert reason in rejection.reason, rejection
    if key not in {r["id"] for r in records[:-1]}:  # else an earlier line of the file wrote it
        async with graph_of(settings) as graph:
            assert (await graph.read(_STATE, key=key))[0]["hashes"] == before, key
    return rejection
