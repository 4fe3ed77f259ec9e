"""A law's status in time, from when it was enacted, amended and repealed."""

from __future__ import annotations

import datetime
from enum import StrEnum


class LegislationStatus(StrEnum):
    IN_FORCE = "IN_FORCE"
    AMENDED = "AMENDED"  # in force, as amended by a later law
    REPEALED = "REPEALED"
    NOT_IN_FORCE = "NOT_IN_FORCE"  # never in force, or no longer in force for another reason


def status_on(
    day: datetime.date,
    *,
    in_force: bool,
    amended_on: list[datetime.date | None],
    repealed_on: list[datetime.date | None],
) -> LegislationStatus:
    """The status on `day`: repealed once a repeal takes effect (a repeal without a date
    counts from the start), amended once an amendment does; `in_force: false` as the
    record says otherwise."""
    if any(on is None or on <= day for on in repealed_on):
        return LegislationStatus.REPEALED
    if not in_force:
        return LegislationStatus.NOT_IN_FORCE
    if any(on is None or on <= day for on in amended_on):
        return LegislationStatus.AMENDED
    return LegislationStatus.IN_FORCE
