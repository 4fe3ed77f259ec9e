"""Elasticsearch, from the integ-test-zip distribution on Maven Central, on loopback.

That distribution has no bundled JDK and no `analysis-common` module. Elasticsearch
refuses to run as root, so under root it runs as the unprivileged user `sherloc`.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import urllib.error
import urllib.request
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

from api.config import Settings
from ops.launcher.analysis_plugin import ensure_plugin
from ops.launcher.errors import LauncherError
from ops.launcher.java import find_java
from ops.launcher.maven import run_maven
from ops.launcher.processes import ServerProcess

# Elasticsearch 8.x runs on Java 17 and newer.
_JAVA_VERSIONS = range(17, 100)
SERVICE_USER = "sherloc"


class ElasticsearchServer:
    """One node; with `SHERLOC_ES_NODES` above 1, node N (from 1) listens on the first
    node's HTTP and transport ports plus N - 1, and the nodes form one cluster."""

    def __init__(self, settings: Settings, node: int = 1) -> None:
        self.settings = settings
        self.node = node
        version = settings.es_version
        self.install_dir = settings.cache_dir / f"elasticsearch-{version}"
        # A cluster's nodes keep their data apart from a single node's: a node that has been
        # part of a cluster cannot start alone, and the index is rebuilt from the graph anyway.
        suffix = "" if settings.es_nodes == 1 else f"-{node}"
        self.name = "Elasticsearch" if settings.es_nodes == 1 else f"Elasticsearch node {node}"
        self.home_dir = settings.state_dir / f"elasticsearch{suffix}"
        self.process = ServerProcess(
            name=self.name,
            pid_file=settings.state_dir / f"elasticsearch{suffix}.pid",
            log_file=settings.state_dir / "logs" / f"elasticsearch{suffix}.log",
        )
        address = urlsplit(settings.elasticsearch_url)
        self.host = address.hostname or "127.0.0.1"
        self.port = (address.port or 9200) + node - 1
        self.transport_port = settings.elasticsearch_transport_port + node - 1

    @property
    def node_name(self) -> str:
        return f"sherloc-{self.settings.profile.value}-{self.node}"

    @property
    def endpoint(self) -> str:
        return f"http://{self.host}:{self.port}"

    def java_home(self) -> Path:
        return find_java("Elasticsearch", _JAVA_VERSIONS, self.settings.java_home)

    def installed(self) -> bool:
        return (self.install_dir / "bin" / "elasticsearch").is_file()

    def install(self) -> None:
        """Fetch the distribution from Maven Central and unpack it (only the first time)."""
        if self.installed():
            return
        version = self.settings.es_version
        downloads = self.settings.cache_dir / "downloads"
        archive = downloads / f"elasticsearch-{version}.zip"
        if not archive.is_file():
            run_maven(
                [
                    "dependency:copy",
                    f"-Dartifact=org.elasticsearch.distribution.integ-test-zip:elasticsearch:{version}:zip",
                    f"-DoutputDirectory={downloads}",
                ],
                log=self.settings.cache_dir / "fetch.log",
                what=f"Elasticsearch {version}",
                java_home=self.java_home(),
            )
        staging = self.settings.cache_dir / f"elasticsearch-{version}.partial"
        shutil.rmtree(staging, ignore_errors=True)
        _unzip_with_modes(archive, staging)
        shutil.rmtree(self.install_dir, ignore_errors=True)
        (staging / f"elasticsearch-{version}").rename(self.install_dir)
        shutil.rmtree(staging, ignore_errors=True)

    def start(self) -> None:
        java_home = self.java_home()
        ensure_plugin(
            self.install_dir,
            self.settings.es_version,
            java_home,
            log=self.settings.cache_dir / "fetch.log",
        )
        config_dir = self._write_config()
        # The node must reach `path.repo`; each backup gives it its snapshot's directory only.
        backups = self.settings.backups_dir
        backups.mkdir(parents=True, exist_ok=True)
        user = _service_user()
        give_to_service_user(self.home_dir)
        if user:
            _check_reachable(backups, user, itself=True)
        env = {
            **os.environ,
            "ES_JAVA_HOME": str(java_home),
            "ES_PATH_CONF": str(config_dir),
            "ES_TMPDIR": str(self.home_dir / "tmp"),
            "ES_JAVA_OPTS": f"-Xms{self.settings.es_heap} -Xmx{self.settings.es_heap}",
        }
        env.pop("JAVA_HOME", None)
        self.process.start(
            [str(self.install_dir / "bin" / "elasticsearch")],
            env=env,
            cwd=self.home_dir,
            user=user,
        )

    def ready(self) -> bool:
        """The node answers and its cluster has every node and every primary shard."""
        nodes = self.settings.es_nodes
        query = f"wait_for_status=yellow&wait_for_nodes=%3E%3D{nodes}&timeout=1s"
        url = f"{self.endpoint}/_cluster/health?{query}"
        try:
            with urllib.request.urlopen(url, timeout=3) as response:  # noqa: S310 (loopback URL)
                health = json.load(response)
        except (urllib.error.URLError, OSError, ValueError):
            return False
        return health.get("status") in {"green", "yellow"} and not health.get("timed_out")

    def _write_config(self) -> Path:
        """A config directory per profile: the distribution's defaults plus ours."""
        config_dir = self.home_dir / "config"
        for sub in ("data", "logs", "tmp"):
            (self.home_dir / sub).mkdir(parents=True, exist_ok=True)
        if not config_dir.is_dir():
            shutil.copytree(self.install_dir / "config", config_dir)
        settings: dict[str, str | list[str]] = {
            "cluster.name": self.settings.elasticsearch_cluster_name,
            "node.name": self.node_name,
            "path.data": str(self.home_dir / "data"),
            "path.logs": str(self.home_dir / "logs"),
            # Snapshots (`sherloc backup`) may be written only under this directory.
            "path.repo": [str(self.settings.backups_dir)],
            "network.host": self.host,
            "http.port": str(self.port),
            "transport.port": str(self.transport_port),
            **self._discovery(),
            # Loopback only, as in development: no TLS and no users on this node.
            "xpack.security.enabled": "false",
            "cluster.routing.allocation.disk.threshold_enabled": "false",
            "action.destructive_requires_name": "true",
            # SHERLOC creates its indices with their mapping; a write to a missing alias must
            # fail (the documents stay pending) instead of creating an index of guessed fields.
            "action.auto_create_index": "false",
        }
        lines = [f"{key}: {json.dumps(value)}" for key, value in settings.items()]
        (config_dir / "elasticsearch.yml").write_text("\n".join(lines) + "\n")
        return config_dir

    def _discovery(self) -> dict[str, str | list[str]]:
        count = self.settings.es_nodes
        if count == 1:
            return {"discovery.type": "single-node"}
        peers = [ElasticsearchServer(self.settings, node) for node in range(1, count + 1)]
        return {
            "discovery.seed_hosts": [f"{self.host}:{peer.transport_port}" for peer in peers],
            # Read only when the cluster first forms; ignored once it has.
            "cluster.initial_master_nodes": [peer.node_name for peer in peers],
        }


def _unzip_with_modes(archive: Path, target: Path) -> None:
    """Unzip keeping the executable bits (zipfile alone drops them)."""
    try:
        with zipfile.ZipFile(archive) as zipped:
            for member in zipped.infolist():
                path = Path(zipped.extract(member, target))
                mode = (member.external_attr >> 16) & 0o777
                if mode:
                    path.chmod(mode)
    except zipfile.BadZipFile:
        archive.unlink(missing_ok=True)
        raise LauncherError(
            f"The downloaded {archive.name} was damaged and has been removed: run the command again"
        ) from None


def _service_user() -> str | None:
    """Under root, the unprivileged user Elasticsearch runs as (created if missing)."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SERVICE_USER)
    except KeyError:
        result = subprocess.run(
            [
                "useradd",
                "--system",
                "--no-create-home",
                "--shell",
                "/usr/sbin/nologin",
                SERVICE_USER,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise LauncherError(
                f"Elasticsearch refuses to run as root and the user '{SERVICE_USER}' could not "
                f"be created ({result.stderr.strip()}): create it, or run SHERLOC as another user"
            ) from None
    return SERVICE_USER


def _check_reachable(directory: Path, user: str, itself: bool = False) -> None:
    """The service user must be able to enter every directory above its own (and, when
    `itself`, that directory too)."""
    resolved = directory.resolve()
    for parent in [resolved, *resolved.parents] if itself else resolved.parents:
        if not parent.stat().st_mode & 0o001:
            raise LauncherError(
                f"Elasticsearch runs as the user '{user}', who cannot enter {parent}: "
                "set SHERLOC_HOME to a directory every user may enter (the default is "
                "/var/lib/sherloc under root)"
            )


def give_to_service_user(directory: Path) -> None:
    """Let Elasticsearch (run as the service user under root) write into this directory."""
    user = _service_user()
    if user:
        _check_reachable(directory, user)
        _chown_tree(directory, user)


def _chown_tree(root: Path, user: str) -> None:
    entry = pwd.getpwnam(user)
    for directory, _, files in os.walk(root):
        os.chown(directory, entry.pw_uid, entry.pw_gid)
        for name in files:
            os.chown(os.path.join(directory, name), entry.pw_uid, entry.pw_gid)
