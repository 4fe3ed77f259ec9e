"""The jobs behind `sherloc setup`, `ingest` and `reindex`."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from api.auth import Accounts, Invitation
from api.config import Settings
from api.databases import open_databases
from graph.accounts import user_by_email
from graph.reference import write_reference_data
from graph.schema import apply_schema
from ingest.content.pipeline import Ingestion, Summary
from ingest.reference.load import load_reference_data
from mechanism.access import Role
from mechanism.credentials import Throttle
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


DEMO_PASSWORD = "sherloc demo 2026"  # noqa: S105 (demo accounts only; listed in the README)


async def create_demo_accounts(settings: Settings, path: Path, report: Report = print) -> int:
    """The demo accounts of `path` (role, party, email), active with DEMO_PASSWORD; those
    that exist already are left as they are."""
    created = 0
    async with open_databases(settings) as db:
        service = Accounts(db.graph, settings.session_hours, Throttle())
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if await user_by_email(db.graph, row["email"]) is not None:
                    continue
                invitation = await service.invite(row["email"], Role(row["role"]), row["party"] or None)
                await service.activate(invitation.activation_token, DEMO_PASSWORD)
                created += 1
    report(f"Demo accounts: {created} created (password for all: {DEMO_PASSWORD!r})")
    return created


async def invite_account(settings: Settings, email: str, role: Role, party: str | None) -> Invitation:
    async with open_databases(settings) as db:
        return await Accounts(db.graph, settings.session_hours, Throttle()).invite(email, role, party)


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
