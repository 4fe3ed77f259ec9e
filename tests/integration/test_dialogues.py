"""Stakeholders' constructive dialogues (¶53) through GraphQL over HTTP.

The deadlines run on the server's date, so the dialogues are scheduled relative to today
(UTC). The module deletes the dialogues of its earlier runs first (by their title prefix).
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from api.config import Settings
from api.graphql.relay import global_id
from graph.schema import apply_schema
from mechanism.access import Role
from tests.integration.accounts_helpers import Logins, as_user
from tests.integration.databases import graph_of
from tests.integration.rules_helpers import RULE_VIOLATION, violated

PREFIX = "[test ¶53] "
GROUP = "FIREARMS"
FOCAL_POINT_PARTY = "ISL"
EXPERT_PARTY = "MLT"

DIALOGUE = (
    "id workingGroup sessionEndsOn heldOn title status listCirculatedOn notConvenedReason summary"
    " summaryFiledOn registrationsDueOn"
)
REGISTRATION = (
    "id kind organization status approved contactEmail comments commentsSubmittedOn registeredOn"
    " objection { party { code } reason objectedOn bureauUpheld } dialogue { id }"
)
ERRORS = "... on InvalidInput { field message } ... on NotAuthorized { message } ... on NotFound { message }"
SCHEDULE = (
    "mutation($g: WorkingGroup!, $s: Date!, $h: Date!, $t: String!) {"
    " r: scheduleStakeholderDialogue(workingGroup: $g, sessionEndsOn: $s, heldOn: $h, title: $t) {"
    f" __typename ... on StakeholderDialogue {{ {DIALOGUE} }} {ERRORS} }} }}"
)
REGISTER = (
    "mutation($d: ID!, $k: StakeholderKind!, $o: String!, $e: String!) {"
    " r: registerForStakeholderDialogue(dialogue: $d, kind: $k, organization: $o, contactEmail: $e) {"
    f" __typename ... on StakeholderRegistration {{ {REGISTRATION} }} {ERRORS} }} }}"
)
SHOW = f"query($d: ID!) {{ stakeholderDialogue(id: $d) {{ {DIALOGUE} registrations {{ {REGISTRATION} }} }} }}"


def _on_dialogue(operation: str, arguments: str = "") -> str:
    variables = "".join(f", ${a.split(':')[0]}: {a.split(':')[1]}" for a in arguments.split(",") if a)
    passed = "".join(f", {a.split(':')[0]}: ${a.split(':')[0]}" for a in arguments.split(",") if a)
    return (
        f"mutation($d: ID!{variables}) {{ r: {operation}(dialogue: $d{passed}) {{ __typename"
        f" ... on StakeholderDialogue {{ {DIALOGUE} }} {ERRORS} }} }}"
    )


def _on_registration(operation: str, arguments: str) -> str:
    variables = "".join(f", ${a.split(':')[0]}: {a.split(':')[1]}" for a in arguments.split(","))
    passed = "".join(f", {a.split(':')[0]}: ${a.split(':')[0]}" for a in arguments.split(","))
    return (
        f"mutation($r: ID!{variables}) {{ r: {operation}(registration: $r{passed}) {{ __typename"
        f" ... on StakeholderRegistration {{ {REGISTRATION} }} {ERRORS} {RULE_VIOLATION} }} }}"
    )


CIRCULATE = _on_dialogue("circulateStakeholderList")
NOT_CONVENE = _on_dialogue("decideNotToConvene", "reason:String!")
SUMMARY = _on_dialogue("fileDialogueSummary", "summary:String!")
COMMENT = _on_registration("submitStakeholderComments", "contactEmail:String!,comments:String!")
OBJECT = _on_registration("objectToStakeholder", "reason:String!")
BUREAU = _on_registration("recordBureauDecision", "upheld:Boolean!")


def today() -> date:
    return datetime.now(UTC).date()


def day(offset: int) -> str:
    return (today() + timedelta(days=offset)).isoformat()


def email(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:10]}@ngo.example.org"


@pytest.fixture(scope="module")
async def tokens(settings: Settings, logins: Logins) -> dict[str, str]:
    async with graph_of(settings) as graph:
        await apply_schema(graph)
        await graph.write(
            "MATCH (d:StakeholderDialogue) WHERE d.title STARTS WITH $prefix "
            "OPTIONAL MATCH (r:StakeholderRegistration {dialogueId: d.id}) DETACH DELETE r, d",
            prefix=PREFIX,
        )
    return await logins.tokens(
        {
            "secretariat": (Role.SECRETARIAT, None),
            "focal point": (Role.FOCAL_POINT, FOCAL_POINT_PARTY),
            "expert": (Role.GOVERNMENTAL_EXPERT, EXPERT_PARTY),
            "observer": (Role.OBSERVER, FOCAL_POINT_PARTY),
        }
    )


async def call(
    http: httpx.AsyncClient, token: str | None, query: str, variables: dict[str, Any]
) -> dict[str, Any]:
    body = await as_user(http, token, query, variables)
    assert "errors" not in body, body["errors"]
    result: dict[str, Any] = body["data"]["r"]
    return result


async def schedule(
    http: httpx.AsyncClient, tokens: dict[str, str], held_in: int, session_ends_in: int | None = None
) -> dict[str, Any]:
    """A dialogue held `held_in` days from today, scheduled by the secretariat."""
    ends = held_in - 2 if session_ends_in is None else session_ends_in
    variables = {"g": GROUP, "s": day(ends), "h": day(held_in), "t": f"{PREFIX}{uuid.uuid4().hex[:8]}"}
    created = await call(http, tokens["secretariat"], SCHEDULE, variables)
    assert created["__typename"] == "StakeholderDialogue", created
    return created


async def register(
    http: httpx.AsyncClient, dialogue: str, kind: str, address: str, organization: str = "Forum"
) -> dict[str, Any]:
    return await call(http, None, REGISTER, {"d": dialogue, "k": kind, "o": organization, "e": address})


async def registered(http: httpx.AsyncClient, dialogue: str, kind: str) -> tuple[str, str]:
    """A registration's id and contact e-mail."""
    address = email(kind.lower())
    result = await register(http, dialogue, kind, address)
    assert result["__typename"] == "StakeholderRegistration", result
    return result["id"], address


async def shown(http: httpx.AsyncClient, token: str | None, dialogue: str) -> dict[str, Any]:
    body = await as_user(http, token, SHOW, {"d": dialogue})
    assert "errors" not in body, body["errors"]
    result: dict[str, Any] = body["data"]["stakeholderDialogue"]
    return result


@pytest.mark.parametrize("who", [None, "focal point", "observer"])
async def test_secretariat_actions_are_refused_to_others(
    http: httpx.AsyncClient, tokens: dict[str, str], who: str | None
) -> None:
    token = tokens[who] if who else None
    dialogue = (await schedule(http, tokens, 20))["id"]
    registration, _ = await registered(http, dialogue, "NGO")
    variables = {"g": GROUP, "s": day(18), "h": day(20), "t": f"{PREFIX}refused"}
    for query, given in (
        (SCHEDULE, variables),
        (CIRCULATE, {"d": dialogue}),
        (NOT_CONVENE, {"d": dialogue, "reason": "Too few."}),
        (SUMMARY, {"d": dialogue, "summary": "Summary."}),
        (BUREAU, {"r": registration, "upheld": True}),
    ):
        assert (await call(http, token, query, given))["__typename"] == "NotAuthorized", query
    assert (await shown(http, tokens["secretariat"], dialogue))["listCirculatedOn"] is None


@pytest.mark.parametrize("kind", ["NGO", "OTHER_STAKEHOLDER"])
async def test_registrations_close_15_days_before(
    http: httpx.AsyncClient, tokens: dict[str, str], kind: str
) -> None:
    in_time = (await schedule(http, tokens, 15))["id"]
    result = await register(http, in_time, kind, email("in-time"), "Transparency Forum")
    assert result["__typename"] == "StakeholderRegistration", result
    assert result["kind"] == kind
    assert result["status"] == ("CONFIRMED" if kind == "NGO" else "APPLIED")
    assert result["approved"] is True
    assert result["registeredOn"] == day(0)
    assert result["contactEmail"] is None  # the registrant is anonymous: never shown back
    assert result["dialogue"] == {"id": in_time}

    late = (await schedule(http, tokens, 14))["id"]
    what = "confirmations" if kind == "NGO" else "applications"
    assert await register(http, late, kind, email("late")) == {
        "__typename": "InvalidInput",
        "field": "dialogue",
        "message": f"{what} were due by {day(-1)} (15 days before the dialogue, ¶53)",
    }


async def test_an_address_registers_once_per_dialogue(
    http: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    dialogue = (await schedule(http, tokens, 30))["id"]
    _, address = await registered(http, dialogue, "NGO")
    again = await register(http, dialogue, "OTHER_STAKEHOLDER", f"  {address.upper()} ")
    assert again == {
        "__typename": "InvalidInput",
        "field": "contactEmail",
        "message": "this e-mail address is already registered for this dialogue",
    }
    # At the same time: one registration, one refusal.
    address = email("twice")
    results = await asyncio.gather(*(register(http, dialogue, "NGO", address) for _ in range(4)))
    assert sorted(r["__typename"] for r in results) == ["InvalidInput"] * 3 + ["StakeholderRegistration"]
    listed = (await shown(http, tokens["secretariat"], dialogue))["registrations"]
    assert [r["contactEmail"] for r in listed].count(address) == 1


async def test_bad_input_is_named(http: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    secretariat = tokens["secretariat"]
    for held, ends, title, field, message in (
        (20, 18, "  ", "title", "must not be empty"),
        (20, 18, "x" * 301, "title", "must be at most 300 characters"),
        (20, 18, "a\u0000b", "title", "must not contain control characters"),
        (20, 21, f"{PREFIX}x", "heldOn", f"must be on or after the end of the session ({day(21)}, ¶53)"),
        (-1, -2, f"{PREFIX}x", "heldOn", f"must not be in the past (today is {day(0)})"),
    ):
        variables = {"g": GROUP, "s": day(ends), "h": day(held), "t": title}
        result = await call(http, secretariat, SCHEDULE, variables)
        assert result == {"__typename": "InvalidInput", "field": field, "message": message}

    dialogue = (await schedule(http, tokens, 30))["id"]
    for organization, address, field, message in (
        ("", email("a"), "organization", "must not be empty"),
        ("x" * 301, email("a"), "organization", "must be at most 300 characters"),
        ("Forum\u001b[31m", email("a"), "organization", "must not contain control characters"),
        (
            "Forum",
            "not-an-address",
            "contactEmail",
            "is not an e-mail address: An email address must have an @-sign.",
        ),
        ("Forum", "a" * 250 + "@x.org", "contactEmail", "must be at most 254 characters"),
    ):
        result = await register(http, dialogue, "NGO", address, organization)
        assert result == {"__typename": "InvalidInput", "field": field, "message": message}
    unknown = global_id("StakeholderDialogue", "no-such-dialogue")
    assert (await register(http, unknown, "NGO", email("a")))["__typename"] == "NotFound"
    body = await as_user(http, None, REGISTER, {"d": "not an id", "k": "NGO", "o": "F", "e": email("a")})
    assert body["errors"][0]["message"] == "dialogue: is not an ID given by this API"


async def test_the_list_is_circulated_no_later_than_10_days_before(
    http: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    secretariat = tokens["secretariat"]
    on_time = (await schedule(http, tokens, 10))["id"]
    circulated = await call(http, secretariat, CIRCULATE, {"d": on_time})
    assert circulated["__typename"] == "StakeholderDialogue"
    assert circulated["listCirculatedOn"] == day(0)
    assert await call(http, secretariat, CIRCULATE, {"d": on_time}) == {
        "__typename": "InvalidInput",
        "field": "dialogue",
        "message": f"the list was circulated on {day(0)}",
    }
    late = (await schedule(http, tokens, 9))["id"]
    assert await call(http, secretariat, CIRCULATE, {"d": late}) == {
        "__typename": "InvalidInput",
        "field": "dialogue",
        "message": f"the list was due by {day(-1)} (10 days before the dialogue, ¶53)",
    }


async def test_states_parties_read_the_list_once_circulated_and_never_the_contacts(
    http: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    dialogue = (await schedule(http, tokens, 20))["id"]
    _, ngo_address = await registered(http, dialogue, "NGO")
    _, other_address = await registered(http, dialogue, "OTHER_STAKEHOLDER")
    for who in (None, "focal point", "observer"):
        assert (await shown(http, tokens[who] if who else None, dialogue))["registrations"] == [], who
    listed = (await shown(http, tokens["secretariat"], dialogue))["registrations"]
    assert [(r["kind"], r["contactEmail"]) for r in listed] == [
        ("NGO", ngo_address),
        ("OTHER_STAKEHOLDER", other_address),
    ]

    await call(http, tokens["secretariat"], CIRCULATE, {"d": dialogue})
    assert (await shown(http, None, dialogue))["registrations"] == []
    for who in ("focal point", "expert", "observer"):
        listed = (await shown(http, tokens[who], dialogue))["registrations"]
        assert [(r["kind"], r["organization"], r["status"]) for r in listed] == [
            ("NGO", "Forum", "CONFIRMED"),
            ("OTHER_STAKEHOLDER", "Forum", "APPLIED"),
        ], who
        assert {r["contactEmail"] for r in listed} == {None}, who
    # The dialogue itself is public.
    public = await shown(http, None, dialogue)
    assert public["status"] == "SCHEDULED"
    assert public["listCirculatedOn"] == day(0)
    assert public["registrationsDueOn"] == day(5)


async def test_objections_reject_others_and_refer_ngos_to_the_bureau(
    http: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    secretariat, focal_point, expert = tokens["secretariat"], tokens["focal point"], tokens["expert"]
    dialogue = (await schedule(http, tokens, 20))["id"]
    other, _ = await registered(http, dialogue, "OTHER_STAKEHOLDER")
    ngo, _ = await registered(http, dialogue, "NGO")
    second_ngo, _ = await registered(http, dialogue, "NGO")
    reason = {"reason": "Not a bona fide organization."}

    # Before the list is circulated, States parties do not see it at all.
    assert (await call(http, focal_point, OBJECT, {"r": other, **reason}))["__typename"] == "NotFound"
    await call(http, secretariat, CIRCULATE, {"d": dialogue})
    for who in (None, "observer", "secretariat"):
        result = await call(http, tokens[who] if who else None, OBJECT, {"r": other, **reason})
        assert result["__typename"] == "NotAuthorized", who

    rejected = await call(http, focal_point, OBJECT, {"r": other, **reason})
    assert (rejected["status"], rejected["approved"]) == ("REJECTED", False)
    assert rejected["objection"] == {
        "party": {"code": FOCAL_POINT_PARTY},
        "reason": "Not a bona fide organization.",
        "objectedOn": day(0),
        "bureauUpheld": None,
    }
    assert await call(http, expert, OBJECT, {"r": other, **reason}) == {
        "__typename": "InvalidInput",
        "field": "registration",
        "message": "is already rejected",
    }
    referred = await call(http, expert, OBJECT, {"r": ngo, **reason})
    assert (referred["status"], referred["approved"]) == ("REFERRED_TO_BUREAU", False)
    assert referred["objection"]["party"] == {"code": EXPERT_PARTY}

    # Who objected, and why: the secretariat and the objecting party only.
    listed = {r["id"]: r for r in (await shown(http, focal_point, dialogue))["registrations"]}
    assert listed[other]["objection"]["party"] == {"code": FOCAL_POINT_PARTY}
    assert listed[ngo]["objection"] is None
    assert listed[ngo]["status"] == "REFERRED_TO_BUREAU"
    listed = {r["id"]: r for r in (await shown(http, secretariat, dialogue))["registrations"]}
    assert listed[ngo]["objection"]["reason"] == "Not a bona fide organization."

    # The Bureau of the Conference decides; the secretariat records it.
    assert await call(http, secretariat, BUREAU, {"r": other, "upheld": True}) == {
        "__typename": "InvalidInput",
        "field": "registration",
        "message": "is not referred to the Bureau of the Conference",
    }
    dismissed = await call(http, secretariat, BUREAU, {"r": ngo, "upheld": False})
    assert (dismissed["status"], dismissed["approved"]) == ("CONFIRMED", True)
    assert dismissed["objection"]["bureauUpheld"] is False
    assert await call(http, focal_point, OBJECT, {"r": ngo, **reason}) == {
        "__typename": "InvalidInput",
        "field": "registration",
        "message": "the Bureau of the Conference already dismissed an objection to it",
    }
    await call(http, focal_point, OBJECT, {"r": second_ngo, **reason})
    upheld = await call(http, secretariat, BUREAU, {"r": second_ngo, "upheld": True})
    assert (upheld["status"], upheld["approved"], upheld["objection"]["bureauUpheld"]) == (
        "REJECTED",
        False,
        True,
    )


async def test_objections_at_the_same_time_are_not_lost(
    http: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    dialogue = (await schedule(http, tokens, 20))["id"]
    other, _ = await registered(http, dialogue, "OTHER_STAKEHOLDER")
    await call(http, tokens["secretariat"], CIRCULATE, {"d": dialogue})
    results = await asyncio.gather(
        *(call(http, tokens[who], OBJECT, {"r": other, "reason": who}) for who in ("focal point", "expert"))
    )
    assert sorted(r["__typename"] for r in results) == ["InvalidInput", "StakeholderRegistration"]
    winner = next(r for r in results if r["__typename"] == "StakeholderRegistration")
    listed = (await shown(http, tokens["secretariat"], dialogue))["registrations"]
    assert listed[0]["objection"]["party"] == winner["objection"]["party"]
    assert listed[0]["status"] == "REJECTED"


async def test_confirmed_ngos_and_approved_stakeholders_submit_written_views(
    http: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    """¶53(d): an NGO whose attendance is confirmed submits written comments; ¶53(e): another
    stakeholder (private sector, academia) whose application is approved, no party objecting,
    submits written views. A rejected application, or an NGO referred to the Bureau, may not."""
    dialogue = (await schedule(http, tokens, 20))["id"]
    ngo, ngo_address = await registered(http, dialogue, "NGO")
    other, other_address = await registered(http, dialogue, "OTHER_STAKEHOLDER")
    text = "Written comments.\n\nOn the review of articles 5 to 10."
    views = "Written views of a university.\n\nOn article 9."

    wrong = await call(http, None, COMMENT, {"r": ngo, "contactEmail": email("someone"), "comments": text})
    assert wrong["__typename"] == "NotAuthorized"
    too_long = {"r": ngo, "contactEmail": ngo_address, "comments": "x" * 20_001}
    assert await call(http, None, COMMENT, too_long) == {
        "__typename": "InvalidInput",
        "field": "comments",
        "message": "must be at most 20,000 characters",
    }
    done = await call(http, None, COMMENT, {"r": ngo, "contactEmail": ngo_address.upper(), "comments": text})
    assert done["__typename"] == "StakeholderRegistration"
    assert done["commentsSubmittedOn"] == day(0)
    assert done["comments"] is None  # an anonymous viewer does not read the list
    applied = await call(http, None, COMMENT, {"r": other, "contactEmail": other_address, "comments": views})
    assert applied["__typename"] == "StakeholderRegistration" and applied["commentsSubmittedOn"] == day(0)
    listed = (await shown(http, tokens["secretariat"], dialogue))["registrations"]
    assert [r["comments"] for r in listed] == [text, views]

    # Once a party objects: the other stakeholder is rejected, the NGO referred to the Bureau.
    await call(http, tokens["secretariat"], CIRCULATE, {"d": dialogue})
    await call(http, tokens["focal point"], OBJECT, {"r": ngo, "reason": "Objection."})
    await call(http, tokens["expert"], OBJECT, {"r": other, "reason": "Objection."})
    referred = await call(http, None, COMMENT, {"r": ngo, "contactEmail": ngo_address, "comments": "again"})
    violated(referred, "¶53(d)")
    rejected = await call(
        http, None, COMMENT, {"r": other, "contactEmail": other_address, "comments": "again"}
    )
    violated(rejected, "¶53(e)")
    listed = (await shown(http, tokens["secretariat"], dialogue))["registrations"]
    assert [r["comments"] for r in listed] == [text, views]  # nothing written


async def test_the_chair_may_decide_not_to_convene(http: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    secretariat = tokens["secretariat"]
    still_open = (await schedule(http, tokens, 15))["id"]
    assert await call(http, secretariat, NOT_CONVENE, {"d": still_open, "reason": "Too few."}) == {
        "__typename": "InvalidInput",
        "field": "dialogue",
        "message": f"applications and confirmations are open until {day(0)} (¶53)",
    }
    closed = (await schedule(http, tokens, 14))["id"]
    assert (await call(http, secretariat, NOT_CONVENE, {"d": closed, "reason": " "}))["field"] == "reason"
    decided = await call(http, secretariat, NOT_CONVENE, {"d": closed, "reason": "Two applications only."})
    assert (decided["status"], decided["notConvenedReason"]) == ("NOT_CONVENED", "Two applications only.")
    assert (await shown(http, None, closed))["status"] == "NOT_CONVENED"
    for query, given in (
        (NOT_CONVENE, {"d": closed, "reason": "Again."}),
        (CIRCULATE, {"d": closed}),
        (SUMMARY, {"d": closed, "summary": "Summary."}),
    ):
        assert await call(http, secretariat, query, given) == {
            "__typename": "InvalidInput",
            "field": "dialogue",
            "message": "the chair decided not to convene this dialogue",
        }


async def test_the_summary_is_filed_on_or_after_the_dialogue(
    http: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    secretariat = tokens["secretariat"]
    tomorrow = (await schedule(http, tokens, 1))["id"]
    assert await call(http, secretariat, SUMMARY, {"d": tomorrow, "summary": "Summary."}) == {
        "__typename": "InvalidInput",
        "field": "dialogue",
        "message": f"the summary is filed on or after the day of the dialogue ({day(1)})",
    }
    held_today = (await schedule(http, tokens, 0, session_ends_in=0))["id"]
    summary = "Summary of the discussion.\nThe next session will consider it."
    filed = await call(http, secretariat, SUMMARY, {"d": held_today, "summary": summary})
    assert (filed["status"], filed["summary"], filed["summaryFiledOn"]) == ("HELD", summary, day(0))
    public = await shown(http, None, held_today)
    assert (public["status"], public["summary"]) == ("HELD", summary)
    again = await call(http, secretariat, SUMMARY, {"d": held_today, "summary": "Again."})
    assert again["message"] == "this dialogue was held and its summary filed"


async def test_dialogues_are_listed_latest_first_in_pages(
    http: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    ours = {(await schedule(http, tokens, 40 + n))["id"] for n in range(3)}
    query = (
        "query($g: WorkingGroup, $a: String) { stakeholderDialogues(workingGroup: $g, first: 2, after: $a) {"
        " totalCount edges { node { id heldOn workingGroup registrations { id } } }"
        " pageInfo { hasNextPage endCursor } } }"
    )
    seen: list[tuple[str, str]] = []
    after = None
    while True:
        body = await as_user(http, tokens["secretariat"], query, {"g": GROUP, "a": after})
        page = body["data"]["stakeholderDialogues"]
        seen += [(e["node"]["heldOn"], e["node"]["id"]) for e in page["edges"]]
        assert {e["node"]["workingGroup"] for e in page["edges"]} == {GROUP}
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == page["totalCount"] == len(set(seen))
    assert [held for held, _ in seen] == sorted((held for held, _ in seen), reverse=True)
    assert ours <= {i for _, i in seen}

    # Registrations come with the page: the same round trips for 1 dialogue as for 10.
    trips = []
    for first in (1, 10):
        listing = (
            f"{{ stakeholderDialogues(first: {first}) {{ edges {{ node {{ registrations {{ id }} }} }} }} }}"
        )
        body = await as_user(http, tokens["secretariat"], listing)
        trips.append(body["extensions"]["roundTrips"]["neo4j"])
    assert trips[0] == trips[1]
    bad = await as_user(http, None, query, {"g": GROUP, "a": "bm90IGEgY3Vyc29y"})
    assert bad["errors"][0]["message"] == "after: is not a cursor given by this connection"


async def test_node_finds_dialogues_and_registrations_as_the_viewer_may_see_them(
    http: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    dialogue = (await schedule(http, tokens, 20))["id"]
    registration, _ = await registered(http, dialogue, "NGO")
    query = (
        "query($id: ID!) { node(id: $id) { __typename ... on StakeholderDialogue { id }"
        " ... on StakeholderRegistration { id organization } } }"
    )

    async def node(token: str | None, node_id: str) -> Any:
        return (await as_user(http, token, query, {"id": node_id}))["data"]["node"]

    assert await node(None, dialogue) == {"__typename": "StakeholderDialogue", "id": dialogue}
    assert await node(tokens["focal point"], registration) is None  # not circulated yet
    seen = {"__typename": "StakeholderRegistration", "id": registration, "organization": "Forum"}
    assert await node(tokens["secretariat"], registration) == seen
    await call(http, tokens["secretariat"], CIRCULATE, {"d": dialogue})
    assert await node(tokens["focal point"], registration) == seen
    assert await node(None, registration) is None
