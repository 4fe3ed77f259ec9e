from __future__ import annotations

from elasticsearch import AsyncElasticsearch


def connect(url: str, username: str = "", password: str = "") -> AsyncElasticsearch:
    auth = (username, password) if username else None
    return AsyncElasticsearch(url, basic_auth=auth, request_timeout=30, max_retries=2)
