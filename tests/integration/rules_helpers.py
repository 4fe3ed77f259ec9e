"""Asserting that a mutation was refused by a rule of the mechanism (`RuleViolation`)."""

from __future__ import annotations

from typing import Any

from api.config import Settings
from tests.integration.databases import graph_of

# Spread into a mutation's selection: `{ __typename ... on RuleViolation { paragraph message } }`.
RULE_VIOLATION = "... on RuleViolation { paragraph message }"


def violated(result: dict[str, Any], paragraph: str) -> str:
    """The refusal's message, once it is a RuleViolation naming `paragraph` (e.g. "¶40")."""
    assert result.get("__typename") == "RuleViolation", result
    assert result["paragraph"] == paragraph, result
    assert result["message"], result
    return str(result["message"])


async def without_draws(settings: Settings) -> None:
    """No draw governs: every draw removed (as test_schedule, test_draws and test_redraws do
    before drawing afresh). A module that names the reviewers of its reviews needs it: the
    reviewers of a State drawn by lot come from the draw only (¶28)."""
    async with graph_of(settings) as graph:
        await graph.write("MATCH (d:Draw) DETACH DELETE d")
