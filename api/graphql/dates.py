"""Dates as the graph's reads give them to the API."""

from __future__ import annotations

import datetime
from typing import Any


def date_from(value: Any) -> datetime.date | None:
    """A date as graph.knowledge's projection sends it (ISO text), as the driver reads it
    (a Neo4j Date), or None."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return datetime.date.fromisoformat(value)
    native: datetime.date = value.to_native()
    return native
