"""The launcher as a user meets it: `sherloc run`, a second run, a port taken, a server
that cannot start. Each test gets a state directory of its own (SHERLOC_HOME) and shares
the downloaded servers (SHERLOC_CACHE)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api.config import Settings
from ops.launcher import LauncherError, services
from ops.launcher.java import find_java

pytestmark = pytest.mark.slow  # servers of its own, a minute or more

SHERLOC = str(Path(sys.executable).parent / "sherloc")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def isolated_home(settings: Settings) -> Iterator[Path]:
    """A state directory beside the test profile's: Elasticsearch's unprivileged user must
    be able to enter it, which it cannot under pytest's private tmp_path."""
    home = settings.home / "launcher-tests" / uuid.uuid4().hex[:8]
    home.mkdir(parents=True)
    yield home
    shutil.rmtree(home, ignore_errors=True)


@pytest.fixture
def isolated_env(isolated_home: Path, settings: Settings, running_services: None) -> dict[str, str]:
    """Another profile's worth of ports and state; the downloads of the test profile."""
    return {
        **os.environ,
        "SHERLOC_PROFILE": "dev",
        "SHERLOC_HOME": str(isolated_home),
        "SHERLOC_CACHE": str(settings.cache_dir),
        "SHERLOC_NEO4J_URI": f"bolt://127.0.0.1:{_free_port()}",
        "SHERLOC_ES_URL": f"http://127.0.0.1:{_free_port()}",
        "SHERLOC_ES_TRANSPORT_PORT": str(_free_port()),
        "SHERLOC_API_PORT": str(_free_port()),
        "SHERLOC_NEO4J_HEAP": "512m",
        "SHERLOC_ES_HEAP": "512m",
    }


def _sherloc(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SHERLOC, *args], env=env, capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture
def listening_socket() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield int(sock.getsockname()[1])


def test_a_port_taken_by_another_program_is_named(
    isolated_env: dict[str, str], listening_socket: int
) -> None:
    env = {**isolated_env, "SHERLOC_NEO4J_URI": f"bolt://127.0.0.1:{listening_socket}"}
    result = _sherloc(env, "services", "up")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"sherloc: Port {listening_socket} for Neo4j is taken by another program: stop it, "
        "or choose another port (see docs/configuration.md)"
    )
    assert "Traceback" not in result.stderr


def test_a_server_that_cannot_start_points_to_its_log(isolated_env: dict[str, str]) -> None:
    env = {**isolated_env, "SHERLOC_NEO4J_HEAP": "lots"}
    result = _sherloc(env, "services", "up")
    try:
        assert result.returncode == 1
        assert "sherloc: Neo4j stopped while starting (log: " in result.stderr
        log = Path(result.stderr.split("(log: ")[1].rstrip(")\n"))
        assert "Invalid" in log.read_text() or "Error" in log.read_text()
        assert "Traceback" not in result.stderr
    finally:
        _sherloc(env, "services", "down")


@pytest.mark.skipif(os.geteuid() != 0, reason="only root runs Elasticsearch as another user")
def test_a_home_the_service_user_cannot_enter_is_named(isolated_env: dict[str, str], tmp_path: Path) -> None:
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    env = {**isolated_env, "SHERLOC_HOME": str(private / "home")}
    result = _sherloc(env, "services", "up")
    status = _sherloc(env, "services", "status")
    _sherloc(env, "services", "down")
    assert result.returncode == 1
    assert "Elasticsearch runs as the user 'sherloc', who cannot enter" in result.stderr
    assert "Neo4j: stopped" in status.stdout  # nothing is left half-started


def test_a_download_refused_is_named(isolated_env: dict[str, str], tmp_path: Path) -> None:
    env = {**isolated_env, "SHERLOC_CACHE": str(tmp_path / "cache"), "SHERLOC_ES_VERSION": "0.0.1"}
    env["SHERLOC_NEO4J_VERSION"] = "0.0.1"
    result = _sherloc(env, "services", "up")
    assert result.returncode == 1
    assert result.stderr.startswith(
        "sherloc: Fetching Neo4j 0.0.1 from Maven Central failed (is the repository reachable, "
        "and the version published?) (log: "
    )
    assert "Traceback" not in result.stderr


def test_a_bad_setting_is_named(isolated_env: dict[str, str]) -> None:
    env = {**isolated_env, "SHERLOC_NEO4J_URI": "http://127.0.0.1:7687"}
    result = _sherloc(env, "services", "status")
    assert result.returncode == 1
    assert result.stderr.startswith("sherloc: Invalid configuration: SHERLOC_NEO4J_URI: ")
    assert "must be a bolt:// or neo4j:// URI" in result.stderr


def test_a_java_too_old_is_named() -> None:
    with pytest.raises(LauncherError, match=r"Neo4j needs Java 99 to 99, but .* SHERLOC_JAVA_HOME"):
        find_java("Neo4j", range(99, 100), None)


def test_status_of_the_running_test_servers(settings: Settings, running_services: None) -> None:
    statuses = services.status(settings)
    assert [(s.name, s.ready) for s in statuses] == [("Neo4j", True), ("Elasticsearch", True)]
    assert all(s.pid for s in statuses)


def test_run_serves_the_api_refuses_a_second_run_and_stops_cleanly(
    isolated_env: dict[str, str],
) -> None:
    env = isolated_env
    run = subprocess.Popen(
        [SHERLOC, "run"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    api = f"http://127.0.0.1:{env['SHERLOC_API_PORT']}"
    try:
        deadline = time.monotonic() + 240
        while True:
            assert run.poll() is None, run.stdout.read() if run.stdout else ""
            try:
                if httpx.get(f"{api}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "sherloc run did not become ready"
            time.sleep(1)

        body = httpx.post(f"{api}/graphql", json={"query": "{ instruments { code } }"}).json()
        assert len(body["data"]["instruments"]) == 4

        second = _sherloc(env, "run")
        assert second.returncode == 1
        assert "SHERLOC is already running for profile 'dev'" in second.stderr

        run.send_signal(signal.SIGTERM)
        output, _ = run.communicate(timeout=120)
        assert run.returncode == 0, output
        assert "Stopped Neo4j" in output and "Stopped Elasticsearch" in output
        status = _sherloc(env, "services", "status")
        assert status.returncode == 3
        assert "Neo4j: stopped" in status.stdout and "Elasticsearch: stopped" in status.stdout
    finally:
        if run.poll() is None:
            run.kill()
        _sherloc(env, "services", "down")
