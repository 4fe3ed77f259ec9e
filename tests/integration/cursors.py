"""Cursors as the tests write them: signed with the deployment's key as the API signs them
(api/graphql/cursors.py), for tests of what lies behind the signature, or in the old
unsigned format, as a client could forge them."""

from __future__ import annotations

import base64
import json

from api.config import Settings
from api.graphql.cursors import CursorCodec, CursorKeys
from tests.integration.databases import graph_of


async def deployment_codec(settings: Settings) -> CursorCodec:
    """The codec of the API of these settings: the same key, found the same way."""
    async with graph_of(settings) as graph:
        return await CursorKeys(settings.cursor_key.get_secret_value(), graph).codec()


def unsigned(text: str | bytes) -> str:
    """base64url of `text`, unsigned: what every cursor of the API was before #15."""
    raw = text.encode() if isinstance(text, str) else text
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def unsigned_json(value: object) -> str:
    return unsigned(json.dumps(value))
