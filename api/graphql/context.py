"""What every resolver of one request can reach."""

from __future__ import annotations

from dataclasses import dataclass

from elasticsearch import AsyncElasticsearch
from starlette.requests import Request
from starlette.responses import Response
from strawberry.types import Info

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
