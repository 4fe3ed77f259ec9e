"""Neo4j Community, embedded in a small Java launcher, with its Bolt connector on loopback."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

from neo4j import GraphDatabase
from neo4j.exceptions import Neo4jError, ServiceUnavailable

from api.config import Settings
from ops.launcher.errors import LauncherError
from ops.launcher.java import find_java
from ops.launcher.maven import run_maven
from ops.launcher.processes import ServerProcess

_HERE = Path(__file__).parent
# Neo4j 5.26 LTS runs on Java 17 and 21.
_JAVA_VERSIONS = range(17, 22)


class Neo4jServer:
    name = "Neo4j"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.install_dir = settings.cache_dir / f"neo4j-{settings.neo4j_version}"
        self.data_dir = settings.state_dir / "neo4j"
        self.process = ServerProcess(
            name="Neo4j",
            pid_file=settings.state_dir / "neo4j.pid",
            log_file=settings.state_dir / "logs" / "neo4j.log",
        )
        address = urlsplit(settings.bolt_uri)
        self.host = address.hostname or "127.0.0.1"
        self.port = address.port or 7687

    @property
    def endpoint(self) -> str:
        return f"bolt://{self.host}:{self.port}"

    def java_home(self) -> Path:
        return find_java("Neo4j", _JAVA_VERSIONS, self.settings.java_home)

    def installed(self) -> bool:
        return (self.install_dir / "lib").is_dir()

    def install(self) -> None:
        """Fetch the Neo4j jars from Maven Central into the cache (only the first time)."""
        if self.installed():
            return
        self.install_dir.mkdir(parents=True, exist_ok=True)
        staging = self.install_dir / "lib.partial"
        shutil.rmtree(staging, ignore_errors=True)
        run_maven(
            [
                "-f",
                str(_HERE / "neo4j-pom.xml"),
                f"-Dneo4j.version={self.settings.neo4j_version}",
                "dependency:copy-dependencies",
                f"-DoutputDirectory={staging}",
            ],
            log=self.settings.cache_dir / "fetch.log",
            what=f"Neo4j {self.settings.neo4j_version}",
            java_home=self.java_home(),
        )
        staging.rename(self.install_dir / "lib")

    def start(self) -> None:
        java_home = self.java_home()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        command = [
            str(java_home / "bin" / "java"),
            f"-Xms{self.settings.neo4j_heap}",
            f"-Xmx{self.settings.neo4j_heap}",
            "-XX:+UseG1GC",
            "-cp",
            str(self.install_dir / "lib" / "*"),
            str(_HERE / "Neo4jLauncher.java"),
            str(self.data_dir),
            self.host,
            str(self.port),
            "512m",
        ]
        env = {**os.environ, "JAVA_HOME": str(java_home)}
        self.process.start(command, env=env, cwd=self.data_dir)

    def dump(self, target_dir: Path) -> Path:
        """Dump the database into target_dir (the server must be stopped: Community
        Edition has no online backup)."""
        self._admin("database", "dump", self.settings.neo4j_database, f"--to-path={target_dir}")
        return target_dir / f"{self.settings.neo4j_database}.dump"

    def load(self, source_dir: Path) -> None:
        """Replace the database with the dump in source_dir (the server must be stopped)."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._admin(
            "database",
            "load",
            self.settings.neo4j_database,
            f"--from-path={source_dir}",
            "--overwrite-destination=true",
        )

    def _admin(self, *arguments: str) -> None:
        """neo4j-admin, whose classes are among the server's jars, on this server's files."""
        if self.process.pid() is not None:
            raise LauncherError(f"Neo4j must be stopped for neo4j-admin {' '.join(arguments[:2])}")
        java_home = self.java_home()
        conf_dir = self.data_dir / "conf"
        conf_dir.mkdir(parents=True, exist_ok=True)
        (conf_dir / "neo4j.conf").touch()
        log_file = self.settings.state_dir / "logs" / "neo4j-admin.log"
        log_file.parent.mkdir(parents=True, exist_ok=True)
        command = [
            str(java_home / "bin" / "java"),
            "-cp",
            str(self.install_dir / "lib" / "*"),
            "org.neo4j.cli.AdminTool",
            *arguments,
        ]
        env = {
            **os.environ,
            "JAVA_HOME": str(java_home),
            "NEO4J_HOME": str(self.data_dir),
            "NEO4J_CONF": str(conf_dir),
        }
        with log_file.open("ab") as log:
            result = subprocess.run(command, env=env, stdout=log, stderr=subprocess.STDOUT, check=False)
        if result.returncode != 0:
            raise LauncherError(f"neo4j-admin {' '.join(arguments[:2])} failed", log_file)

    def ready(self) -> bool:
        try:
            with GraphDatabase.driver(self.endpoint, auth=None) as driver:
                driver.verify_connectivity()
            return True
        except (ServiceUnavailable, Neo4jError, OSError):
            return False
