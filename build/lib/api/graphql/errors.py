"""Errors a client caused: shown as they are. Anything else is masked (see app.py)."""

from __future__ import annotations

from graphql import GraphQLError


class UserInputError(GraphQLError):
    """A bad argument: the message names the argument and the reason."""

    def __init__(self, argument: str, reason: str) -> None:
        super().__init__(
            f"{argument}: {reason}", extensions={"code": "BAD_USER_INPUT", "argument": argument}
        )
