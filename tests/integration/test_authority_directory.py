"""States keep their own entries in the directory of competent authorities (issue #17;
report of the ninth session, ¶116), through GraphQL over HTTP against the real servers:
the party's AUTHORITY and FOCAL_POINT accounts and the secretariat change, confirm, create
and retire entries, each change in the audit log and in search; every other account,
anonymous viewers, forged IDs and bad input are refused and write nothing; the secretariat
alone lists the entries not confirmed for a year.

Parties of this module only: BOL (the State keeping its entries), ECU (another State), COG
(a signatory, whose accounts read no contact block). Its entries are `TEST-AUTH-*`.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.config import Settings
from api.graphql.relay import global_id
from mechanism.access import Role
from ops.bootstrap import ingest_files
from search.indices import documents_alias
from tests.integration.accounts_helpers import Logins, as_user
from tests.integration.databases import graph_of, refresh_search, search_of
from tests.integration.reviews_helpers import data_as

PARTY, OTHER, SIGNATORY = "BOL", "ECU", "COG"
PREFIX = "TEST-AUTH-"
WORD = "Zqdirectoryword"
TODAY = datetime.now(UTC).date()


def _authority(key: str, party: str, **fields: Any) -> dict[str, Any]:
    return {
        "kind": "authority",
        "id": PREFIX + key,
        "party": party,
        "name": {"es": f"Autoridad {key}", "en": f"Authority {key}"},
        "functions": ["MUTUAL_LEGAL_ASSISTANCE", "EXTRADITION"],
        "accepted_languages": ["es"],
        **fields,
    }


CONTACT = {"address": "Calle 1, La Paz", "phone": "+591 2 000 000", "email": "central@bol.example.org"}
ENTRIES = [
    _authority("BOL-1", PARTY, contact=CONTACT, confirmed_on="2020-01-01"),
    _authority("BOL-2", PARTY),  # never confirmed
    _authority("BOL-3", PARTY, confirmed_on="2019-06-30"),
    _authority("BOL-4", PARTY, confirmed_on="2020-02-02"),  # for the concurrent changes
    _authority("ECU-1", OTHER, confirmed_on=(TODAY - timedelta(days=10)).isoformat()),
    _authority("ECU-2", OTHER, confirmed_on=(TODAY - timedelta(days=10)).isoformat()),  # stays so
]

ENTRY = """id key functions acceptedLanguages acceptsConventionRequests acceptsInterpol confirmedOn
  name(lang: "en") { text } nameEs: name(lang: "es") { lang text } requirements(lang: "en") { text }
  contact { address phone email }"""
RESULT = (
    f"__typename ... on CompetentAuthority {{ {ENTRY} }} ... on InvalidInput {{ field message }}"
    " ... on NotAuthorized { message } ... on NotFound { message }"
)
UPDATE = (
    "mutation($a: ID!, $c: CompetentAuthorityChanges!) { x: updateCompetentAuthority(authority: $a, changes: $c)"
    f" {{ {RESULT} }} }}"
)
CONFIRM = f"mutation($a: ID!) {{ x: confirmCompetentAuthority(authority: $a) {{ {RESULT} }} }}"
CREATE = (
    "mutation($p: String!, $c: CompetentAuthorityChanges!, $k: String) {"
    f" x: createCompetentAuthority(party: $p, changes: $c, key: $k) {{ {RESULT} }} }}"
)
RETIRE = (
    "mutation($a: ID!, $r: String) { x: retireCompetentAuthority(authority: $a, reason: $r) { __typename"
    " ... on CompetentAuthorityChange { action authorityKey reason changes { field oldValue newValue } }"
    " ... on InvalidInput { field message } } }"
)
LOG = """query($a: ID, $first: Int, $after: String) {
  x: competentAuthorityChanges(authority: $a, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { authorityKey action at byEmail byRole reason party { code } authority { key }
      changes { field oldValue newValue withheld } } } } }"""
STALE = """query($days: Int!, $after: String) {
  x: staleCompetentAuthorities(olderThanDays: $days, first: 100, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { key confirmedOn party { code } } } } }"""


def authority_id(key: str) -> str:
    return str(global_id("CompetentAuthority", PREFIX + key))


@dataclass(frozen=True)
class Setting:
    tokens: dict[str, str | None]
    emails: dict[str, str]


async def _forget(settings: Settings) -> None:
    """This module's entries, their contact blocks and their audit records."""
    async with graph_of(settings) as graph:
        await graph.write(
            "MATCH (n:CompetentAuthority) WHERE n.key STARTS WITH $prefix "
            "OPTIONAL MATCH (n)-[:HAS_CONTACT]->(c:AuthorityContact) DETACH DELETE n, c",
            prefix=PREFIX,
        )
        await graph.write(
            "MATCH (x:AuthorityChange) WHERE x.authority STARTS WITH $prefix DELETE x", prefix=PREFIX
        )
    async with search_of(settings) as es:  # what an interrupted run left in search
        alias = documents_alias(settings.es_index_prefix)
        found = await es.search(
            index=alias, query={"prefix": {"uid": f"COMPETENT_AUTHORITY:{PREFIX}"}}, size=1000, source=False
        )
        hits = found["hits"]["hits"]
        if hits:
            await es.bulk(
                operations=[{"delete": {"_index": alias, "_id": h["_id"]}} for h in hits], refresh=True
            )


async def _ingest(settings: Settings, path: Path, records: list[dict[str, Any]]) -> Any:
    lines = "".join(json.dumps(r) + "\n" for r in records)
    await asyncio.to_thread(path.write_text, lines, encoding="utf-8")
    return await ingest_files(settings, [path], report=lambda _: None, progress=False)


@pytest.fixture(scope="module")
async def setting(settings: Settings, logins: Logins, tmp_path_factory: pytest.TempPathFactory) -> Setting:
    await _forget(settings)
    summary = await _ingest(settings, tmp_path_factory.mktemp("directory") / "entries.jsonl", ENTRIES)
    assert summary.rejected == 0, summary.rejections
    await refresh_search(settings)
    wanted = {
        "secretariat": (Role.SECRETARIAT, None),
        "authority": (Role.AUTHORITY, PARTY),
        "focal point": (Role.FOCAL_POINT, PARTY),
        "expert": (Role.GOVERNMENTAL_EXPERT, PARTY),
        "observer": (Role.OBSERVER, PARTY),
        "other authority": (Role.AUTHORITY, OTHER),
        "other focal point": (Role.FOCAL_POINT, OTHER),
        "other expert": (Role.GOVERNMENTAL_EXPERT, OTHER),
        "signatory authority": (Role.AUTHORITY, SIGNATORY),
    }
    tokens: dict[str, str | None] = {"anonymous": None}
    emails = {}
    for name, (role, party) in wanted.items():
        login = await logins.login(role, party)
        tokens[name], emails[name] = login.token, login.account.email
    return Setting(tokens, emails)


async def call(http: httpx.AsyncClient, token: str | None, query: str, **variables: Any) -> dict[str, Any]:
    result: dict[str, Any] = (await data_as(http, token, query, **variables))["x"]
    return result


async def _state(settings: Settings, key: str) -> dict[str, Any]:
    """What the graph holds of an entry: its node, contact block and audit records."""
    async with graph_of(settings) as graph:
        rows = await graph.read(
            "OPTIONAL MATCH (n:CompetentAuthority {key: $key}) "
            "RETURN properties(n) AS node, "
            "  COLLECT { MATCH (n)-[:HAS_CONTACT]->(c) RETURN properties(c) } AS contact, "
            "  COLLECT { MATCH (x:AuthorityChange {authority: $key}) RETURN x.id } AS changes",
            key=PREFIX + key,
        )
    row = rows[0]
    node = dict(row["node"] or {})
    node.pop("updatedAt", None)
    return {"node": node, "contact": row["contact"], "changes": sorted(row["changes"])}


async def _log(http: httpx.AsyncClient, token: str | None, key: str | None = None) -> list[dict[str, Any]]:
    found = await call(http, token, LOG, a=authority_id(key) if key else None, first=100)
    return [edge["node"] for edge in found["edges"]]


async def _search(http: httpx.AsyncClient, word: str) -> list[str]:
    query = (
        "query($q: String!) { search(query: $q, kinds: [COMPETENT_AUTHORITY], first: 20) {"
        " edges { node { document { ... on CompetentAuthority { key } } } } } }"
    )
    found = (await data_as(http, None, query, q=word))["search"]["edges"]
    return [edge["node"]["document"]["key"] for edge in found]


async def test_its_state_s_accounts_and_the_secretariat_change_and_confirm_an_entry(
    setting: Setting, http: httpx.AsyncClient, settings: Settings
) -> None:
    tokens, entry = setting.tokens, authority_id("BOL-1")
    changes = {
        "name": [
            {"lang": "es", "text": f"Autoridad Central {WORD}"},
            {"lang": "EN", "text": f"  Central Authority {WORD}  "},
        ],
        "acceptedLanguages": ["es", "EN", "es"],
        "acceptsInterpol": True,
        "requirements": [{"lang": "en", "text": "Requests state the facts and the assistance sought."}],
        "contact": {"phone": "+591 2 111 111", "address": None},
    }
    updated = await call(http, tokens["authority"], UPDATE, a=entry, c=changes)
    assert updated["__typename"] == "CompetentAuthority", updated
    assert updated["name"] == {"text": f"Central Authority {WORD}"}
    assert updated["nameEs"] == {"lang": "es", "text": f"Autoridad Central {WORD}"}
    assert updated["acceptedLanguages"] == ["es", "en"]
    assert updated["acceptsInterpol"] is True and updated["acceptsConventionRequests"] is None
    assert updated["requirements"] == {"text": "Requests state the facts and the assistance sought."}
    assert updated["contact"] == {"address": None, "phone": "+591 2 111 111", "email": CONTACT["email"]}
    assert updated["confirmedOn"] == "2020-01-01"  # a change is not a confirmation

    confirmed = await call(http, tokens["focal point"], CONFIRM, a=entry)
    assert confirmed["__typename"] == "CompetentAuthority", confirmed
    assert confirmed["confirmedOn"] == TODAY.isoformat()

    flagged = await call(http, tokens["secretariat"], UPDATE, a=entry, c={"acceptsConventionRequests": False})
    assert flagged["acceptsConventionRequests"] is False

    # The same values again change nothing, and log nothing.
    again = await call(http, tokens["authority"], UPDATE, a=entry, c={"acceptsInterpol": True})
    assert again["__typename"] == "CompetentAuthority"

    log = await _log(http, tokens["secretariat"], "BOL-1")
    assert [(c["action"], c["byRole"], c["byEmail"]) for c in log] == [
        ("UPDATED", "SECRETARIAT", setting.emails["secretariat"]),
        ("CONFIRMED", "FOCAL_POINT", setting.emails["focal point"]),
        ("UPDATED", "AUTHORITY", setting.emails["authority"]),
    ]
    assert log[0]["changes"] == [
        {"field": "acceptsConventionRequests", "oldValue": None, "newValue": "false", "withheld": False}
    ]
    assert log[1]["changes"] == [
        {"field": "confirmedOn", "oldValue": "2020-01-01", "newValue": TODAY.isoformat(), "withheld": False}
    ]
    first = {c["field"]: (c["oldValue"], c["newValue"]) for c in log[2]["changes"]}
    assert first == {
        "acceptedLanguages": ('["es"]', '["es", "en"]'),
        "acceptsInterpol": (None, "true"),
        "contact.address": (CONTACT["address"], None),
        "contact.phone": (CONTACT["phone"], "+591 2 111 111"),
        "name.en": ("Authority BOL-1", f"Central Authority {WORD}"),
        "name.es": ("Autoridad BOL-1", f"Autoridad Central {WORD}"),
        "requirements.en": (None, "Requests state the facts and the assistance sought."),
    }
    assert all(c["party"] == {"code": PARTY} and c["authority"] == {"key": PREFIX + "BOL-1"} for c in log)

    state = await _state(settings, "BOL-1")
    assert state["node"]["confirmedOn"].iso_format() == TODAY.isoformat()
    assert "indexPending" not in state["node"]  # indexed by the write itself
    assert await _search(http, WORD) == [PREFIX + "BOL-1"]


async def test_changes_of_one_entry_made_at_once_are_all_kept(
    setting: Setting, http: httpx.AsyncClient, settings: Settings
) -> None:
    """Each change locks the entry before reading it: none overwrites another's field."""
    entry, token = authority_id("BOL-4"), setting.tokens["authority"]
    changes = [
        {"acceptsInterpol": True},
        {"acceptsConventionRequests": True},
        {"requirements": [{"lang": "en", "text": "In writing."}]},
        {"contact": {"email": "four@bol.example.org"}},
    ]
    done = await asyncio.gather(*(call(http, token, UPDATE, a=entry, c=c) for c in changes))
    assert [d["__typename"] for d in done] == ["CompetentAuthority"] * 4
    after = await call(http, token, UPDATE, a=entry, c={})
    assert after["acceptsInterpol"] is True and after["acceptsConventionRequests"] is True
    assert after["requirements"] == {"text": "In writing."}
    assert after["contact"]["email"] == "four@bol.example.org"
    assert len((await _state(settings, "BOL-4"))["changes"]) == 4


FORBIDDEN = ["other authority", "other focal point", "other expert", "expert", "observer", "anonymous"]


async def test_every_forbidden_way_is_refused_and_writes_nothing(
    setting: Setting, http: httpx.AsyncClient, settings: Settings, tmp_path: Path
) -> None:
    tokens, entry = setting.tokens, authority_id("BOL-2")
    before = await _state(settings, "BOL-2")
    changes = {"name": [{"lang": "en", "text": "Taken over"}]}
    for name in FORBIDDEN:
        token = tokens[name]
        for query, variables in (
            (UPDATE, {"a": entry, "c": changes}),
            (CONFIRM, {"a": entry}),
            (RETIRE, {"a": entry}),
            (CREATE, {"p": PARTY, "c": {**changes, "functions": ["EXTRADITION"]}, "k": PREFIX + "BOL-X"}),
        ):
            refused = await call(http, token, query, **variables)
            assert refused["__typename"] == "NotAuthorized", (name, query, refused)

    # Forged IDs: an entry that does not exist, another type's ID, an ID of no type.
    for token in (tokens["authority"], tokens["secretariat"]):
        for forged in (authority_id("NONE"), str(global_id("Case", PREFIX + "BOL-2"))):
            attempts: list[tuple[str, dict[str, Any]]] = [
                (UPDATE, {"c": changes}),
                (CONFIRM, {}),
                (RETIRE, {}),
            ]
            for query, variables in attempts:
                found = await call(http, token, query, a=forged, **variables)
                assert found["__typename"] == "NotFound", (forged, query, found)
        body = await as_user(http, token, CONFIRM, {"a": "not-an-id"})
        assert [e["message"] for e in body["errors"]] == ["authority: is not an ID given by this API"]

    # Bad input: refused whole, named by field and reason.
    bad = {
        "changes.acceptedLanguages.1": {"acceptedLanguages": ["es", "zz"]},
        "changes.acceptedLanguages.0": {"acceptedLanguages": ["Spanish"]},
        "changes.name.0.lang": {"name": [{"lang": "xx", "text": "A name"}]},
        "changes.name.1.lang": {"name": [{"lang": "en", "text": "A"}, {"lang": "en", "text": "B"}]},
        "changes.name.0.text": {"name": [{"lang": "en", "text": "   "}], "acceptsInterpol": True},
        "changes.name": {"name": []},
        "changes.functions": {"functions": []},
        "changes.acceptedLanguages": {"acceptedLanguages": ["es"] * 51},
        "changes.requirements.0.text": {"requirements": [{"lang": "en", "text": "Tab\tok, bell \x07 not"}]},
        "changes.contact.email": {"contact": {"email": "not an address"}},
        "changes.contact.phone": {"contact": {"phone": "call us"}},
        "changes.contact.address": {"contact": {"address": "x" * 2_001}},
    }
    for field, given in bad.items():
        refused = await call(http, tokens["authority"], UPDATE, a=entry, c=given)
        assert refused["__typename"] == "InvalidInput" and refused["field"] == field, (field, refused)
    huge = await as_user(
        http, tokens["authority"], UPDATE, {"a": entry, "c": {"acceptedLanguages": ["es"] * 301}}
    )
    assert huge["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", huge
    retired = await call(http, tokens["authority"], RETIRE, a=entry, r="  ")
    assert retired == {"__typename": "InvalidInput", "field": "reason", "message": "must not be empty"}
    assert await _state(settings, "BOL-2") == before

    for field, party, given, key in (
        ("party", "XXX", {"name": [{"lang": "en", "text": "A"}], "functions": ["EXTRADITION"]}, None),
        ("key", PARTY, {"name": [{"lang": "en", "text": "A"}], "functions": ["EXTRADITION"]}, "bad key!"),
        (
            "key",
            PARTY,
            {"name": [{"lang": "en", "text": "A"}], "functions": ["EXTRADITION"]},
            PREFIX + "BOL-2",
        ),
        ("changes.name", PARTY, {"functions": ["EXTRADITION"]}, PREFIX + "BOL-Y"),
        ("changes.functions", PARTY, {"name": [{"lang": "en", "text": "A"}]}, PREFIX + "BOL-Y"),
    ):
        refused = await call(http, tokens["secretariat"], CREATE, p=party, c=given, k=key)
        assert refused["__typename"] == "InvalidInput" and refused["field"] == field, (field, refused)
    assert (await _state(settings, "BOL-Y"))["node"] == {}
    assert await _state(settings, "BOL-2") == before

    # A confirmation is never in the future: the ingest refuses such a line whole.
    future = (TODAY + timedelta(days=1)).isoformat()
    summary = await _ingest(
        settings, tmp_path / "future.jsonl", [_authority("BOL-F", PARTY, confirmed_on=future)]
    )
    assert [(r.field, r.reason) for r in summary.rejections] == [
        ("confirmed_on", f"{future} is in the future (today is {TODAY.isoformat()})")
    ]
    assert (await _state(settings, "BOL-F"))["node"] == {}


async def test_a_state_adds_an_entry_and_retires_it(
    setting: Setting, http: httpx.AsyncClient, settings: Settings
) -> None:
    tokens = setting.tokens
    given = {
        "name": [{"lang": "es", "text": f"Fiscalía {WORD}nueva"}],
        "functions": ["TRANSFER_OF_PROCEEDINGS", "TRANSFER_OF_PROCEEDINGS"],
        "acceptedLanguages": ["es"],
        "acceptsConventionRequests": True,
        "contact": {"email": "Fiscalia@BOL.example.org"},
    }
    created = await call(http, tokens["authority"], CREATE, p="bol", c=given, k=PREFIX + "BOL-NEW")
    assert created["__typename"] == "CompetentAuthority", created
    assert created["key"] == PREFIX + "BOL-NEW" and created["functions"] == ["TRANSFER_OF_PROCEEDINGS"]
    assert created["confirmedOn"] == TODAY.isoformat()
    assert created["contact"]["email"] == "fiscalia@bol.example.org"
    assert await _search(http, f"{WORD}nueva") == [PREFIX + "BOL-NEW"]
    # A key is one entry's.
    taken = await call(http, tokens["focal point"], CREATE, p=PARTY, c=given, k=PREFIX + "BOL-NEW")
    assert taken["__typename"] == "InvalidInput" and taken["field"] == "key"

    retired = await call(http, tokens["focal point"], RETIRE, a=created["id"], r="Merged into the Fiscalía")
    assert retired["__typename"] == "CompetentAuthorityChange", retired
    assert (retired["action"], retired["reason"]) == ("RETIRED", "Merged into the Fiscalía")
    assert ("acceptsConventionRequests", "true", None) in [
        (c["field"], c["oldValue"], c["newValue"]) for c in retired["changes"]
    ]
    node = "query($id: ID!) { node(id: $id) { id } }"
    assert (await data_as(http, None, node, id=created["id"]))["node"] is None
    assert (await _state(settings, "BOL-NEW"))["node"] == {}
    await refresh_search(settings)
    assert await _search(http, f"{WORD}nueva") == []
    log = await _log(http, tokens["authority"], "BOL-NEW")
    assert [(c["action"], c["authority"]) for c in log] == [("RETIRED", None), ("CREATED", None)]
    again = await call(http, tokens["focal point"], RETIRE, a=created["id"])
    assert again["__typename"] == "NotFound"


async def test_the_log_is_read_as_the_policy_says(setting: Setting, http: httpx.AsyncClient) -> None:
    """The secretariat reads every party's log; a party's accounts their own party's, whatever
    their role; anonymous viewers nothing; the contact block's values only those who may read
    contacts (not a signatory's accounts)."""
    tokens = setting.tokens
    entry = authority_id("BOL-1")
    await call(http, tokens["authority"], UPDATE, a=entry, c={"acceptsInterpol": False})
    await call(http, tokens["other authority"], CONFIRM, a=authority_id("ECU-1"))
    created = await call(
        http,
        tokens["signatory authority"],
        CREATE,
        p=SIGNATORY,
        c={
            "name": [{"lang": "fr", "text": "Direction des affaires pénales"}],
            "functions": ["EXTRADITION"],
            "contact": {"email": "dap@cog.example.org"},
        },
        k=PREFIX + "COG-1",
    )
    assert created["__typename"] == "CompetentAuthority" and created["contact"] is None, created

    everything = await _log(http, tokens["secretariat"])
    assert {PARTY, OTHER, SIGNATORY} <= {c["party"]["code"] for c in everything}
    for name in ("authority", "focal point", "expert", "observer"):
        own = await _log(http, tokens[name])
        assert own and {c["party"]["code"] for c in own} == {PARTY}, name
        assert await _log(http, tokens[name], "ECU-1") == []
        assert await _log(http, tokens[name], "BOL-1") == await _log(http, tokens["secretariat"], "BOL-1")
    for name in ("other authority", "other focal point", "other expert", "anonymous"):
        assert await _log(http, tokens[name], "BOL-1") == [], name
    empty = await call(http, None, LOG, a=None, first=5)
    assert empty["totalCount"] == 0 and empty["edges"] == []

    def contact_values(log: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        return [
            (c["field"], c["oldValue"], c["newValue"], c["withheld"])
            for change in log
            for c in change["changes"]
            if c["field"].startswith("contact.")
        ]

    assert contact_values(await _log(http, tokens["secretariat"], "COG-1")) == [
        ("contact.email", None, "dap@cog.example.org", False)
    ]
    assert contact_values(await _log(http, tokens["signatory authority"], "COG-1")) == [
        ("contact.email", None, None, True)
    ]

    # Pages, newest first, each cursor taking on from the last.
    first = await call(http, tokens["secretariat"], LOG, a=entry, first=1)
    assert first["totalCount"] >= 3 and first["pageInfo"]["hasNextPage"]
    second = await call(
        http, tokens["secretariat"], LOG, a=entry, first=1, after=first["pageInfo"]["endCursor"]
    )
    assert second["edges"][0]["node"]["at"] <= first["edges"][0]["node"]["at"]
    assert second["edges"][0]["node"] != first["edges"][0]["node"]


async def _stale_keys(
    http: httpx.AsyncClient, token: str | None, days: int
) -> tuple[list[dict[str, Any]], int]:
    """Every stale entry, page by page, and the total the first page said."""
    nodes: list[dict[str, Any]] = []
    after, total = None, None
    for _ in range(100):
        page = await call(http, token, STALE, days=days, after=after)
        total = page["totalCount"] if total is None else total
        nodes += [edge["node"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert total is not None
    return nodes, total


async def test_entries_not_confirmed_for_a_year_are_listed_for_the_secretariat_only(
    setting: Setting, http: httpx.AsyncClient
) -> None:
    tokens = setting.tokens
    stale, total = await _stale_keys(http, tokens["secretariat"], 365)
    assert len(stale) == total
    mine = [n["key"] for n in stale if n["key"].startswith(PREFIX)]
    assert PREFIX + "BOL-2" in mine and PREFIX + "BOL-3" in mine and PREFIX + "ECU-2" not in mine
    # Never confirmed first, then the longest unconfirmed.
    days = [date.fromisoformat(n["confirmedOn"]) if n["confirmedOn"] else date.min for n in stale]
    assert days == sorted(days)
    cutoff = TODAY - timedelta(days=365)
    assert all(day < cutoff for day in days)
    recent, _ = await _stale_keys(http, tokens["secretariat"], 5)
    assert PREFIX + "ECU-2" in [n["key"] for n in recent]

    for name in ("authority", "focal point", "other focal point", "expert", "anonymous"):
        page = await call(http, tokens[name], STALE, days=365, after=None)
        assert page == {"totalCount": 0, "pageInfo": {"hasNextPage": False, "endCursor": None}, "edges": []}
    body = await as_user(http, tokens["secretariat"], STALE, {"days": -1, "after": None})
    assert [e["message"] for e in body["errors"]] == ["olderThanDays: must be between 0 and 36500, not -1"]

    # Confirmed by its State, an entry leaves the list.
    await call(http, tokens["focal point"], CONFIRM, a=authority_id("BOL-3"))
    stale, _ = await _stale_keys(http, tokens["secretariat"], 365)
    assert PREFIX + "BOL-3" not in [n["key"] for n in stale]
