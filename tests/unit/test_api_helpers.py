"""Pure helpers of the API: error masking, IDs and cursors, language fallback."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from graphql import GraphQLError

from api.app import public_error
from api.config import Settings
from api.graphql.cursors import CursorCodec, key_position
from api.graphql.errors import UserInputError
from api.graphql.localized import pick, pick_property, text_of
from api.graphql.relay import global_id, page_size, paging, parse_global_id


def test_an_unexpected_error_is_shown_without_internals() -> None:
    error = GraphQLError("boom", path=["party"], original_error=RuntimeError("password=secret"))
    shown = public_error(error, "abc123").formatted
    assert shown["message"] == "Internal error (request id abc123); it has been logged."
    assert "secret" not in str(shown)
    assert shown["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": "abc123"}


def test_an_error_the_client_caused_is_shown_as_it_is() -> None:
    located = GraphQLError("first: bad", path=["parties"], original_error=UserInputError("first", "bad"))
    assert public_error(located, "x") is located
    validation = GraphQLError("Cannot query field 'nope'")
    assert public_error(validation, "x") is validation


def test_global_ids_and_cursors_round_trip() -> None:
    ref = parse_global_id(global_id("Party", "FRA"))
    assert (ref.type_name, ref.key) == ("Party", "FRA")
    codec = CursorCodec(bytes(32))  # cursors are signed (api/graphql/cursors.py, tests/unit/test_cursors.py)
    assert codec.decode("parties", codec.encode("parties", "FRA"), key_position) == "FRA"
    context: Any = SimpleNamespace(settings=Settings(), cursors=codec)
    assert paging(context, "parties", None, None).position is None


def test_page_sizes() -> None:
    assert page_size(None, 100) == 20
    assert page_size(None, 10) == 10
    assert page_size(100, 100) == 100
    with pytest.raises(UserInputError, match="first: must be between 1 and 100, not 0"):
        page_size(0, 100)


def picked(texts: dict[str, str], lang: str, original: str | None = None) -> tuple[str, str]:
    chosen = pick(texts, lang, original)
    assert chosen is not None
    return chosen.lang, chosen.text


def test_language_fallback() -> None:
    texts = {"en": "Purpose", "fr": "Objet", "zh": "宗旨"}
    assert picked(texts, "fr") == ("fr", "Objet")
    assert picked(texts, "zh-hans") == ("zh", "宗旨")
    assert picked(texts, "de") == ("en", "Purpose")
    assert picked({"de": "Zweck", "it": "Scopo"}, "fr", original="it") == ("it", "Scopo")
    assert pick({}, "fr") is None


def test_language_fallback_on_node_properties_is_the_same() -> None:
    cases: list[tuple[dict[str, str], str, str | None]] = [
        ({"en": "Purpose", "fr": "Objet", "zh": "宗旨"}, lang, None) for lang in ("fr", "zh-hans", "de", "")
    ]
    cases += [({"de": "Zweck", "it": "Scopo"}, "fr", "it"), ({"de": "Zweck", "it": "Scopo"}, "fr", None)]
    for texts, lang, original in cases:
        properties: dict[str, object] = {f"title.{code}": text for code, text in texts.items()}
        properties |= {"key": "L-1", "text.fr": "Texte", "title.es": 3}  # other fields, a non-text
        assert pick_property(properties, "title", lang or None, original) == pick(
            texts, lang or None, original
        )
    assert pick_property({"title.fr": "Objet"}, "text", "fr") is None
    assert text_of({}, "name", "fr").text == ""
