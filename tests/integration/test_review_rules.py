"""The rules of a review's course through GraphQL over HTTP: each forbidden way answers
`RuleViolation` naming its paragraph and writes nothing, and the allowed ways work.

- disclosure within ¶38-¶41 (`setDisclosure`, its `reason` in the log);
- the timeline and working languages proposed and agreed by the participants' focal
  points (¶31, ¶34, ¶50), and an answer's language;
- the reviewing States' written feedback, an explicit act (¶35);
- the summary's 1,500 words counted as written (¶38), and a final list locked until a
  recorded reopening withdraws every agreement (¶39).

The review is Bulgaria's, reviewed by Slovenia and Belgium (parties no other test uses),
written into the graph as the demo writes its reviews: this file is about what follows the
opening of a review, not about who reviews whom.
"""

from __future__ import annotations

import datetime
from typing import Any

import httpx
import pytest

from api.config import Settings
from api.graphql.relay import global_id
from graph import reviews as store
from mechanism.access import Role
from mechanism.reviews import new_review
from tests.integration.accounts_helpers import Logins
from tests.integration.databases import graph_of
from tests.integration.reviews_helpers import data_as, forget_review, forget_review_publications
from tests.integration.rules_helpers import RULE_VIOLATION, violated

SUR, REVIEWERS = "BGR", ("BEL", "SVN")
REVIEW_ID = f"{SUR}-1"
REVIEW = str(global_id("Review", REVIEW_ID))
ALL = ["UNTOC", "TIP", "SOM", "FIREARMS"]
SIX = ["AR", "ZH", "EN", "FR", "RU", "ES"]


async def _reset(settings: Settings) -> None:
    await forget_review(settings, REVIEW_ID)
    await forget_review_publications(settings, SUR)
    review = new_review(SUR, 1, datetime.date(2026, 1, 15), ["en", "fr"], ALL, True)
    review["createdAt"] = datetime.datetime.now(datetime.UTC)
    async with graph_of(settings) as graph:
        await store.create_review(graph, review, [{"party": code, "instruments": ALL} for code in REVIEWERS])


@pytest.fixture(scope="module")
async def tokens(settings: Settings, logins: Logins) -> dict[str, str]:
    await _reset(settings)
    return await logins.tokens(
        {
            "secretariat": (Role.SECRETARIAT, None),
            "sur": (Role.FOCAL_POINT, SUR),
            "sur expert": (Role.GOVERNMENTAL_EXPERT, SUR),
            "bel": (Role.FOCAL_POINT, "BEL"),
            "bel expert": (Role.GOVERNMENTAL_EXPERT, "BEL"),
            "svn": (Role.FOCAL_POINT, "SVN"),
        }
    )


async def mutate(http: httpx.AsyncClient, token: str, mutation: str, **variables: Any) -> dict[str, Any]:
    """The one result of a mutation, asked with its __typename and a RuleViolation's fields."""
    data = await data_as(http, token, mutation, **variables)
    (result,) = data.values()
    return dict(result)


STATE = (
    "query($id: ID!) { node(id: $id) { ... on Review { answersDueOn workingLanguages workingLanguagesException"
    " disclosure { artefact part visibility }"
    " disclosureLog { artefact part from to reason onBehalfOfStateUnderReview }"
    " timeline { answersDueOn workingLanguages exception version proposedOn agreedOn"
    "   proposedBy { code } agreedBy { code } }"
    " answers { article { key } lang text }"
    " dialogue { id kind body author { code } }"
    " progress { stage feedbackFrom { code } awaitingFeedbackFrom { code } writtenFeedback { party { code } givenOn } }"
    " listOfObservations { version final summaryLanguage agreedBy { code }"
    "   reopenings { version reason by { code } agreementsWithdrawn { code } } }"
    ' summary(lang: "fr") { text } } } }'
)


async def state(http: httpx.AsyncClient, tokens: dict[str, str]) -> dict[str, Any]:
    """The review as the secretariat reads it (everything)."""
    node: dict[str, Any] = (await data_as(http, tokens["secretariat"], STATE, id=REVIEW))["node"]
    return node


# ---------- an answer's language (¶19, ¶50) ----------

SAVE = (
    "mutation($r: ID!, $a: String!, $l: WorkingLanguage) { r: saveAnswer(review: $r, article: $a,"
    ' text: "Article 321 of the Criminal Code.", lang: $l) { __typename ... on QuestionnaireAnswer { lang } '
    + RULE_VIOLATION
    + " } }"
)


async def test_answers_record_their_language(http: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    given = await mutate(http, tokens["sur expert"], SAVE, r=REVIEW, a="UNTOC:5", l="FR")
    assert given == {"__typename": "QuestionnaireAnswer", "lang": "FR"}
    first = await mutate(http, tokens["sur expert"], SAVE, r=REVIEW, a="UNTOC:6", l=None)
    assert first == {"__typename": "QuestionnaireAnswer", "lang": "EN"}  # the review's first language
    other = await mutate(http, tokens["sur expert"], SAVE, r=REVIEW, a="TIP:5", l="ES")
    assert "'es' is not a working language of this review" in violated(other, "¶50")
    answers = {a["article"]["key"]: a["lang"] for a in (await state(http, tokens))["answers"]}
    assert answers == {"UNTOC:5": "FR", "UNTOC:6": "EN"}  # nothing written for TIP:5


# ---------- the timeline and working languages (¶31, ¶34, ¶50) ----------

PROPOSE = (
    "mutation($r: ID!, $due: Date!, $langs: [WorkingLanguage!]!, $why: String) {"
    " r: proposeReviewTimeline(review: $r, answersDueOn: $due, workingLanguages: $langs, exception: $why) {"
    " __typename ... on Review { timeline { version } } ... on InvalidInput { field message } "
    + RULE_VIOLATION
    + " } }"
)
AGREE = (
    "mutation($r: ID!, $v: Int!) { r: agreeToReviewTimeline(review: $r, version: $v) {"
    " __typename ... on Review { answersDueOn timeline { agreedOn agreedBy { code } } }"
    " ... on VersionConflictError { currentVersion } " + RULE_VIOLATION + " } }"
)


async def test_the_timeline_and_languages_are_agreed_by_the_participants(
    http: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    before = await state(http, tokens)
    assert before["answersDueOn"] == "2026-07-15" and before["timeline"] is None
    violated(await mutate(http, tokens["sur"], AGREE, r=REVIEW, v=1), "¶31")  # nothing proposed

    refused = [
        ("2026-07-16", ["EN"], None, "¶34"),  # more than six months
        ("2026-01-14", ["EN"], None, "¶34"),  # before the phase starts
        ("2026-06-30", ["EN", "FR", "RU"], None, "¶50"),  # three without the exception
        ("2026-06-30", ["EN", "FR"], "Why not", "¶50"),  # an exception for two
    ]
    for due, languages, why, paragraph in refused:
        violated(
            await mutate(http, tokens["sur"], PROPOSE, r=REVIEW, due=due, langs=languages, why=why), paragraph
        )
    wrong = await mutate(
        http, tokens["bel"], PROPOSE, r=REVIEW, due="2026-06-30", langs=["EN", "EN"], why=None
    )
    assert wrong["__typename"] == "InvalidInput" and wrong["field"] == "workingLanguages"
    assert (await state(http, tokens))["timeline"] is None  # nothing written
    assert (await mutate(http, tokens["sur expert"], PROPOSE, r=REVIEW, due="2026-06-30", langs=["FR"]))[
        "__typename"
    ] == "NotAuthorized"

    proposed = await mutate(
        http, tokens["bel"], PROPOSE, r=REVIEW, due="2026-06-30", langs=["FR", "EN"], why=None
    )
    assert proposed == {"__typename": "Review", "timeline": {"version": 1}}
    assert (await mutate(http, tokens["sur"], AGREE, r=REVIEW, v=2)) == {
        "__typename": "VersionConflictError",
        "currentVersion": 1,
    }
    for name in ("sur", "bel"):
        partly = await mutate(http, tokens[name], AGREE, r=REVIEW, v=1)
        assert partly["answersDueOn"] == "2026-07-15" and partly["timeline"]["agreedOn"] is None
    done = await mutate(http, tokens["svn"], AGREE, r=REVIEW, v=1)
    assert done["answersDueOn"] == "2026-06-30" and done["timeline"]["agreedOn"] is not None
    assert [p["code"] for p in done["timeline"]["agreedBy"]] == ["BEL", "BGR", "SVN"]
    agreed = await state(http, tokens)
    assert agreed["workingLanguages"] == ["FR", "EN"] and agreed["workingLanguagesException"] is None
    assert agreed["timeline"]["proposedBy"] == {"code": "BEL"}

    # Exceptionally three, with the exception recorded; a new proposal withdraws the agreements
    # to the one before and the review keeps what was agreed until it is agreed.
    why = "Belgium's experts work in French, Bulgaria's in English, and the laws are in Russian"
    three = await mutate(
        http, tokens["secretariat"], PROPOSE, r=REVIEW, due="2026-06-30", langs=["FR", "EN", "RU"], why=why
    )
    assert three["timeline"] == {"version": 2}
    pending = await state(http, tokens)
    assert pending["timeline"]["agreedBy"] == [] and pending["workingLanguages"] == ["FR", "EN"]
    assert pending["timeline"]["proposedBy"] is None  # the secretariat
    for name in ("sur", "bel", "svn"):
        await mutate(http, tokens[name], AGREE, r=REVIEW, v=2)
    final = await state(http, tokens)
    assert final["workingLanguages"] == ["FR", "EN", "RU"] and final["workingLanguagesException"] == why
    back = await mutate(
        http, tokens["sur"], PROPOSE, r=REVIEW, due="2026-06-30", langs=["FR", "EN"], why=None
    )
    assert back["timeline"] == {"version": 3}
    for name in ("sur", "bel", "svn"):
        await mutate(http, tokens[name], AGREE, r=REVIEW, v=3)
    assert (await state(http, tokens))["workingLanguagesException"] is None


# ---------- disclosure (¶38-¶41) ----------

DISCLOSE = (
    "mutation($r: ID!, $a: ReviewArtefact!, $v: Visibility!, $p: String, $why: String) {"
    " r: setDisclosure(review: $r, artefact: $a, visibility: $v, part: $p, reason: $why) { __typename "
    + RULE_VIOLATION
    + " } }"
)


async def test_disclosure_within_the_rules(http: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    sur, secretariat = tokens["sur"], tokens["secretariat"]

    async def refused(token: str, paragraph: str, **arguments: Any) -> None:
        before = await state(http, tokens)
        arguments = {"p": None, "why": None, **arguments}
        violated(await mutate(http, token, DISCLOSE, r=REVIEW, **arguments), paragraph)
        after = await state(http, tokens)
        assert (after["disclosure"], after["disclosureLog"]) == (
            before["disclosure"],
            before["disclosureLog"],
        )

    async def allowed(token: str, **arguments: Any) -> None:
        arguments = {"p": None, "why": None, **arguments}
        assert (await mutate(http, token, DISCLOSE, r=REVIEW, **arguments))["__typename"] == "Review"

    # ¶40: submitted answers go to all States parties; the State may publish them, whole or
    # per instrument (¶41), and withdraw that.
    await refused(sur, "¶40", a="QUESTIONNAIRE_ANSWERS", v="REVIEW_PARTICIPANTS")
    await refused(sur, "¶40", a="QUESTIONNAIRE_ANSWERS", v="REVIEW_PARTICIPANTS", p="TIP", why="Sensitive")
    await allowed(sur, a="QUESTIONNAIRE_ANSWERS", v="PUBLIC", p="TIP")
    await allowed(sur, a="QUESTIONNAIRE_ANSWERS", v="ALL_STATES_PARTIES", p="TIP")
    await allowed(sur, a="QUESTIONNAIRE_ANSWERS", v="PUBLIC")

    # ¶40-¶41: the dialogue and documents are opened, published and narrowed again at will.
    for artefact in ("DIALOGUE", "ADDITIONAL_DOCUMENTS"):
        for visibility in ("ALL_STATES_PARTIES", "PUBLIC", "REVIEW_PARTICIPANTS"):
            await allowed(sur, a=artefact, v=visibility)

    # ¶38: the summary goes to the Conference; the list to the working groups, only parts of
    # it kept confidential, each with its reason, never all of them.
    await refused(sur, "¶38", a="SUMMARY", v="REVIEW_PARTICIPANTS")
    await allowed(sur, a="SUMMARY", v="ALL_STATES_PARTIES")
    await refused(
        sur, "¶38", a="LIST_OF_OBSERVATIONS", v="REVIEW_PARTICIPANTS", why="Everything is sensitive"
    )
    await refused(sur, "¶38", a="LIST_OF_OBSERVATIONS", v="REVIEW_PARTICIPANTS", p="recommendations")
    parts = ("recommendations", "gapsAndChallenges", "goodPractices")
    for part in parts:
        await allowed(
            sur, a="LIST_OF_OBSERVATIONS", v="REVIEW_PARTICIPANTS", p=part, why=f"Exceptional: {part}"
        )
    await refused(
        sur, "¶38", a="LIST_OF_OBSERVATIONS", v="REVIEW_PARTICIPANTS", p="technicalAssistanceNeeds", why="All"
    )
    await allowed(sur, a="LIST_OF_OBSERVATIONS", v="ALL_STATES_PARTIES", p="goodPractices")

    # ¶41: the secretariat acting for the State records the State's request, and can do no
    # more than the State.
    await refused(secretariat, "¶41", a="DIALOGUE", v="PUBLIC")
    await refused(secretariat, "¶40", a="QUESTIONNAIRE_ANSWERS", v="REVIEW_PARTICIPANTS", why="Note verbale")
    await allowed(secretariat, a="DIALOGUE", v="PUBLIC", why="Note verbale of Bulgaria, 2 December 2026")

    log = (await state(http, tokens))["disclosureLog"]
    kept = [c for c in log if c["artefact"] == "LIST_OF_OBSERVATIONS" and c["to"] == "REVIEW_PARTICIPANTS"]
    assert [(c["part"], c["reason"]) for c in kept] == [(p, f"Exceptional: {p}") for p in parts]
    assert log[-1] == {
        "artefact": "DIALOGUE",
        "part": None,
        "from": "REVIEW_PARTICIPANTS",
        "to": "PUBLIC",
        "reason": "Note verbale of Bulgaria, 2 December 2026",
        "onBehalfOfStateUnderReview": True,
    }
    await allowed(sur, a="DIALOGUE", v="REVIEW_PARTICIPANTS")
    await allowed(sur, a="QUESTIONNAIRE_ANSWERS", v="ALL_STATES_PARTIES")


# ---------- written feedback (¶35) ----------

FEEDBACK = (
    "mutation($r: ID!, $b: String!) { r: submitWrittenFeedback(review: $r, body: $b) {"
    " __typename ... on DialogueMessage { kind body postedAt } " + RULE_VIOLATION + " } }"
)


async def test_written_feedback_is_an_explicit_act(http: httpx.AsyncClient, tokens: dict[str, str]) -> None:
    early = await mutate(http, tokens["bel"], FEEDBACK, r=REVIEW, b="Too early")
    assert "once they are submitted" in violated(early, "¶35")
    assert (await state(http, tokens))["dialogue"] == []
    submit = "mutation($r: ID!) { r: submitAnswers(review: $r) { __typename } }"
    assert (await mutate(http, tokens["sur"], submit, r=REVIEW))["__typename"] == "SubmittedAnswers"

    post = 'mutation($r: ID!) { r: postDialogueMessage(review: $r, body: "A question on article 5") { __typename } }'
    assert (await mutate(http, tokens["bel expert"], post, r=REVIEW))["__typename"] == "DialogueMessage"
    progress = (await state(http, tokens))["progress"]
    assert progress["stage"] == "AWAITING_FEEDBACK" and progress["feedbackFrom"] == []  # a message is not it
    assert (await mutate(http, tokens["bel expert"], FEEDBACK, r=REVIEW, b="Ours"))[
        "__typename"
    ] == "NotAuthorized"

    given = await mutate(http, tokens["bel"], FEEDBACK, r=REVIEW, b="Belgium's written feedback.")
    assert given["__typename"] == "DialogueMessage" and given["kind"] == "WRITTEN_FEEDBACK"
    assert given["postedAt"][:10] == datetime.datetime.now(datetime.UTC).date().isoformat()
    again = await mutate(http, tokens["bel"], FEEDBACK, r=REVIEW, b="More feedback")
    assert "continue in the dialogue" in violated(again, "¶35")
    after = await state(http, tokens)
    assert [p["code"] for p in after["progress"]["feedbackFrom"]] == ["BEL"]
    assert [p["code"] for p in after["progress"]["awaitingFeedbackFrom"]] == ["SVN"]
    today = datetime.datetime.now(datetime.UTC).date().isoformat()
    assert after["progress"]["writtenFeedback"] == [{"party": {"code": "BEL"}, "givenOn": today}]
    assert [m["kind"] for m in after["dialogue"]] == ["MESSAGE", "WRITTEN_FEEDBACK"]
    await mutate(http, tokens["svn"], FEEDBACK, r=REVIEW, b="Slovenia's written feedback.")
    feedback_id = next(
        m["id"] for m in (await state(http, tokens))["dialogue"] if m["author"]["code"] == "SVN"
    )
    revise = (
        'mutation($r: ID!, $v: ID) { r: postDialogueMessage(review: $r, body: "Slovenia\'s feedback, corrected.",'
        " revises: $v) { __typename ... on DialogueMessage { kind revision } } }"
    )
    revised = await mutate(http, tokens["svn"], revise, r=REVIEW, v=feedback_id)
    assert revised == {"__typename": "DialogueMessage", "kind": "WRITTEN_FEEDBACK", "revision": 2}
    assert (await state(http, tokens))["progress"]["stage"] == "IN_DIALOGUE"


# ---------- the dialogue and documents in parts (¶40-¶41) ----------

ANONYMOUS_VIEW = (
    "query($id: ID!) { node(id: $id) { ... on Review { dialogue { id body } documents { id title } } } }"
)
UPLOAD = (
    'mutation($r: ID!, $t: String!) { r: uploadDocument(review: $r, title: $t, contentType: "text/plain",'
    ' contentBase64: "U3RhdGlzdGljcw==") { __typename ... on ReviewDocument { id } } }'
)
PUBLISHED = (
    'query { search(query: "", kinds: [REVIEW_DOCUMENT], filter: {parties: ["BGR"]}, first: 100) {'
    " edges { node { document { ... on ReviewPublication { key } } } } } }"
)


async def test_the_dialogue_and_documents_are_published_in_parts(
    http: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    sur = tokens["sur"]
    messages = (
        await data_as(
            http,
            sur,
            "query($id: ID!) { node(id: $id) { ... on Review { dialogue { id thread kind } } } }",
            id=REVIEW,
        )
    )["node"]["dialogue"]
    feedback = next(m for m in messages if m["kind"] == "WRITTEN_FEEDBACK")
    documents = [
        (await mutate(http, tokens["bel expert"], UPLOAD, r=REVIEW, t=title))["id"]
        for title in ("Statistics, public", "Statistics, kept")
    ]

    async def disclose(artefact: str, part: str, visibility: str) -> dict[str, Any]:
        return await mutate(http, sur, DISCLOSE, r=REVIEW, a=artefact, v=visibility, p=part, why=None)

    wrong = await mutate(
        http,
        sur,
        "mutation($r: ID!) { r: setDisclosure(review: $r, artefact: DIALOGUE, visibility: PUBLIC,"
        ' part: "no such message") { __typename ... on InvalidInput { field message } } }',
        r=REVIEW,
    )
    assert wrong == {
        "__typename": "InvalidInput",
        "field": "part",
        "message": "names no message of this review",
    }
    assert (await disclose("DIALOGUE", feedback["id"], "PUBLIC"))["__typename"] == "Review"
    assert (await disclose("ADDITIONAL_DOCUMENTS", documents[0], "PUBLIC"))["__typename"] == "Review"
    flags = (await state(http, tokens))["disclosure"]
    assert {"artefact": "DIALOGUE", "part": feedback["thread"], "visibility": "PUBLIC"} in flags
    assert {"artefact": "ADDITIONAL_DOCUMENTS", "part": documents[0], "visibility": "PUBLIC"} in flags

    seen = (await data_as(http, None, ANONYMOUS_VIEW, id=REVIEW))["node"]
    assert [m["id"] for m in seen["dialogue"]] == [feedback["id"]]
    assert [d["id"] for d in seen["documents"]] == [documents[0]]
    assert (await http.get(f"/documents/{documents[0]}")).status_code == 200
    assert (await http.get(f"/documents/{documents[1]}")).status_code == 404
    keys = [e["node"]["document"]["key"] for e in (await data_as(http, None, PUBLISHED))["search"]["edges"]]
    assert "BGR-1|DIALOGUE" in keys
    assert len([k for k in keys if k.startswith("BGR-1|DOCUMENT|")]) == 1

    # Narrowed again.
    await disclose("DIALOGUE", feedback["thread"], "REVIEW_PARTICIPANTS")
    await disclose("ADDITIONAL_DOCUMENTS", documents[0], "REVIEW_PARTICIPANTS")
    assert (await data_as(http, None, ANONYMOUS_VIEW, id=REVIEW))["node"] == {"dialogue": [], "documents": []}
    keys = [e["node"]["document"]["key"] for e in (await data_as(http, None, PUBLISHED))["search"]["edges"]]
    assert not [k for k in keys if k.startswith(("BGR-1|DIALOGUE", "BGR-1|DOCUMENT|"))]


# ---------- the summary as written (¶38) and a final list (¶39) ----------

OBSERVE = (
    "mutation($r: ID!, $s: [SummaryText!], $l: WorkingLanguage, $g: [String!]) {"
    " r: saveObservations(review: $r, summary: $s, summaryLanguage: $l, gapsAndChallenges: $g) {"
    " __typename ... on Review { listOfObservations { version final summaryLanguage } } "
    + RULE_VIOLATION
    + " } }"
)
AGREE_LIST = (
    "mutation($r: ID!, $v: Int!) { r: agreeToObservations(review: $r, version: $v) {"
    " __typename ... on Review { listOfObservations { final } } } }"
)
REOPEN = (
    "mutation($r: ID!, $why: String!) { r: reopenObservations(review: $r, reason: $why) {"
    " __typename ... on Review { listOfObservations { version final agreedBy { code } } } "
    + RULE_VIOLATION
    + " } }"
)


async def test_the_1500_words_count_in_the_summary_as_written(
    http: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    bel = tokens["bel"]
    long = [{"lang": "EN", "text": "word " * 1501}]
    assert "1501 words" in violated(await mutate(http, bel, OBSERVE, r=REVIEW, s=long, l=None, g=None), "¶38")
    assert (await state(http, tokens))["listOfObservations"] is None  # nothing written
    # Written in French (a working language of the review, first given); the translations
    # run longer than 1,500 words and are not held to them.
    summary = [{"lang": "FR", "text": "mot " * 1400}] + [
        {"lang": lang, "text": "word " * 1700} for lang in SIX if lang != "FR"
    ]
    saved = await mutate(http, bel, OBSERVE, r=REVIEW, s=summary, l=None, g=["A gap"])
    assert saved["listOfObservations"]["summaryLanguage"] == "FR"
    # Saying it was written in English makes the English text the one counted.
    violated(await mutate(http, bel, OBSERVE, r=REVIEW, s=None, l="EN", g=None), "¶38")
    assert (await state(http, tokens))["listOfObservations"]["summaryLanguage"] == "FR"


async def test_a_final_list_is_changed_only_after_a_recorded_reopening(
    http: httpx.AsyncClient, tokens: dict[str, str]
) -> None:
    version = (await state(http, tokens))["listOfObservations"]["version"]
    for name in ("sur", "bel", "svn"):
        final = await mutate(http, tokens[name], AGREE_LIST, r=REVIEW, v=version)
    assert final["listOfObservations"]["final"] is True

    change = await mutate(http, tokens["bel"], OBSERVE, r=REVIEW, s=None, l=None, g=["Another gap"])
    assert "reopen them first" in violated(change, "¶39")
    kept = (await state(http, tokens))["listOfObservations"]
    assert (kept["version"], kept["final"], len(kept["agreedBy"])) == (version, True, 3)

    assert (await mutate(http, tokens["bel expert"], REOPEN, r=REVIEW, why="x"))[
        "__typename"
    ] == "NotAuthorized"
    violated(await mutate(http, tokens["sur"], REOPEN, r=REVIEW, why="  "), "¶39")
    why = "Bulgaria adopted a new law on 1 December 2026"
    reopened = await mutate(http, tokens["sur"], REOPEN, r=REVIEW, why=why)
    assert reopened["listOfObservations"] == {"version": version + 1, "final": False, "agreedBy": []}
    violated(await mutate(http, tokens["sur"], REOPEN, r=REVIEW, why=why), "¶39")  # not final now

    record = (await state(http, tokens))["listOfObservations"]["reopenings"]
    assert record == [
        {
            "version": version,
            "reason": why,
            "by": {"code": "BGR"},
            "agreementsWithdrawn": [{"code": c} for c in ("BEL", "BGR", "SVN")],
        }
    ]
    changed = await mutate(http, tokens["bel"], OBSERVE, r=REVIEW, s=None, l=None, g=["Another gap"])
    assert changed["listOfObservations"]["version"] == version + 2
