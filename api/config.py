"""Configuration from environment variables, validated once at start-up.

Every setting has a documented default (see docs/configuration.md). A
*profile* picks the defaults that keep the data of `make run` (``dev``) apart from the
data of `make test` (``test``): other ports and another state directory.
"""

from __future__ import annotations

import os
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Profile(StrEnum):
    DEV = "dev"
    TEST = "test"
    BENCH = "bench"  # the benchmarks (bench/): their own servers and data


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


# Default ports per profile: Neo4j Bolt, Elasticsearch HTTP, Elasticsearch transport, API.
_PROFILE_PORTS: dict[Profile, tuple[int, int, int, int]] = {
    Profile.DEV: (7687, 9200, 9300, 8000),
    Profile.TEST: (17687, 19200, 19300, 18000),
    Profile.BENCH: (27687, 29200, 29300, 28000),
}


def default_home() -> Path:
    """Where downloads and server data live: outside the work tree, shared by checkouts."""
    if os.geteuid() == 0:
        # Elasticsearch runs as an unprivileged user, who cannot enter /root.
        return Path("/var/lib/sherloc")
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "sherloc"


class ConfigError(Exception):
    """Configuration that cannot be used; the message names the variable and the reason."""


Port = Annotated[int, Field(ge=1, le=65535)]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SHERLOC_", frozen=True, extra="ignore")

    profile: Profile = Profile.DEV
    environment: Environment = Environment.DEVELOPMENT
    home: Path = Field(default_factory=default_home)
    cache: Path | None = None

    api_host: str = "127.0.0.1"
    api_port: Port | None = None
    # Processes serving the API (each with its own connections and caches; they share only
    # the databases): one per core the databases leave free.
    api_workers: Annotated[int, Field(ge=1, le=64)] = 1

    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: str = ""
    neo4j_database: str = "neo4j"

    # One URL, or several comma-separated (the nodes of a cluster, tried in turn).
    es_url: str | None = None
    es_username: str = ""
    es_password: str = ""
    es_index_prefix: str = "sherloc"

    # The launcher: versions fetched from Maven Central, heap sizes, and how long to wait.
    neo4j_version: str = "5.26.30"
    es_version: str = "8.19.21"
    neo4j_heap: str = "1g"
    es_heap: str = "1g"
    java_home: Path | None = None
    start_timeout_seconds: Annotated[float, Field(gt=0)] = 180.0
    es_transport_port: Port | None = None
    # Elasticsearch nodes the launcher starts: 1, or a cluster on consecutive ports from the
    # profile's (every index then keeps one replica of each shard on another node).
    es_nodes: Annotated[int, Field(ge=1, le=9)] = 1
    es_cluster_name: str | None = None

    # Where `sherloc backup` writes (shared by the profiles, like the cache): the graph's
    # dump and the index snapshots; Elasticsearch may write snapshots only under it.
    backup_dir: Path | None = None

    # How often the API indexes what the graph holds and the search index lacks.
    index_retry_seconds: Annotated[float, Field(gt=0, le=3600)] = 5.0

    # Sessions and the throttling of failed logins (mechanism/credentials.py).
    session_hours: Annotated[float, Field(gt=0, le=24 * 30)] = 12.0
    login_slow_after: Annotated[int, Field(ge=1)] = 3
    login_lock_after: Annotated[int, Field(ge=2)] = 10
    login_max_delay_seconds: Annotated[float, Field(ge=0, le=60)] = 8.0
    login_lock_minutes: Annotated[int, Field(ge=1)] = 15

    # How long the API keeps the reference data (instruments, articles, parties and their
    # treaty status, crime types) before reading it again (api/reference_cache.py).
    reference_cache_seconds: Annotated[float, Field(ge=0, le=86_400)] = 60.0

    # HTTP: the largest request body (a review document of 10 MiB travels as base64 in
    # JSON), and the origins of other sites whose pages may call the API (CORS), comma-
    # separated, e.g. "https://sherloc.unodc.org"; none by default.
    max_body_bytes: Annotated[int, Field(ge=1024)] = 16 * 1024 * 1024
    request_timeout_seconds: Annotated[float, Field(gt=0, le=600)] = 30.0
    cors_origins: str = ""
    # Where SHERLOC's own pages are served, e.g. "https://sherloc.unodc.org": a write
    # authenticated by the session cookie must come from there (or a CORS origin). Empty:
    # the request's own scheme and Host header (fine without a proxy in front).
    public_origin: str = ""
    # The key that signs cursors (api/graphql/cursors.py), the same for every API process
    # of a deployment; empty: the key `sherloc setup` stored in the graph.
    cursor_key: SecretStr = SecretStr("")

    # GraphQL limits applied to every request.
    max_page_size: Annotated[int, Field(ge=1, le=1000)] = 100
    max_query_depth: Annotated[int, Field(ge=2, le=50)] = 12
    max_query_tokens: Annotated[int, Field(ge=100)] = 5000
    max_aliases: Annotated[int, Field(ge=1)] = 30

    # The speed-ups (api/speedups), each of which can be turned off ("off", "false", "0"),
    # and all of them at once with SHERLOC_SPEEDUPS=off: the plain path gives the same answers.
    speedups: bool = True
    speedup_flat_completion: bool = True
    speedup_collector: bool = True
    speedup_search_hits_from_index: bool = True
    speedup_page_projections: bool = True
    speedup_reference_cache: bool = True
    speedup_document_cache: bool = True
    speedup_draw_verification_cache: bool = True

    @field_validator("neo4j_uri")
    @classmethod
    def _bolt_uri(cls, value: str | None) -> str | None:
        if value is not None and urlsplit(value).scheme not in {
            "bolt",
            "neo4j",
            "bolt+s",
            "neo4j+s",
        }:
            raise ValueError("must be a bolt:// or neo4j:// URI, e.g. bolt://127.0.0.1:7687")
        return value

    @field_validator("es_url")
    @classmethod
    def _http_urls(cls, value: str | None) -> str | None:
        if value is None:
            return None
        urls = [url.strip() for url in value.split(",")]
        if not all(urlsplit(url).scheme in {"http", "https"} and urlsplit(url).hostname for url in urls):
            raise ValueError(
                "must be http:// or https:// URLs separated by commas, e.g. http://127.0.0.1:9200"
            )
        return ",".join(urls)

    @field_validator("public_origin")
    @classmethod
    def _origin(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        parts = urlsplit(value)
        if value and not (parts.scheme in {"http", "https"} and parts.hostname and not parts.path):
            raise ValueError("must be an origin (scheme and host, no path), e.g. https://sherloc.unodc.org")
        return value

    @field_validator("cursor_key")
    @classmethod
    def _cursor_key(cls, value: SecretStr) -> SecretStr:
        if 0 < len(value.get_secret_value()) < 32:
            raise ValueError("must be at least 32 characters (e.g. `openssl rand -hex 32`), or empty")
        return value

    @property
    def allowed_origins(self) -> list[str]:
        return [origin.strip().rstrip("/") for origin in self.cors_origins.split(",") if origin.strip()]

    @property
    def production(self) -> bool:
        return self.environment is Environment.PRODUCTION

    @cached_property
    def _ports(self) -> tuple[int, int, int, int]:
        return _PROFILE_PORTS[self.profile]

    @property
    def api_bind_port(self) -> int:
        return self.api_port or self._ports[3]

    @property
    def bolt_uri(self) -> str:
        return self.neo4j_uri or f"bolt://127.0.0.1:{self._ports[0]}"

    @property
    def elasticsearch_urls(self) -> list[str]:
        """Every node the API may send a request to: those listed, or the launcher's nodes
        numbered from the first one's port."""
        urls = self.es_url.split(",") if self.es_url else [f"http://127.0.0.1:{self._ports[1]}"]
        if len(urls) > 1 or self.es_nodes == 1:
            return urls
        first = urlsplit(urls[0])
        port = first.port or 9200
        return [f"{first.scheme}://{first.hostname}:{port + node}" for node in range(self.es_nodes)]

    @property
    def elasticsearch_url(self) -> str:
        """The first node: where the launcher starts numbering its nodes' HTTP ports."""
        return self.elasticsearch_urls[0]

    @property
    def elasticsearch_transport_port(self) -> int:
        return self.es_transport_port or self._ports[2]

    @property
    def elasticsearch_cluster_name(self) -> str:
        return self.es_cluster_name or f"sherloc-{self.profile.value}"

    @property
    def backups_dir(self) -> Path:
        return self.backup_dir or self.home / "backups"

    @property
    def state_dir(self) -> Path:
        """Data, logs and pid files of this profile's servers."""
        return self.home / self.profile.value

    @property
    def cache_dir(self) -> Path:
        """Downloaded server distributions and assets, shared by every profile."""
        return self.cache or self.home / "cache"


def load_settings() -> Settings:
    """Read the environment; a bad value raises ConfigError naming the variable."""
    try:
        return Settings()
    except ValidationError as error:
        problems = "; ".join(
            f"SHERLOC_{'_'.join(str(p) for p in e['loc']).upper()}: {e['msg']}" for e in error.errors()
        )
        raise ConfigError(f"Invalid configuration: {problems}") from None
