"""The migration runner's rules, without a graph: which steps are pending, and which graphs
are refused before anything changes (graph/migrations)."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.migrations import Applied, MigrationRefused, Step, load_steps, pending, statements_of


def _steps(n: int) -> list[Step]:
    return [Step(v, f"step_{v}", (f"RETURN {v}",), f"sum{v}") for v in range(1, n + 1)]


def _applied(*versions: int, steps: list[Step] | None = None) -> list[Applied]:
    known = {s.version: s for s in steps or _steps(max(versions, default=0))}
    return [Applied(v, known[v].name, known[v].checksum, "2026-12-07") for v in versions]


def test_the_steps_after_the_last_applied_are_pending() -> None:
    steps = _steps(3)
    assert pending(steps, []) == steps
    assert pending(steps, _applied(1, steps=steps)) == steps[1:]
    assert pending(steps, _applied(1, 2, 3, steps=steps)) == []


def test_a_graph_newer_than_the_release_is_refused() -> None:
    with pytest.raises(
        MigrationRefused, match="at version 4, newer than this release, which knows versions up to 3"
    ):
        pending(_steps(3), _applied(1, 2, 3, 4))


def test_steps_applied_out_of_order_are_refused() -> None:
    steps = _steps(3)
    for versions in ((2,), (1, 3), (2, 1)):
        with pytest.raises(MigrationRefused, match=r"not 1 to .* in order"):
            pending(steps, _applied(*versions, steps=steps))


def test_a_step_changed_since_it_was_applied_is_refused() -> None:
    steps = _steps(2)
    changed = [Applied(1, "step_1", "another sum", "2026-12-07")]
    with pytest.raises(MigrationRefused, match="must not change once released"):
        pending(steps, changed)
    renamed = [Applied(1, "another_name", "sum1", "2026-12-07")]
    with pytest.raises(MigrationRefused, match="was applied as 'another_name'"):
        pending(steps, renamed)


def test_statements_are_split_at_semicolons_ending_a_line_and_comments_dropped() -> None:
    text = """// a comment; not a statement
MATCH (n:Law) WHERE n.title = 'a;b'
SET n.x = 1;
CALL () { MATCH (n) SET n.y = 2 } IN TRANSACTIONS OF 10000 ROWS ;
"""
    assert statements_of(text) == (
        "MATCH (n:Law) WHERE n.title = 'a;b'\nSET n.x = 1",
        "CALL () { MATCH (n) SET n.y = 2 } IN TRANSACTIONS OF 10000 ROWS",
    )
    assert statements_of("// only a comment\n") == ()


def test_the_release_steps_are_numbered_without_a_gap(tmp_path: Path) -> None:
    steps = load_steps()
    assert [s.version for s in steps] == list(range(1, len(steps) + 1))
    assert steps[0].name == "baseline"
    (tmp_path / "0001_first.cypher").write_text("RETURN 1;\n")
    (tmp_path / "0003_third.cypher").write_text("RETURN 3;\n")
    with pytest.raises(ValueError, match="without a gap"):
        load_steps(tmp_path)
    (tmp_path / "0003_third.cypher").rename(tmp_path / "third.cypher")
    with pytest.raises(ValueError, match=r"NNNN_what_it_does\.cypher"):
        load_steps(tmp_path)
