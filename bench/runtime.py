"""What every benchmark stands on: the `bench` profile's servers (their own ports and data),
emptying their content between runs, the API as a separate process, and measuring
processes (elapsed time, peak and current resident memory)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from elasticsearch import AsyncElasticsearch
from elasticsearch.serializer import OrjsonSerializer
from neo4j import AsyncDriver, AsyncGraphDatabase

from api.config import Profile, Settings
from ops.bootstrap import prepare_databases
from ops.launcher import services

ROOT = Path(__file__).resolve().parents[1]
SHERLOC = Path(sys.executable).parent / "sherloc"


def bench_settings(api_workers: int = 1) -> Settings:
    return Settings(profile=Profile.BENCH, api_workers=api_workers)


def environment(settings: Settings) -> dict[str, str]:
    """The environment of the processes the benchmarks start."""
    return {
        **os.environ,
        "SHERLOC_PROFILE": settings.profile.value,
        "SHERLOC_HOME": str(settings.home),
        "SHERLOC_API_PORT": str(settings.api_bind_port),
        "SHERLOC_API_WORKERS": str(settings.api_workers),
    }


def servers_up(settings: Settings) -> None:
    services.up(settings, log=lambda line: print(f"  {line}", flush=True))
    asyncio.run(prepare_databases(settings, report=lambda _: None))


@asynccontextmanager
async def raw_clients(settings: Settings) -> AsyncIterator[tuple[AsyncDriver, AsyncElasticsearch]]:
    """The official clients, as the baselines use them: Elasticsearch's with orjson, as the
    API's (search/client.py), so that a ratio measures only what SHERLOC adds."""
    driver = AsyncGraphDatabase.driver(settings.bolt_uri, auth=None, notifications_min_severity="OFF")
    es = AsyncElasticsearch(settings.elasticsearch_url, request_timeout=120, serializer=OrjsonSerializer())
    try:
        yield driver, es
    finally:
        await driver.close()
        await es.close()


async def empty_content(settings: Settings) -> None:
    """Remove every document from the graph and the indices (the reference data stays),
    then make the search index again: each ingest starts from the same empty state."""
    async with raw_clients(settings) as (driver, es):
        async with driver.session() as session:
            result = await session.run(
                "MATCH (n) WHERE n:Document OR n:AuthorityContact "
                "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS"
            )
            await result.consume()
        # Deleting by wildcard is refused (action.destructive_requires_name): name them.
        found = await es.indices.get(index=f"{settings.es_index_prefix}-*,bench-*", allow_no_indices=True)
        for name in found.body:
            await es.indices.delete(index=name)
    await prepare_databases(settings, report=lambda _: None)


def _over_process_tree(pid: int, measure: Callable[[int], float]) -> float:
    """`measure` of a running process plus that of its children, and theirs (the API's
    workers); a process that is gone counts 0."""
    try:
        total = measure(pid)
    except (FileNotFoundError, ProcessLookupError):
        return 0
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                total += _over_process_tree(int(child), measure)
    except (FileNotFoundError, ProcessLookupError):
        pass
    return total


def _own_rss_kib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _own_cpu_seconds(pid: int) -> float:
    # The fields after the command's name, which may hold spaces and parentheses.
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def rss_kib(pid: int) -> int:
    """The resident memory of a running process and its children, in KiB (0 once it is
    gone)."""
    return int(_over_process_tree(pid, _own_rss_kib))


def cpu_seconds(pid: int) -> float:
    """The CPU time (user and system) a running process and its children have used so far,
    in seconds (0 once it is gone)."""
    return _over_process_tree(pid, _own_cpu_seconds)


@dataclass(frozen=True)
class Finished:
    seconds: float
    peak_rss_kib: int
    output: str


def run_measured(args: list[str], settings: Settings) -> Finished:
    """Run a command to its end: elapsed time and its own peak resident memory."""
    started = time.perf_counter()
    process = subprocess.Popen(
        args, env=environment(settings), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({process.returncode}):\n{output[-3000:]}")
    return Finished(seconds, usage.ru_maxrss, output)


class ApiProcess:
    """`sherloc serve` of the bench profile, in its own process."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.url = f"http://127.0.0.1:{settings.api_bind_port}"
        self.log = settings.state_dir / "logs" / "api.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 120) -> float:
        """Start it and wait until /readyz answers 200; returns the seconds that took."""
        started = time.perf_counter()
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [str(SHERLOC), "serve"], env=environment(self.settings), cwd=ROOT, stdout=log, stderr=log
            )
        deadline = started + timeout
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"the API stopped while starting ({self.process.returncode}); see {self.log}"
                )
            try:
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return time.perf_counter() - started
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"the API did not become ready within {timeout:.0f} s")

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
