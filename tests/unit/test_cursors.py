"""The cursor codec (api/graphql/cursors.py): signed, one spelling per cursor, every refusal
the same error naming the argument."""

from __future__ import annotations

import base64
import hmac
import json
import timeit
from typing import Any

import pytest

from api.config import ConfigError, Settings, load_settings
from api.graphql.cursors import (
    MAX_CURSOR,
    TAG_BYTES,
    CursorCodec,
    b64url,
    key_position,
    unb64url,
)
from api.graphql.errors import UserInputError
from api.graphql.relay import Paging, decode_global_id, global_id

KEY = bytes(range(32))
CODEC = CursorCodec(KEY)
REFUSED = "after: is not a cursor given by this connection"


def _any(value: Any) -> Any:
    return value


def refused(cursor: str, kind: str = "parties", codec: CursorCodec = CODEC) -> str:
    with pytest.raises(UserInputError) as raised:
        codec.decode(kind, cursor, _any)
    assert raised.value.extensions == {"code": "BAD_USER_INPUT", "argument": "after"}
    return raised.value.message


@pytest.mark.parametrize(
    "payload",
    ["FRA", "", [["2020-01-31", "LEG-1"]], {"o": "RELEVANCE", "after": [1.5, -(2**63), "CASE:x"]}, "é中🙂"],
)
def test_a_cursor_gives_back_its_payload(payload: Any) -> None:
    cursor = CODEC.encode("parties", payload)
    assert CODEC.decode("parties", cursor, _any) == payload
    body = unb64url(cursor)[TAG_BYTES:]
    assert body.startswith(b"parties:")
    assert json.loads(body[len(b"parties:") :]) == payload


def test_the_tag_is_hmac_sha256_truncated() -> None:
    for key in (KEY, b"k" * 64, b"a longer key than SHA-256's block of sixty-four bytes, hashed first"):
        codec = CursorCodec(key)
        for message in (b"", b'parties:"FRA"', bytes(range(256)) * 3):
            assert codec._tag(message) == hmac.digest(key, message, "sha256")[:TAG_BYTES]


def test_a_key_shorter_than_16_bytes_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 16 bytes"):
        CursorCodec(b"short")


def test_every_byte_altered_is_refused() -> None:
    """Tag and payload alike: any single byte changed (tag 0-15, then kind and payload)."""
    raw = unb64url(CODEC.encode("parties", "FRA"))
    for i in range(len(raw)):
        for flip in (0x01, 0x80):
            altered = raw[:i] + bytes([raw[i] ^ flip]) + raw[i + 1 :]
            assert refused(b64url(altered)) == REFUSED


def test_a_payload_changed_and_left_unsigned_is_refused() -> None:
    raw = unb64url(CODEC.encode("parties", "FRA"))
    tag, body = raw[:TAG_BYTES], raw[TAG_BYTES:]
    assert refused(b64url(tag + body.replace(b"FRA", b"FRB"))) == REFUSED
    assert refused(b64url(bytes(TAG_BYTES) + body)) == REFUSED  # a signature of zeros
    assert refused(b64url(body)) == REFUSED  # no signature at all


def test_another_key_signs_nothing_here() -> None:
    other = CursorCodec(bytes(range(1, 33)))
    assert refused(other.encode("parties", "FRA")) == REFUSED


def test_a_cursor_of_another_kind_is_refused() -> None:
    assert refused(CODEC.encode("users", "FRA"), kind="parties") == REFUSED
    assert refused(CODEC.encode("parties", "FRA"), kind="parties.x") == REFUSED
    assert refused(CODEC.encode("part", "FRA"), kind="parties") == REFUSED


def test_truncated_and_extended_cursors_are_refused() -> None:
    cursor = CODEC.encode("parties", "FRA")
    for end in range(len(cursor)):
        assert refused(cursor[:end]) == REFUSED
    assert refused(cursor + "A") == REFUSED
    assert refused(cursor + "AA") == REFUSED


def test_a_cursor_too_long_is_refused_before_it_is_decoded() -> None:
    long = CODEC.encode("parties", "x" * MAX_CURSOR)
    assert len(long) > MAX_CURSOR
    assert refused(long) == REFUSED
    fits = CODEC.encode("parties", "x" * (MAX_CURSOR * 3 // 4 - 40))
    assert len(fits) <= MAX_CURSOR
    assert CODEC.decode("parties", fits, _any) == "x" * (MAX_CURSOR * 3 // 4 - 40)


@pytest.mark.parametrize(
    "cursor", ["", "nonsense!", "Zm9v", "Zm9vOmJhcg", "bm90IGEgY3Vyc29y", "%%%", "a", "\x00"]
)
def test_what_is_not_base64url_or_not_a_cursor_is_refused(cursor: str) -> None:
    assert refused(cursor) == REFUSED


def test_look_alike_spellings_of_a_cursor_are_refused() -> None:
    """What lenient decoders read as the same bytes is refused: one spelling per cursor."""
    cursor = next(c for i in range(1000) if "-" in (c := CODEC.encode("parties", f"K{i}")) and "_" in c)
    standard = base64.b64encode(unb64url(cursor)).decode()
    for spelling in (
        cursor.replace("-", "+"),  # the standard alphabet
        cursor.replace("_", "/"),
        standard,  # all of it standard, with its padding
        cursor + "=" * (-len(cursor) % 4 or 4),  # padding
        f" {cursor}",
        f"{cursor}\n",
        cursor[:10] + "\n" + cursor[10:],
        cursor.replace("A", "\u0410"),  # Cyrillic А
        cursor.replace("a", "\uff41"),  # fullwidth a
        cursor.replace("0", "\U0001d7ce"),  # mathematical bold 0
    ):
        if spelling != cursor:
            assert refused(spelling) == REFUSED, spelling


def test_unused_bits_must_be_zero() -> None:
    """Base64 decoders read both "QQ" and "QR" as b"A": only the first is ours."""
    assert unb64url("QQ") == b"A"
    with pytest.raises(ValueError):
        unb64url("QR")
    cursor = next(c for c in (CODEC.encode("parties", "F" * n) for n in range(3)) if len(c) % 4)
    last = cursor[-1]
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    sibling = alphabet[alphabet.index(last) ^ 1]
    assert refused(cursor[:-1] + sibling) == REFUSED


def test_the_payload_shape_is_the_readers_and_refused_alike() -> None:
    assert CODEC.decode("parties", CODEC.encode("parties", "FRA"), key_position) == "FRA"
    with pytest.raises(UserInputError, match=REFUSED):
        CODEC.decode("parties", CODEC.encode("parties", ["FRA"]), key_position)
    reason = "is not a cursor given by this search"
    with pytest.raises(UserInputError, match=f"^after: {reason}$"):
        CODEC.decode("search", CODEC.encode("search", {}), lambda v: v["o"], reason=reason)
    with pytest.raises(UserInputError, match=r"^before: "):
        CODEC.decode("search", "x", _any, argument="before")

    def precise(value: Any) -> Any:
        raise UserInputError("after", "is a cursor of another order (NEWEST): search again")

    with pytest.raises(UserInputError, match="another order"):
        CODEC.decode("search", CODEC.encode("search", {}), precise)


def test_not_json_inside_a_signed_cursor_is_refused() -> None:
    body = b"parties:{not json"
    assert refused(b64url(CODEC._tag(body) + body)) == REFUSED


def test_paging_gives_each_node_a_cursor_of_its_list() -> None:
    page: Paging[str] = Paging(CODEC, "parties", 2, None, None)
    assert page.fetch == 3
    connection = page.connection(["a", "b", "c"], ["A", "B", "C"], total=7)
    assert [e.node for e in connection.edges] == ["a", "b"]
    assert [CODEC.decode("parties", e.cursor, key_position) for e in connection.edges] == ["A", "B"]
    info = connection.page_info
    assert (info.has_next_page, info.has_previous_page) == (True, False)
    assert (info.start_cursor, info.end_cursor) == (connection.edges[0].cursor, connection.edges[1].cursor)
    last = Paging(CODEC, "parties", 2, info.end_cursor, "B").connection(["c"], ["C"], total=7)
    assert (last.page_info.has_next_page, last.page_info.has_previous_page) == (False, True)
    assert last.total_count == 7


def test_global_ids_keep_their_format() -> None:
    """IDs share the base64url codec but are not signed: they must not change with a key."""
    assert global_id("Party", "FRA") == base64.urlsafe_b64encode(b"Party:FRA").decode().rstrip("=")
    ref = decode_global_id(global_id("Article", "UNTOC:18"))
    assert ref is not None
    assert (ref.type_name, ref.key) == ("Article", "UNTOC:18")
    assert decode_global_id("UGFydHk6RlJB=") is None  # padded: not as the API writes it


def test_the_cursor_key_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHERLOC_CURSOR_KEY", raising=False)
    assert Settings().cursor_key.get_secret_value() == ""
    monkeypatch.setenv("SHERLOC_CURSOR_KEY", "k" * 32)
    settings = load_settings()
    assert settings.cursor_key.get_secret_value() == "k" * 32
    assert "k" * 32 not in repr(settings)
    monkeypatch.setenv("SHERLOC_CURSOR_KEY", "too short")
    with pytest.raises(ConfigError, match=r"SHERLOC_CURSOR_KEY: .*at least 32 characters"):
        load_settings()


def test_a_search_hit_cursor_costs_a_few_microseconds() -> None:
    """One cursor per search hit: measured with the sort values and point in time of a real
    later page (~1.5 us on the 2-core machine of docs/benchmarks.md; bound loosely)."""
    pit = b64url(bytes(range(200)) + bytes(40))
    payload = {"o": "RELEVANCE", "after": [12.345678, 1577836800000, "LEGISLATION:abc-123", 42], "pit": pit}
    runs = 20_000
    seconds = min(timeit.repeat(lambda: CODEC.encode("search", payload), number=runs, repeat=3)) / runs
    assert seconds < 20e-6, f"{seconds * 1e6:.2f} us per cursor"
