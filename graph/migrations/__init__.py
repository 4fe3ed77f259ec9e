"""Versioned migrations of the graph: numbered steps of plain Cypher, each applied once,
forward, in order, and recorded in the graph.

A step is a file `steps/NNNN_what_it_does.cypher`: Cypher statements, each ending with `;`
at the end of a line, `//` comments allowed. Every statement must be idempotent (MERGE,
`SET ... WHERE the old shape still holds`, `IF NOT EXISTS`), so that a step cut short (the
process killed) and run again ends as one uninterrupted run. A statement over many nodes
commits in batches, `CALL { ... } IN TRANSACTIONS OF 10000 ROWS`: each statement runs in
a transaction of its own, which is what lets it commit in batches (a million nodes never
need one transaction). A step is recorded (`(:Migration {namespace, version, name,
checksum, appliedAt})`) only once all its statements ran; the graph's version is its
highest recorded step.

`sherloc setup` applies the pending steps after the constraints; `sherloc migrations`
lists the applied and pending ones; `sherloc serve` refuses a graph newer than the
release. Before anything changes, the recorded steps must be exactly the release's first
ones, unchanged: a graph migrated by a newer release, a step applied out of order, or a
step whose file changed since it was applied is refused with the reason.

Why a runner of our own rather than the Java `neo4j-migrations` (Maven Central): its
model is the same (numbered Cypher files, checksums, a record in the graph), but it would
need a JVM process and its configuration at every `sherloc setup`, outside the Python
that tests can drive step by step, for what is here about a hundred lines over the
official driver. docs/operations.md says how to upgrade and how to write a step.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph.driver import Graph

STEPS = Path(__file__).parent / "steps"
NAMESPACE = "graph"  # tests record their own steps under another
_FILE = re.compile(r"^(\d{4})_([a-z0-9_]+)\.cypher$")


@dataclass(frozen=True)
class Step:
    version: int
    name: str
    statements: tuple[str, ...]
    checksum: str


@dataclass(frozen=True)
class Applied:
    version: int
    name: str
    checksum: str
    applied_at: Any


class MigrationRefused(Exception):
    """The graph cannot be migrated by this release; nothing was changed."""


def statements_of(text: str) -> tuple[str, ...]:
    """The statements of a step: `//` comment lines dropped, split at `;` ending a line."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("//")]
    parts = re.split(r";[ \t]*(?:\n|$)", "\n".join(lines))
    return tuple(part.strip() for part in parts if part.strip())


def load_steps(folder: Path = STEPS) -> list[Step]:
    """The release's steps, numbered 1, 2, 3 ... without a gap."""
    steps = []
    for path in sorted(folder.iterdir()):
        match = _FILE.match(path.name)
        if match is None:
            raise ValueError(f"{path.name}: a step is named NNNN_what_it_does.cypher")
        text = path.read_text(encoding="utf-8")
        steps.append(
            Step(
                version=int(match.group(1)),
                name=match.group(2),
                statements=statements_of(text),
                checksum=hashlib.sha256(text.encode()).hexdigest(),
            )
        )
    numbers = [step.version for step in steps]
    if numbers != list(range(1, len(steps) + 1)):
        raise ValueError(f"steps are numbered 1 to {len(steps)} without a gap, not {numbers}")
    return steps


def pending(steps: Sequence[Step], applied: Sequence[Applied]) -> list[Step]:
    """The steps left to apply, or MigrationRefused with the reason."""
    latest = len(steps)
    versions = [a.version for a in applied]
    if versions and max(versions) > latest:
        raise MigrationRefused(
            f"the graph is at version {max(versions)}, newer than this release, which knows "
            f"versions up to {latest}: run the release that migrated it, or a newer one"
        )
    if versions != list(range(1, len(applied) + 1)):
        raise MigrationRefused(
            f"the graph's recorded steps are {versions}, not 1 to {len(applied)} in order: "
            "a step was applied out of order or its record was lost; restore a backup"
        )
    for record in applied:
        step = steps[record.version - 1]
        if (record.name, record.checksum) != (step.name, step.checksum):
            raise MigrationRefused(
                f"step {record.version} was applied as {record.name!r}, and this release's step "
                f"{step.version} is {step.name!r} with other contents: a step must not change "
                "once released; write a new one"
            )
    return list(steps[len(applied) :])


async def applied_steps(graph: Graph, namespace: str = NAMESPACE) -> list[Applied]:
    rows = await graph.read(
        "MATCH (m:Migration {namespace: $namespace}) "
        "RETURN m.version AS version, m.name AS name, m.checksum AS checksum, "
        "toString(m.appliedAt) AS appliedAt ORDER BY m.version",
        namespace=namespace,
    )
    return [Applied(r["version"], r["name"], r["checksum"], r["appliedAt"]) for r in rows]


async def migrate(
    graph: Graph,
    steps: Sequence[Step] | None = None,
    *,
    namespace: str = NAMESPACE,
    report: Callable[[str], object] = print,
) -> list[Step]:
    """Apply the pending steps in order; the steps applied."""
    steps = load_steps() if steps is None else steps
    todo = pending(steps, await applied_steps(graph, namespace))
    for step in todo:
        for statement in step.statements:
            # The steps are files of the release, never input: Cypher as written there.
            await graph.run_in_batches(statement)
        await graph.write(
            "MERGE (m:Migration {namespace: $namespace, version: $version}) "
            "SET m.name = $name, m.checksum = $checksum, m.appliedAt = datetime()",
            namespace=namespace,
            version=step.version,
            name=step.name,
            checksum=step.checksum,
        )
        report(f"Graph migrated to version {step.version} ({step.name})")
    return todo


async def check_version(graph: Graph, namespace: str = NAMESPACE) -> None:
    """MigrationRefused if this release may not serve the graph as it is (newer, or its
    steps unknown); pending steps are fine: `sherloc setup` applies them."""
    pending(load_steps(), await applied_steps(graph, namespace))
