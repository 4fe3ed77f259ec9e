"""Preparing the databases: graph schema, reference data, search indices (idempotent)."""

from __future__ import annotations

from collections.abc import Callable

from api.config import Settings
from graph.driver import Graph
from graph.reference import write_reference_data
from graph.schema import apply_schema
from ingest.reference.load import load_reference_data
from search.client import connect as connect_search
from search.indices import ensure_indices


async def prepare_databases(settings: Settings, report: Callable[[str], object] = print) -> None:
    graph = Graph.connect(
        settings.bolt_uri, settings.neo4j_user, settings.neo4j_password, settings.neo4j_database
    )
    es = connect_search(settings.elasticsearch_url, settings.es_username, settings.es_password)
    try:
        await apply_schema(graph)
        report("Graph constraints and indexes applied")
        data = load_reference_data()
        await write_reference_data(graph, data)
        report(
            f"Reference data loaded: {len(data.instruments)} instruments, "
            f"{len(data.articles)} articles, {len(data.parties)} parties and signatories"
        )
        await ensure_indices(es, settings.es_index_prefix)
        report("Search indices ready")
    finally:
        await graph.close()
        await es.close()
