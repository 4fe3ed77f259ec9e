"""Reading a party's choices about the draws."""

from __future__ import annotations

import strawberry

from api.graphql.context import ContextInfo
from api.graphql.participation.types import PartyChoices
from graph import participation as store


@strawberry.type
class ParticipationQueries:
    @strawberry.field(
        description="A party's recorded choices about the draws (¶28(c), ¶29, footnote 2); the "
        "rules' defaults where it recorded none; null for an unknown party"
    )
    async def party_choices(self, info: ContextInfo, party: str) -> PartyChoices | None:
        code = party.strip().upper()
        if await info.context.loaders.party.load(code) is None:
            return None
        rows = await store.choices_of(info.context.graph, [code])
        return PartyChoices.from_record(code, rows[0]["choices"] if rows else None)
