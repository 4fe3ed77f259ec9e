"""What every resolver of one request can reach."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from elasticsearch import AsyncElasticsearch
from starlette.requests import Request
from starlette.responses import Response
from strawberry.types import Info
from strawberry.types.base import StrawberryObjectDefinition

from api.auth import Accounts
from api.config import Settings
from api.graphql.cursors import CursorCodec
from api.graphql.loaders import Loaders
from api.policy.reader import Reader
from api.reference_cache import ReferenceSnapshot
from graph.driver import Graph, Record
from mechanism.access import ANONYMOUS, Viewer


@dataclass
class Context:
    request: Request
    response: Response
    settings: Settings
    graph: Graph
    es: AsyncElasticsearch
    loaders: Loaders
    # The process's reference data (parties, articles, crime types ...) as this request
    # found it: resolvers read it synchronously, with no future or round trip per item.
    reference: ReferenceSnapshot
    auth: Accounts
    # Signs and reads the cursors of every list (api/graphql/cursors.py).
    cursors: CursorCodec
    # What the viewer may read of the secure module's rows (api/policy/reader.py).
    reader: Reader
    viewer: Viewer = ANONYMOUS
    # The account of the session, and the session's token (None when anonymous).
    user: Record | None = None
    session_token: str | None = None


ContextInfo = Info[Context, None]


def type_named(info: ContextInfo, name: str) -> Any:
    """The class of the schema's object type `name`. Types of two domains that link to each
    other (a party's laws and a law's party) build each other's objects through it, so
    that neither module imports the other."""
    definition = info.schema.get_type_by_name(name)
    if not isinstance(definition, StrawberryObjectDefinition):
        raise LookupError(f"the schema has no object type {name}")
    return definition.origin
