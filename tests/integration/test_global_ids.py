"""Every `id` of every type is a global ID of that type that `node(id)` resolves, for a
viewer who may read the object, and to null for one who may not (the same policy as the
type's other ways in).

The types are listed by introspection: a type with an `id: ID!` that has no sample here
fails the test, so a new type cannot be forgotten. Each sample is built through the API by
the viewer who would build it, on parties this module owns (MUS under review, SEN and DNK
reviewing, its review of phase 4); the module removes what its earlier runs left first.
"""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from api.config import Settings
from api.graphql.relay import global_id, parse_global_id
from mechanism.access import Role
from ops.bootstrap import ingest_files
from tests.integration.accounts_helpers import Logins
from tests.integration.databases import graph_of
from tests.integration.reviews_helpers import data_as, forget_review_publications
from tests.integration.rules_helpers import without_draws

SUR, REVIEWERS, PHASE = "MUS", ("SEN", "DNK"), 4
REVIEW_ID = f"{SUR}-{PHASE}"
PREFIX = "T-GID-"  # keys of the laws, cases and authorities this module ingests
TITLE = "[test global ids] "  # title prefix of its stakeholders' dialogues
EXPERT = "Global IDs test expert"  # name prefix of its designations
PDF = base64.b64encode(b"%PDF-1.4\n% global ids test\n").decode()

CORPUS = [
    {
        "kind": "legislation",
        "id": f"{PREFIX}L1",
        "party": SUR,
        "title": {"en": "Global IDs test law"},
        "original_language": "en",
        "enacted_on": "2015-03-01",
        "implements_articles": ["UNTOC:6"],
    },
    {
        "kind": "case",
        "id": f"{PREFIX}C1",
        "party": SUR,
        "court": "Test court",
        "decided_on": "2016-05-01",
        "title": {"en": "Global IDs test case"},
        "summary": {"en": "A summary."},
        "original_language": "en",
        "applied_legislation": [f"{PREFIX}L1"],
    },
    {
        "kind": "authority",
        "id": f"{PREFIX}A1",
        "party": SUR,
        "name": {"en": "Global IDs test authority"},
        "functions": ["EXTRADITION"],
        "accepted_languages": ["en"],
    },
    {
        "kind": "strategy",
        "id": f"{PREFIX}S1",
        "party": SUR,
        "document_type": "ACTION_PLAN",
        "from_year": 2020,
        "title": {"en": "Global IDs test strategy"},
        "original_language": "en",
    },
    {
        "kind": "publication",
        "id": f"{PREFIX}B1",
        "title": {"en": "Global IDs test publication"},
        "original_language": "en",
        "authors": ["Global IDs tester"],
        "year": 2020,
        "parties": [SUR],
    },
    {
        "kind": "treaty",
        "id": f"{PREFIX}T1",
        "parties": [SUR, "FRA"],
        "cooperation": ["EXTRADITION"],
        "title": {"en": "Global IDs test treaty"},
        "original_language": "en",
    },
    {
        "kind": "treaty_action",
        "id": f"{PREFIX}TA1",
        "party": SUR,
        "article": "UNTOC:16",
        "action": "DECLARATION",
        "original_language": "en",
        "text": {"en": "Global IDs test declaration"},
    },
]

NODE = "query($id: ID!) { node(id: $id) { id __typename } }"
TYPES = "{ __schema { types { name kind fields { name type { kind name ofType { kind name } } } } } }"


@dataclass
class World:
    tokens: dict[str, str | None]
    # type name -> (the viewer who reads it, its id as the API gave it)
    samples: dict[str, tuple[str, str]] = field(default_factory=dict)
    # (type name, a viewer who may not read it, the id)
    hidden: list[tuple[str, str, str]] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)


async def _forget_earlier_runs(settings: Settings) -> None:
    await without_draws(settings)  # MUS's reviewers are named, so no draw may govern (¶28)
    async with graph_of(settings) as graph:
        await graph.write(
            "MATCH (r:Review {id: $id}) OPTIONAL MATCH (x)-[:OF_REVIEW]->(r) DETACH DELETE x",
            id=REVIEW_ID,
        )
        for label in ("Disclosure", "Publication", "Answer", "DialogueMessage", "ReviewDocument"):
            await graph.write(f"MATCH (n:{label} {{reviewId: $id}}) DETACH DELETE n", id=REVIEW_ID)
        await graph.write("MATCH (r:Review {id: $id}) DETACH DELETE r", id=REVIEW_ID)
        await graph.write(
            "MATCH (d:StakeholderDialogue) WHERE d.title STARTS WITH $prefix "
            "OPTIONAL MATCH (r:StakeholderRegistration {dialogueId: d.id}) DETACH DELETE r, d",
            prefix=TITLE,
        )
        await graph.write(
            "MATCH (n:Designation {party: $party}) WHERE n.name STARTS WITH $prefix DETACH DELETE n",
            party=SUR,
            prefix=EXPERT,
        )
    await forget_review_publications(settings, SUR)


async def _data(http: httpx.AsyncClient, token: str | None, query: str, **variables: Any) -> dict[str, Any]:
    return await data_as(http, token, query, **variables)


async def _ok(
    http: httpx.AsyncClient, token: str | None, query: str, typename: str, **variables: Any
) -> dict[str, Any]:
    """The single result of a mutation, which must be of `typename`."""
    result: dict[str, Any] = next(iter((await _data(http, token, query, **variables)).values()))
    assert result["__typename"] == typename, result
    return result


async def _knowledge(http: httpx.AsyncClient, world: World) -> None:
    data = await _data(
        http,
        None,
        "query($p: [String!]) { instrument(code: UNTOC) { id article(number: 6) { id } }"
        f' party(code: "{SUR}") {{ id }}'
        f" legislation(filter: {{parties: $p}}, first: 100) {{ edges {{ node {{ key id }} }} }}"
        f" cases(filter: {{parties: $p}}, first: 100) {{ edges {{ node {{ key id }} }} }}"
        f' competentAuthorities(party: "{SUR}") {{ edges {{ node {{ key id }} }} }}'
        f" strategies(filter: {{parties: $p}}, first: 100) {{ edges {{ node {{ key id }} }} }}"
        f" bibliography(filter: {{parties: $p}}, first: 100) {{ edges {{ node {{ key id }} }} }}"
        f' treaties(party: "{SUR}", first: 100) {{ edges {{ node {{ key id }} }} }}'
        f' actions: party(code: "{SUR}") {{ treatyActions {{ key id }} }} }}',
        p=[SUR],
    )
    world.samples["Instrument"] = ("anonymous", data["instrument"]["id"])
    world.samples["Article"] = ("anonymous", data["instrument"]["article"]["id"])
    world.samples["Party"] = ("anonymous", data["party"]["id"])
    for name, connection, key in (
        ("Legislation", "legislation", f"{PREFIX}L1"),
        ("Case", "cases", f"{PREFIX}C1"),
        ("CompetentAuthority", "competentAuthorities", f"{PREFIX}A1"),
        ("Strategy", "strategies", f"{PREFIX}S1"),
        ("BibliographyEntry", "bibliography", f"{PREFIX}B1"),
        ("Treaty", "treaties", f"{PREFIX}T1"),
    ):
        found = [e["node"]["id"] for e in data[connection]["edges"] if e["node"]["key"] == key]
        assert found, (name, data[connection])
        world.samples[name] = ("anonymous", found[0])
    (action,) = [a["id"] for a in data["actions"]["treatyActions"] if a["key"] == f"{PREFIX}TA1"]
    world.samples["TreatyAction"] = ("anonymous", action)


async def _accounts_and_designations(http: httpx.AsyncClient, world: World) -> None:
    me = await _data(http, world.tokens["secretariat"], "{ me { id } }")
    world.samples["User"] = ("secretariat", me["me"]["id"])
    world.hidden += [("User", "anonymous", me["me"]["id"]), ("User", "sur", me["me"]["id"])]
    designate = (
        'mutation($n: String!) { d: designate(party: "' + SUR + '", role: GOVERNMENTAL_EXPERT, name: $n)'
        " { __typename ... on Designation { id } } }"
    )
    current = await _ok(http, world.tokens["sur"], designate, "Designation", n=f"{EXPERT} (current)")
    world.samples["Designation"] = ("anonymous", current["id"])
    ended = await _ok(http, world.tokens["sur"], designate, "Designation", n=f"{EXPERT} (ended)")
    end = "mutation($d: ID!) { e: endDesignation(designation: $d) { __typename ... on Designation { id } } }"
    assert (await _ok(http, world.tokens["sur"], end, "Designation", d=ended["id"]))["id"] == ended["id"]
    world.facts["ended designation"] = ended["id"]
    world.hidden.append(("Designation", "anonymous", ended["id"]))


async def _draw(http: httpx.AsyncClient, world: World) -> None:
    query = "{ draws(first: 1) { edges { node { id } } } }"
    edges = (await _data(http, None, query))["draws"]["edges"]
    if not edges:  # no other module has drawn (or all cleared theirs): draw
        await _ok(
            http,
            world.tokens["secretariat"],
            'mutation { d: drawStatesUnderReview(seed: "global ids", conferenceDecision: "tests") { __typename } }',
            "Draw",
        )
        edges = (await _data(http, None, query))["draws"]["edges"]
    world.samples["Draw"] = ("anonymous", edges[0]["node"]["id"])
    announced = await _ok(
        http,
        world.tokens["secretariat"],
        "mutation($c: DateTime!) { a: announceDraw(kind: REVIEWING_STATES, contributionsCloseAt: $c) {"
        " __typename ... on DrawAnnouncement { id } } }",
        "DrawAnnouncement",
        c="2099-01-01T00:00:00Z",
    )
    world.samples["DrawAnnouncement"] = ("anonymous", announced["id"])


async def _dialogue(http: httpx.AsyncClient, world: World) -> None:
    today = datetime.now(UTC).date()
    scheduled = await _ok(
        http,
        world.tokens["secretariat"],
        "mutation($s: Date!, $h: Date!, $t: String!) { d: scheduleStakeholderDialogue("
        "workingGroup: FIREARMS, sessionEndsOn: $s, heldOn: $h, title: $t)"
        " { __typename ... on StakeholderDialogue { id } } }",
        "StakeholderDialogue",
        s=(today + timedelta(days=28)).isoformat(),
        h=(today + timedelta(days=30)).isoformat(),
        t=f"{TITLE}{uuid.uuid4().hex[:8]}",
    )
    world.samples["StakeholderDialogue"] = ("anonymous", scheduled["id"])
    registered = await _ok(
        http,
        None,
        "mutation($d: ID!, $e: String!) { r: registerForStakeholderDialogue(dialogue: $d, kind: NGO,"
        ' organization: "Global IDs forum", contactEmail: $e)'
        " { __typename ... on StakeholderRegistration { id } } }",
        "StakeholderRegistration",
        d=scheduled["id"],
        e=f"gid-{uuid.uuid4().hex[:10]}@ngo.example.org",
    )
    world.samples["StakeholderRegistration"] = ("secretariat", registered["id"])
    world.hidden.append(("StakeholderRegistration", "anonymous", registered["id"]))


CREATE = (
    'mutation { r: createReview(stateUnderReview: "' + SUR + f'", phase: {PHASE},'
    ' phaseStartedOn: "2026-01-05", workingLanguages: [EN], reviewers: ['
    + ", ".join(f'{{party: "{code}", instruments: [UNTOC, TIP, SOM, FIREARMS]}}' for code in REVIEWERS)
    + "]) { __typename ... on Review { id questionnaire { instrument { code } articles { key } } } } }"
)
UPLOAD = (
    'mutation($r: ID!, $c: String!) { r: uploadDocument(review: $r, title: "Record",'
    ' contentType: "application/pdf", contentBase64: $c) { __typename ... on ReviewDocument { id } } }'
)
SAVE = (
    "mutation($r: ID!, $a: String!, $d: [ID!]) { r: saveAnswer(review: $r, article: $a,"
    ' text: "Our draft", attachments: $d) { __typename ... on QuestionnaireAnswer { id attachments } } }'
)
POST = (
    'mutation($r: ID!, $v: ID) { r: postDialogueMessage(review: $r, body: "A question", revises: $v)'
    " { __typename ... on DialogueMessage { id thread revision } } }"
)
DISCLOSE = (
    "mutation($r: ID!) { r: setDisclosure(review: $r, artefact: ADDITIONAL_DOCUMENTS, visibility: PUBLIC)"
    " { __typename } }"
)
SHOWN = (
    "query($r: ID!) { node(id: $r) { ... on Review { answers { id attachments }"
    " dialogue(history: true) { id thread } documents { id } } } }"
)
PUBLISHED = (
    'query { search(query: "", kinds: [REVIEW_DOCUMENT], filter: {parties: ["' + SUR + '"]}, first: 10)'
    " { edges { node { document { __typename ... on ReviewPublication { id key } } } } } }"
)


async def _review(http: httpx.AsyncClient, world: World) -> None:
    secretariat, sur = world.tokens["secretariat"], world.tokens["sur"]
    review = await _ok(http, secretariat, CREATE, "Review")
    world.samples["Review"] = ("anonymous", review["id"])
    untoc = next(s for s in review["questionnaire"] if s["instrument"]["code"] == "UNTOC")
    document = await _ok(http, sur, UPLOAD, "ReviewDocument", r=review["id"], c=PDF)
    world.samples["ReviewDocument"] = ("sur", document["id"])
    world.facts["downloads"] = {
        "sur": (await http.get(f"/documents/{document['id']}", headers={"authorization": f"Bearer {sur}"})),
        "anonymous": await http.get(f"/documents/{document['id']}"),
    }
    answer = await _ok(
        http,
        sur,
        SAVE,
        "QuestionnaireAnswer",
        r=review["id"],
        a=untoc["articles"][0]["key"],
        d=[document["id"]],
    )
    world.samples["QuestionnaireAnswer"] = ("sur", answer["id"])
    world.hidden += [
        ("QuestionnaireAnswer", "anonymous", answer["id"]),  # a draft: the State under review's only
        ("QuestionnaireAnswer", "reviewer", answer["id"]),
    ]
    first = await _ok(http, sur, POST, "DialogueMessage", r=review["id"])
    second = await _ok(http, sur, POST, "DialogueMessage", r=review["id"], v=first["id"])
    world.samples["DialogueMessage"] = ("reviewer", first["id"])
    world.hidden += [
        ("DialogueMessage", "anonymous", first["id"]),
        ("DialogueMessage", "outsider", second["id"]),
    ]
    world.facts.update(
        review=review["id"], document=document, answer=answer, messages=(first, second), sur=sur
    )
    world.facts["shown"] = (await _data(http, secretariat, SHOWN, r=review["id"]))["node"]
    await _ok(http, sur, DISCLOSE, "Review", r=review["id"])  # the document becomes public
    hits = (await _data(http, None, PUBLISHED))["search"]["edges"]
    published = [
        h["node"]["document"] for h in hits if h["node"]["document"]["__typename"] == "ReviewPublication"
    ]
    assert published, hits
    world.samples["ReviewPublication"] = ("anonymous", published[0]["id"])


@pytest.fixture(scope="module")
async def world(
    settings: Settings, api_url: str, logins: Logins, tmp_path_factory: pytest.TempPathFactory
) -> World:
    await _forget_earlier_runs(settings)
    path = tmp_path_factory.mktemp("global-ids") / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in CORPUS) + "\n", encoding="utf-8")
    assert (await ingest_files(settings, [path], report=lambda _: None, progress=False)).rejected == 0
    tokens: dict[str, str | None] = {"anonymous": None}
    tokens |= await logins.tokens(
        {
            "secretariat": (Role.SECRETARIAT, None),
            "sur": (Role.FOCAL_POINT, SUR),
            "reviewer": (Role.GOVERNMENTAL_EXPERT, REVIEWERS[0]),
            "outsider": (Role.FOCAL_POINT, "LTU"),
        }
    )
    async with httpx.AsyncClient(base_url=api_url, timeout=60) as http:
        built = World(tokens)
        await _knowledge(http, built)
        await _accounts_and_designations(http, built)
        await _review(http, built)  # before any draw: MUS's reviewers are named (¶28)
        await _draw(http, built)
        await _dialogue(http, built)
    return built


def _is_global_id(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        ref = parse_global_id(value)
    except Exception:
        return False
    return global_id(ref.type_name, ref.key) == value


async def _types_with_ids(http: httpx.AsyncClient) -> list[str]:
    types = (await _data(http, None, TYPES))["__schema"]["types"]
    found = []
    for t in types:
        if t["kind"] != "OBJECT" or t["name"].startswith("__"):
            continue
        for f in t["fields"] or []:
            kind, of = f["type"]["kind"], f["type"]["ofType"]
            if f["name"] == "id" and kind == "NON_NULL" and of == {"kind": "SCALAR", "name": "ID"}:
                found.append(t["name"])
    return sorted(found)


async def test_every_id_is_a_global_id_that_node_resolves(http: httpx.AsyncClient, world: World) -> None:
    types = await _types_with_ids(http)
    assert "QuestionnaireAnswer" in types and "Review" in types  # the introspection found them
    missing = [name for name in types if name not in world.samples]
    assert missing == [], f"types with an id and no sample in this test: {missing}"
    problems = []
    for name in types:
        viewer, value = world.samples[name]
        ref = parse_global_id(value)
        if ref.type_name != name or global_id(name, ref.key) != value:
            problems.append(f"{name}: {value!r} is not a global ID of {name} ({ref})")
            continue
        node = (await _data(http, world.tokens[viewer], NODE, id=value))["node"]
        if node != {"id": value, "__typename": name}:
            problems.append(f"{name}: node({value!r}) as {viewer} gave {node}")
    assert problems == []


async def test_node_is_null_for_a_viewer_who_may_not_read(http: httpx.AsyncClient, world: World) -> None:
    assert {name for name, _, _ in world.hidden} == {
        "User",
        "Designation",
        "StakeholderRegistration",
        "QuestionnaireAnswer",
        "DialogueMessage",
    }
    shown = {
        (name, viewer): (await _data(http, world.tokens[viewer], NODE, id=value))["node"]
        for name, viewer, value in world.hidden
    }
    assert shown == dict.fromkeys(shown)
    # ... while those who may read them get them.
    ended = world.facts["ended designation"]
    node = (await _data(http, world.tokens["sur"], NODE, id=ended))["node"]
    assert node == {"id": ended, "__typename": "Designation"}


async def test_what_a_mutation_answers_carries_the_ids_the_review_shows(world: World) -> None:
    """saveAnswer, uploadDocument and postDialogueMessage answer the IDs that Review.answers,
    documents and dialogue show, and the IDs they refer to are global IDs too."""
    shown, answer, document = world.facts["shown"], world.facts["answer"], world.facts["document"]
    first, second = world.facts["messages"]
    assert shown["answers"] == [{"id": answer["id"], "attachments": [document["id"]]}]
    assert answer["attachments"] == [document["id"]]
    assert shown["documents"] == [{"id": document["id"]}]
    assert shown["dialogue"] == [
        {"id": first["id"], "thread": first["id"]},
        {"id": second["id"], "thread": first["id"]},
    ]
    assert second["thread"] == first["id"] and second["revision"] == 2
    assert all(_is_global_id(v) for v in (answer["id"], document["id"], first["id"], second["id"]))
    downloads = world.facts["downloads"]  # GET /documents/{ReviewDocument.id}, before it was public
    assert downloads["sur"].status_code == 200 and downloads["sur"].content.startswith(b"%PDF-")
    assert downloads["anonymous"].status_code == 404


async def test_an_id_of_another_review_or_type_is_refused(http: httpx.AsyncClient, world: World) -> None:
    sur, review = world.facts["sur"], world.facts["review"]
    first, _ = world.facts["messages"]
    document_key = parse_global_id(world.facts["document"]["id"]).key.split("|", 1)[1]
    elsewhere = global_id("ReviewDocument", f"URY-1|{document_key}")
    refused = await _data(
        http,
        sur,
        SAVE.replace("{ id attachments }", "{ id } ... on InvalidInput { field }"),
        r=review,
        a=parse_global_id(world.facts["answer"]["id"]).key.split("|")[1],
        d=[elsewhere],
    )
    assert refused["r"] == {"__typename": "InvalidInput", "field": "attachments"}
    assert (
        await http.get(f"/documents/{elsewhere}", headers={"authorization": f"Bearer {sur}"})
    ).status_code == 404
    as_answer = global_id("QuestionnaireAnswer", parse_global_id(first["id"]).key)
    assert (await _data(http, world.tokens["secretariat"], NODE, id=as_answer))["node"] is None
