"""Settings that name several Elasticsearch nodes, and where backups go."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.config import ConfigError, Profile, Settings, load_settings
from ops.launcher.elasticsearch import ElasticsearchServer


def test_a_cluster_of_the_launcher_is_numbered_from_the_profiles_ports() -> None:
    settings = Settings(profile=Profile.TEST, es_nodes=3, home=Path("/srv/sherloc"))
    assert settings.elasticsearch_urls == [f"http://127.0.0.1:{19200 + n}" for n in range(3)]
    nodes = [ElasticsearchServer(settings, n) for n in (1, 2, 3)]
    assert [(n.port, n.transport_port) for n in nodes] == [(19200, 19300), (19201, 19301), (19202, 19302)]
    assert [n.home_dir.name for n in nodes] == ["elasticsearch-1", "elasticsearch-2", "elasticsearch-3"]
    assert ElasticsearchServer(Settings(es_nodes=1)).home_dir.name == "elasticsearch"
    assert len({n.node_name for n in nodes}) == 3
    assert settings.backups_dir == Path("/srv/sherloc/backups")


def test_one_url_and_several_nodes_name_every_node() -> None:
    settings = Settings(es_url="http://10.0.0.5:9400", es_nodes=3)
    assert settings.elasticsearch_urls == [f"http://10.0.0.5:{9400 + n}" for n in range(3)]


def test_several_urls_are_accepted_and_a_bad_one_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(es_url="http://a:9200, http://b:9200")
    assert settings.elasticsearch_urls == ["http://a:9200", "http://b:9200"]
    monkeypatch.setenv("SHERLOC_ES_URL", "http://a:9200,b:9200")
    with pytest.raises(ConfigError, match=r"SHERLOC_ES_URL: .*separated by commas"):
        load_settings()
    monkeypatch.setenv("SHERLOC_ES_URL", "http://a:9200")
    monkeypatch.setenv("SHERLOC_ES_NODES", "0")
    with pytest.raises(ConfigError, match="SHERLOC_ES_NODES"):
        load_settings()
