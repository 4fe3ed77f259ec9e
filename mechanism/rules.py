"""A rule of the mechanism that a change would break: the paragraph and why.

Rules answer a `Violation` (or None) instead of raising: the API shows it to the client as
the typed error `RuleViolation` (api/graphql/errors.py), naming the paragraph, and nothing
is written. `Violation` is for what the procedures and rules forbid; a malformed argument
stays an InvalidInput naming the field.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Violation:
    paragraph: str  # as the annex numbers it: "¶40", "¶28(b)", "footnote 2"
    message: str

    def __str__(self) -> str:
        return f"{self.message} ({self.paragraph})"
