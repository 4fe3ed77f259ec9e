"""An e-mail address identifies one registrant or one account, however it is spelled
(finding 8 of the outside attack test): through GraphQL over real HTTP, and the CLI.

`ngo.test@example.org` followed by U+200B ZERO WIDTH SPACE, or with full-width letters,
looks like `ngo.test@example.org`: the first is refused (saying why), the second is the
same address (a duplicate, or the account itself at login).
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.config import Settings
from mechanism.access import Role
from tests.integration.accounts_helpers import PASSWORD, Logins, login
from tests.integration.databases import graph_of
from tests.integration.reviews_helpers import data_as

SHERLOC = str(Path(sys.executable).parent / "sherloc")
PREFIX = "[test e-mail identity] "
ZWSP = "\u200b"
DUPLICATE = "this e-mail address is already registered for this dialogue"
LOGIN_FAILED = {"__typename": "LoginFailed", "message": "The e-mail address or the password is wrong."}

ERRORS = "... on InvalidInput { field message } ... on NotAuthorized { message } ... on NotFound { message }"
SCHEDULE = (
    "mutation($g: WorkingGroup!, $s: Date!, $h: Date!, $t: String!) {"
    " r: scheduleStakeholderDialogue(workingGroup: $g, sessionEndsOn: $s, heldOn: $h, title: $t) {"
    f" __typename ... on StakeholderDialogue {{ id }} {ERRORS} }} }}"
)
REGISTER = (
    "mutation($d: ID!, $k: StakeholderKind!, $o: String!, $e: String!) {"
    " r: registerForStakeholderDialogue(dialogue: $d, kind: $k, organization: $o, contactEmail: $e) {"
    f" __typename ... on StakeholderRegistration {{ id }} {ERRORS} }} }}"
)
COMMENT = (
    "mutation($r: ID!, $e: String!, $c: String!) {"
    " r: submitStakeholderComments(registration: $r, contactEmail: $e, comments: $c) {"
    f" __typename ... on StakeholderRegistration {{ comments }} {ERRORS} }} }}"
)
SHOW = "query($d: ID!) { r: stakeholderDialogue(id: $d) { registrations { organization contactEmail } } }"
CREATE = (
    "mutation($e: String!, $r: Role!, $p: String) { r: createAccount(email: $e, role: $r, party: $p) {"
    " __typename ... on AccountInvitation { activationToken user { email } }"
    " ... on InvalidInput { field message } ... on NotAuthorized { message } } }"
)
ACTIVATE = (
    "mutation($t: String!, $p: String!) { r: activateAccount(token: $t, password: $p) {"
    " __typename ... on User { email status } ... on InvalidInput { field message } } }"
)


def full_width(text: str) -> str:
    """The full-width form of ASCII letters and digits (NFKC folds them back)."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


def unique(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:10]}"


async def call(
    http: httpx.AsyncClient, token: str | None, query: str, variables: dict[str, Any]
) -> dict[str, Any]:
    result: dict[str, Any] = (await data_as(http, token, query, **variables))["r"]
    return result


@pytest.fixture(scope="module")
async def secretariat(settings: Settings, logins: Logins) -> str:
    async with graph_of(settings) as graph:
        await graph.write(
            "MATCH (d:StakeholderDialogue) WHERE d.title STARTS WITH $prefix "
            "OPTIONAL MATCH (r:StakeholderRegistration {dialogueId: d.id}) DETACH DELETE r, d",
            prefix=PREFIX,
        )
    return await logins.token(Role.SECRETARIAT)


async def test_a_registration_is_not_registered_again_under_a_lookalike_address(
    http: httpx.AsyncClient, secretariat: str
) -> None:
    today = datetime.now(UTC).date()
    scheduled = await call(
        http,
        secretariat,
        SCHEDULE,
        {
            "g": "TIP",
            "s": (today + timedelta(days=28)).isoformat(),
            "h": (today + timedelta(days=30)).isoformat(),
            "t": f"{PREFIX}{uuid.uuid4().hex[:8]}",
        },
    )
    dialogue = scheduled["id"]

    async def register(address: str, organization: str) -> dict[str, Any]:
        variables = {"d": dialogue, "k": "NGO", "o": organization, "e": address}
        return await call(http, None, REGISTER, variables)

    local = unique("ngo.test")
    address = f"{local}@example.org"
    first = await register(address, "Original")
    assert first["__typename"] == "StakeholderRegistration", first

    # Recognised as the same address: a duplicate.
    for variant in (
        f"{local.upper()}@Example.org",  # refused before the fix already
        f"{full_width(local)}@example.org",
        full_width(address).replace("@", "\uff20"),  # the full-width @ too
        f"\u00a0{address}\u3000",  # no-break and ideographic spaces around it: trimmed
    ):
        assert await register(variant, "Lookalike") == {
            "__typename": "InvalidInput",
            "field": "contactEmail",
            "message": DUPLICATE,
        }, variant

    # Refused, saying which character: an invisible one is not silently taken out.
    for variant, named in (
        (f"{address}{ZWSP}", "an invisible character (U+200B ZERO WIDTH SPACE)"),
        (f"{local}{ZWSP}@example.org", "an invisible character (U+200B ZERO WIDTH SPACE)"),
        (f"{local}\u200d@example.org", "an invisible character (U+200D ZERO WIDTH JOINER)"),
        (f"\ufeff{address}", "an invisible character (U+FEFF ZERO WIDTH NO-BREAK SPACE)"),
        (f"{local}\u00a0@example.org", "a space character (U+00A0 NO-BREAK SPACE)"),
    ):
        assert await register(variant, "Lookalike") == {
            "__typename": "InvalidInput",
            "field": "contactEmail",
            "message": f"contains {named}",
        }, variant

    # A new address given in full-width letters is stored in its canonical form.
    other = unique("other")
    added = await register(f"{full_width(other)}@EXAMPLE.org", "Other")
    assert added["__typename"] == "StakeholderRegistration", added
    listed = (await call(http, secretariat, SHOW, {"d": dialogue}))["registrations"]
    assert sorted((r["organization"], r["contactEmail"]) for r in listed) == [
        ("Original", address),
        ("Other", f"{other}@example.org"),
    ]

    # The registrant proves itself with any spelling of its address, never a lookalike.
    comments = {"r": first["id"], "c": "Our comments."}
    by_full_width = await call(http, None, COMMENT, {**comments, "e": f"{full_width(local)}@example.org"})
    assert by_full_width["__typename"] == "StakeholderRegistration", by_full_width
    for wrong in (f"{address}{ZWSP}", "not an address", ""):
        refused = await call(http, None, COMMENT, {**comments, "e": wrong})
        assert refused == {
            "__typename": "NotAuthorized",
            "message": "This is not the e-mail address of the registration.",
        }, wrong


async def test_an_account_is_not_created_again_under_a_lookalike_address(
    http: httpx.AsyncClient, secretariat: str
) -> None:
    local = unique("person.test")
    address = f"{local}@example.org"
    created = await call(http, secretariat, CREATE, {"e": address, "r": "OBSERVER", "p": "CHL"})
    assert created["__typename"] == "AccountInvitation", created
    assert created["user"]["email"] == address

    for variant in (f"{full_width(local)}@example.org", f"{local.upper()}＠example.org"):
        assert await call(http, secretariat, CREATE, {"e": variant, "r": "OBSERVER", "p": "CHL"}) == {
            "__typename": "InvalidInput",
            "field": "email",
            "message": "an account with this e-mail address exists",
        }, variant
    for variant, named in (
        (f"{address}{ZWSP}", "an invisible character (U+200B ZERO WIDTH SPACE)"),
        (f"{local}\u200d@example.org", "an invisible character (U+200D ZERO WIDTH JOINER)"),
        (f"{local}\u00a0x@example.org", "a space character (U+00A0 NO-BREAK SPACE)"),
    ):
        assert await call(http, secretariat, CREATE, {"e": variant, "r": "OBSERVER", "p": "CHL"}) == {
            "__typename": "InvalidInput",
            "field": "email",
            "message": f"contains {named}",
        }, variant
    assert await call(http, secretariat, CREATE, {"e": "a@b", "r": "OBSERVER", "p": "CHL"}) == {
        "__typename": "InvalidInput",
        "field": "email",
        "message": "is not an e-mail address: The part after the @-sign is not valid. It should have a period.",
    }

    # A new account given in full-width letters is stored in its canonical form.
    other = unique("other")
    stored = await call(
        http, secretariat, CREATE, {"e": f"{full_width(other)}@Example.ORG", "r": "OBSERVER", "p": "CHL"}
    )
    assert stored["__typename"] == "AccountInvitation", stored
    assert stored["user"]["email"] == f"{other}@example.org"

    # Activated, the account logs in under any spelling of its address; a lookalike or a
    # malformed address gets the answer a wrong password gets.
    activated = await call(http, None, ACTIVATE, {"t": created["activationToken"], "p": PASSWORD})
    assert activated == {"__typename": "User", "email": address, "status": "ACTIVE"}
    for spelling in (address, f" {full_width(local.upper())}＠ＥＸＡＭＰＬＥ．ｏｒｇ "):
        session = await login(http, spelling, PASSWORD)
        assert session["__typename"] == "Session", spelling
        assert session["user"]["email"] == address
    for wrong in (f"{address}{ZWSP}", f"{local}\u00a0@example.org", "not-an-address", ""):
        assert await login(http, wrong, PASSWORD) == LOGIN_FAILED, wrong
    assert await login(http, address, PASSWORD + "x") == LOGIN_FAILED


async def test_the_cli_creates_no_account_under_a_lookalike_address(
    http: httpx.AsyncClient, secretariat: str
) -> None:
    local = unique("cli.test")
    address = f"{local}@example.org"
    created = await call(http, secretariat, CREATE, {"e": address, "r": "OBSERVER", "p": "CHL"})
    assert created["__typename"] == "AccountInvitation", created

    def create(email: str) -> subprocess.CompletedProcess[str]:
        command = [SHERLOC, "create-account", email, "OBSERVER", "--party", "CHL"]
        return subprocess.run(command, capture_output=True, text=True, check=False)

    invisible = create(f"{address}{ZWSP}")
    assert invisible.returncode == 1
    assert (
        invisible.stderr.strip()
        == "sherloc: email: contains an invisible character (U+200B ZERO WIDTH SPACE)"
    )
    again = create(f"{full_width(local)}@example.org")
    assert again.returncode == 1
    assert again.stderr.strip() == "sherloc: email: an account with this e-mail address exists"
    other = unique("cli.other")
    new = create(f"{full_width(other)}@EXAMPLE.org")
    assert new.returncode == 0, new.stderr
    assert f"Account {other}@example.org (OBSERVER) created." in new.stdout
