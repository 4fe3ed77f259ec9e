"""Finding a Java runtime of the version a server needs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from ops.launcher.errors import LauncherError

_VERSION = re.compile(r'version "(\d+)(?:\.(\d+))?')


def java_major_version(java_home: Path) -> int | None:
    java = java_home / "bin" / "java"
    if not java.is_file():
        return None
    try:
        result = subprocess.run(
            [str(java), "-version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = _VERSION.search(result.stderr)
    if not match:
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def _candidates(configured: Path | None) -> list[Path]:
    homes: list[Path] = []
    if configured:
        homes.append(configured)
    if os.environ.get("JAVA_HOME"):
        homes.append(Path(os.environ["JAVA_HOME"]))
    on_path = shutil.which("java")
    if on_path:
        homes.append(Path(on_path).resolve().parent.parent)
    jvm = Path("/usr/lib/jvm")
    if jvm.is_dir():
        homes.extend(sorted(p for p in jvm.iterdir() if p.is_dir() and not p.is_symlink()))
    return homes


def find_java(server: str, supported: range, configured: Path | None) -> Path:
    """The first Java home whose major version is in `supported` (the configured one first)."""
    seen: list[str] = []
    for home in _candidates(configured):
        version = java_major_version(home)
        if version is None:
            continue
        if version in supported:
            return home
        seen.append(f"{home} is Java {version}")
    wanted = f"Java {supported.start} to {supported.stop - 1}"
    found = "; ".join(seen) if seen else "no Java runtime was found"
    raise LauncherError(
        f"{server} needs {wanted}, but {found}: install one (for instance "
        f"`apt-get install openjdk-{supported.start}-jdk-headless`) "
        "or point SHERLOC_JAVA_HOME at it"
    )
