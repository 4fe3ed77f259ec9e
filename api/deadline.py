"""The time by which the request being served must have its answer.

`SecurityMiddleware` stops a request at its time limit by cancelling what it awaits; work
that holds the CPU without awaiting (the resolution of many fields) is not interrupted
that way, so GraphQL execution also looks at the deadline before each field
(api/graphql/execution.py) and stops there.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from graphql import GraphQLError

_DEADLINE: ContextVar[float | None] = ContextVar("sherloc_request_deadline", default=None)


@contextmanager
def serving(timeout_seconds: float) -> Iterator[None]:
    """The deadline of the request this task serves while it is served (on
    `time.monotonic()`)."""
    token = _DEADLINE.set(time.monotonic() + timeout_seconds)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def current() -> float | None:
    return _DEADLINE.get()


def past_deadline() -> GraphQLError:
    return GraphQLError(
        "the request took longer than its time limit and was stopped; try again",
        extensions={"code": "TIMEOUT"},
    )
