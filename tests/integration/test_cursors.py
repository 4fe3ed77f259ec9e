"""Every cursor of the API is signed (api/graphql/cursors.py): through HTTP, each list with
an `after` argument refuses a cursor a client forged (the old unsigned format of a
plausible position, or the new format unsigned, altered, of another list or another key)
with the error it has always given, takes the cursors it gave and those the deployment's
key signs, and another API process of the deployment takes them too."""

from __future__ import annotations

import asyncio
import base64
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import graphql
import httpx
import pytest
from pydantic import SecretStr

from api.config import Settings
from api.graphql.cursors import TAG_BYTES, CursorCodec, b64url, unb64url
from api.graphql.relay import global_id
from api.graphql.schema import build_schema
from graph.keys import ensure_cursor_key, stored_cursor_key
from mechanism.access import Role
from ops.bootstrap import ingest_files
from tests.integration.accounts_helpers import as_user, create_account, token_for
from tests.integration.conftest import serving
from tests.integration.cursors import deployment_codec, unsigned, unsigned_json
from tests.integration.databases import graph_of, refresh_search

PARTY = "CYP"  # no other test writes its laws
WORD = "Zqcursortoken"
NOT_OF_CONNECTION = "after: is not a cursor given by this connection"
NOT_OF_SEARCH = "after: is not a cursor given by this search"
PAGE = "totalCount pageInfo { hasNextPage endCursor } edges { cursor }"

LAWS = [
    {
        "kind": "legislation",
        "id": f"T-CUR-L{i}",
        "party": PARTY,
        "title": {"en": f"{WORD} law {i}"},
        "original_language": "en",
        "enacted_on": f"201{i}-02-01",
        "implements_articles": ["UNTOC:5"],
    }
    for i in range(2)
]
CASES = [
    {
        "kind": "case",
        "id": f"T-CUR-C{i}",
        "party": PARTY,
        "court": "Test court",
        "decided_on": f"201{5 + i}-06-01",
        "title": {"en": f"{WORD} case {i}"},
        "summary": {"en": "A summary."},
        "original_language": "en",
        "uses_convention_as_legal_basis": True,
        "legal_basis_articles": ["UNTOC:5"],
        "applied_legislation": ["T-CUR-L0"],
        "cooperation": [{"cooperation": "EXTRADITION", "requesting": "GRC", "requested": PARTY}],
    }
    for i in range(2)
]
TREATIES = [
    {
        "kind": "treaty",
        "id": f"T-CUR-T{i}",
        "parties": [PARTY, "GRC"],
        "cooperation": ["EXTRADITION"],
        "title": {"en": f"{WORD} treaty {i}"},
        "original_language": "en",
        "signed_on": f"201{i}-03-01",
    }
    for i in range(2)
]
STRATEGIES = [
    {
        "kind": "strategy",
        "id": f"T-CUR-S{i}",
        "party": PARTY,
        "document_type": "ACTION_PLAN",
        "from_year": 2010 + i,
        "title": {"en": f"{WORD} strategy {i}"},
        "original_language": "en",
    }
    for i in range(2)
]
PUBLICATIONS = [
    {
        "kind": "publication",
        "id": f"T-CUR-B{i}",
        "title": {"en": f"{WORD} publication {i}"},
        "original_language": "en",
        "authors": ["Cursor Tester"],
        "year": 2010 + i,
        "parties": [PARTY],
    }
    for i in range(2)
]
AUTHORITIES = [
    {
        "kind": "authority",
        "id": f"T-CUR-A{i}",
        "party": PARTY,
        "name": {"en": f"{WORD} authority {i}"},
        "functions": ["MUTUAL_LEGAL_ASSISTANCE"],
        "accepted_languages": ["en"],
    }
    for i in range(2)
]


@dataclass(frozen=True)
class Listing:
    """A list with an `after` argument: how to ask a page of it, its cursors' kind, a
    plausible position and that position in the old unsigned format."""

    kind: str
    query: str  # $a: the cursor
    path: tuple[str, ...]  # to the connection in `data`
    position: object
    old: str
    refusal: str = NOT_OF_CONNECTION
    role: Role | None = None  # who sees its nodes
    paged: bool = True  # the corpus gives it two nodes or more


def _nested(owner: str, field: str) -> str:
    return f"query($a: String) {{ {owner} {{ {field}(first: 1, after: $a) {{ {PAGE} }} }} }}"


LAW_ID = global_id("Legislation", "T-CUR-L0")
DOCUMENT = ["2011-02-01", "T-CUR-L1"]
LISTS: dict[str, Listing] = {
    "Query.parties": Listing(
        "parties", f"query($a: String) {{ parties(first: 1, after: $a) {{ {PAGE} }} }}", ("parties",),
        "FRA", unsigned("k:FRA"),
    ),
    "Instrument.parties": Listing(
        "parties",
        "query($a: String) { instrument(code: UNTOC) {" f" parties(first: 1, after: $a) {{ {PAGE} }} }} }}",
        ("instrument", "parties"), "FRA", unsigned("k:FRA"),
    ),
    "Query.legislation": Listing(
        "Legislation",
        f'query($a: String) {{ legislation(filter: {{parties: ["{PARTY}"]}}, first: 1, after: $a) {{ {PAGE} }} }}',
        ("legislation",), DOCUMENT, unsigned_json(DOCUMENT),
    ),
    "Query.cases": Listing(
        "Case",
        f'query($a: String) {{ cases(filter: {{parties: ["{PARTY}"]}}, first: 1, after: $a) {{ {PAGE} }} }}',
        ("cases",), DOCUMENT, unsigned_json(DOCUMENT),
    ),
    "Party.legislation": Listing(
        "party.legislation", _nested(f'party(code: "{PARTY}")', "legislation"), ("party", "legislation"),
        DOCUMENT, unsigned_json(DOCUMENT),
    ),
    "Party.cases": Listing(
        "party.cases", _nested(f'party(code: "{PARTY}")', "cases"), ("party", "cases"),
        DOCUMENT, unsigned_json(DOCUMENT),
    ),
    "Article.legislation": Listing(
        "article.legislation",
        "query($a: String) { instrument(code: UNTOC) { article(number: 5) {"
        f" legislation(first: 1, after: $a) {{ {PAGE} }} }} }} }}",
        ("instrument", "article", "legislation"), DOCUMENT, unsigned_json(DOCUMENT),
    ),
    "Article.cases": Listing(
        "article.cases",
        "query($a: String) { instrument(code: UNTOC) { article(number: 5) {"
        f" cases(first: 1, after: $a) {{ {PAGE} }} }} }} }}",
        ("instrument", "article", "cases"), DOCUMENT, unsigned_json(DOCUMENT),
    ),
    "Legislation.cases": Listing(
        "legislation.cases",
        f'query($a: String) {{ node(id: "{LAW_ID}") {{ ... on Legislation {{'
        f" cases(first: 1, after: $a) {{ {PAGE} }} }} }} }}",
        ("node", "cases"), DOCUMENT, unsigned_json(DOCUMENT),
    ),
    "Query.competentAuthorities": Listing(
        "authorities",
        f'query($a: String) {{ competentAuthorities(party: "{PARTY}", first: 1, after: $a) {{ {PAGE} }} }}',
        ("competentAuthorities",), [PARTY, "T-CUR-A0"], unsigned(f"k:{PARTY}|T-CUR-A0"),
    ),
    "Query.search": Listing(
        "search",
        f'query($a: String) {{ search(query: "{WORD}", first: 1, after: $a) {{ {PAGE} }} }}',
        ("search",),
        {"o": "RELEVANCE", "after": [1.5, 0, "LEGISLATION:T-CUR-L0"]},
        unsigned_json({"o": "RELEVANCE", "after": [1.5, 0, "LEGISLATION:T-CUR-L0"]}),
        refusal=NOT_OF_SEARCH,
    ),
    "Query.users": Listing(
        "users", f"query($a: String) {{ users(first: 1, after: $a) {{ {PAGE} }} }}", ("users",),
        "someone@example.org", unsigned("k:someone@example.org"), role=Role.SECRETARIAT,
    ),
    "Query.treaties": Listing(
        "treaties",
        f'query($a: String) {{ treaties(party: "{PARTY}", first: 1, after: $a) {{ {PAGE} }} }}',
        ("treaties",), ["2011-03-01", "T-CUR-T1"], unsigned_json(["2011-03-01", "T-CUR-T1"]),
    ),
    "Party.treaties": Listing(
        "party.treaties", _nested(f'party(code: "{PARTY}")', "treaties"), ("party", "treaties"),
        ["2011-03-01", "T-CUR-T1"], unsigned_json(["2011-03-01", "T-CUR-T1"]),
    ),
    "LegalBasis.precedents": Listing(
        "precedents",
        _nested(f'legalBasis(requesting: "GRC", requested: "{PARTY}", cooperation: EXTRADITION)', "precedents"),
        ("legalBasis", "precedents"), DOCUMENT, unsigned_json(DOCUMENT),
    ),
    "Query.staleCompetentAuthorities": Listing(
        "staleAuthorities",
        f"query($a: String) {{ staleCompetentAuthorities(first: 1, after: $a) {{ {PAGE} }} }}",
        ("staleCompetentAuthorities",), ["0001-01-01", PARTY, "T-CUR-A0"],
        unsigned_json(["0001-01-01", PARTY, "T-CUR-A0"]), role=Role.SECRETARIAT,
    ),
    "Query.competentAuthorityChanges": Listing(
        "authorityChanges",
        f"query($a: String) {{ competentAuthorityChanges(first: 1, after: $a) {{ {PAGE} }} }}",
        ("competentAuthorityChanges",), ["2026-12-08T10:00:00+00:00", "c-1"],
        unsigned_json(["2026-12-08T10:00:00+00:00", "c-1"]), role=Role.SECRETARIAT, paged=False,
    ),
    "Query.strategies": Listing(
        "strategies",
        f'query($a: String) {{ strategies(filter: {{parties: ["{PARTY}"]}}, first: 1, after: $a) {{ {PAGE} }} }}',
        ("strategies",), ["2011-01-01", "T-CUR-S1"], unsigned_json(["2011-01-01", "T-CUR-S1"]),
    ),
    "Party.strategies": Listing(
        "party.strategies", _nested(f'party(code: "{PARTY}")', "strategies"), ("party", "strategies"),
        ["2011-01-01", "T-CUR-S1"], unsigned_json(["2011-01-01", "T-CUR-S1"]),
    ),
    "Query.bibliography": Listing(
        "bibliography",
        f'query($a: String) {{ bibliography(filter: {{parties: ["{PARTY}"]}}, first: 1, after: $a) {{ {PAGE} }} }}',
        # A position whose cursor is not a multiple of 3 bytes: base64's standard alphabet
        # (a forgery below) then differs from base64url by its padding, whatever the tag.
        ("bibliography",), ["2011-01-01", "T-CUR-B01"], unsigned_json(["2011-01-01", "T-CUR-B01"]),
    ),
    # Reviews, draws and dialogues are made by their own tests: here, only their cursors.
    "Query.reviews": Listing(
        "reviews", f"query($a: String) {{ reviews(first: 1, after: $a) {{ {PAGE} }} }}", ("reviews",),
        "FRA-1", unsigned("k:FRA-1"), paged=False,
    ),
    "Query.draws": Listing(
        "draws", f"query($a: String) {{ draws(first: 1, after: $a) {{ {PAGE} }} }}", ("draws",),
        "6f1c2d4e-0000-4000-8000-000000000000", unsigned("k:6f1c2d4e-0000-4000-8000-000000000000"),
        paged=False,
    ),
    "Query.drawAnnouncements": Listing(
        "drawAnnouncements",
        f"query($a: String) {{ drawAnnouncements(first: 1, after: $a) {{ {PAGE} }} }}",
        ("drawAnnouncements",), "20261208T000000000000-REVIEWING_STATES",
        unsigned("k:20261208T000000000000-REVIEWING_STATES"), paged=False,
    ),
    "Query.stakeholderDialogues": Listing(
        "dialogues",
        f"query($a: String) {{ stakeholderDialogues(first: 1, after: $a) {{ {PAGE} }} }}",
        ("stakeholderDialogues",), ["2026-05-01", "d-1"], unsigned("k:2026-05-01|d-1"), paged=False,
    ),
}  # fmt: skip


@pytest.fixture(scope="module")
async def corpus(
    settings: Settings, running_services: None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path: Path = tmp_path_factory.mktemp("cursors") / "corpus.jsonl"
    lines = (
        "\n".join(json.dumps(r) for r in [*LAWS, *CASES, *AUTHORITIES, *TREATIES, *STRATEGIES, *PUBLICATIONS])
        + "\n"
    )
    await asyncio.to_thread(path.write_text, lines, encoding="utf-8")
    summary = await ingest_files(settings, [path], report=lambda _: None, progress=False)
    assert summary.rejected == 0
    await refresh_search(settings)


@pytest.fixture(scope="module")
async def codec(settings: Settings, running_services: None) -> CursorCodec:
    return await deployment_codec(settings)


@pytest.fixture(scope="module")
async def tokens(settings: Settings, running_services: None, api_url: str) -> dict[Role, str]:
    async with httpx.AsyncClient(base_url=api_url, timeout=60) as http:
        return {
            Role.SECRETARIAT: await token_for(http, await create_account(settings, Role.SECRETARIAT, None))
        }


async def page(
    http: httpx.AsyncClient, listing: Listing, after: str | None, token: str | None = None
) -> dict[str, Any]:
    body = await as_user(http, token, listing.query, {"a": after})
    assert "errors" not in body, body["errors"]
    found: Any = body["data"]
    for name in listing.path:
        found = found[name]
    return dict(found)


async def refusal(http: httpx.AsyncClient, listing: Listing, after: str) -> list[tuple[str, str]]:
    body = await as_user(http, None, listing.query, {"a": after})
    return [(e["message"], e["extensions"]["argument"]) for e in body.get("errors") or []]


def test_every_list_with_a_cursor_is_here() -> None:
    schema = graphql.build_schema(str(build_schema(Settings())))
    with_after = {
        f"{name}.{field_name}"
        for name, named in schema.type_map.items()
        if isinstance(named, graphql.GraphQLObjectType) and not name.startswith("__")
        for field_name, field in named.fields.items()
        if "after" in field.args
    }
    assert with_after == set(LISTS)


@pytest.mark.parametrize("name", LISTS)
async def test_a_forged_cursor_is_refused(
    http: httpx.AsyncClient, corpus: None, codec: CursorCodec, name: str
) -> None:
    listing = LISTS[name]
    cursor = codec.encode(listing.kind, listing.position)
    signed = unb64url(cursor)
    tag, body = signed[:TAG_BYTES], signed[TAG_BYTES:]
    prefix = listing.kind.encode() + b":"
    other_kind = "parties" if listing.kind != "parties" else "users"
    forged = {
        "the old format": listing.old,
        "unsigned": b64url(body),
        "a signature of zeros": b64url(bytes(TAG_BYTES) + body),
        "its signature on another position": b64url(
            tag + prefix + json.dumps(_altered(listing.position)).encode()
        ),
        "of another list": codec.encode(other_kind, listing.position),
        "signed by another key": CursorCodec(bytes(32)).encode(listing.kind, listing.position),
        "padded": cursor + "=" * (-len(cursor) % 4 or 4),
        "in the standard alphabet": base64.b64encode(signed).decode(),
    }
    for what, forgery in forged.items():
        assert forgery != cursor
        assert await refusal(http, listing, forgery) == [(listing.refusal, "after")], what


def _altered(position: Any) -> Any:
    """Another position of the same shape."""
    if isinstance(position, str):
        return position + "Z"
    if isinstance(position, list):
        return [*position[:-1], position[-1] + "Z"]
    return {**position, "after": [2.5, *position["after"][1:]]}


@pytest.mark.parametrize("name", LISTS)
async def test_a_cursor_the_deployment_signed_is_taken(
    http: httpx.AsyncClient, corpus: None, codec: CursorCodec, tokens: dict[Role, str], name: str
) -> None:
    listing = LISTS[name]
    token = tokens[listing.role] if listing.role else None
    after = await page(http, listing, codec.encode(listing.kind, listing.position), token)
    assert after["totalCount"] >= 0


@pytest.mark.parametrize("name", [name for name, listing in LISTS.items() if listing.paged])
async def test_the_cursors_given_page_on_and_only_as_given(
    http: httpx.AsyncClient, corpus: None, tokens: dict[Role, str], name: str
) -> None:
    listing = LISTS[name]
    token = tokens[listing.role] if listing.role else None
    first = await page(http, listing, None, token)
    assert first["totalCount"] >= 2 and first["pageInfo"]["hasNextPage"], first
    cursor = first["pageInfo"]["endCursor"]
    assert cursor == first["edges"][-1]["cursor"]
    second = await page(http, listing, cursor, token)
    assert second["edges"] and second["edges"][0]["cursor"] != cursor
    raw = unb64url(cursor)
    for at in (0, TAG_BYTES - 1, TAG_BYTES, len(raw) - 2):
        altered = b64url(raw[:at] + bytes([raw[at] ^ 0x04]) + raw[at + 1 :])
        assert await refusal(http, listing, altered) == [(listing.refusal, "after")]


async def test_another_api_process_takes_the_cursors_and_a_configured_key_wins(
    settings: Settings, http: httpx.AsyncClient, corpus: None
) -> None:
    """Several processes of one deployment (workers, machines) share the graph's key; a
    process configured with SHERLOC_CURSOR_KEY signs with that key instead."""
    listing = LISTS["Query.legislation"]
    cursor = (await page(http, listing, None))["pageInfo"]["endCursor"]
    with serving(settings) as other_url:
        async with httpx.AsyncClient(base_url=other_url, timeout=30) as other:
            assert (await page(other, listing, cursor))["edges"]
    configured = settings.model_copy(update={"cursor_key": SecretStr("a key of the deployment's own " * 2)})
    with serving(configured) as configured_url:
        async with httpx.AsyncClient(base_url=configured_url, timeout=30) as elsewhere:
            assert await refusal(elsewhere, listing, cursor) == [(NOT_OF_CONNECTION, "after")]
            own = (await page(elsewhere, listing, None))["pageInfo"]["endCursor"]
            assert (await page(elsewhere, listing, own))["edges"]
    assert await refusal(http, listing, own) == [(NOT_OF_CONNECTION, "after")]


async def test_setup_makes_the_key_once(settings: Settings, running_services: None) -> None:
    async with graph_of(settings) as graph:
        key = await stored_cursor_key(graph)
        assert key is not None and len(key) == 32
        assert await ensure_cursor_key(graph) == key  # `sherloc setup` again keeps it
        assert await stored_cursor_key(graph) == key
        nodes = await graph.read("MATCH (m:Meta {key: 'cursorKey'}) RETURN count(m) AS n")
        assert nodes == [{"n": 1}]
