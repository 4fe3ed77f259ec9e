"""The `sherloc` command. The Makefile only strings its subcommands together.

sherloc services up|down|status   the Neo4j and Elasticsearch servers of a profile
sherloc setup                     graph schema, reference data, search indices
sherloc serve                     the GraphQL API, in the foreground
sherloc run                       all of the above; Ctrl-C stops everything it started
sherloc fetch-assets              GraphiQL's assets, for offline use
sherloc backup [NAME] | restore NAME   the graph's dump and the index's snapshot
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import logging
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn

from elasticsearch import ConnectionError as SearchConnectionError
from neo4j.exceptions import ServiceUnavailable

from api.config import ConfigError, Settings, load_settings
from graph.migrations import MigrationRefused
from ingest.reference.load import ReferenceDataError
from ops import assets, backup
from ops.launcher import LauncherError, services
from ops.launcher.processes import port_open

DEMO_DIR = Path(__file__).resolve().parents[1] / "ingest" / "demo"
DEMO_FILES = [
    DEMO_DIR / f"{name}.jsonl"
    for name in ("legislation", "cases", "authorities", "treaties", "strategies", "publications")
]


def _fail(message: str) -> NoReturn:
    print(f"sherloc: {message}", file=sys.stderr)
    raise SystemExit(1)


@contextmanager
def _reachable(settings: Settings) -> Iterator[None]:
    """A database that does not answer ends the command with one sentence."""
    try:
        yield
    except ServiceUnavailable:
        _fail(f"Neo4j is not reachable at {settings.bolt_uri}: start it with `sherloc services up`")
    except SearchConnectionError:
        _fail(
            f"Elasticsearch is not reachable at {settings.elasticsearch_url}: "
            "start it with `sherloc services up`"
        )


def cmd_services(settings: Settings, action: str) -> None:
    if action == "up":
        for status in services.up(settings):
            print(status.describe())
    elif action == "down":
        services.down(settings)
    else:
        statuses = services.status(settings)
        for status in statuses:
            print(status.describe())
        if not all(s.ready for s in statuses):
            raise SystemExit(3)


def cmd_setup(settings: Settings, demo: bool = False) -> None:
    from ops.bootstrap import prepare_databases

    with _reachable(settings):
        asyncio.run(prepare_databases(settings))
    if demo:
        from ops.bootstrap import create_demo_accounts, create_demo_draws, create_demo_reviews

        print("Loading the demo corpus (sample data written for this project) ...")
        cmd_ingest(settings, DEMO_FILES, batch_size=500)
        with _reachable(settings):
            asyncio.run(create_demo_accounts(settings, DEMO_DIR / "accounts.csv"))
            asyncio.run(create_demo_reviews(settings, DEMO_DIR / "reviews.json"))
            asyncio.run(create_demo_draws(settings))


def cmd_ingest(settings: Settings, paths: list[Path], batch_size: int) -> None:
    from ops.bootstrap import ingest_files

    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        _fail(f"no such file: {', '.join(missing)}")
    with _reachable(settings):
        summary = asyncio.run(ingest_files(settings, paths, batch_size))
    for line in summary.lines():
        print(line)


def cmd_reindex(settings: Settings) -> None:
    from ops.bootstrap import rebuild_index

    with _reachable(settings):
        name = asyncio.run(rebuild_index(settings))
    print(f"The search index is now {name}")


def cmd_create_account(settings: Settings, email: str, role: str, party: str | None) -> None:
    from api.auth import normalize_email
    from graph.accounts import AccountConflict
    from mechanism.access import Role
    from mechanism.emails import InvalidEmail
    from ops.bootstrap import invite_account

    try:
        address = normalize_email(email)
    except InvalidEmail as invalid:
        _fail(f"email: {invalid.reason}")
    try:
        with _reachable(settings):
            invitation = asyncio.run(invite_account(settings, address, Role(role), party))
    except AccountConflict as conflict:
        _fail(f"{conflict.field}: {conflict.reason}")
    print(f"Account {invitation.user['email']} ({role}) created.")
    print(f"Activation token (valid until {invitation.expires_at:%Y-%m-%d %H:%M} UTC, shown once):")
    print(invitation.activation_token)


def cmd_backup(settings: Settings, name: str | None, show_list: bool) -> None:
    if show_list:
        manifests = backup.list_backups(settings)
        if not manifests:
            print(f"No backups in {settings.backups_dir}")
        for m in manifests:
            print(
                f"{m.name}  {m.created_at}  profile {m.profile}  {m.graph_documents} documents  "
                f"Neo4j {m.neo4j_version}  Elasticsearch {m.es_version}"
            )
        return
    with _reachable(settings):
        backup.backup(settings, name or backup.default_name())


def cmd_restore(settings: Settings, name: str, replace: bool) -> None:
    with _reachable(settings):
        backup.restore(settings, name, replace=replace)


def cmd_schema() -> None:
    import json

    from ingest.content.models import json_schema

    print(json.dumps(json_schema(), indent=2, ensure_ascii=False))


def cmd_migrations(settings: Settings) -> None:
    """The graph's version, and the steps of this release applied to it and pending."""
    from api.databases import open_databases
    from graph.migrations import MigrationRefused, applied_steps, load_steps, pending

    async def show() -> None:
        async with open_databases(settings) as db:
            applied = await applied_steps(db.graph)
        steps = load_steps()
        version = applied[-1].version if applied else 0
        print(f"The graph is at version {version}; this release knows versions up to {len(steps)}.")
        for record in applied:
            print(f"  applied  {record.version:4d}  {record.name}  ({record.applied_at})")
        try:
            todo = pending(steps, applied)
        except MigrationRefused as refused:
            _fail(f"This release cannot migrate the graph: {refused}")
        for step in todo:
            print(f"  pending  {step.version:4d}  {step.name}  (sherloc setup applies it)")

    with _reachable(settings):
        asyncio.run(show())


def _check_graph_version(settings: Settings) -> None:
    """Refuse a graph this release does not know (migrated by a newer one); a graph that
    does not answer yet is left to /readyz."""
    from api.databases import open_databases
    from graph.migrations import MigrationRefused, check_version

    async def check() -> None:
        async with open_databases(settings) as db:
            await asyncio.wait_for(check_version(db.graph), timeout=10)

    try:
        asyncio.run(check())
    except MigrationRefused as refused:
        _fail(f"This release cannot serve the graph: {refused}")
    except Exception as error:  # Neo4j down or slow: the API starts, and /readyz says so
        print(f"The graph's version could not be checked ({error!r}); /readyz will tell")


def cmd_serve(settings: Settings) -> None:
    import uvicorn

    from api.app import create_app

    _check_graph_version(settings)

    if port_open(settings.api_host, settings.api_bind_port):
        _fail(
            f"Port {settings.api_bind_port} is taken by another program: stop it, or set "
            "SHERLOC_API_PORT to another port"
        )
    host = f"[{settings.api_host}]" if ":" in settings.api_host else settings.api_host
    print(f"GraphQL API (and GraphiQL) at http://{host}:{settings.api_bind_port}/graphql")
    options: dict[str, Any] = {
        "host": settings.api_host,
        "port": settings.api_bind_port,
        "log_level": "info",
        "timeout_graceful_shutdown": 10,
    }
    if settings.api_workers == 1:
        uvicorn.run(create_app(settings), **options)
    else:
        _serve_workers(settings, options)


def _serve_workers(settings: Settings, options: dict[str, Any]) -> None:
    """Several worker processes on one listening socket, each building its own app from the
    same SHERLOC_* variables. The socket is made here, as a TCP socket: the one uvicorn binds
    for its workers leaves Nagle's algorithm on for every connection, which adds ~40 ms to
    each keep-alive request (uvicorn issue 3149)."""
    import socket

    import uvicorn
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config(
        "api.app:app_from_environment", factory=True, workers=settings.api_workers, **options
    )
    family = socket.AF_INET6 if ":" in settings.api_host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((settings.api_host, settings.api_bind_port))
    sock.set_inheritable(True)
    Multiprocess(config, sockets=[sock]).run()


@contextmanager
def _single_run(settings: Settings) -> Iterator[None]:
    """Holds a lock for the lifetime of `sherloc run`: a second one says so and stops."""
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    lock_path = settings.state_dir / "run.lock"
    with lock_path.open("a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            owner = lock.read().strip() or "another process"
            _fail(
                f"SHERLOC is already running for profile '{settings.profile}' ({owner}); "
                "stop it with Ctrl-C in its terminal, or use another SHERLOC_PROFILE"
            )
        lock.seek(0)
        lock.truncate()
        lock.write(f"pid {os.getpid()}, API on port {settings.api_bind_port}")
        lock.flush()
        yield


def _interrupt_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def cmd_run(settings: Settings) -> None:
    with _single_run(settings):
        signal.signal(signal.SIGTERM, _interrupt_on_sigterm)
        try:
            cmd_fetch_assets(settings)
            cmd_services(settings, "up")
            cmd_setup(settings, demo=True)
            cmd_serve(settings)
        except KeyboardInterrupt:
            pass
        finally:
            print("Stopping the servers ...")
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            services.down(settings)


def cmd_fetch_assets(settings: Settings) -> None:
    target = assets.fetch_assets(settings.cache_dir)
    print(f"GraphiQL assets in {target}")


def cmd_graphql_schema(settings: Settings) -> None:
    from api.graphql.schema import build_schema

    print(build_schema(settings).as_str())


def cmd_export_draw(settings: Settings, draw: str) -> None:
    """Print a draw's record as one JSON object (what `verify-draw` checks)."""
    import json

    from api.databases import open_databases
    from api.graphql.relay import decode_global_id
    from graph.announcements import draw_export

    ref = decode_global_id(draw.strip())  # a global ID (Draw.id), else the draw's own key
    key = ref.key if ref is not None and ref.type_name == "Draw" else draw.strip()

    async def read() -> dict[str, Any] | None:
        async with open_databases(settings) as db:
            return await draw_export(db.graph, key)

    with _reachable(settings):
        record = asyncio.run(read())
    if record is None:
        _fail(f"no draw {draw}")
    print(json.dumps(record, ensure_ascii=False, sort_keys=True))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="sherloc", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    svc = commands.add_parser("services", help="start, stop or check Neo4j and Elasticsearch")
    svc.add_argument("action", choices=["up", "down", "status"])
    setup = commands.add_parser(
        "setup", help="apply the graph schema, load reference data, create the search index"
    )
    setup.add_argument("--demo", action="store_true", help="also load the demo corpus")
    commands.add_parser("serve", help="serve the GraphQL API in the foreground")
    commands.add_parser("run", help="services up, setup and serve; Ctrl-C stops them all")
    commands.add_parser("fetch-assets", help="fetch GraphiQL's assets for offline use")
    ingest = commands.add_parser("ingest", help="load legislation, cases and authorities (JSON Lines)")
    ingest.add_argument("files", nargs="*", type=Path, metavar="FILE")
    ingest.add_argument("--batch-size", type=int, default=500, help="records per write (default 500)")
    ingest.add_argument("--schema", action="store_true", help="print the format's JSON Schema and exit")
    commands.add_parser("reindex", help="rebuild the search index from the graph, behind its alias")
    commands.add_parser("migrations", help="the graph's version, and the migration steps applied and pending")
    commands.add_parser(
        "graphql-schema", help="print the GraphQL schema (SDL); docs/schema.graphql keeps the current one"
    )
    backup_command = commands.add_parser(
        "backup", help="dump the graph and snapshot the search index into SHERLOC_BACKUP_DIR/NAME"
    )
    backup_command.add_argument(
        "name", nargs="?", help="lower-case letters, digits, - and _ (default: the UTC time)"
    )
    backup_command.add_argument("--list", action="store_true", help="list the backups and exit")
    restore_command = commands.add_parser("restore", help="load a backup into this profile's servers")
    restore_command.add_argument("name")
    restore_command.add_argument("--replace", action="store_true", help="overwrite servers that hold data")
    export_draw = commands.add_parser("export-draw", help="print a draw's record as one JSON object")
    export_draw.add_argument("id", help="the draw's ID (Draw.id) or key")
    verify_draw = commands.add_parser(
        "verify-draw", help="check a draw's exported record offline; exit status 0 only if every check holds"
    )
    verify_draw.add_argument("file", type=Path)
    account = commands.add_parser(
        "create-account", help="create an account and print its one-time activation token"
    )
    account.add_argument("email")
    account.add_argument(
        "role", choices=["SECRETARIAT", "FOCAL_POINT", "GOVERNMENTAL_EXPERT", "OBSERVER", "AUTHORITY"]
    )
    account.add_argument("--party", help="the party's code (every role but SECRETARIAT)")
    args = parser.parse_args(argv)

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    for noisy in ("neo4j", "elastic_transport"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    if args.command == "verify-draw":  # offline: no settings, no servers (ops/verify_draw.py)
        from ops.verify_draw import verify_file

        raise SystemExit(verify_file(args.file))
    try:
        settings = load_settings()
        if args.command == "services":
            cmd_services(settings, args.action)
        elif args.command == "setup":
            cmd_setup(settings, demo=args.demo)
        elif args.command == "serve":
            cmd_serve(settings)
        elif args.command == "run":
            cmd_run(settings)
        elif args.command == "fetch-assets":
            cmd_fetch_assets(settings)
        elif args.command == "ingest":
            if args.schema:
                cmd_schema()
            elif not args.files:
                _fail("name at least one file to ingest (or --schema)")
            elif not 1 <= args.batch_size <= 10_000:
                _fail("--batch-size must be between 1 and 10000")
            else:
                cmd_ingest(settings, args.files, args.batch_size)
        elif args.command == "reindex":
            cmd_reindex(settings)
        elif args.command == "migrations":
            cmd_migrations(settings)
        elif args.command == "graphql-schema":
            cmd_graphql_schema(settings)
        elif args.command == "backup":
            cmd_backup(settings, args.name, args.list)
        elif args.command == "restore":
            cmd_restore(settings, args.name, args.replace)
        elif args.command == "export-draw":
            cmd_export_draw(settings, args.id)
        elif args.command == "create-account":
            if (args.role == "SECRETARIAT") == bool(args.party):
                _fail("--party is required for every role but SECRETARIAT, and refused for it")
            party = args.party.strip().upper() if args.party else None
            cmd_create_account(settings, args.email, args.role, party)
    except (ConfigError, LauncherError, ReferenceDataError, backup.BackupError) as error:
        _fail(str(error))
    except MigrationRefused as error:
        _fail(f"This release cannot migrate the graph: {error}")
    except PermissionError as error:
        _fail(f"no permission to use {error.filename}: run as a user who may, or set SHERLOC_HOME")


if __name__ == "__main__":
    main()
