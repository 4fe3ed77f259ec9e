"""The guards of the directory's mutations, listed in `GUARDS` (writes.py): States keep their
own entries (report of the ninth session, ¶116), under mechanism.access."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from api.graphql.errors import NotAuthorized, NotFound
from api.graphql.relay import parse_global_id
from mechanism.access import may_keep_authority_entries

if TYPE_CHECKING:
    from api.graphql.context import Context


async def keeping_new_entry(context: Context, arguments: dict[str, Any]) -> NotAuthorized | None:
    """The AUTHORITY and FOCAL_POINT accounts of the `party` argument, or the secretariat."""
    party = str(arguments["party"]).strip().upper()
    return None if may_keep_authority_entries(context.viewer, party) else NotAuthorized()


async def keeping_entry(context: Context, arguments: dict[str, Any]) -> NotAuthorized | NotFound | None:
    """As for a new entry, for the party of the entry the `authority` argument names;
    NotFound when there is no such entry (a forged ID, another type's)."""
    ref = parse_global_id(arguments["authority"], "authority")
    found = (
        await context.loaders.document["CompetentAuthority"].load(ref.key)
        if ref.type_name == "CompetentAuthority"
        else None
    )
    if found is None:
        return NotFound()
    return None if may_keep_authority_entries(context.viewer, found["party"]) else NotAuthorized()
