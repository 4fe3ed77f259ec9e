"""One async driver per process, and the counter of round trips per request."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, LiteralString, TypeVar

from neo4j import AsyncDriver, AsyncGraphDatabase, AsyncManagedTransaction, Query, RoutingControl
from neo4j.graph import Entity, Path

T = TypeVar("T")


@dataclass
class RoundTrips:
    """How many times one request went to each database (benchmarks and tests read it)."""

    neo4j: int = 0
    elasticsearch: int = 0


_round_trips: ContextVar[RoundTrips | None] = ContextVar("round_trips", default=None)


def start_counting() -> RoundTrips:
    counter = RoundTrips()
    _round_trips.set(counter)
    return counter


def current_round_trips() -> RoundTrips | None:
    return _round_trips.get()


@contextmanager
def uncounted() -> Iterator[None]:
    """Round trips made for the whole process (a shared cache's refresh) are not the
    request's own: they are not counted against the request that happens to make them."""
    token = _round_trips.set(None)
    try:
        yield
    finally:
        _round_trips.reset(token)


def count_round_trip(database: str) -> None:
    counter = _round_trips.get()
    if counter is not None:
        setattr(counter, database, getattr(counter, database) + 1)


Record = dict[str, Any]


@dataclass
class Graph:
    """The graph database: managed transactions, parameters always passed as parameters."""

    driver: AsyncDriver
    database: str
    timeout_seconds: float = 30.0
    _closed: bool = field(default=False, init=False)

    @classmethod
    def connect(cls, uri: str, user: str, password: str, database: str) -> Graph:
        auth = (user, password) if password else None
        driver = AsyncGraphDatabase.driver(
            uri,
            auth=auth,
            connection_acquisition_timeout=10.0,
            # Notices such as "this property does not exist yet" on an empty graph are noise.
            notifications_min_severity="OFF",
        )
        return cls(driver=driver, database=database)

    async def read(self, cypher: LiteralString, **params: Any) -> list[Record]:
        return await self._run(cypher, params, RoutingControl.READ)

    async def write(self, cypher: LiteralString, **params: Any) -> list[Record]:
        return await self._run(cypher, params, RoutingControl.WRITE)

    async def _run(
        self, cypher: LiteralString, params: dict[str, Any], routing: RoutingControl
    ) -> list[Record]:
        count_round_trip("neo4j")
        records, _, _ = await self.driver.execute_query(
            Query(cypher, timeout=self.timeout_seconds),
            params,
            database_=self.database,
            routing_=routing,
        )
        # The queries return values and maps (a map projection or `properties(n)`), never
        # nodes: `Record.data()` would walk every value to convert nodes, ~3 ms for a page
        # of 100 cases. A node among the first row's columns (the usual slip, `RETURN n`)
        # is refused; tests/integration/test_graph_driver.py.
        rows = [dict(record) for record in records]
        if rows and any(isinstance(value, Entity | Path) for value in rows[0].values()):
            raise TypeError(f"return maps or properties(n), not nodes: {cypher[:120]}")
        return rows

    async def write_transaction(self, work: Callable[[AsyncManagedTransaction], Awaitable[T]]) -> T:
        """Run `work` in one write transaction: all of it commits, or none."""
        count_round_trip("neo4j")
        async with self.driver.session(database=self.database) as session:
            return await session.execute_write(work)

    async def run_in_batches(self, cypher: LiteralString, **params: Any) -> None:
        """A statement in a transaction of its own (auto-commit): the only kind that may
        commit in batches, `CALL { ... } IN TRANSACTIONS` (graph/migrations)."""
        count_round_trip("neo4j")
        async with self.driver.session(database=self.database) as session:
            result = await session.run(cypher, params)
            await result.consume()

    async def close(self) -> None:
        if not self._closed:
            self._closed = True
            await self.driver.close()
