"""Announced draws through HTTP (¶17, ¶28): announce, contribute, reveal (one State
withholding), perform, verify, export, verify offline; every forbidden way refused with the
rule (or NotAuthorized) and nothing written; a tampered export fails the check it should.

Draws are global state that other modules change at the same time: this module finds its
own records by their IDs, and draws again only under a decision of the Conference."""

from __future__ import annotations

import asyncio
import datetime
import hashlib
import json
import os
import re
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.app import create_app
from api.config import Environment, Settings
from api.graphql.relay import parse_global_id
from mechanism.access import Role
from mechanism.commitments import derive_seed
from tests.integration.accounts_helpers import Login, Logins, as_user
from tests.integration.databases import graph_of
from tests.integration.rules_helpers import RULE_VIOLATION, violated

CONTRIBUTORS = ("BEL", "POL", "PRT", "DNK")  # focal points of States parties; DNK withholds
LATE = "SVN"
SHERLOC = str(Path(sys.executable).parent / "sherloc")

ANNOUNCE = (
    "mutation($k: DrawKind!, $c: DateTime!, $r: DateTime, $d: String) {"
    " announceDraw(kind: $k, contributionsCloseAt: $c, revealsCloseAt: $r, conferenceDecision: $d) {"
    " __typename ... on DrawAnnouncement { id commitment secret draw { id } contributions { party { code } } }"
    f" {RULE_VIOLATION} ... on InvalidInput {{ field message }} }} }}"
)
CONTRIBUTE = (
    "mutation($a: ID!, $c: String!) { contributeToDraw(announcement: $a, commitment: $c) { __typename"
    " ... on DrawAnnouncement { contributions { party { code } commitment revealed } }"
    f" {RULE_VIOLATION} ... on InvalidInput {{ field message }} }} }}"
)
REVEAL = (
    "mutation($a: ID!, $v: String!) { revealContribution(announcement: $a, value: $v) { __typename"
    " ... on DrawAnnouncement { contributions { party { code } value revealed } }"
    f" {RULE_VIOLATION} ... on InvalidInput {{ field message }} }} }}"
)
PERFORM = (
    "mutation($a: ID!) { performDraw(announcement: $a) { __typename"
    " ... on Draw { id seed seedOrigin conferenceDecision groups { party { code } year }"
    "   announcement { id secret commitment draw { id }"
    "     contributions { party { code } commitment value revealed } } }"
    f" {RULE_VIOLATION} ... on DrawInfeasibleError {{ failures }} }} }}"
)
DRAW_SUR = (
    "mutation($s: String, $d: String) { drawStatesUnderReview(seed: $s, conferenceDecision: $d) {"
    f" __typename ... on Draw {{ id seedOrigin conferenceDecision }} {RULE_VIOLATION} }} }}"
)
VERIFY = (
    "query($id: ID!) { verifyDraw(id: $id) { reproduced commitmentHonoured meetsTheRules problems"
    " draw { id announcement { id } } } }"
)
ANNOUNCEMENT = (
    "query($id: ID!) { node(id: $id) { ... on DrawAnnouncement { id secret draw { id }"
    " contributions { party { code } value revealed } } } }"
)


@pytest.fixture(scope="module")
async def people(logins: Logins) -> dict[str, Login]:
    wanted: dict[str, tuple[Role, str | None]] = {
        "SECRETARIAT": (Role.SECRETARIAT, None),
        "OBSERVER": (Role.OBSERVER, "BEL"),
        **{code: (Role.FOCAL_POINT, code) for code in (*CONTRIBUTORS, LATE)},
    }
    return {name: await logins.login(role, party) for name, (role, party) in wanted.items()}


async def _one(http: httpx.AsyncClient, who: Login | None, query: str, **variables: Any) -> dict[str, Any]:
    body = await as_user(http, who.token if who else None, query, variables)
    assert "errors" not in body, body
    return dict(next(iter(body["data"].values())))


async def _written_by(
    settings: Settings, user_id: str, since: datetime.datetime, announcement: str = ""
) -> tuple[int, int, int]:
    """The draws this account made since `since` (other modules delete draws, never
    announcements), the announcements it made, and the revealed contributions to one."""
    async with graph_of(settings) as graph:
        rows = await graph.read(
            "RETURN COUNT { MATCH (d:Draw {createdBy: $u}) WHERE d.createdAt > $since } AS draws, "
            "COUNT { MATCH (a:DrawAnnouncement {announcedBy: $u}) } AS announcements, "
            "COUNT { MATCH (c:DrawContribution {announcementId: $a}) WHERE c.value IS NOT NULL } AS revealed",
            u=user_id,
            since=since,
            a=announcement,
        )
    return rows[0]["draws"], rows[0]["announcements"], rows[0]["revealed"]


def _utc(moment: datetime.datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


async def _until(moment: datetime.datetime) -> None:
    await asyncio.sleep(max(0.0, (moment - datetime.datetime.now(datetime.UTC)).total_seconds()) + 0.2)


def _sherloc(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SHERLOC, *args], capture_output=True, text=True, timeout=120, env=dict(os.environ), check=False
    )


async def test_an_announced_draw_works_end_to_end_and_every_forbidden_way_is_refused(
    http: httpx.AsyncClient, settings: Settings, people: dict[str, Login], tmp_path: Path
) -> None:
    secretariat = people["SECRETARIAT"]
    me = secretariat.account.user_id

    # One draw governs (this one, made under a decision, whatever other modules drew before).
    governing = await _one(http, secretariat, DRAW_SUR, s="announced draws", d="decision for tests")
    assert governing["__typename"] == "Draw" and governing["conferenceDecision"] == "decision for tests"
    assert governing["seedOrigin"] == "CALLER"
    # A draw made without announcement says so.
    unannounced = await _one(http, None, VERIFY, id=governing["id"])
    assert (
        unannounced["reproduced"] and unannounced["meetsTheRules"] and not unannounced["commitmentHonoured"]
    )
    assert any("not announced" in p for p in unannounced["problems"])
    since = datetime.datetime.now(datetime.UTC)
    before = await _written_by(settings, me, since)
    violated(await _one(http, secretariat, DRAW_SUR), "¶17")
    soon = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=5)
    violated(await _one(http, secretariat, ANNOUNCE, k="STATES_UNDER_REVIEW", c=_utc(soon)), "¶17")
    past = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=1)
    violated(await _one(http, secretariat, ANNOUNCE, k="REVIEWING_STATES", c=_utc(past)), "¶28")
    refused = await _one(http, people["BEL"], ANNOUNCE, k="STATES_UNDER_REVIEW", c=_utc(soon), d="x")
    assert refused["__typename"] == "NotAuthorized"
    assert await _written_by(settings, me, since) == before

    # Announced: the commitment is public, the secret is not.
    closes = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=6)
    reveals_close = closes + datetime.timedelta(seconds=4)
    announced = await _one(
        http,
        secretariat,
        ANNOUNCE,
        k="STATES_UNDER_REVIEW",
        c=_utc(closes),
        r=_utc(reveals_close),
        d="a second decision for tests",
    )
    assert announced["__typename"] == "DrawAnnouncement", announced
    assert len(announced["commitment"]) == 64 and announced["secret"] is None and announced["draw"] is None
    ann = announced["id"]

    values = {code: hashlib.sha256(f"{code} {ann}".encode()).hexdigest() for code in (*CONTRIBUTORS, LATE)}
    for code in CONTRIBUTORS:
        done = await _one(
            http, people[code], CONTRIBUTE, a=ann, c=hashlib.sha256(values[code].encode()).hexdigest()
        )
        assert done["__typename"] == "DrawAnnouncement", done
    assert {c["party"]["code"] for c in done["contributions"]} == set(CONTRIBUTORS)

    # Forbidden before closing: contributing twice, revealing early, performing; wrong roles.
    twice = await _one(http, people["BEL"], CONTRIBUTE, a=ann, c="0" * 64)
    assert "already contributed" in violated(twice, "¶17")
    malformed = await _one(http, people[LATE], CONTRIBUTE, a=ann, c="not a hash")
    assert malformed["__typename"] == "InvalidInput" and malformed["field"] == "commitment"
    assert "only after they close" in violated(
        await _one(http, people["BEL"], REVEAL, a=ann, v=values["BEL"]), "¶17"
    )
    assert "after contributions close" in violated(await _one(http, secretariat, PERFORM, a=ann), "¶17")
    for who in (secretariat, people["OBSERVER"], None):
        assert (await _one(http, who, CONTRIBUTE, a=ann, c="1" * 64))["__typename"] == "NotAuthorized"
    assert (await _one(http, people["BEL"], PERFORM, a=ann))["__typename"] == "NotAuthorized"

    await _until(closes)
    late = await _one(
        http, people[LATE], CONTRIBUTE, a=ann, c=hashlib.sha256(values[LATE].encode()).hexdigest()
    )
    assert "closed" in violated(late, "¶17")
    wrong = await _one(http, people["BEL"], REVEAL, a=ann, v="a value that is not the one committed")
    assert "SHA-256 of this value" in violated(wrong, "¶17")
    assert "made no contribution" in violated(
        await _one(http, people[LATE], REVEAL, a=ann, v=values[LATE]), "¶17"
    )
    for code in CONTRIBUTORS[:-1]:  # DNK withholds its value
        shown = await _one(http, people[code], REVEAL, a=ann, v=values[code])
        assert shown["__typename"] == "DrawAnnouncement", shown
    again = await _one(http, people["BEL"], REVEAL, a=ann, v=values["BEL"])
    assert "already revealed" in violated(again, "¶17")
    assert "not yet revealed" in violated(await _one(http, secretariat, PERFORM, a=ann), "¶17")
    assert await _written_by(settings, me, since, parse_global_id(ann).key) == (0, before[1] + 1, 3)

    # Performed once reveals close: the secret is revealed, DNK shown as not revealed.
    await _until(reveals_close)
    drawn = await _one(http, secretariat, PERFORM, a=ann)
    assert drawn["__typename"] == "Draw", drawn
    # Read back at once: other modules delete every draw when they start.
    verified = await _one(http, None, VERIFY, id=drawn["id"])
    exported = await asyncio.to_thread(_sherloc, "export-draw", drawn["id"])
    assert drawn["seedOrigin"] == "ANNOUNCED" and drawn["conferenceDecision"] == "a second decision for tests"
    announcement = drawn["announcement"]
    assert announcement["id"] == ann and announcement["draw"]["id"] == drawn["id"]
    secret = announcement["secret"]
    assert hashlib.sha256(secret.encode()).hexdigest() == announcement["commitment"]
    shown_values = {c["party"]["code"]: c["value"] for c in announcement["contributions"]}
    assert shown_values == {**{c: values[c] for c in CONTRIBUTORS[:-1]}, "DNK": None}
    assert [c["revealed"] for c in announcement["contributions"] if c["party"]["code"] == "DNK"] == [False]
    revealed = {c: values[c] for c in CONTRIBUTORS[:-1]}
    assert drawn["seed"] == derive_seed(parse_global_id(ann).key, secret, revealed)
    assert "already been performed" in violated(await _one(http, secretariat, PERFORM, a=ann), "¶17")
    assert "no longer takes reveals" in violated(
        await _one(http, people["DNK"], REVEAL, a=ann, v=values["DNK"]), "¶17"
    )
    node = await _one(http, None, ANNOUNCEMENT, id=ann)
    assert node["secret"] == secret and node["draw"]["id"] == drawn["id"]

    # Anyone verifies it: every check holds.
    assert verified["problems"] == [], verified
    assert verified["reproduced"] and verified["commitmentHonoured"] and verified["meetsTheRules"]
    assert verified["draw"]["announcement"]["id"] == ann

    # Exported as one JSON record, verified offline; each tampering fails its check.
    assert exported.returncode == 0, exported.stderr
    record = json.loads(exported.stdout)
    assert record["draw"]["seed"] == drawn["seed"] and record["announcement"]["secret"] == secret
    path = tmp_path / "draw.json"
    path.write_text(exported.stdout, encoding="utf-8")
    offline = _sherloc("verify-draw", str(path))
    assert offline.returncode == 0, offline.stdout
    assert "FAIL" not in offline.stdout and "not revealed: DNK" in offline.stdout

    for what, failing, problem in _tamperings(record):
        path.write_text(json.dumps(what), encoding="utf-8")
        checked = _sherloc("verify-draw", str(path))
        assert checked.returncode == 1, (problem, checked.stdout)
        assert f"FAIL {failing}" in checked.stdout and problem in checked.stdout, (problem, checked.stdout)


def _tamperings(record: dict[str, Any]) -> list[tuple[dict[str, Any], str, str]]:
    def changed(change: Any) -> dict[str, Any]:
        copy: dict[str, Any] = json.loads(json.dumps(record))
        change(copy)
        return copy

    def secret(r: dict[str, Any]) -> None:
        r["announcement"]["secret"] = "f" * 64

    def value(r: dict[str, Any]) -> None:
        r["announcement"]["contributions"][0]["value"] = "a value never committed to"

    def seed(r: dict[str, Any]) -> None:
        r["draw"]["seed"] = "chosen"

    def result(r: dict[str, Any]) -> None:
        years = r["draw"]["result"]["years"]
        first = sorted(years)[0]
        second = next(code for code in sorted(years) if years[code] != years[first])
        years[first], years[second] = years[second], years[first]

    def order(r: dict[str, Any]) -> None:
        r["announcement"]["contributions"][0]["contributedAt"] = r["announcement"]["revealsCloseAt"]

    def rules(r: dict[str, Any]) -> None:
        r["draw"]["result"]["years"] = {code: 1 for code in r["draw"]["result"]["years"]}
        encoded = json.dumps(r["draw"]["result"], sort_keys=True)
        r["draw"]["resultHash"] = hashlib.sha256(encoded.encode()).hexdigest()

    return [
        (changed(secret), "commitmentHonoured", "secret's SHA-256 is not the commitment"),
        (changed(value), "commitmentHonoured", "revealed value does not hash to its contribution"),
        (changed(seed), "commitmentHonoured", "seed does not derive from the secret"),
        (changed(seed), "reproduced", "recorded result is not what the recorded inputs and seed give"),
        (changed(result), "reproduced", "resultHash"),
        (changed(order), "commitmentHonoured", "contributed outside the contribution period"),
        (changed(rules), "meetsTheRules", "¶17: the years are not a third each"),
    ]


@asynccontextmanager
async def _production(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings.model_copy(update={"environment": Environment.PRODUCTION}))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver", timeout=60) as http:
            yield http


async def test_a_chosen_seed_is_refused_in_production(settings: Settings, people: dict[str, Login]) -> None:
    secretariat = people["SECRETARIAT"]
    since = datetime.datetime.now(datetime.UTC)
    before = await _written_by(settings, secretariat.account.user_id, since)
    seeded = {
        "drawStatesUnderReview": ('(seed: "mine", conferenceDecision: "tests")', "¶17"),
        "drawReviewingStates": ('(seed: "mine")', "¶28"),
        "redrawReviewer": (
            '(stateUnderReview: "BEL", reviewer: "POL", kind: REPETITION, requestedBy: "BEL", seed: "mine")',
            "¶28",
        ),
    }
    async with _production(settings) as http:
        for mutation, (arguments, paragraph) in seeded.items():
            body = await as_user(
                http,
                secretariat.token,
                f"mutation {{ {mutation}{arguments} {{ __typename {RULE_VIOLATION} }} }}",
            )
            assert "production" in violated(body["data"][mutation], paragraph)
    assert await _written_by(settings, secretariat.account.user_id, since) == before


JOIN = (
    "mutation($o: [String!], $d: String, $j: Boolean!) {"
    " drawStatesUnderReview(optedOut: $o, conferenceDecision: $d, onlyJoining: $j) {"
    " __typename ... on Draw { id seedOrigin groups { party { code } year } }"
    f" {RULE_VIOLATION} ... on InvalidInput {{ field message }} }} }}"
)


@asynccontextmanager
async def _not_yet_a_party(settings: Settings, code: str) -> AsyncIterator[None]:
    """`code` a signatory of the Convention only, as before it joined; a party again after."""
    query = (
        "MATCH (:Party {code: $code})-[r:PARTICIPATES_IN]->(:Instrument {code: 'UNTOC'}) "
        "SET r.status = $status"
    )
    async with graph_of(settings) as graph:
        await graph.write(query, code=code, status="SIGNATORY")
        try:
            yield
        finally:
            await graph.write(query, code=code, status="PARTY")


async def test_a_party_that_joins_later_gets_a_year_and_no_one_else_moves(
    http: httpx.AsyncClient, settings: Settings, people: dict[str, Login]
) -> None:
    secretariat = people["SECRETARIAT"]
    async with _not_yet_a_party(settings, "BEL"):
        first = await _one(http, secretariat, JOIN, o=["VAT"], d="decision for tests", j=False)
    assert first["__typename"] == "Draw" and first["seedOrigin"] == "OPERATING_SYSTEM", first
    years = {g["party"]["code"]: g["year"] for g in first["groups"]}
    assert "BEL" not in years
    joined = await _one(http, secretariat, JOIN, o=["VAT"], j=True)
    assert joined["__typename"] == "Draw", joined
    now = {g["party"]["code"]: g["year"] for g in joined["groups"]}
    assert set(now) - set(years) == {"BEL"} and {c: now[c] for c in years} == years
    verified = await _one(http, None, VERIFY, id=joined["id"])
    assert verified["reproduced"] and verified["meetsTheRules"], verified
    nobody = await _one(http, secretariat, JOIN, o=["VAT"], j=True)
    assert nobody["__typename"] == "InvalidInput" and nobody["field"] == "onlyJoining"


async def test_the_readme_shows_the_draws_and_their_announcements(http: httpx.AsyncClient) -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    (query,) = re.findall(r"`(\{ draws .*?)`", readme)
    body = await as_user(http, None, query)
    assert "errors" not in body and "edges" in body["data"]["draws"], body


async def test_two_writes_at_once_on_one_announcement_are_decided_one_after_the_other(
    http: httpx.AsyncClient, people: dict[str, Login]
) -> None:
    secretariat = people["SECRETARIAT"]
    closes = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=3)
    announced = await _one(http, secretariat, ANNOUNCE, k="STATES_UNDER_REVIEW", c=_utc(closes), d="tests")
    ann = announced["id"]
    commitments = [hashlib.sha256(f"{n} {ann}".encode()).hexdigest() for n in range(2)]
    both = await asyncio.gather(*(_one(http, people["POL"], CONTRIBUTE, a=ann, c=c) for c in commitments))
    assert sorted(r["__typename"] for r in both) == ["DrawAnnouncement", "RuleViolation"]
    await _until(closes)
    (kept,) = [
        c["commitment"] for r in both for c in r.get("contributions", []) if c["party"]["code"] == "POL"
    ]
    value = f"{commitments.index(kept)} {ann}"  # the value behind the contribution that was taken
    assert (await _one(http, people["POL"], REVEAL, a=ann, v=value))["__typename"] == "DrawAnnouncement"
    performed = await asyncio.gather(*(_one(http, secretariat, PERFORM, a=ann) for _ in range(2)))
    assert sorted(r["__typename"] for r in performed) == ["Draw", "RuleViolation"]


ANNOUNCE_JOINING = (
    "mutation($c: DateTime!, $r: DateTime!) {"
    " announceDraw(kind: STATES_UNDER_REVIEW, contributionsCloseAt: $c, revealsCloseAt: $r, onlyJoining: true) {"
    f" __typename ... on DrawAnnouncement {{ id onlyJoining }} {RULE_VIOLATION} }} }}"
)
PERFORM_JOINING = (
    "mutation($a: ID!) { performDraw(announcement: $a) { __typename"
    " ... on Draw { id seedOrigin groups { party { code } year } }"
    f" {RULE_VIOLATION} ... on InvalidInput {{ field message }} }} }}"
)


async def test_the_places_of_parties_that_join_later_are_announced_too(
    http: httpx.AsyncClient, settings: Settings, people: dict[str, Login]
) -> None:
    """¶17: the draw placing a party that joined since the governing draw goes through
    the announced flow without a Conference decision; no one else moves. (The announced
    flow takes the parties' recorded choices only: the Holy See is drawn here, as it has
    recorded no choice not to take part.)"""
    secretariat = people["SECRETARIAT"]
    async with _not_yet_a_party(settings, "BEL"):
        first = await _one(http, secretariat, JOIN, o=[], d="decision for tests", j=False)
    years = {g["party"]["code"]: g["year"] for g in first["groups"]}
    closes = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=2)
    reveals_close = closes + datetime.timedelta(seconds=1)
    announced = await _one(http, secretariat, ANNOUNCE_JOINING, c=_utc(closes), r=_utc(reveals_close))
    assert announced["__typename"] == "DrawAnnouncement" and announced["onlyJoining"], announced
    await _until(reveals_close)
    joined = await _one(http, secretariat, PERFORM_JOINING, a=announced["id"])
    assert joined["__typename"] == "Draw" and joined["seedOrigin"] == "ANNOUNCED", joined
    now = {g["party"]["code"]: g["year"] for g in joined["groups"]}
    assert set(now) - set(years) == {"BEL"} and {c: now[c] for c in years} == years
    verified = await _one(http, None, VERIFY, id=joined["id"])
    assert verified["reproduced"] and verified["commitmentHonoured"] and verified["meetsTheRules"], verified
