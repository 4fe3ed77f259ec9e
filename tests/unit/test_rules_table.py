"""The table of docs/rules.md names real tests: each `tests/...py::test_name` (and each
`::test_name` after it, in the same file) is a test function of that file, and each
`tests/...py` it names exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).parents[2]
REFERENCE = re.compile(r"`(tests/[\w/]+\.py)?(::\w+)?`")


def _tests_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test_")
    }


def test_every_test_the_rules_table_names_exists() -> None:
    named: list[tuple[str, str | None]] = []
    for line in (ROOT / "docs" / "rules.md").read_text(encoding="utf-8").splitlines():
        if not line.startswith("| "):
            continue
        tested_by = line.rstrip(" |").rsplit(" | ", 1)[-1]
        path = None
        for file, name in REFERENCE.findall(tested_by):
            path = file or path
            if path:
                named.append((path, name.removeprefix("::") or None))
    assert len(named) > 40
    missing = [
        f"{path}::{name}" if name else path
        for path, name in named
        if not (ROOT / path).is_file() or (name and name not in _tests_of(ROOT / path))
    ]
    assert not missing, f"docs/rules.md names tests that do not exist: {missing}"
