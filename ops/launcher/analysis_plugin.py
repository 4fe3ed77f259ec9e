"""SHERLOC's Elasticsearch analysis plugin (search/analysis-plugin/): built with Maven
and installed into the Elasticsearch the launcher runs, so that tests and deployments use
the same analyzers. It is rebuilt and reinstalled whenever its sources change."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

from ops.launcher.errors import LauncherError
from ops.launcher.maven import run_maven

PLUGIN_NAME = "sherloc-analysis"
SOURCE_DIR = Path(__file__).resolve().parents[2] / "search" / "analysis-plugin"
FINGERPRINT_FILE = ".sherloc-fingerprint"


def source_fingerprint(source: Path = SOURCE_DIR) -> str:
    digest = hashlib.sha256()
    for path in sorted([source / "pom.xml", *(source / "src" / "main").rglob("*")]):
        if path.is_file():
            digest.update(str(path.relative_to(source)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def installed_fingerprint(es_home: Path) -> str | None:
    marker = es_home / "plugins" / PLUGIN_NAME / FINGERPRINT_FILE
    return marker.read_text().strip() if marker.is_file() else None


def ensure_plugin(es_home: Path, es_version: str, java_home: Path, log: Path) -> bool:
    """Build and install the plugin unless the installed one is current; True if it
    (re)installed it."""
    if not (SOURCE_DIR / "pom.xml").is_file():
        raise LauncherError(
            f"The analysis plugin's sources are missing ({SOURCE_DIR}): run SHERLOC from its "
            "repository checkout"
        )
    fingerprint = source_fingerprint()
    if installed_fingerprint(es_home) == fingerprint:
        return False
    run_maven(
        ["-q", "-f", str(SOURCE_DIR / "pom.xml"), f"-Des.version={es_version}", "package"],
        log=log,
        what="the build of SHERLOC's analysis plugin",
        java_home=java_home,
    )
    archives = sorted((SOURCE_DIR / "target").glob(f"{PLUGIN_NAME}-*.zip"))
    if not archives:
        raise LauncherError("The analysis plugin's build produced no zip", log)
    tool = es_home / "bin" / "elasticsearch-plugin"
    env = {**os.environ, "ES_JAVA_HOME": str(java_home)}
    env.pop("JAVA_HOME", None)
    shutil.rmtree(es_home / "plugins" / PLUGIN_NAME, ignore_errors=True)
    with log.open("a") as out:
        result = subprocess.run(
            [str(tool), "install", "--batch", archives[-1].resolve().as_uri()],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            check=False,
        )
    if result.returncode != 0:
        raise LauncherError("Installing the analysis plugin into Elasticsearch failed", log)
    (es_home / "plugins" / PLUGIN_NAME / FINGERPRINT_FILE).write_text(fingerprint + "\n")
    return True
