"""Queries of the stakeholders' dialogues."""

from __future__ import annotations

import datetime
from typing import Any

import strawberry

from api.graphql.context import ContextInfo
from api.graphql.dialogues.types import StakeholderDialogue, _key
from api.graphql.relay import (
    Connection,
    paging,
)
from graph import dialogues as store
from mechanism.dialogues import (
    WorkingGroup,
)


def _position(value: Any) -> tuple[datetime.date, str]:
    """A dialogues' cursor holds the date and id of the dialogue it follows."""
    held_on, dialogue_id = value
    if not isinstance(held_on, str) or not isinstance(dialogue_id, str):
        raise TypeError("a dialogues' cursor holds two strings")
    return datetime.date.fromisoformat(held_on), dialogue_id


@strawberry.type
class DialogueQueries:
    @strawberry.field(description="Stakeholders' constructive dialogues (¶53), the latest first")
    async def stakeholder_dialogues(
        self,
        info: ContextInfo,
        working_group: WorkingGroup | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[StakeholderDialogue]:
        page = paging(info.context, "dialogues", first, after, _position)
        rows, total = await store.dialogues_page(
            info.context.graph, working_group.value if working_group else None, page.position, page.fetch
        )
        return page.connection(
            [StakeholderDialogue.from_row(r) for r in rows],
            [[r["dialogue"]["heldOn"].isoformat(), r["dialogue"]["id"]] for r in rows],
            total,
        )

    @strawberry.field
    async def stakeholder_dialogue(self, info: ContextInfo, id: strawberry.ID) -> StakeholderDialogue | None:
        key = _key(id, "id", "StakeholderDialogue")
        row = await store.dialogue(info.context.graph, key) if key else None
        return StakeholderDialogue.from_row(row) if row else None
