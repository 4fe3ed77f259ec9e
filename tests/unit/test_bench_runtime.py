"""The benchmarks' process measures, on real processes."""

import os
import signal
import subprocess
import sys
import time

from bench.runtime import cpu_seconds

BUSY = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass\ntime.sleep(30)"


def test_cpu_seconds_counts_a_process_and_its_children() -> None:
    launcher = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {BUSY!r}])"
    parent = subprocess.Popen([sys.executable, "-c", launcher], start_new_session=True)
    try:
        deadline = time.monotonic() + 20
        while cpu_seconds(parent.pid) < 0.3 and time.monotonic() < deadline:
            time.sleep(0.05)
        # The child's 0.3 s of work while it runs (its parent has not waited for it yet):
        # the parent alone only starts Python.
        assert cpu_seconds(parent.pid) >= 0.3
    finally:
        os.killpg(parent.pid, signal.SIGKILL)
        parent.wait()


def test_cpu_seconds_of_no_process_is_zero() -> None:
    assert cpu_seconds(2**22 + 1) == 0.0  # above Linux's largest pid
