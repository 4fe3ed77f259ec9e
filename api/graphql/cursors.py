"""The one codec of the API's cursors: where a page ended, signed, so that a client can
neither forge a position nor alter one it was given.

A cursor is base64url, without padding, of

    tag (16 bytes) | kind (ASCII) | ":" | payload (JSON, by orjson)

where the tag is HMAC-SHA256 of `kind ":" payload` under the deployment's key, truncated
to 128 bits. The kind names the list the cursor belongs to (`parties`, `Legislation`,
`party.cases`, `search` ...), so a cursor of one list is no cursor of another. The payload is readable by
whoever holds the cursor (it is not secret: a sort key, a date, Elasticsearch's sort values
and point in time), but not writable.

Decoding checks, in this order: the length, the alphabet (base64url only, one spelling per
cursor: no padding, no `+` or `/`, no spaces, no other characters that decoders skip or
read alike), the tag (compared in constant time), the kind, then the payload's shape
through the caller's `read`. Every refusal is the same error, naming the argument and the
reason the API has always given (`after: is not a cursor given by this connection`, or
`... by this search`). Each `read` still checks every value of the payload as it did when
cursors were not signed: whoever holds the key gets no more than a client had before.

Encoding is cheap, as one cursor is made per search hit (20 or more a page): the HMAC keyed
once is copied for each cursor (~1.3 us a tag, against ~1.8 us for `hmac.digest`, which
keys it anew). Measured with timeit on the 2-core machine of docs/benchmarks.md: a search
hit's cursor ~1.8 us on a first page and ~2.4 us past it (with the point in time's id),
against ~0.7 and ~1.2 us unsigned; reading a cursor, once a request, ~8 us. So every cursor
is signed whole: no shared prefix or partial signature to save a microsecond a hit.

The key (`CursorKeys`):

- It must be the same for every API process of a deployment, and survive their restarts:
  a client pages with a cursor that one process gave and the next process reads (several
  workers on one socket, several machines behind one address; docs/operations.md), and
  across a deploy. A random key per process would refuse a next page whenever the request
  reaches another process; a constant in the code is public and so signs nothing.
- `SHERLOC_CURSOR_KEY`, when set (at least 32 characters, the same on every machine): for
  deployments that keep their secrets in a secret store.
- Otherwise the graph's: `sherloc setup` makes 32 random bytes once (a `Meta` node; later
  setups keep it, `graph/keys.py`). Every process of a deployment reads the same graph, so
  they share the key with nothing to configure or distribute, a restart keeps it, and a
  backup restored elsewhere carries it (its cursors stay valid there). Whoever reads the
  graph could sign cursors, but reads all the cursors lead to anyway. Each process reads
  the key once, at start-up, or at its first request if Neo4j did not answer then. A
  graph set up before cursors were signed gets its key from the first process that finds
  none (the same MERGE: one key whichever processes race).
- Changing it (a new `SHERLOC_CURSOR_KEY`, or the node deleted and `sherloc setup` run
  again, then the API restarted) refuses the cursors given before: clients start again from
  their first page (a search's later pages expire after 5 minutes anyway).
"""

from __future__ import annotations

import asyncio
import binascii
import hashlib
import hmac
import logging
import re
from collections.abc import Callable
from typing import Any, TypeVar

import orjson

from api.graphql.errors import UserInputError
from graph.driver import Graph, uncounted
from graph.keys import ensure_cursor_key, stored_cursor_key

log = logging.getLogger("sherloc.api")

T = TypeVar("T")

TAG_BYTES = 16
MAX_CURSOR = 2048  # characters: a search's cursor holds a point in time's id (~300)
MIN_KEY_BYTES = 16
NOT_OF_CONNECTION = "is not a cursor given by this connection"

_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")  # ASCII only (no \w: it takes other scripts' letters)
_URLSAFE = bytes.maketrans(b"+/", b"-_")


def b64url(raw: bytes) -> str:
    """base64url without padding."""
    return binascii.b2a_base64(raw, newline=False).translate(_URLSAFE).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    """The bytes of a base64url text as `b64url` writes it, or ValueError: no padding, no
    character outside the alphabet, no unused bits set (one spelling per value)."""
    if len(text) % 4 == 1 or not _BASE64URL.fullmatch(text):
        raise ValueError("not base64url")
    raw = binascii.a2b_base64(text.replace("-", "+").replace("_", "/") + "=" * (-len(text) % 4))
    if b64url(raw) != text:
        raise ValueError("not base64url as written by this API")
    return raw


class CursorCodec:
    """Signs and reads cursors under one key."""

    __slots__ = ("_kinds", "_mac")

    def __init__(self, key: bytes) -> None:
        if len(key) < MIN_KEY_BYTES:
            raise ValueError(f"a cursor key has at least {MIN_KEY_BYTES} bytes")
        self._mac = hmac.new(key, digestmod=hashlib.sha256)
        self._kinds: dict[str, bytes] = {}

    def _tag(self, message: bytes) -> bytes:
        """HMAC-SHA256(key, message), truncated to TAG_BYTES."""
        mac = self._mac.copy()
        mac.update(message)
        return mac.digest()[:TAG_BYTES]

    def _prefix(self, kind: str) -> bytes:
        prefix = self._kinds.get(kind)
        if prefix is None:
            if not kind or not kind.isascii() or ":" in kind:
                raise ValueError(f"a cursor kind is ASCII without ':', not {kind!r}")
            prefix = self._kinds[kind] = kind.encode("ascii") + b":"
        return prefix

    def encode(self, kind: str, payload: Any) -> str:
        """A cursor of `kind` holding `payload` (anything orjson writes)."""
        return self.sign(kind, orjson.dumps(payload))

    def sign(self, kind: str, payload: bytes) -> str:
        """A cursor of `kind` holding a payload already written as JSON (by `encode`, or
        by a test: integers beyond 64 bits, say, which orjson refuses to write)."""
        body = self._prefix(kind) + payload
        return b64url(self._tag(body) + body)

    def decode(
        self,
        kind: str,
        cursor: str,
        read: Callable[[Any], T],
        *,
        argument: str = "after",
        reason: str = NOT_OF_CONNECTION,
    ) -> T:
        """What `read` makes of the payload of a cursor of `kind` that this deployment
        signed. Any cursor refused, and any ValueError, TypeError, KeyError or IndexError
        of `read`, is UserInputError(argument, reason); `read` may raise a UserInputError
        of its own (a reason more precise), which is let through."""
        prefix = self._prefix(kind)
        try:
            payload = self._payload(prefix, cursor)
        except ValueError:
            raise UserInputError(argument, reason) from None
        try:
            return read(payload)
        except (ValueError, TypeError, KeyError, IndexError):
            raise UserInputError(argument, reason) from None

    def _payload(self, prefix: bytes, cursor: str) -> Any:
        """The payload of a cursor signed under this key with this kind's prefix, or
        ValueError (binascii's and orjson's errors are ValueErrors too)."""
        if not 0 < len(cursor) <= MAX_CURSOR:
            raise ValueError("too long or empty")
        raw = unb64url(cursor)
        tag, body = raw[:TAG_BYTES], raw[TAG_BYTES:]
        if len(raw) <= TAG_BYTES or not hmac.compare_digest(tag, self._tag(body)):
            raise ValueError("not signed by this deployment")
        if not body.startswith(prefix):
            raise ValueError("of another kind")
        return orjson.loads(body[len(prefix) :])


def key_position(value: Any) -> str:
    """The payload of a keyset cursor: the sort key of the node it follows."""
    if not isinstance(value, str):
        raise TypeError("a keyset cursor holds a string")
    return value


class CursorKeys:
    """The process's codec: under SHERLOC_CURSOR_KEY if set, else under the key that
    `sherloc setup` stored in the graph, read once (see the module's docstring)."""

    def __init__(self, configured: str, graph: Graph) -> None:
        self._graph = graph
        self._codec = CursorCodec(configured.encode()) if configured else None
        self._lock = asyncio.Lock()

    async def codec(self) -> CursorCodec:
        if self._codec is not None:
            return self._codec
        async with self._lock:
            if self._codec is None:
                with uncounted():  # the process's, not the request's that happens to read it
                    # A graph set up before cursors were signed has none until `sherloc
                    # setup` runs again: made here the same way, once for all processes.
                    key = await stored_cursor_key(self._graph) or await ensure_cursor_key(self._graph)
                self._codec = CursorCodec(key)
        return self._codec

    async def load(self, seconds: float = 5.0) -> None:
        """At start-up: read the key now if the graph answers; else the first request will."""
        try:
            async with asyncio.timeout(seconds):
                await self.codec()
        except Exception as error:  # Neo4j down or slow: said, and tried again by requests
            log.warning("the cursor key could not be read at start-up: %r", error)
