"""`Query.node`: how an object of each type with a global ID is fetched by its key.

A type implementing `Node` registers here; `tests/unit/test_nodes.py` fails for one that
does not, and `tests/integration/test_global_ids.py` fetches a sample of each. A fetcher
returns null for an object the viewer may not read, by the same policy as the type's
other ways in.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import strawberry

from api.graphql.accounts.types import User
from api.graphql.context import ContextInfo
from api.graphql.designations.types import designation_node
from api.graphql.dialogues.types import dialogue_node
from api.graphql.draws.types import Draw, DrawAnnouncement
from api.graphql.knowledge.types import Case, CompetentAuthority, Legislation
from api.graphql.library.types import BibliographyEntry, Strategy
from api.graphql.reference.types import Article, Instrument, Party
from api.graphql.relay import Node, parse_global_id
from api.graphql.reviews.types import REVIEW_ARTEFACTS, Review, ReviewPublication, review_artefact_node
from api.graphql.treaties.types import Treaty, TreatyAction
from graph.announcements import announcements_by_ids
from graph.draws import draws_by_ids

NodeFetcher = Callable[[ContextInfo, str], Awaitable[Node | None]]


async def _instrument(info: ContextInfo, key: str) -> Node | None:
    record = await info.context.loaders.instrument.load(key)
    return Instrument.from_record(record) if record else None


async def _article(info: ContextInfo, key: str) -> Node | None:
    record = await info.context.loaders.article.load(key)
    return Article.from_record(record) if record else None


async def _party(info: ContextInfo, key: str) -> Node | None:
    record = await info.context.loaders.party.load(key)
    return Party.from_record(record) if record else None


async def _user(info: ContextInfo, key: str) -> Node | None:
    record = await info.context.reader.account(key)
    return User.from_record(record) if record else None


async def _draw(info: ContextInfo, key: str) -> Node | None:
    found = await draws_by_ids(info.context.graph, [key])
    return Draw.from_record(found[0]["draw"]) if found else None


async def _announcement(info: ContextInfo, key: str) -> Node | None:
    found = await announcements_by_ids(info.context.graph, [key])
    return DrawAnnouncement.from_row(found[0]) if found else None


async def _review(info: ContextInfo, key: str) -> Node | None:
    row = await info.context.loaders.review.load(key)
    return Review.from_row(row) if row else None


def _document(label: str, node_type: Any) -> NodeFetcher:
    """A document of the knowledge base (or a review's publication), by its graph label."""

    async def fetch(info: ContextInfo, key: str) -> Node | None:
        record = await info.context.loaders.document[label].load(key)
        return node_type.from_record(record) if record else None

    return fetch


def _named(fetch: Callable[[ContextInfo, str, str], Awaitable[Node | None]], type_name: str) -> NodeFetcher:
    """A fetcher shared by several types, told which one it fetches."""

    async def fetch_named(info: ContextInfo, key: str) -> Node | None:
        return await fetch(info, type_name, key)

    return fetch_named


async def _designation(info: ContextInfo, key: str) -> Node | None:
    return await designation_node(info, key)


FETCHERS: dict[str, NodeFetcher] = {
    "Instrument": _instrument,
    "Article": _article,
    "Party": _party,
    "User": _user,
    "Draw": _draw,
    "DrawAnnouncement": _announcement,
    "Review": _review,
    "Designation": _designation,
    "Legislation": _document("Legislation", Legislation),
    "Case": _document("Case", Case),
    "CompetentAuthority": _document("CompetentAuthority", CompetentAuthority),
    "Treaty": _document("Treaty", Treaty),
    "TreatyAction": _document("TreatyAction", TreatyAction),
    "Strategy": _document("Strategy", Strategy),
    "BibliographyEntry": _document("BibliographyEntry", BibliographyEntry),
    "ReviewPublication": _document("Publication", ReviewPublication),
    **{name: _named(dialogue_node, name) for name in ("StakeholderDialogue", "StakeholderRegistration")},
    **{name: _named(review_artefact_node, name) for name in REVIEW_ARTEFACTS},
}


async def resolve_node(info: ContextInfo, id: strawberry.ID) -> Node | None:
    ref = parse_global_id(id)
    fetch = FETCHERS.get(ref.type_name)
    return await fetch(info, ref.key) if fetch else None


@strawberry.type
class NodeQueries:
    @strawberry.field
    async def node(self, info: ContextInfo, id: strawberry.ID) -> Node | None:
        return await resolve_node(info, id)
