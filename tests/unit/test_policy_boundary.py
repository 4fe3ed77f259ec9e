"""The policy is applied at one boundary (api/policy/): resolvers neither compare roles
nor ask mechanism/ who may read or write; every mutation has its guard; and the restricted
fields the schema declares are all walked by a test."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from strawberry.types.base import get_object_definition

from api.config import Settings
from api.graphql.schema import Mutation, build_schema
from api.policy.writes import GUARDS, Guarded
from tests.policy_walk import WALKED_ELSEWHERE, restricted_fields

ROOT = Path(__file__).parents[2]
# Modules of api/ that resolve no field: the boundary itself, the enums the schema shows, and
# the account service, which builds a request's viewer.
NOT_RESOLVERS = {"api/graphql/enums.py", "api/auth.py"}


def _policy_names_used(path: Path) -> list[str]:
    """Names a module imports from mechanism.access / mechanism.disclosure that decide
    access: `Role`, and the `may*` rules."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module in {"mechanism.access", "mechanism.disclosure"}:
            found += [
                f"{node.lineno}: {alias.name}"
                for alias in node.names
                if alias.name == "Role" or alias.name == "may" or alias.name.startswith("may_")
            ]
    return found


def test_no_resolver_compares_roles_or_asks_the_rules_itself() -> None:
    modules = [p for p in (ROOT / "api").rglob("*.py") if "policy" not in p.relative_to(ROOT / "api").parts]
    offenders = {
        str(p.relative_to(ROOT)): names
        for p in modules
        if str(p.relative_to(ROOT)) not in NOT_RESOLVERS and (names := _policy_names_used(p))
    }
    assert offenders == {}


def test_every_mutation_runs_its_guard() -> None:
    build_schema(Settings())
    fields = get_object_definition(Mutation, strict=True).fields
    unguarded = [f.python_name for f in fields if not any(isinstance(e, Guarded) for e in f.extensions)]
    assert unguarded == []
    open_to_anyone = sorted(
        name for name, guard in GUARDS.items() if guard.__qualname__.startswith("anyone.")
    )
    assert open_to_anyone == [
        "activateAccount",
        "login",
        "logout",
        "registerForStakeholderDialogue",
        "submitStakeholderComments",
    ]


def test_the_restricted_fields_walked_elsewhere_are_restricted_and_their_tests_exist() -> None:
    restricted = restricted_fields(build_schema(Settings()))
    assert WALKED_ELSEWHERE.keys() <= restricted.keys()
    for where in WALKED_ELSEWHERE.values():
        path, _, name = where.partition("::")
        module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
        assert callable(getattr(module, name, None)), where
