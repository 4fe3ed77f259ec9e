"""Asserting that a mutation was refused by a rule of the mechanism (`RuleViolation`)."""

from __future__ import annotations

from typing import Any

# Spread into a mutation's selection: `{ __typename ... on RuleViolation { paragraph message } }`.
RULE_VIOLATION = "... on RuleViolation { paragraph message }"


def violated(result: dict[str, Any], paragraph: str) -> str:
    """The refusal's message, once it is a RuleViolation naming `paragraph` (e.g. "¶40")."""
    assert result.get("__typename") == "RuleViolation", result
    assert result["paragraph"] == paragraph, result
    assert result["message"], result
    return str(result["message"])
