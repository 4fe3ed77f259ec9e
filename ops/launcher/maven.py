"""Fetching artifacts from Maven Central with the `mvn` client."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from ops.launcher.errors import LauncherError


def run_maven(args: list[str], log: Path, what: str, java_home: Path) -> None:
    """Run `mvn -B args...`, appending its output to `log`; fail with one clear sentence."""
    mvn = shutil.which("mvn")
    if mvn is None:
        raise LauncherError(
            f"Maven (mvn) is needed to fetch {what} from Maven Central: "
            "install it (for instance `apt-get install maven`) and try again"
        )
    log.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "JAVA_HOME": str(java_home)}
    with log.open("a") as out:
        out.write(f"\n$ mvn -B {' '.join(args)}\n")
        out.flush()
        result = subprocess.run(
            [mvn, "-B", "--no-transfer-progress", *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            check=False,
        )
    if result.returncode != 0:
        raise LauncherError(
            f"Fetching {what} from Maven Central failed (is the repository reachable, "
            "and the version published?)",
            log,
        )
