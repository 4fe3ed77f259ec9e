"""Background server processes tracked by pid files, and the port checks around them."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


def port_open(host: str, port: int) -> bool:
    """True when something accepts TCP connections on host:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


@dataclass(frozen=True)
class ServerProcess:
    """One server started in its own session, so that it survives Ctrl-C in the terminal
    and can be stopped as a whole process group (Elasticsearch forks its JVM)."""

    name: str
    pid_file: Path
    log_file: Path

    def pid(self) -> int | None:
        """The pid of the running server, or None (a stale pid file is removed)."""
        try:
            pid = int(self.pid_file.read_text().split()[0])
        except (FileNotFoundError, ValueError, IndexError):
            return None
        if not _alive(pid) or not _same_process(pid, self.pid_file):
            self.pid_file.unlink(missing_ok=True)
            return None
        return pid

    def start(
        self,
        command: Sequence[str],
        env: Mapping[str, str],
        cwd: Path,
        user: str | None = None,
    ) -> int:
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        with self.log_file.open("ab") as log:
            process = subprocess.Popen(
                list(command),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=dict(env),
                cwd=cwd,
                start_new_session=True,
                user=user,
            )
        self.pid_file.write_text(f"{process.pid}\n{_start_marker(process.pid)}\n")
        # The server outlives this Popen object, and this process when it is a CLI command
        # (by design). A thread waits for it, so that it is reaped when it ends while this
        # process runs (no zombie), and its Popen is never collected while the server runs
        # (Python warns of a child left running): the thread is a daemon, so it neither
        # delays this process's exit nor holds the server, which goes on under init.
        threading.Thread(target=process.wait, name=f"{self.name} (pid {process.pid})", daemon=True).start()
        return process.pid

    def exited(self) -> bool:
        return self.pid() is None

    def stop(self, timeout: float = 60.0) -> bool:
        """SIGTERM the process group, then SIGKILL it after `timeout`; False if not running."""
        pid = self.pid()
        if pid is None:
            return False
        _signal_group(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not _alive(pid):
                break
            time.sleep(0.2)
        else:
            _signal_group(pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)
        return True


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child of ours is not alive; reap it (if the thread waiting for it has not yet).
    try:
        waited, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return waited == 0


def _start_marker(pid: int) -> str:
    """The kernel's start time of the process, to tell it from a later one with the same pid."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return fields[19]
    except (OSError, IndexError):
        return ""


def _same_process(pid: int, pid_file: Path) -> bool:
    lines = pid_file.read_text().splitlines()
    recorded = lines[1] if len(lines) > 1 else ""
    return not recorded or recorded == _start_marker(pid)


def _signal_group(pid: int, sig: signal.Signals) -> None:
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        pass
    except PermissionError:
        os.kill(pid, sig)
