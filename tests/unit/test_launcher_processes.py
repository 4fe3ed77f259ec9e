"""The launcher's server processes, on a real process (`sleep`) standing in for a server: it
outlives the command that started it without a ResourceWarning, and one that ends while
its starter runs is reaped (no zombie)."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import time
from pathlib import Path

from ops.launcher.processes import ServerProcess

SLEEP = ["sleep", "60"]


def _server(directory: Path) -> ServerProcess:
    return ServerProcess("Sleeper", directory / "sleeper.pid", directory / "sleeper.log")


def _state(pid: int) -> str | None:
    """The kernel's state letter of the process (Z: a zombie), or None when there is none."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None


def _gone(pid: int, zombie_too: bool = True, within: float = 10.0) -> bool:
    """No process of that pid within `within` seconds (a zombie counts as one, or not)."""
    deadline = time.monotonic() + within
    while _state(pid) is not None and (zombie_too or _state(pid) != "Z"):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_a_server_ended_while_its_starter_runs_is_reaped_without_a_warning(tmp_path: Path) -> None:
    server = _server(tmp_path)
    pid = server.start(SLEEP, env=os.environ, cwd=tmp_path)
    gc.collect()  # the Popen object is not left to the collector (warnings are errors here)
    assert server.pid() == pid
    os.kill(pid, 9)  # ended behind the launcher's back: no stop() to reap it
    assert _gone(pid)
    assert server.pid() is None


def test_a_server_outlives_the_command_that_started_it_without_a_warning(tmp_path: Path) -> None:
    command = (
        "import os, sys; from pathlib import Path; from ops.launcher.processes import ServerProcess; "
        "home = Path(sys.argv[1]); "
        "ServerProcess('Sleeper', home / 'sleeper.pid', home / 'sleeper.log')"
        f".start({SLEEP!r}, env=os.environ, cwd=home)"
    )
    started = subprocess.run(
        [sys.executable, "-X", "dev", "-W", "error", "-c", command, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
        cwd=Path(__file__).parents[2],
    )
    server = _server(tmp_path)
    pid = server.pid()
    try:
        assert (started.returncode, started.stderr) == (0, "")
        assert pid is not None  # still running after its command ended
    finally:
        assert server.stop(timeout=10)
    # Ended; reaping it is the business of its new parent (init), not of this process.
    assert pid is not None and _gone(pid, zombie_too=False)
