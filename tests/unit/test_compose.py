"""docker/compose.yaml describes what the launcher starts: a three-node Elasticsearch
cluster the API knows every node of, sharing the backups' directory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from api.config import Settings

COMPOSE = Path(__file__).resolve().parents[2] / "docker" / "compose.yaml"


def _services() -> dict[str, Any]:
    services: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())["services"]
    return services


def test_the_compose_file_describes_a_three_node_cluster() -> None:
    services = _services()
    nodes = {name: s for name, s in services.items() if "elasticsearch" in s.get("image", "")}
    assert sorted(nodes) == ["es1", "es2", "es3"]
    for name, node in nodes.items():
        env = node["environment"]
        assert env["node.name"] == name
        assert env["cluster.name"] == "sherloc"
        assert sorted(env["discovery.seed_hosts"].split(",")) == sorted(nodes)
        assert sorted(env["cluster.initial_master_nodes"].split(",")) == sorted(nodes)
        assert env["path.repo"] == "/backups" and "backups:/backups" in node["volumes"]
        assert env["action.auto_create_index"] == "false"
    data_volumes = [v for node in nodes.values() for v in node["volumes"] if "data" in v]
    assert len(set(data_volumes)) == 3  # each node its own data


def test_the_api_knows_every_node() -> None:
    services = _services()
    for name in ("setup", "api"):
        env = services[name]["environment"]
        settings = Settings(es_url=env["SHERLOC_ES_URL"])
        assert settings.elasticsearch_urls == [f"http://es{n}:9200" for n in (1, 2, 3)]
    # Setup waits for every node (and the API for setup).
    assert {"es1", "es2", "es3"} <= set(services["setup"]["depends_on"])
