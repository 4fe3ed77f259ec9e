"""Every type the schema says implements `Node` can be fetched by `node(id)`."""

from __future__ import annotations

from graphql import GraphQLObjectType

from api.config import Settings
from api.graphql.nodes import FETCHERS
from api.graphql.schema import build_schema


def test_every_node_type_has_a_fetcher() -> None:
    schema = build_schema(Settings())._schema
    nodes = {
        name
        for name, graphql_type in schema.type_map.items()
        if isinstance(graphql_type, GraphQLObjectType)
        and any(i.name == "Node" for i in graphql_type.interfaces)
    }
    assert nodes == set(FETCHERS)
