"""The GraphQL schema as the API serves it is the one committed in docs/schema.graphql: a
change to the schema shows in review as a change to that file (`sherloc graphql-schema >
docs/schema.graphql` writes it), and a refactoring that should not change the schema is
held to it."""

from __future__ import annotations

from pathlib import Path

from api.config import Settings
from api.graphql.schema import build_schema

SNAPSHOT = Path(__file__).parents[2] / "docs" / "schema.graphql"


def test_the_schema_is_the_committed_one() -> None:
    printed = build_schema(Settings()).as_str() + "\n"
    assert printed == SNAPSHOT.read_text(encoding="utf-8"), (
        "the GraphQL schema changed: if on purpose, run `sherloc graphql-schema > docs/schema.graphql`"
    )
