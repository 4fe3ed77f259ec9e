"""Migrations of the graph against the real Neo4j (graph/migrations): steps applied once and
in order, in batches; a step cut short by a killed process and run again ends as one
uninterrupted run; graphs this release does not know are refused before anything changes,
by `sherloc setup` and by `sherloc serve`.

The steps here are the test's own (written into a temporary folder) and recorded under
namespaces of their own, so that the graph's real record is untouched but where a test
says otherwise.
"""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from api.config import Settings
from graph.driver import Graph
from graph.migrations import (
    NAMESPACE,
    MigrationRefused,
    Step,
    applied_steps,
    load_steps,
    migrate,
)
from tests.integration.databases import graph_of

PROBES = 1500
SHERLOC = str(Path(sys.executable).parent / "sherloc")


def _write_steps(folder: Path, namespace: str) -> list[Step]:
    """Three steps over PROBES nodes: create them, add a value one node per transaction (so
    that a kill lands halfway), and rename a property in batches."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "0001_probes.cypher").write_text(
        f"// probes of {namespace}\n"
        f"UNWIND range(1, {PROBES}) AS i MERGE (:MigrationProbe {{ns: '{namespace}', i: i}});\n"
    )
    (folder / "0002_double.cypher").write_text(
        f"MATCH (p:MigrationProbe {{ns: '{namespace}'}}) WHERE p.doubled IS NULL\n"
        "CALL (p) { SET p.doubled = p.i * 2 } IN TRANSACTIONS OF 1 ROWS;\n"
    )
    (folder / "0003_rename.cypher").write_text(
        f"MATCH (p:MigrationProbe {{ns: '{namespace}'}}) WHERE p.i IS NOT NULL\n"
        "CALL (p) { SET p.number = p.i REMOVE p.i } IN TRANSACTIONS OF 100 ROWS;\n"
    )
    return load_steps(folder)


async def _state(graph: Graph, namespace: str) -> list[tuple[int, int]]:
    rows = await graph.read(
        "MATCH (p:MigrationProbe {ns: $ns}) RETURN p.number AS number, p.doubled AS doubled, p.i AS i "
        "ORDER BY coalesce(p.number, p.i)",
        ns=namespace,
    )
    assert all(r["i"] is None for r in rows), "a probe kept its old property"
    return [(r["number"], r["doubled"]) for r in rows]


async def _forget(graph: Graph, namespace: str) -> None:
    await graph.write("MATCH (p:MigrationProbe {ns: $ns}) DETACH DELETE p", ns=namespace)
    await graph.write("MATCH (m:Migration {namespace: $ns}) DETACH DELETE m", ns=namespace)


@pytest.fixture
async def graph(settings: Settings, running_services: None) -> AsyncIterator[Graph]:
    async with graph_of(settings) as opened:
        yield opened


@pytest.fixture
async def namespace(graph: Graph) -> AsyncIterator[str]:
    name = f"test-{uuid.uuid4().hex[:10]}"
    yield name
    await _forget(graph, name)


EXPECTED = [(i, i * 2) for i in range(1, PROBES + 1)]


async def _sherloc(*args: str) -> tuple[int, str]:
    """The CLI's exit code and output (stdout and stderr together)."""
    process = await asyncio.create_subprocess_exec(
        SHERLOC, *args, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    output, _ = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode is not None
    return process.returncode, output.decode()


async def test_steps_are_applied_once_in_order_and_recorded(
    graph: Graph, namespace: str, tmp_path: Path
) -> None:
    steps = _write_steps(tmp_path, namespace)
    done = await migrate(graph, steps, namespace=namespace, report=lambda _: None)
    assert [s.version for s in done] == [1, 2, 3]
    assert await _state(graph, namespace) == EXPECTED
    recorded = await applied_steps(graph, namespace)
    assert [(r.version, r.name, r.checksum) for r in recorded] == [
        (s.version, s.name, s.checksum) for s in steps
    ]
    assert await migrate(graph, steps, namespace=namespace, report=lambda _: None) == []
    assert await _state(graph, namespace) == EXPECTED


async def test_the_release_steps_are_applied_by_setup(graph: Graph) -> None:
    """The test servers were set up by `sherloc setup` (conftest): the graph is at the
    release's version."""
    recorded = await applied_steps(graph, NAMESPACE)
    assert [r.version for r in recorded] == [s.version for s in load_steps()]


async def test_a_step_killed_halfway_and_run_again_ends_as_an_uninterrupted_run(
    graph: Graph, namespace: str, tmp_path: Path
) -> None:
    steps = _write_steps(tmp_path / "steps", namespace)
    script = (
        "import asyncio, sys\n"
        "from pathlib import Path\n"
        "from api.config import load_settings\n"
        "from graph.migrations import load_steps, migrate\n"
        "from tests.integration.databases import graph_of\n"
        "async def main():\n"
        "    async with graph_of(load_settings()) as graph:\n"
        f"        await migrate(graph, load_steps(Path({str(tmp_path / 'steps')!r})), namespace={namespace!r})\n"
        "asyncio.run(main())\n"
    )
    process = await asyncio.create_subprocess_exec(sys.executable, "-c", script, env=os.environ.copy())
    try:
        doubled = 0
        for _ in range(600):  # until step 2 has committed some of its transactions, not all
            await asyncio.sleep(0.05)
            rows = await graph.read(
                "MATCH (p:MigrationProbe {ns: $ns}) WHERE p.doubled IS NOT NULL RETURN count(p) AS n",
                ns=namespace,
            )
            doubled = rows[0]["n"]
            if doubled > 10:
                break
        process.kill()
    finally:
        await asyncio.wait_for(process.wait(), 30)
    assert 10 < doubled < PROBES, f"the kill did not land halfway through step 2 ({doubled} of {PROBES})"
    assert [r.version for r in await applied_steps(graph, namespace)] == [1]  # step 2 not recorded
    halfway = await graph.read(
        "MATCH (p:MigrationProbe {ns: $ns}) WHERE p.doubled IS NOT NULL RETURN count(p) AS n", ns=namespace
    )
    assert halfway[0]["n"] < PROBES

    assert [s.version for s in await migrate(graph, steps, namespace=namespace, report=lambda _: None)] == [
        2,
        3,
    ]
    assert await _state(graph, namespace) == EXPECTED


async def test_graphs_this_release_does_not_know_are_refused_before_anything_changes(
    graph: Graph, namespace: str, tmp_path: Path
) -> None:
    steps = _write_steps(tmp_path, namespace)
    record = (
        "MERGE (m:Migration {namespace: $ns, version: $version}) "
        "SET m.name = $name, m.checksum = $checksum, m.appliedAt = datetime()"
    )
    # Step 3 recorded without step 2: applied out of order (or a record lost).
    await graph.write(record, ns=namespace, version=1, name=steps[0].name, checksum=steps[0].checksum)
    await graph.write(record, ns=namespace, version=3, name=steps[2].name, checksum=steps[2].checksum)
    with pytest.raises(MigrationRefused, match="not 1 to 2 in order"):
        await migrate(graph, steps, namespace=namespace, report=lambda _: None)
    assert await _state(graph, namespace) == []  # nothing ran, step 1's probes included
    # A graph migrated by a newer release: a fourth step this release does not have.
    await graph.write(record, ns=namespace, version=2, name=steps[1].name, checksum=steps[1].checksum)
    await graph.write(record, ns=namespace, version=4, name="from_the_future", checksum="x")
    with pytest.raises(MigrationRefused, match="newer than this release"):
        await migrate(graph, steps, namespace=namespace, report=lambda _: None)
    # A step whose file changed since it was applied.
    await graph.write("MATCH (m:Migration {namespace: $ns, version: 4}) DELETE m", ns=namespace)
    await graph.write(
        "MATCH (m:Migration {namespace: $ns, version: 2}) SET m.checksum = 'other'", ns=namespace
    )
    with pytest.raises(MigrationRefused, match="must not change once released"):
        await migrate(graph, steps, namespace=namespace, report=lambda _: None)
    assert await _state(graph, namespace) == []


async def test_sherloc_lists_the_steps_and_serve_refuses_a_newer_graph(graph: Graph) -> None:
    latest = len(load_steps())
    code, output = await _sherloc("migrations")
    assert code == 0, output
    assert f"The graph is at version {latest}; this release knows versions up to {latest}." in output
    assert "applied     1  baseline" in output
    newer = latest + 1
    await graph.write(
        "CREATE (:Migration {namespace: $ns, version: $version, name: 'from_the_future', checksum: 'x', "
        "appliedAt: datetime()})",
        ns=NAMESPACE,
        version=newer,
    )
    try:
        for command in (["serve"], ["setup"], ["migrations"]):
            code, output = await _sherloc(*command)
            assert code != 0, (command, output)
            assert f"at version {newer}, newer than this release" in output, command
    finally:
        await graph.write(
            "MATCH (m:Migration {namespace: $ns, version: $version}) DELETE m", ns=NAMESPACE, version=newer
        )
