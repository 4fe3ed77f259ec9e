"""The policy walked over the whole schema, through HTTP.

Every type with an `id` has a sample in the world of test_global_ids.py (that module fails
when one lacks it); this module adds what the world leaves empty (a list of observations
with its summary, a circulated list of stakeholders with comments and an objection, an
authority with its contact block). For each sample, one query selects every field of its
type and of the value objects it holds (tests/policy_walk.py), and each kind of viewer asks
it. The secretariat reads everything (¶33); every other viewer must get exactly the
secretariat's answer with the restricted fields its policy refuses emptied: nothing more
(no field that leaks) and nothing less.

The expected readers of each restricted field come from mechanism/ with this world's facts
(`EXPECTED`); a restricted field that the walk meets and `EXPECTED` lacks fails the test, and
so does one that no walk reaches (`WALKED_ELSEWHERE` names the tests that reach the others).
"""

from __future__ import annotations

import functools
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from graphql import get_named_type

from api.config import Settings
from api.graphql.relay import parse_global_id
from api.graphql.schema import build_schema
from mechanism.access import (
    ANONYMOUS,
    Role,
    Viewer,
    may_read_account,
    may_read_authority_contact,
    may_read_dialogue_list,
    may_read_redraw_reason,
    may_read_stakeholder_contact,
    may_read_stakeholder_objection,
)
from mechanism.disclosure import (
    Artefact,
    ReviewParticipants,
    Visibility,
    may_read,
    may_read_disclosure_log,
    may_read_progress,
)
from ops.bootstrap import ingest_files
from tests.integration.reviews_helpers import data_as
from tests.integration.test_global_ids import PHASE, REVIEW_ID, REVIEWERS, SUR, TITLE, World, world
from tests.policy_walk import WALKED_ELSEWHERE, coordinates_of, restricted_fields, selection

__all__ = ["world"]  # the fixture, shared with test_global_ids

OUTSIDER = "LTU"  # test_global_ids's outsider: a focal point of a State party taking no part
PARTICIPANTS = ReviewParticipants(SUR, frozenset(REVIEWERS))
AUTHORITY = "T-WALK-A1"
Rule = Callable[[Viewer], bool]


@dataclass
class Walk:
    viewers: dict[str, Viewer]
    # sample name -> (type name, id, who reads it through node, the expected readers of its
    # restricted fields)
    roots: dict[str, tuple[str, str, Rule, dict[str, Rule]]]


def _everyone(viewer: Viewer) -> bool:
    return True


def _review_rules() -> dict[str, Rule]:
    def artefact(kind: Artefact, visibility: Visibility, draft: bool = False) -> Rule:
        return lambda v: may_read(v, PARTICIPANTS, kind, visibility, draft=draft)

    return {
        # the world's one answer is a draft; its document is made public; the list and
        # summary are drafted by a reviewing State and agreed by none.
        "Review.answers": artefact(Artefact.QUESTIONNAIRE_ANSWERS, Visibility.ALL_STATES_PARTIES, True),
        "Review.dialogue": artefact(Artefact.DIALOGUE, Visibility.REVIEW_PARTICIPANTS),
        "Review.documents": artefact(Artefact.ADDITIONAL_DOCUMENTS, Visibility.PUBLIC),
        "Review.listOfObservations": artefact(
            Artefact.LIST_OF_OBSERVATIONS, Visibility.ALL_STATES_PARTIES, True
        ),
        "Review.summary": artefact(Artefact.SUMMARY, Visibility.PUBLIC, True),
        "Review.progress": lambda v: may_read_progress(v, PARTICIPANTS),
        "Review.disclosureLog": may_read_disclosure_log,
    }


def _stakeholder_rules(circulated: bool, objecting: str | None) -> dict[str, Rule]:
    return {
        "StakeholderDialogue.registrations": lambda v: may_read_dialogue_list(v, circulated),
        "StakeholderRegistration.contactEmail": may_read_stakeholder_contact,
        "StakeholderRegistration.comments": lambda v: may_read_dialogue_list(v, circulated),
        "StakeholderRegistration.objection": lambda v: (
            objecting is not None and may_read_stakeholder_objection(v, objecting)
        ),
    }


async def _add_observations(http: httpx.AsyncClient, world: World) -> None:
    save = (
        'mutation($r: ID!, $s: [SummaryText!]) { o: saveObservations(review: $r, gapsAndChallenges: ["A gap"],'
        ' goodPractices: ["A practice"], recommendations: ["Adopt a law"], technicalAssistanceNeeds: ["Training"],'
        " summary: $s) { __typename } }"
    )
    summary = [{"lang": "EN", "text": "A summary"}]
    saved = await data_as(http, world.tokens["reviewer"], save, r=world.facts["review"], s=summary)
    assert saved["o"]["__typename"] == "Review", saved


async def _circulated_dialogue(http: httpx.AsyncClient, world: World) -> tuple[str, str]:
    """A dialogue whose list is circulated, with an NGO that commented and that the outsider
    objected to: (the dialogue's id, the registration's id)."""
    from datetime import UTC, datetime, timedelta

    today = datetime.now(UTC).date()
    secretariat = world.tokens["secretariat"]
    scheduled = await data_as(
        http,
        secretariat,
        "mutation($s: Date!, $h: Date!, $t: String!) { d: scheduleStakeholderDialogue("
        "workingGroup: FIREARMS, sessionEndsOn: $s, heldOn: $h, title: $t)"
        " { __typename ... on StakeholderDialogue { id } } }",
        s=(today + timedelta(days=28)).isoformat(),
        h=(today + timedelta(days=30)).isoformat(),
        t=f"{TITLE}walk {uuid.uuid4().hex[:8]}",
    )
    dialogue = scheduled["d"]["id"]
    address = f"walk-{uuid.uuid4().hex[:10]}@ngo.example.org"
    registered = await data_as(
        http,
        None,
        "mutation($d: ID!, $e: String!) { r: registerForStakeholderDialogue(dialogue: $d, kind: NGO,"
        ' organization: "Walk forum", contactEmail: $e) { __typename ... on StakeholderRegistration { id } } }',
        d=dialogue,
        e=address,
    )
    registration = registered["r"]["id"]
    steps = [
        (
            None,
            "mutation($r: ID!, $e: String!) { x: submitStakeholderComments(registration: $r, contactEmail: $e,"
            ' comments: "Our comments") { __typename } }',
            {"r": registration, "e": address},
        ),
        (
            secretariat,
            "mutation($d: ID!) { x: circulateStakeholderList(dialogue: $d) { __typename } }",
            {"d": dialogue},
        ),
        (
            world.tokens["outsider"],
            'mutation($r: ID!) { x: objectToStakeholder(registration: $r, reason: "Not independent") { __typename } }',
            {"r": registration},
        ),
    ]
    for token, mutation, variables in steps:
        done = await data_as(http, token, mutation, **variables)
        assert done["x"]["__typename"] in {"StakeholderRegistration", "StakeholderDialogue"}, done
    return dialogue, registration


async def _authority_with_contact(settings: Settings, path: Any) -> None:
    record = {
        "kind": "authority",
        "id": AUTHORITY,
        "party": SUR,
        "name": {"en": "Policy walk test authority"},
        "functions": ["EXTRADITION"],
        "accepted_languages": ["en"],
        "contact": {"address": "1 Walk Street", "phone": "+230 000", "email": "walk@example.org"},
    }
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert (await ingest_files(settings, [path], report=lambda _: None, progress=False)).rejected == 0


@pytest.fixture(scope="module")
async def walk(
    world: World, settings: Settings, api_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Walk:
    await _authority_with_contact(settings, tmp_path_factory.mktemp("walk") / "authority.jsonl")
    async with httpx.AsyncClient(base_url=api_url, timeout=60) as http:
        await _add_observations(http, world)
        dialogue, registration = await _circulated_dialogue(http, world)
        found = await data_as(
            http,
            None,
            f'{{ competentAuthorities(party: "{SUR}", first: 100) {{ edges {{ node {{ key id }} }} }} }}',
        )
    authority = next(
        e["node"]["id"] for e in found["competentAuthorities"]["edges"] if e["node"]["key"] == AUTHORITY
    )
    secretariat_user = parse_global_id(world.samples["User"][1]).key
    viewers = {
        "anonymous": ANONYMOUS,
        "secretariat": Viewer(Role.SECRETARIAT, None, secretariat_user),
        "sur": Viewer(Role.FOCAL_POINT, SUR, None, True),
        "reviewer": Viewer(Role.GOVERNMENTAL_EXPERT, REVIEWERS[0], None, True),
        "outsider": Viewer(Role.FOCAL_POINT, OUTSIDER, None, True),
    }
    not_circulated = _stakeholder_rules(circulated=False, objecting=None)
    circulated = _stakeholder_rules(circulated=True, objecting=OUTSIDER)
    draft_answer = _review_rules()["Review.answers"]
    dialogue_rule = _review_rules()["Review.dialogue"]
    roots: dict[str, tuple[str, str, Rule, dict[str, Rule]]] = {}
    for name, (_, value) in world.samples.items():
        reads: Rule = _everyone
        if name == "User":
            reads = lambda v: may_read_account(v, secretariat_user)  # noqa: E731
        elif name == "StakeholderRegistration":
            reads = not_circulated["StakeholderRegistration.comments"]
        elif name == "QuestionnaireAnswer":
            reads = draft_answer
        elif name == "DialogueMessage":
            reads = dialogue_rule
        roots[name] = (name, value, reads, {**_review_rules(), **not_circulated})
    roots["CompetentAuthority with a contact"] = (
        "CompetentAuthority",
        authority,
        _everyone,
        {"CompetentAuthority.contact": may_read_authority_contact},
    )
    roots["StakeholderDialogue circulated"] = ("StakeholderDialogue", dialogue, _everyone, circulated)
    roots["StakeholderRegistration circulated"] = (
        "StakeholderRegistration",
        registration,
        circulated["StakeholderRegistration.comments"],
        circulated,
    )
    # The world's own authority has no contact block: null for everyone, as the secretariat.
    roots["CompetentAuthority"][3]["CompetentAuthority.contact"] = may_read_authority_contact
    return Walk(viewers, roots)


@functools.cache
def _restricted(schema: Any) -> frozenset[str]:
    return frozenset(restricted_fields(schema))


def _empty(value: Any) -> Any:
    return [] if isinstance(value, list) else None


def _redacted(
    schema: Any, type_name: str, value: Any, viewer: Viewer, rules: dict[str, Rule], met: set[str]
) -> Any:
    """The secretariat's `value` as `viewer` must see it: each field the expected rules refuse
    it emptied, whether or not the API declares the field restricted (if it does not, the
    viewer sees the secretariat's value and the comparison fails)."""
    kind = schema._schema.type_map[type_name]
    if value is None or not hasattr(kind, "fields"):
        return value
    if isinstance(value, list):
        return [_redacted(schema, type_name, item, viewer, rules, met) for item in value]
    shown = {}
    for name, field in kind.fields.items():
        if name not in value:
            continue  # not selected: a type with an id is selected by its id alone
        coordinate = f"{type_name}.{name}"
        if coordinate in _restricted(schema) and coordinate not in rules:
            raise KeyError(f"{coordinate} is restricted and this walk expects nothing of it: add a rule")
        if coordinate in rules:
            met.add(coordinate)
            if not rules[coordinate](viewer):
                shown[name] = _empty(value[name])
                continue
        shown[name] = _redacted(schema, get_named_type(field.type).name, value[name], viewer, rules, met)
    return shown


def _redraw_rule(draw: dict[str, Any]) -> dict[str, Rule]:
    """The reason of a redraw, if the sample draw is one: for the States concerned."""
    redraw = draw.get("redraw")
    if not redraw:
        return {}
    concerned = {
        parse_global_id(redraw[role]["id"]).key for role in ("stateUnderReview", "replaced", "requestedBy")
    }
    return {"Redraw.reason": lambda v: may_read_redraw_reason(v, concerned)}


async def test_every_field_of_every_sample_follows_the_policy(
    walk: Walk, world: World, settings: Settings, http: httpx.AsyncClient
) -> None:
    schema = build_schema(settings)
    met: set[str] = set()
    read: dict[str, set[str]] = {}  # field with a rule -> viewers who read something of it
    problems = []
    for root, (type_name, value, reads, rules) in walk.roots.items():
        query = f"query($id: ID!) {{ node(id: $id) {{ ... on {type_name} {selection(schema, type_name)} }} }}"
        answers = {
            name: (await data_as(http, world.tokens[name], query, id=value))["node"] for name in walk.viewers
        }
        full = answers["secretariat"]
        assert full is not None, root
        if type_name == "Draw":
            rules = {**rules, **_redraw_rule(full)}
        for name, viewer in walk.viewers.items():
            if not reads(viewer):
                if answers[name] is not None:
                    problems.append(f"{root}: node() shows it to {name}")
                continue
            expected = _redacted(schema, type_name, full, viewer, rules, met)
            if answers[name] != expected:
                problems.append(f"{root} as {name}: {answers[name]} != {expected}")
            for coordinate, item in coordinates_of(schema, type_name, answers[name]):
                if coordinate in rules and item not in (None, []):
                    read.setdefault(coordinate, set()).add(name)
    assert problems == []
    # The fields the API declares restricted are those the walk expects to be, and no other.
    assert set(restricted_fields(schema)) == met | WALKED_ELSEWHERE.keys()
    # Not vacuous: each field with a rule holds something for some viewer.
    assert {c for c in met if not read.get(c)} == set(), read


async def test_accounts_and_overdue_reviews_are_listed_as_the_policy_says(
    walk: Walk, world: World, http: httpx.AsyncClient
) -> None:
    """The two restricted fields of Query: `users` (the secretariat's) and `overdue` (each
    viewer's reviews it follows: the world's review is overdue with its answers, due six
    months after its phase started in January 2026)."""
    users = "{ users(first: 5) { totalCount edges { node { id email } } } }"
    overdue = '{ overdue(asOf: "2026-12-01") { entry { kind } review { id } } }'
    for name, viewer in walk.viewers.items():
        listed = (await data_as(http, world.tokens[name], users))["users"]
        assert (listed["totalCount"] > 0) is (viewer.role is Role.SECRETARIAT), name
        assert bool(listed["edges"]) is (viewer.role is Role.SECRETARIAT), name
        mine = [
            item
            for item in (await data_as(http, world.tokens[name], overdue))["overdue"]
            if item["review"]["id"] == world.samples["Review"][1]
        ]
        assert bool(mine) is may_read_progress(viewer, PARTICIPANTS), (name, mine)
    assert PHASE == 4 and f"{SUR}-4" == REVIEW_ID
