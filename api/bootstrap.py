"""The jobs behind `sherloc setup`, `ingest` and `reindex`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from api.config import Settings
from api.databases import open_databases
from graph.reference import write_reference_data
from graph.schema import apply_schema
from ingest.content.pipeline import Ingestion, Summary
from ingest.reference.load import load_reference_data
from search.sync import ensure_index, reindex

Report = Callable[[str], object]


async def prepare_databases(settings: Settings, report: Report = print) -> None:
    """Graph schema, reference data and search index; idempotent."""
    async with open_databases(settings) as db:
        await apply_schema(db.graph)
        report("Graph constraints and indexes applied")
        data = load_reference_data()
        await write_reference_data(db.graph, data)
        report(
            f"Reference data loaded: {len(data.instruments)} instruments, "
            f"{len(data.articles)} articles, {len(data.parties)} parties and signatories"
        )
        await ensure_index(db.graph, db.es, settings.es_index_prefix, report)
        report("Search index ready")


async def ingest_files(
    settings: Settings,
    paths: list[Path],
    batch_size: int = 500,
    report: Report = print,
    progress: bool = True,
) -> Summary:
    async with open_databases(settings) as db:
        ingestion = Ingestion(
            db.graph, db.es, settings.es_index_prefix, batch_size, report=report, progress=progress
        )
        return await ingestion.run(paths)


async def rebuild_index(settings: Settings, report: Report = print) -> str:
    async with open_databases(settings) as db:
        return await reindex(db.graph, db.es, settings.es_index_prefix, report)
