"""The key that signs the API's cursors, when no SHERLOC_CURSOR_KEY is set: made once by
`sherloc setup`, kept in one node of the graph that every API process of a deployment
reads (see api/graphql/cursors.py for why it lives here)."""

from __future__ import annotations

import secrets

from graph.driver import Graph

KEY_BYTES = 32


async def ensure_cursor_key(graph: Graph) -> bytes:
    """The key, made now if the graph has none. Idempotent: a key made before is kept, as
    the cursors it signed are in clients' hands; processes making it at the same time end
    with one (MERGE on the unique Meta key)."""
    rows = await graph.write(
        "MERGE (m:Meta {key: 'cursorKey'}) ON CREATE SET m.secret = $secret RETURN m.secret AS secret",
        secret=secrets.token_hex(KEY_BYTES),
    )
    return bytes.fromhex(rows[0]["secret"])


async def stored_cursor_key(graph: Graph) -> bytes | None:
    rows = await graph.read("MATCH (m:Meta {key: 'cursorKey'}) RETURN m.secret AS secret")
    secret = rows[0]["secret"] if rows else None
    return bytes.fromhex(secret) if isinstance(secret, str) and secret else None
