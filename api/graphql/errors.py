"""Errors a client caused: shown as they are. Anything else is masked (see app.py)."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError

from mechanism.rules import Violation


class UserInputError(GraphQLError):
    """A bad argument: the message names the argument and the reason."""

    def __init__(self, argument: str, reason: str) -> None:
        super().__init__(f"{argument}: {reason}", extensions={"code": "BAD_USER_INPUT", "argument": argument})


@strawberry.type(description="The viewer may not do this")
class NotAuthorized:
    message: str = "You are not authorized to do this."


@strawberry.type(description="An argument was refused: `field` names it, `message` says why")
class InvalidInput:
    field: str
    message: str


@strawberry.type(description="Nothing with this ID exists, or the viewer may not see it")
class NotFound:
    message: str = "Not found."


@strawberry.type(
    description='A change the procedures and rules do not allow; `paragraph` names the rule, e.g. "¶40".'
)
class RuleViolation:
    message: str
    paragraph: str

    @classmethod
    def of(cls, violation: Violation) -> RuleViolation:
        return cls(message=violation.message, paragraph=violation.paragraph)
