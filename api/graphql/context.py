"""What every resolver of one request can reach."""

from __future__ import annotations

from dataclasses import dataclass

from elasticsearch import AsyncElasticsearch
from starlette.requests import Request
from starlette.responses import Response

from api.config import Settings
from api.graphql.loaders import Loaders
from graph.driver import Graph
from mechanism.access import ANONYMOUS, Viewer


@dataclass
class Context:
    request: Request
    response: Response
    settings: Settings
    graph: Graph
    es: AsyncElasticsearch
    loaders: Loaders
    viewer: Viewer = ANONYMOUS
