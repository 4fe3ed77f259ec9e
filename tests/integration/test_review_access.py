"""The secure module through GraphQL over HTTP: a review's whole course, and the
authorization matrix generated from the policy (mechanism.disclosure) crossing every kind
of viewer with every artefact, visibility and operation."""

from __future__ import annotations

import asyncio
import base64
import itertools
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from api.config import Settings
from mechanism.access import ANONYMOUS, Role, Viewer
from mechanism.disclosure import (
    Artefact,
    Operation,
    ReviewParticipants,
    Visibility,
    disclosure_violation,
    may,
    may_read,
)
from tests.integration.accounts_helpers import Logins, as_user
from tests.integration.databases import graph_of
from tests.integration.reviews_helpers import forget_review_publications
from tests.integration.rules_helpers import RULE_VIOLATION, violated, without_draws

SUR, REVIEWERS, OTHER, SIGNATORY = "URY", ("PRY", "FIN"), "NOR", "IRN"
PARTICIPANTS = ReviewParticipants(SUR, frozenset(REVIEWERS))
SIX = ["ar", "zh", "en", "fr", "ru", "es"]
PDF = base64.b64encode(b"%PDF-1.4\n% test document\n").decode()


@dataclass
class Person:
    name: str
    viewer: Viewer
    token: str | None


REVIEW_FIELDS = """
  answers { article { key } text status }
  dialogue { body } documents { id title }
  listOfObservations { gapsAndChallenges goodPractices recommendations technicalAssistanceNeeds final }
  summary(lang: "fr") { text } disclosureLog { to }"""
REVIEW = "query($id: ID!) { node(id: $id) { ... on Review {" + REVIEW_FIELDS + " } } }"
LISTED = '{ reviews(stateUnderReview: "URY") { edges { node {' + REVIEW_FIELDS + " } } } }"


async def _reset(settings: Settings) -> None:
    await without_draws(settings)  # URY's reviewers are named, so no draw may govern (¶28)
    async with graph_of(settings) as graph:
        await graph.write(
            "MATCH (r:Review {stateUnderReview: $sur}) "
            "OPTIONAL MATCH (x)-[:OF_REVIEW]->(r) DETACH DELETE x "
            "WITH DISTINCT r MATCH (d:Disclosure {reviewId: r.id}) DETACH DELETE d",
            sur=SUR,
        )
        await graph.write("MATCH (r:Review {stateUnderReview: $sur}) DETACH DELETE r", sur=SUR)
        await graph.write("MATCH (p:Publication {party: $sur}) DETACH DELETE p", sur=SUR)
    await forget_review_publications(settings, SUR)


@pytest.fixture(scope="module")
async def people(settings: Settings, logins: Logins) -> dict[str, Person]:
    await _reset(settings)
    roles = [Role.FOCAL_POINT, Role.GOVERNMENTAL_EXPERT, Role.OBSERVER, Role.AUTHORITY]
    wanted: list[tuple[str, Role, str | None, bool]] = [("secretariat", Role.SECRETARIAT, None, False)]
    wanted += [(f"sur {r.value}", r, SUR, True) for r in roles]
    wanted += [(f"reviewer {r.value}", r, REVIEWERS[0], True) for r in roles]
    wanted += [("second reviewer FOCAL_POINT", Role.FOCAL_POINT, REVIEWERS[1], True)]
    wanted += [(f"other {r.value}", r, OTHER, True) for r in roles]
    wanted += [("signatory OBSERVER", Role.OBSERVER, SIGNATORY, False)]
    result = {"anonymous": Person("anonymous", ANONYMOUS, None)}
    for name, role, party, state_party in wanted:
        login = await logins.login(role, party)
        viewer = Viewer(role, party, login.account.user_id, state_party)
        result[name] = Person(name, viewer, login.token)
    return result


async def call(http: httpx.AsyncClient, person: Person, query: str, **variables: Any) -> dict[str, Any]:
    body = await as_user(http, person.token, query, variables)
    assert "errors" not in body, body["errors"]
    data: dict[str, Any] = body["data"]
    return data


CREATE = """mutation($langs: [WorkingLanguage!]!) { createReview(stateUnderReview: "URY", phase: 1,
  phaseStartedOn: "2025-01-15", workingLanguages: $langs,
  reviewers: [{party: "PRY", instruments: [UNTOC, TIP, SOM, FIREARMS]},
    {party: "FIN", instruments: [UNTOC, TIP, SOM, FIREARMS]}]) {
  __typename ... on Review { id answersDueOn instruments { code } clusters
    questionnaire { instrument { code } articles { key } }
    reviewingStates { reviewer { code } sameRegionalGroup instruments { code } } }
  ... on InvalidInput { field message } } }"""


@pytest.fixture(scope="module")
async def review(people: dict[str, Person], api_url: str) -> str:
    async with httpx.AsyncClient(base_url=api_url, timeout=30) as http:
        created = (await call(http, people["secretariat"], CREATE, langs=["ES", "EN"]))["createReview"]
        assert created["__typename"] == "Review", created
        review_id = str(created["id"])
        sur = people["sur FOCAL_POINT"]
        save = "mutation($r: ID!, $a: String!, $t: String!) { saveAnswer(review: $r, article: $a, text: $t) { __typename } }"
        assert (await call(http, sur, save, r=review_id, a="UNTOC:5", t="Draft on article 5"))["saveAnswer"][
            "__typename"
        ] == "QuestionnaireAnswer"
        expert = people["sur GOVERNMENTAL_EXPERT"]
        assert (await call(http, expert, save, r=review_id, a="TIP:3", t="Draft on TIP 3"))["saveAnswer"][
            "__typename"
        ] == "QuestionnaireAnswer"
    return review_id


async def test_the_review_is_scoped_by_the_rules(
    people: dict[str, Person], review: str, http: httpx.AsyncClient
) -> None:
    data = await call(
        http,
        people["anonymous"],
        "query($id: ID!) { node(id: $id) { ... on Review { phase answersDueOn feedbackDueOn clusters workingLanguages"
        " instruments { code } questionnaire { instrument { code } articles { key } }"
        " reviewingStates { reviewer { code } sameRegionalGroup instruments { code } } stateUnderReview { code } } } }",
        id=review,
    )
    node = data["node"]
    assert node["answersDueOn"] == "2025-07-15" and node["feedbackDueOn"] is None
    assert node["clusters"] == ["CRIMINALIZATION_AND_JURISDICTION"]
    assert node["workingLanguages"] == ["ES", "EN"]
    questions = {s["instrument"]["code"]: [a["key"] for a in s["articles"]] for s in node["questionnaire"]}
    assert questions["UNTOC"] == [
        "UNTOC:2",
        "UNTOC:5",
        "UNTOC:6",
        "UNTOC:10",
        "UNTOC:15",
        "UNTOC:23",
    ]  # URY is party to UNCAC
    assert questions["TIP"] == ["TIP:3", "TIP:5"]
    assert {r["reviewer"]["code"]: r["sameRegionalGroup"] for r in node["reviewingStates"]} == {
        "PRY": True,
        "FIN": False,
    }


def expected_answers(person: Person, visibility: Visibility, submitted: bool) -> bool:
    return may_read(
        person.viewer, PARTICIPANTS, Artefact.QUESTIONNAIRE_ANSWERS, visibility, draft=not submitted
    )


async def test_drafts_are_read_only_by_the_state_under_review_and_the_secretariat(
    people: dict[str, Person], review: str, http: httpx.AsyncClient
) -> None:
    for person in people.values():
        answers = (await call(http, person, REVIEW, id=review))["node"]["answers"]
        allowed = expected_answers(person, Visibility.ALL_STATES_PARTIES, submitted=False)
        assert bool(answers) is allowed, person.name
        if allowed:
            assert {a["status"] for a in answers} == {"DRAFT"}


@pytest.mark.parametrize("operation", list(Operation))
async def test_write_matrix(
    people: dict[str, Person], review: str, http: httpx.AsyncClient, operation: Operation
) -> None:
    mutations = {
        Operation.DRAFT_ANSWERS: (
            'mutation($r: ID!) { x: saveAnswer(review: $r, article: "UNTOC:6", text: "t") { __typename } }',
            "QuestionnaireAnswer",
        ),
        Operation.WRITE_DIALOGUE: (
            'mutation($r: ID!) { x: postDialogueMessage(review: $r, body: "Question to URY") { __typename } }',
            "DialogueMessage",
        ),
        Operation.UPLOAD_DOCUMENTS: (
            'mutation($r: ID!) { x: uploadDocument(review: $r, title: "Record", contentType: "application/pdf",'
            f' contentBase64: "{PDF}") {{ __typename }} }}',
            "ReviewDocument",
        ),
        Operation.DRAFT_OBSERVATIONS: (
            'mutation($r: ID!) { x: saveObservations(review: $r, recommendations: ["Adopt a law"]) { __typename } }',
            "Review",
        ),
        Operation.SET_DISCLOSURE: (
            "mutation($r: ID!) { x: setDisclosure(review: $r, artefact: DIALOGUE, visibility: REVIEW_PARTICIPANTS,"
            ' reason: "The request of Uruguay") { __typename } }',
            "Review",
        ),
        # Allowed, then refused by a rule: the answers are not submitted yet (¶35), the list
        # is not final (¶39), no proposal has version 999.
        Operation.GIVE_FEEDBACK: (
            'mutation($r: ID!) { x: submitWrittenFeedback(review: $r, body: "Feedback") { __typename } }',
            None,
        ),
        Operation.REOPEN_OBSERVATIONS: (
            'mutation($r: ID!) { x: reopenObservations(review: $r, reason: "A new law") { __typename } }',
            None,
        ),
        Operation.PROPOSE_TIMELINE: (
            'mutation($r: ID!) { x: proposeReviewTimeline(review: $r, answersDueOn: "2025-07-15",'
            " workingLanguages: [ES, EN]) { __typename } }",
            "Review",
        ),
        Operation.AGREE_TIMELINE: (
            "mutation($r: ID!) { x: agreeToReviewTimeline(review: $r, version: 999) { __typename } }",
            None,
        ),
        Operation.SUBMIT_ANSWERS: ("mutation($r: ID!) { x: submitAnswers(review: $r) { __typename } }", None),
        Operation.AGREE_OBSERVATIONS: (
            "mutation($r: ID!) { x: agreeToObservations(review: $r, version: 999) { __typename } }",
            None,
        ),
    }
    query, success = mutations[operation]
    for person in people.values():
        result = (await call(http, person, query, r=review))["x"]["__typename"]
        if may(person.viewer, PARTICIPANTS, operation):
            assert result != "NotAuthorized", (person.name, operation)
            if success:
                assert result == success, (person.name, operation, result)
        else:
            assert result == "NotAuthorized", (person.name, operation, result)


@pytest.fixture(scope="module")
async def completed(people: dict[str, Person], review: str, api_url: str) -> str:
    """The review once its answers are submitted and its list and summary agreed."""
    async with httpx.AsyncClient(base_url=api_url, timeout=30) as http:
        await _complete(people, review, http)
    return review


async def _complete(people: dict[str, Person], review: str, http: httpx.AsyncClient) -> None:
    """Submit the answers, write the dialogue and the list with its summary, and agree."""
    submit = "mutation($r: ID!) { submitAnswers(review: $r) { __typename ... on SubmittedAnswers { submitted review { feedbackDueOn } } } }"
    await call(http, people["sur FOCAL_POINT"], submit, r=review)
    summary = [{"lang": lang.upper(), "text": f"Summary in {lang}"} for lang in SIX]
    save = (
        'mutation($r: ID!, $s: [SummaryText!]) { saveObservations(review: $r, gapsAndChallenges: ["A gap"],'
        ' goodPractices: ["A practice"], recommendations: ["Adopt a law"], technicalAssistanceNeeds: ["Training"], summary: $s) {'
        " __typename ... on Review { listOfObservations { version final } } } }"
    )
    saved = (await call(http, people["reviewer FOCAL_POINT"], save, r=review, s=summary))["saveObservations"]
    version = saved["listOfObservations"]["version"]
    agree = "mutation($r: ID!, $v: Int!) { agreeToObservations(review: $r, version: $v) { __typename ... on Review { listOfObservations { final } } } }"
    final = None
    for name in ("sur FOCAL_POINT", "reviewer FOCAL_POINT", "second reviewer FOCAL_POINT"):
        final = (await call(http, people[name], agree, r=review, v=version))["agreeToObservations"]
    assert final is not None and final["listOfObservations"]["final"] is True


@pytest.mark.parametrize(
    ("artefact", "visibility"),
    list(itertools.product(Artefact, Visibility)),
)
async def test_read_matrix(
    people: dict[str, Person],
    completed: str,
    http: httpx.AsyncClient,
    artefact: Artefact,
    visibility: Visibility,
) -> None:
    review = completed
    set_flag = (
        "mutation($r: ID!, $a: ReviewArtefact!, $v: Visibility!) { setDisclosure(review: $r, artefact: $a,"
        " visibility: $v) { __typename " + RULE_VIOLATION + " } }"
    )
    result = (
        await call(http, people["sur FOCAL_POINT"], set_flag, r=review, a=artefact.value, v=visibility.value)
    )["setDisclosure"]
    refused = disclosure_violation(artefact, None, visibility, {}, reason=None, on_behalf=False)
    if refused is not None:  # answers, the summary and the whole list never below ALL_STATES_PARTIES
        violated(result, refused.paragraph)
        return
    assert result["__typename"] == "Review"
    fields = {
        Artefact.QUESTIONNAIRE_ANSWERS: lambda n: n["answers"],
        Artefact.DIALOGUE: lambda n: n["dialogue"],
        Artefact.ADDITIONAL_DOCUMENTS: lambda n: n["documents"],
        Artefact.LIST_OF_OBSERVATIONS: lambda n: n["listOfObservations"],
        Artefact.SUMMARY: lambda n: n["summary"],
    }
    for person in people.values():
        node = (await call(http, person, REVIEW, id=review))["node"]
        listed = (await call(http, person, LISTED))["reviews"]["edges"][0]["node"]
        allowed = may_read(person.viewer, PARTICIPANTS, artefact, visibility)
        for view in (node, listed):
            seen = fields[artefact](view)
            assert bool(seen) is allowed, (person.name, artefact, visibility, seen)
            if artefact is Artefact.SUMMARY and allowed:
                assert seen == {"text": "Summary in fr"}
            assert (view["disclosureLog"] != []) is (person.name == "secretariat")
        if artefact is Artefact.ADDITIONAL_DOCUMENTS:
            await _check_downloads(http, person, review, allowed)

    # Search holds only what anyone may read: the same hits for every viewer.
    published = may_read(ANONYMOUS, PARTICIPANTS, artefact, visibility)
    prefix = {
        Artefact.QUESTIONNAIRE_ANSWERS: "URY-1|ANSWERS|",
        Artefact.DIALOGUE: "URY-1|DIALOGUE",
        Artefact.ADDITIONAL_DOCUMENTS: "URY-1|DOCUMENT|",
        Artefact.LIST_OF_OBSERVATIONS: "URY-1|LIST|",
        Artefact.SUMMARY: "URY-1|SUMMARY",
    }[artefact]
    for name in ("anonymous", "secretariat", "sur FOCAL_POINT"):
        hits = (await call(http, people[name], ALL_PUBLISHED))["search"]["edges"]
        keys = [h["node"]["document"]["key"] for h in hits]
        assert any(k.startswith(prefix) for k in keys) is published, (name, artefact, visibility, keys)


ALL_PUBLISHED = (
    'query { search(query: "", kinds: [REVIEW_DOCUMENT], filter: {parties: ["URY"]}, first: 100) {'
    " edges { node { document { ... on ReviewPublication { key } } } } } }"
)


async def _check_downloads(http: httpx.AsyncClient, person: Person, review: str, allowed: bool) -> None:
    documents = (await call(http, person, REVIEW, id=review))["node"]["documents"]
    ids = [d["id"] for d in documents] if allowed else []
    headers = {"authorization": f"Bearer {person.token}"} if person.token else {}
    for document_id in ids:
        response = await http.get(f"/documents/{document_id}", headers=headers)
        assert response.status_code == 200, person.name
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.content.startswith(b"%PDF-")
    if not allowed:
        any_id = KNOWN_DOCUMENTS[0] if KNOWN_DOCUMENTS else "unknown"
        response = await http.get(f"/documents/{any_id}", headers=headers)
        assert response.status_code == 404, person.name
    else:
        KNOWN_DOCUMENTS[:] = ids


KNOWN_DOCUMENTS: list[str] = []


async def test_a_part_of_the_list_can_be_kept_back(
    people: dict[str, Person], review: str, http: httpx.AsyncClient
) -> None:
    flag = "mutation($r: ID!, $v: Visibility!, $p: String, $why: String) { setDisclosure(review: $r, artefact: LIST_OF_OBSERVATIONS, visibility: $v, part: $p, reason: $why) { __typename ... on InvalidInput { field message } } }"
    owner = people["sur FOCAL_POINT"]
    assert (await call(http, owner, flag, r=review, v="PUBLIC", p=None))["setDisclosure"][
        "__typename"
    ] == "Review"
    why = "Recommendations under discussion with the legislature"
    assert (await call(http, owner, flag, r=review, v="REVIEW_PARTICIPANTS", p="recommendations", why=why))[
        "setDisclosure"
    ]["__typename"] == "Review"
    bad = (await call(http, owner, flag, r=review, v="PUBLIC", p="secrets"))["setDisclosure"]
    assert bad["__typename"] == "InvalidInput" and bad["field"] == "part"
    public = (await call(http, people["anonymous"], REVIEW, id=review))["node"]["listOfObservations"]
    assert public["gapsAndChallenges"] == ["A gap"] and public["recommendations"] == []
    participant = (await call(http, people["reviewer OBSERVER"], REVIEW, id=review))["node"][
        "listOfObservations"
    ]
    assert participant["recommendations"] == ["Adopt a law"]


async def test_the_secretariat_acts_on_behalf_and_the_log_records_it(
    people: dict[str, Person], review: str, http: httpx.AsyncClient
) -> None:
    flag = (
        "mutation($r: ID!) { setDisclosure(review: $r, artefact: DIALOGUE, visibility: ALL_STATES_PARTIES,"
        ' reason: "Note verbale of Uruguay, 1 December 2026") { __typename } }'
    )
    await call(http, people["secretariat"], flag, r=review)
    log = await call(
        http,
        people["secretariat"],
        "query($id: ID!) { node(id: $id) { ... on Review { disclosureLog { artefact from to by onBehalfOfStateUnderReview at reason } } } }",
        id=review,
    )
    last = log["node"]["disclosureLog"][-1]
    assert last["artefact"] == "DIALOGUE" and last["to"] == "ALL_STATES_PARTIES"
    assert last["onBehalfOfStateUnderReview"] is True and last["by"].startswith("secretariat-")
    assert last["reason"] == "Note verbale of Uruguay, 1 December 2026"


async def test_dialogue_is_archived_and_revised_not_edited(
    people: dict[str, Person], review: str, http: httpx.AsyncClient
) -> None:
    post = "mutation($r: ID!, $b: String!, $v: ID) { postDialogueMessage(review: $r, body: $b, revises: $v) { __typename ... on DialogueMessage { id revision thread } ... on InvalidInput { field } } }"
    first = (
        await call(http, people["reviewer GOVERNMENTAL_EXPERT"], post, r=review, b="Please clarify", v=None)
    )["postDialogueMessage"]
    second = (
        await call(
            http,
            people["reviewer GOVERNMENTAL_EXPERT"],
            post,
            r=review,
            b="Please clarify article 5",
            v=first["id"],
        )
    )["postDialogueMessage"]
    assert second["revision"] == 2 and second["thread"] == first["id"]
    stale = (
        await call(http, people["reviewer GOVERNMENTAL_EXPERT"], post, r=review, b="again", v=first["id"])
    )["postDialogueMessage"]
    assert stale == {"__typename": "InvalidInput", "field": "revises"}
    history = (
        await call(
            http,
            people["secretariat"],
            "query($id: ID!) { node(id: $id) { ... on Review { latest: dialogue { body } all: dialogue(history: true) { body } } } }",
            id=review,
        )
    )["node"]
    assert "Please clarify" in [m["body"] for m in history["all"]]
    assert "Please clarify" not in [m["body"] for m in history["latest"]]


async def test_two_experts_saving_the_same_answer_get_a_conflict(
    people: dict[str, Person], review: str, http: httpx.AsyncClient
) -> None:
    save = 'mutation($r: ID!, $t: String!, $v: Int) { saveAnswer(review: $r, article: "UNTOC:10", text: $t, expectedVersion: $v) { __typename ... on QuestionnaireAnswer { version } ... on VersionConflictError { currentVersion } } }'
    first = (await call(http, people["sur FOCAL_POINT"], save, r=review, t="one", v=None))["saveAnswer"]
    version = first["version"]
    ok = (await call(http, people["sur GOVERNMENTAL_EXPERT"], save, r=review, t="two", v=version))[
        "saveAnswer"
    ]
    assert ok["version"] == version + 1
    late = (await call(http, people["sur FOCAL_POINT"], save, r=review, t="three", v=version))["saveAnswer"]
    assert late == {"__typename": "VersionConflictError", "currentVersion": version + 1}


async def test_simultaneous_saves_of_one_version_let_exactly_one_through(
    people: dict[str, Person], review: str, http: httpx.AsyncClient
) -> None:
    save = 'mutation($r: ID!, $t: String!, $v: Int) { saveAnswer(review: $r, article: "UNTOC:10", text: $t, expectedVersion: $v) { __typename ... on QuestionnaireAnswer { version text } ... on VersionConflictError { currentVersion } } }'
    version = (await call(http, people["sur FOCAL_POINT"], save, r=review, t="base", v=None))["saveAnswer"][
        "version"
    ]
    editors = [people["sur FOCAL_POINT"], people["sur GOVERNMENTAL_EXPERT"]] * 4
    results = await asyncio.gather(
        *(call(http, editor, save, r=review, t=f"edit {n}", v=version) for n, editor in enumerate(editors))
    )
    outcomes = [r["saveAnswer"] for r in results]
    winners = [o for o in outcomes if o["__typename"] == "QuestionnaireAnswer"]
    assert len(winners) == 1, outcomes
    assert [o for o in outcomes if o is not winners[0]] == [
        {"__typename": "VersionConflictError", "currentVersion": version + 1}
    ] * (len(editors) - 1)
    stored = await call(
        http,
        people["sur FOCAL_POINT"],
        "query($id: ID!) { node(id: $id) { ... on Review { answers { article { key } text } } } }",
        id=review,
    )
    texts = {a["article"]["key"]: a["text"] for a in stored["node"]["answers"]}
    assert texts["UNTOC:10"] == winners[0]["text"]  # the winner's edit, none lost silently


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        (
            'mutation($r: ID!) { x: saveAnswer(review: $r, article: "UNTOC:41", text: "t") { ... on InvalidInput { field message } } }',
            "article",
            "UNTOC:41 is not a question of this review",
        ),
        (
            'mutation($r: ID!) { x: saveAnswer(review: $r, article: "UNTOC:5", text: " ") { ... on InvalidInput { field message } } }',
            "text",
            "must not be empty",
        ),
        (
            'mutation($r: ID!) { x: saveAnswer(review: $r, article: "UNTOC:5", text: "t", lawReferences: ["NOPE"]) { ... on InvalidInput { field message } } }',
            "lawReferences",
            "unknown law 'NOPE'",
        ),
        (
            'mutation($r: ID!) { x: uploadDocument(review: $r, title: "x", contentType: "application/pdf", contentBase64: "TVqQAAMAAAAEAAAA") { ... on InvalidInput { field message } } }',
            "contentBase64",
            "the content does not look like application/pdf",
        ),
        (
            'mutation($r: ID!) { x: uploadDocument(review: $r, title: "x", contentType: "application/x-msdownload", contentBase64: "TVqQ") { ... on InvalidInput { field } } }',
            "contentType",
            None,
        ),
        (
            'mutation($r: ID!) { x: uploadDocument(review: $r, title: "x", contentType: "text/plain", contentBase64: "***") { ... on InvalidInput { field message } } }',
            "contentBase64",
            "is not base64",
        ),
    ],
)
async def test_bad_input_on_mutations_is_named(
    people: dict[str, Person],
    review: str,
    http: httpx.AsyncClient,
    query: str,
    field: str,
    message: str | None,
) -> None:
    result = (await call(http, people["sur FOCAL_POINT"], query, r=review))["x"]
    assert result["field"] == field
    if message:
        assert result["message"] == message


async def test_a_final_list_is_not_changed(
    people: dict[str, Person], completed: str, http: httpx.AsyncClient
) -> None:
    """¶39 (the summary's 1,500 words and reopening: tests/integration/test_review_rules.py)."""
    save = (
        "mutation($r: ID!, $t: String!) { saveObservations(review: $r, summary: [{lang: EN, text: $t}]) { __typename "
        + RULE_VIOLATION
        + " } }"
    )
    result = (await call(http, people["reviewer FOCAL_POINT"], save, r=completed, t="word " * 1501))[
        "saveObservations"
    ]
    violated(result, "¶39")


async def test_unknown_reviews_are_not_found(people: dict[str, Person], http: httpx.AsyncClient) -> None:
    from api.graphql.relay import global_id

    missing = str(global_id("Review", "XXX-9"))
    result = await call(
        http,
        people["secretariat"],
        "mutation($r: ID!) { submitAnswers(review: $r) { __typename } }",
        r=missing,
    )
    assert result["submitAnswers"]["__typename"] == "NotFound"


PUBLIC_SEARCH = (
    'query { search(query: "Summary", kinds: [REVIEW_DOCUMENT], filter: {parties: ["URY"]}) { totalCount'
    " edges { node { kind highlights document { ... on ReviewPublication { key artefact"
    ' review { stateUnderReview { code } } text(lang: "fr") { text } } } } }'
    " facets { field buckets { key count } } } }"
)


async def test_published_items_are_searchable_and_withdrawn_at_once(
    people: dict[str, Person], completed: str, http: httpx.AsyncClient
) -> None:
    flag = "mutation($r: ID!, $v: Visibility!) { setDisclosure(review: $r, artefact: SUMMARY, visibility: $v) { __typename } }"
    owner = people["sur FOCAL_POINT"]
    await call(http, owner, flag, r=completed, v="PUBLIC")
    found = (await call(http, people["anonymous"], PUBLIC_SEARCH))["search"]
    keys = [e["node"]["document"]["key"] for e in found["edges"]]
    assert "URY-1|SUMMARY" in keys
    hit = found["edges"][keys.index("URY-1|SUMMARY")]["node"]
    assert hit["kind"] == "REVIEW_DOCUMENT"
    assert hit["document"]["review"]["stateUnderReview"]["code"] == "URY"
    assert hit["document"]["text"] == {"text": "Summary in fr"}

    await call(http, owner, flag, r=completed, v="ALL_STATES_PARTIES")  # never below it (¶38)
    after = (await call(http, people["anonymous"], PUBLIC_SEARCH))["search"]
    assert "URY-1|SUMMARY" not in [e["node"]["document"]["key"] for e in after["edges"]]
    assert after["totalCount"] == found["totalCount"] - 1
    kinds = next(f for f in after["facets"] if f["field"] == "kind")["buckets"]
    assert sum(b["count"] for b in kinds) == after["totalCount"]


CURSOR_SEARCH = (
    "query($q: String!, $after: String) { search(query: $q, kinds: [REVIEW_DOCUMENT],"
    ' filter: {parties: ["URY"]}, first: 1, after: $after) { totalCount'
    " edges { cursor node { highlights document { ... on ReviewPublication { key } } } }"
    " facets { field buckets { key count } } } }"
)


async def test_an_old_cursor_shows_nothing_a_fresh_search_would_not(
    people: dict[str, Person], completed: str, http: httpx.AsyncClient
) -> None:
    """A cursor taken while a summary was public, used after its withdrawal with any words:
    the same totals, facets and hits as the same search without the cursor."""
    flag = "mutation($r: ID!, $a: ReviewArtefact!, $v: Visibility!) { setDisclosure(review: $r, artefact: $a, visibility: $v) { __typename } }"
    owner, anonymous = people["sur FOCAL_POINT"], people["anonymous"]
    for artefact in ("SUMMARY", "LIST_OF_OBSERVATIONS"):
        await call(http, owner, flag, r=completed, a=artefact, v="PUBLIC")
    first = (await call(http, anonymous, CURSOR_SEARCH, q=""))["search"]
    assert first["totalCount"] >= 2
    later = (await call(http, anonymous, CURSOR_SEARCH, q="", after=first["edges"][0]["cursor"]))["search"]
    assert later["edges"], "a second page while both are public"
    cursor = later["edges"][0]["cursor"]  # the cursor of a later page

    await call(http, owner, flag, r=completed, a="SUMMARY", v="ALL_STATES_PARTIES")
    try:
        for words in ("", "Summary", "fr", "Summary in fr"):
            fresh = (await call(http, anonymous, CURSOR_SEARCH, q=words))["search"]
            paged = (await call(http, anonymous, CURSOR_SEARCH, q=words, after=cursor))["search"]
            assert paged["totalCount"] == fresh["totalCount"], words
            assert paged["facets"] == fresh["facets"], words
            shown = [e["node"]["document"]["key"] for e in fresh["edges"] + paged["edges"]]
            assert "URY-1|SUMMARY" not in shown, words
            assert not any("Summary" in h for e in paged["edges"] for h in e["node"]["highlights"])
    finally:
        await call(http, owner, flag, r=completed, a="LIST_OF_OBSERVATIONS", v="ALL_STATES_PARTIES")


@pytest.mark.parametrize(
    ("arguments", "field", "message"),
    [
        ('stateUnderReview: "URY", phase: 5', "phase", "must be 1, 2, 3 or 4"),
        ('stateUnderReview: "XXX", phase: 2', "stateUnderReview", "unknown party 'XXX'"),
        (
            'stateUnderReview: "IRN", phase: 2',
            "stateUnderReview",
            "IRN is a signatory, not a party: it may take part only as a volunteer (¶52)",
        ),
        ('stateUnderReview: "URY", phase: 1', "phase", "URY already has a review for phase 1"),
    ],
)
async def test_bad_review_creation_is_named(
    people: dict[str, Person], review: str, http: httpx.AsyncClient, arguments: str, field: str, message: str
) -> None:
    query = (
        "mutation { createReview(" + arguments + ', phaseStartedOn: "2026-01-05", workingLanguages: [EN],'
        ' reviewers: [{party: "PRY", instruments: [UNTOC]}]) { __typename ... on InvalidInput { field message } } }'
    )
    result = (await call(http, people["secretariat"], query))["createReview"]
    assert result == {"__typename": "InvalidInput", "field": field, "message": message}


@pytest.mark.parametrize(
    ("reviewers", "languages", "field", "fragment"),
    [
        # A reviewer not party to an instrument it would review: RuleViolation ¶28(b)
        # (test_reviewers_from_the_draw.py).
        (
            '[{party: "URY", instruments: [UNTOC]}]',
            "[EN]",
            "reviewers.0",
            "is named twice or is under review",
        ),
        ('[{party: "PRY", instruments: [UNTOC]}]', "[]", "workingLanguages", "one or two working languages"),
        (
            '[{party: "PRY", instruments: [UNTOC]}]',
            "[EN, FR, ES, RU]",
            "workingLanguages",
            "exceptionally three",
        ),
        # More than four reviewers: RuleViolation ¶28(c) (test_reviewers_from_the_draw.py).
    ],
)
async def test_bad_reviewers_and_languages_are_named(
    people: dict[str, Person],
    http: httpx.AsyncClient,
    reviewers: str,
    languages: str,
    field: str,
    fragment: str,
) -> None:
    query = (
        'mutation { createReview(stateUnderReview: "URY", phase: 2, phaseStartedOn: "2026-01-05",'
        f" workingLanguages: {languages}, reviewers: {reviewers}) {{ __typename ... on InvalidInput {{ field message }} }} }}"
    )
    result = (await call(http, people["secretariat"], query))["createReview"]
    assert result["__typename"] == "InvalidInput" and result["field"] == field
    assert fragment in result["message"]


async def test_bad_dialogue_and_attachments_are_named(
    people: dict[str, Person], review: str, http: httpx.AsyncClient
) -> None:
    empty = 'mutation($r: ID!) { postDialogueMessage(review: $r, body: "  ") { ... on InvalidInput { field message } } }'
    assert (await call(http, people["sur FOCAL_POINT"], empty, r=review))["postDialogueMessage"] == {
        "field": "body",
        "message": "must not be empty",
    }
    attach = (
        'mutation($r: ID!) { saveAnswer(review: $r, article: "UNTOC:5", text: "t", attachments: ["nope"])'
        " { ... on InvalidInput { field message } } }"
    )
    assert (await call(http, people["sur FOCAL_POINT"], attach, r=review))["saveAnswer"] == {
        "field": "attachments",
        "message": "'nope' is not a document of this review",
    }
