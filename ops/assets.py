"""Fetching GraphiQL's assets from the npm registry (`npm pack`), once, into the cache beside
the servers, where the app serves them from (api/graphiql.py)."""

from __future__ import annotations

import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from api.graphiql import ASSETS, assets_dir, assets_present
from ops.launcher.errors import LauncherError


def fetch_assets(cache_dir: Path) -> Path:
    """Fetch the GraphiQL assets with `npm pack` (only the first time)."""
    target = assets_dir(cache_dir)
    if assets_present(cache_dir):
        return target
    npm = shutil.which("npm")
    if npm is None:
        raise LauncherError(
            "npm is needed once to fetch GraphiQL's assets: install Node.js and npm "
            "(for instance `apt-get install npm`) and try again"
        )
    packages = sorted({f"{name}@{version}" for name, version, *_ in ASSETS})
    cache_dir.mkdir(parents=True, exist_ok=True)
    log = cache_dir / "fetch.log"
    with tempfile.TemporaryDirectory(dir=cache_dir) as work, log.open("a") as out:
        result = subprocess.run(
            [npm, "pack", "--silent", *packages], cwd=work, stdout=out, stderr=out, check=False
        )
        if result.returncode != 0:
            raise LauncherError("Fetching GraphiQL's assets from the npm registry failed", log)
        staging = Path(work) / "assets"
        staging.mkdir()
        for name, version, member, served in ASSETS:
            with tarfile.open(Path(work) / f"{name}-{version}.tgz") as archive:
                source = archive.extractfile(f"package/{member}")
                if source is None:
                    raise LauncherError(f"{name}@{version} has no {member}", log)
                (staging / served).write_bytes(source.read())
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
    return target
