"""`sherloc services up|down|status`: both servers of one profile, started side by side."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from api.config import Settings
from ops.launcher.elasticsearch import ElasticsearchServer
from ops.launcher.errors import LauncherError
from ops.launcher.neo4j import Neo4jServer
from ops.launcher.processes import ServerProcess, port_open

Reporter = Callable[[str], object]


class Server(Protocol):
    name: str
    host: str
    port: int
    process: ServerProcess

    @property
    def endpoint(self) -> str: ...
    def installed(self) -> bool: ...
    def install(self) -> None: ...
    def start(self) -> None: ...
    def ready(self) -> bool: ...


@dataclass(frozen=True)
class ServerStatus:
    name: str
    endpoint: str
    pid: int | None
    ready: bool
    log: str

    def describe(self) -> str:
        if self.pid is None:
            return f"{self.name}: stopped ({self.endpoint})"
        state = "ready" if self.ready else "starting or unhealthy"
        return f"{self.name}: {state} at {self.endpoint} (pid {self.pid}, log {self.log})"


def servers(settings: Settings) -> list[Server]:
    search_nodes = [ElasticsearchServer(settings, node) for node in range(1, settings.es_nodes + 1)]
    return [Neo4jServer(settings), *search_nodes]


def up(settings: Settings, log: Reporter = print) -> list[ServerStatus]:
    """Fetch (first time), start and wait for both servers; reuse those already running."""
    all_servers = servers(settings)
    for server in all_servers:
        if not server.installed():
            log(f"Fetching {server.name} from Maven Central into {settings.cache_dir} ...")
            server.install()

    to_wait: list[Server] = []
    started: list[Server] = []
    try:
        for server in all_servers:
            if server.process.pid() is not None:
                log(f"{server.name} is already running at {server.endpoint}")
                to_wait.append(server)
                continue
            if port_open(server.host, server.port):
                raise LauncherError(
                    f"Port {server.port} for {server.name} is taken by another program: stop "
                    "it, or choose another port (see docs/configuration.md)"
                )
            log(f"Starting {server.name} on {server.endpoint} ...")
            server.start()
            started.append(server)
            to_wait.append(server)
        wait_ready(to_wait, settings.start_timeout_seconds)
    except BaseException:
        # Leave nothing half-started behind (Ctrl-C included).
        for server in started:
            server.process.stop()
        raise
    return status(settings)


def wait_ready(pending: list[Server], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    waiting = list(pending)
    while waiting:
        for server in list(waiting):
            if server.ready():
                waiting.remove(server)
            elif server.process.pid() is None:
                raise LauncherError(f"{server.name} stopped while starting", server.process.log_file)
        if not waiting:
            return
        if time.monotonic() > deadline:
            server = waiting[0]
            raise LauncherError(
                f"{server.name} did not become ready within {timeout:.0f} s "
                "(raise SHERLOC_START_TIMEOUT_SECONDS on a slow machine)",
                server.process.log_file,
            )
        time.sleep(0.5)


def down(settings: Settings, log: Reporter = print) -> None:
    for server in reversed(servers(settings)):
        if server.process.stop():
            log(f"Stopped {server.name}")
        else:
            log(f"{server.name} was not running")


def status(settings: Settings) -> list[ServerStatus]:
    result = []
    for server in servers(settings):
        pid = server.process.pid()
        result.append(
            ServerStatus(
                name=server.name,
                endpoint=server.endpoint,
                pid=pid,
                ready=pid is not None and server.ready(),
                log=str(server.process.log_file),
            )
        )
    return result
