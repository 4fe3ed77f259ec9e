from __future__ import annotations

from elasticsearch import AsyncElasticsearch


def connect(urls: str | list[str], username: str = "", password: str = "") -> AsyncElasticsearch:
    """A client of one node or of a cluster's nodes: a request to a node that does not
    answer is retried on another, and that node is left aside for a while."""
    auth = (username, password) if username else None
    return AsyncElasticsearch(
        urls,
        basic_auth=auth,
        request_timeout=30,
        max_retries=2,
        retry_on_timeout=isinstance(urls, list) and len(urls) > 1,
    )
