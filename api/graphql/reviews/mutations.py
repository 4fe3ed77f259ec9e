"""Writing in the secure module: who may is decided before each resolver runs, by its guard
(api/policy/writes.py); what is written is checked here."""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import json
import logging
import uuid
from typing import Annotated, Any

import strawberry
from neo4j.exceptions import ConstraintError

from api.auth import now
from api.graphql import enums
from api.graphql.context import ContextInfo
from api.graphql.draws.records import current_assignments_of
from api.graphql.draws.types import DrawKind
from api.graphql.errors import InvalidInput, NotAuthorized, NotFound, RuleViolation
from api.graphql.reference.types import native
from api.graphql.relay import parse_global_id
from api.graphql.reviews.reviewer_rules import check_reviewers, workplan_in_force
from api.graphql.reviews.types import (
    DialogueMessage,
    QuestionnaireAnswer,
    Review,
    ReviewDocument,
    WorkingLanguage,
    artefact_ref,
)
from graph import draws as draws_store
from graph import reviews as store
from graph.driver import Record
from graph.reference import UnknownParty
from graph.reviews import AlreadySubmitted, DrawsChanged, Refused, ReviewMissing, VersionConflict, flags_of
from mechanism.disclosure import (
    LIST_PARTS,
    Artefact,
    Visibility,
    acts_on_behalf,
    disclosure_violation,
    visibility_of,
)
from mechanism.documents import document_problem
from mechanism.instruments import ArticleRef
from mechanism.reviews import (
    WORKING_LANGUAGES,
    agreed_by_all,
    answer_language_violation,
    change_violation,
    feedback_due_on,
    feedback_violation,
    new_review,
    reopening_violation,
    timeline_violation,
    working_languages_problem,
)
from mechanism.rules import Violation
from mechanism.summaries import MAX_TRANSLATION_CHARACTERS, summary_violation, written_in
from mechanism.workplan import PHASES
from search.publishing import publish_review

MAX_TEXT = 200_000
MAX_REASON = 2_000
# Opening a review with the drawn reviewers while reviewers are being drawn: tries before
# giving up (each try reads the draws again).
DRAW_RACE_ATTEMPTS = 3
log = logging.getLogger("sherloc.reviews")


@strawberry.type(description="Someone saved a newer version first: reload, then save again")
class VersionConflictError:
    message: str
    current_version: int


@strawberry.input
class ReviewerInput:
    party: str
    instruments: list[enums.InstrumentCode]


@strawberry.input
class SummaryText:
    lang: WorkingLanguage
    text: str


@strawberry.type
class SubmittedAnswers:
    review: Review
    submitted: int


ReviewResult = Annotated[
    Review | NotAuthorized | NotFound | InvalidInput | RuleViolation, strawberry.union("ReviewResult")
]
SetDisclosureResult = Annotated[
    Review | NotAuthorized | NotFound | InvalidInput | RuleViolation, strawberry.union("SetDisclosureResult")
]
ReviewTimelineResult = Annotated[
    Review | NotAuthorized | NotFound | InvalidInput | VersionConflictError | RuleViolation,
    strawberry.union("ReviewTimelineResult"),
]
AnswerResult = Annotated[
    QuestionnaireAnswer | NotAuthorized | NotFound | InvalidInput | VersionConflictError | RuleViolation,
    strawberry.union("AnswerResult"),
]
SubmitAnswersResult = Annotated[
    SubmittedAnswers | NotAuthorized | NotFound | InvalidInput, strawberry.union("SubmitAnswersResult")
]
MessageResult = Annotated[
    DialogueMessage | NotAuthorized | NotFound | InvalidInput | RuleViolation,
    strawberry.union("DialogueMessageResult"),
]
DocumentResult = Annotated[
    ReviewDocument | NotAuthorized | NotFound | InvalidInput, strawberry.union("ReviewDocumentResult")
]
ObservationsResult = Annotated[
    Review | NotAuthorized | NotFound | InvalidInput | VersionConflictError | RuleViolation,
    strawberry.union("ObservationsResult"),
]


async def _review(info: ContextInfo, id: strawberry.ID) -> Review | None:
    ref = parse_global_id(id, "review")
    if ref.type_name != "Review":
        return None
    row = await info.context.loaders.review.load(ref.key)
    return Review.from_row(row) if row else None


def _refusal(refused: Refused) -> RuleViolation:
    """What a rule checked in the write's transaction answered (nothing was written)."""
    assert isinstance(refused.refusal, Violation)
    return RuleViolation.of(refused.refusal)


async def _part_of(info: ContextInfo, review_id: str, artefact: Artefact, given: str) -> str | None:
    """The part of the dialogue (a message's thread: the ID of any of its revisions) or of the
    documents (a document's ID) that `given` names, as its key; None if it names none of this
    review's."""
    if artefact is Artefact.DIALOGUE:
        of_review, key = artefact_ref(given, "DialogueMessage")
        rows = await info.context.loaders.review_artefacts["dialogue"].load(review_id)
        threads = {row["message"]["id"]: row["message"]["thread"] for row in rows}
    else:
        of_review, key = artefact_ref(given, "ReviewDocument")
        rows = await info.context.loaders.review_artefacts["documents"].load(review_id)
        threads = {row["document"]["id"]: row["document"]["id"] for row in rows}
    if of_review not in (None, review_id):
        return None
    return threads.get(key)


def _participants(locked: Record) -> tuple[str, list[str]]:
    """The State under review and its reviewing States, of a review `graph.reviews` locked."""
    return locked["review"]["stateUnderReview"], list(locked["reviewers"])


def _text(field: str, value: str, limit: int = MAX_TEXT) -> InvalidInput | None:
    if not value.strip():
        return InvalidInput(field=field, message="must not be empty")
    if len(value) > limit:
        return InvalidInput(field=field, message=f"must have at most {limit} characters")
    if any(ord(c) < 32 and c not in "\t\n\r" for c in value):
        return InvalidInput(field=field, message="contains control characters")
    return None


async def _publish(info: ContextInfo, review_id: str) -> None:
    """Search follows every change of what is public (never failing the write itself)."""
    try:
        await publish_review(
            info.context.graph, info.context.es, info.context.settings.es_index_prefix, review_id
        )
    except Exception as error:  # the graph holds the truth; the catch-up loop follows
        log.warning("publishing review %s failed: %s", review_id, error)


async def _reload(info: ContextInfo, review_id: str) -> Review:
    """The review as it is now (its publications brought in line): what this request
    cached of it before the write is dropped."""
    await _publish(info, review_id)
    loaders = info.context.loaders
    loaders.review.clear_all()
    for loader in loaders.review_artefacts.values():
        loader.clear_all()
    row = await loaders.review.load(review_id)
    assert row is not None
    return Review.from_row(row)


async def _undrawn_problem(info: ContextInfo, code: str) -> RuleViolation | None:
    """Why a review of `code`, which has no reviewing States drawn, may not be opened without
    naming them; None when its reviewers are still to be drawn: the first draw of reviewing
    States fills the reviews of the States drawn that have none (¶28), as for the reviews a
    phase's start opens."""
    draw = await draws_store.latest_draw(info.context.graph, DrawKind.STATES_UNDER_REVIEW.value)
    if draw is None:
        return RuleViolation(
            paragraph="¶28",
            message=f"{code} has no reviewing States drawn (¶28) and no States under review have been "
            "drawn yet (¶17): draw them first, or name the reviewing States",
        )
    if code not in json.loads(draw["result"]).get("years", {}):
        return RuleViolation(
            paragraph="¶28",
            message=f"{code} has no reviewing States drawn (¶28), and no draw will give it any: it is "
            "not among the States under review drawn by lot (¶17); name the reviewing States",
        )
    return None


async def _review_to_open(
    info: ContextInfo,
    code: str,
    phase: int,
    phase_started_on: datetime.date,
    working_languages: list[WorkingLanguage],
    reviewers: list[ReviewerInput],
    *,
    drawn: bool,
    volunteer: bool,
    more_than_four_reviewers_agreed: bool,
) -> tuple[dict[str, Any], list[dict[str, Any]]] | InvalidInput | RuleViolation:
    """The review to create and its reviewers ({party, instruments}), or why not. `drawn`:
    the reviewers are those drawn for the State (¶28), not named by the secretariat."""
    codes = [code, *(r.party.strip().upper() for r in reviewers)]
    records = await info.context.loaders.party.load_many(codes)
    participations = await info.context.loaders.participations_of_party.load_many(codes)
    if records[0] is None:
        return InvalidInput(field="stateUnderReview", message=f"unknown party {code!r}")
    bound = {p["instrument"] for p in participations[0] if p["status"] == "PARTY"}
    if "UNTOC" not in bound:
        if not volunteer:
            return InvalidInput(
                field="stateUnderReview",
                message=f"{code} is a signatory, not a party: it may take part only as a volunteer (¶52)",
            )
        bound = {p["instrument"] for p in participations[0]}
    if drawn and not reviewers:
        problem = await _undrawn_problem(info, code)
        if problem:
            return problem
    # The rules of ¶26-¶29 (the cap of four, ...) are checked by reviewer_rules.check_reviewers.
    assigned = []
    for index, (reviewer, record, theirs) in enumerate(
        zip(reviewers, records[1:], participations[1:], strict=True)
    ):
        party = codes[index + 1]
        field = f"reviewers.{index}"
        if record is None:
            return InvalidInput(field=field, message=f"unknown party {party!r}")
        if party == code or party in codes[1 : index + 1]:
            return InvalidInput(field=field, message=f"{party} is named twice or is under review")
        parties_to = {p["instrument"] for p in theirs if p["status"] == "PARTY"}
        instruments = [i.value for i in reviewer.instruments]
        outside = [i for i in instruments if i not in parties_to or i not in bound]
        if not instruments:
            return InvalidInput(field=field, message=f"name the instruments {party} reviews")
        if outside:  # ¶28(b): reviewed, per instrument, only by parties to it
            return RuleViolation(
                paragraph="¶28(b)",
                message=f"{party} may review only instruments both it and {code} are parties to "
                f"(not {', '.join(outside)})",
            )
        assigned.append({"party": party, "instruments": instruments})
    review = new_review(
        code,
        phase,
        phase_started_on,
        [lang.value for lang in working_languages],
        bound,
        bool(records[0].get("uncacParty")),
        volunteer,
        workplan=await workplan_in_force(info),  # table 2 as amended (¶16)
    )
    review["createdAt"] = now()
    return review, assigned


@strawberry.type
class ReviewMutations:
    @strawberry.mutation(
        description="Open the review of a State for a phase (secretariat). Without `reviewers`, the "
        "review takes the reviewing States drawn for the State (¶28), or, for a State drawn as a State "
        "under review (¶17) whose reviewers are not drawn yet, those of its first draw later; any other "
        "State's reviewers must be named."
    )
    async def create_review(
        self,
        info: ContextInfo,
        state_under_review: str,
        phase: int,
        phase_started_on: datetime.date,
        working_languages: list[WorkingLanguage],
        reviewers: list[ReviewerInput] | None = None,
        volunteer: bool = False,
        more_than_four_reviewers_agreed: bool = False,
    ) -> ReviewResult:
        if phase not in PHASES:
            return InvalidInput(field="phase", message="must be 1, 2, 3 or 4")
        problem = working_languages_problem([lang.value for lang in working_languages])
        if problem:
            return InvalidInput(field="workingLanguages", message=problem)
        if reviewers is not None and not reviewers:
            return InvalidInput(field="reviewers", message="name the reviewing States (¶28), or omit them")
        code = state_under_review.strip().upper()
        for _ in range(DRAW_RACE_ATTEMPTS):
            seen: list[str] | None = None
            chosen = reviewers
            if chosen is None:
                rows = await draws_store.reviewer_draws(info.context.graph)
                seen = [row["draw"]["id"] for row in rows]
                chosen = [
                    ReviewerInput(
                        party=a.reviewer, instruments=[enums.InstrumentCode(i) for i in a.instruments]
                    )
                    for a in current_assignments_of(rows)
                    if a.state_under_review == code
                ]
            opening = await _review_to_open(
                info,
                code,
                phase,
                phase_started_on,
                working_languages,
                chosen,
                drawn=seen is not None,
                volunteer=volunteer,
                more_than_four_reviewers_agreed=more_than_four_reviewers_agreed,
            )
            if isinstance(opening, InvalidInput | RuleViolation):
                return opening
            review, assigned = opening
            checked = await check_reviewers(
                info,
                code,
                phase,
                None if seen is not None else assigned,
                volunteer=volunteer,
                more_than_four_argument=more_than_four_reviewers_agreed,
            )
            if isinstance(checked, InvalidInput | RuleViolation):
                return checked
            try:
                await store.create_review(
                    info.context.graph,
                    review,
                    assigned,
                    reviewer_draws_seen=seen if seen is not None else checked.draws,
                    reviewers_seen=None if seen is not None else checked.reviewers,
                )
            except DrawsChanged:  # reviewers were drawn meanwhile: take them
                continue
            except ConstraintError:
                return InvalidInput(field="phase", message=f"{code} already has a review for phase {phase}")
            except UnknownParty as unknown:
                field = "stateUnderReview" if unknown.code == code else "reviewers"
                return InvalidInput(field=field, message=f"unknown party {unknown.code!r}")
            return await _reload(info, str(review["id"]))
        return InvalidInput(
            field="reviewers", message="reviewing States were being drawn at the same time: try again"
        )

    @strawberry.mutation(
        description="Save a draft answer to one question (the State under review), in one of the review's "
        "working languages (`lang`; by default its first, ¶19, ¶50)"
    )
    async def save_answer(
        self,
        info: ContextInfo,
        review: strawberry.ID,
        article: str,
        text: str,
        law_references: list[str] | None = None,
        uncac_references: list[str] | None = None,
        attachments: list[strawberry.ID] | None = None,
        expected_version: int | None = None,
        lang: WorkingLanguage | None = None,
    ) -> AnswerResult:
        target = await _review(info, review)
        if target is None:
            return NotFound()
        working = list(target.record["workingLanguages"])
        language = lang.value if lang is not None else working[0]
        wrong_language = answer_language_violation(language, working)
        if wrong_language:
            return RuleViolation.of(wrong_language)
        try:
            key = ArticleRef.parse(article).key
        except ValueError as error:
            return InvalidInput(field="article", message=str(error))
        if key not in target.record["questions"]:
            return InvalidInput(field="article", message=f"{key} is not a question of this review")
        problem = _text("text", text)
        if problem:
            return problem
        laws = list(dict.fromkeys(law_references or []))
        found = await info.context.loaders.document["Legislation"].load_many(laws)
        missing = [k for k, r in zip(laws, found, strict=True) if r is None]
        if missing:
            return InvalidInput(field="lawReferences", message=f"unknown law {missing[0]!r}")
        documents = {
            d["document"]["id"]
            for d in await info.context.loaders.review_artefacts["documents"].load(target.review_id)
        }
        attached = []
        for given in dict.fromkeys(str(a) for a in attachments or []):
            of_review, document_id = artefact_ref(given, "ReviewDocument")
            if of_review not in (None, target.review_id) or document_id not in documents:
                return InvalidInput(
                    field="attachments", message=f"{given!r} is not a document of this review"
                )
            attached.append(document_id)
        attached = list(dict.fromkeys(attached))
        uncac = [u.strip() for u in uncac_references or [] if u.strip()]
        if len(uncac) > 50 or any(len(u) > 500 for u in uncac):
            return InvalidInput(field="uncacReferences", message="at most 50 references of 500 characters")
        try:
            saved = await store.save_answer(
                info.context.graph,
                review_id=target.review_id,
                instrument=key.split(":")[0],
                article=key,
                text=text,
                law_keys=laws,
                uncac_references=uncac,
                attachment_ids=attached,
                expected_version=expected_version,
                user_id=info.context.viewer.user_id or "",
                now=now(),
                lang=language,
            )
        except VersionConflict as conflict:
            return VersionConflictError(
                message="someone saved a newer version of this answer first", current_version=conflict.current
            )
        except AlreadySubmitted:
            return InvalidInput(
                field="article", message=f"the answer to {key} was submitted; add to it through the dialogue"
            )
        except ReviewMissing:
            return NotFound()
        await _publish(info, target.review_id)
        return QuestionnaireAnswer.from_record(saved, laws, attached)

    @strawberry.mutation(description="Submit the answers (the focal point of the State under review, ¶34)")
    async def submit_answers(self, info: ContextInfo, review: strawberry.ID) -> SubmitAnswersResult:
        target = await _review(info, review)
        if target is None:
            return NotFound()
        today = now().date()
        count = await store.submit_answers(
            info.context.graph, target.review_id, today, feedback_due_on(today), now()
        )
        if count == 0:
            return InvalidInput(field="review", message="there is no draft answer to submit")
        return SubmittedAnswers(review=await _reload(info, target.review_id), submitted=count)

    @strawberry.mutation(description="Post to the written dialogue, or revise a message (a new revision)")
    async def post_dialogue_message(
        self,
        info: ContextInfo,
        review: strawberry.ID,
        body: str,
        meeting_record: bool = False,
        revises: strawberry.ID | None = None,
    ) -> MessageResult:
        target = await _review(info, review)
        if target is None:
            return NotFound()
        problem = _text("body", body, 50_000)
        if problem:
            return problem
        message = {
            "id": str(uuid.uuid4()),
            "reviewId": target.review_id,
            "authorParty": info.context.viewer.party,
            "authorUser": info.context.viewer.user_id,
            "postedAt": now(),
            "body": body,
            "kind": "MEETING_RECORD" if meeting_record else "MESSAGE",
        }
        revised = None
        if revises is not None:
            of_review, revised = artefact_ref(str(revises), "DialogueMessage")
            if of_review not in (None, target.review_id):
                return InvalidInput(field="revises", message="names no current message of this review")
        saved = await store.post_message(info.context.graph, message, revised)
        if saved is None:
            if revised is None:  # the review itself is gone
                return NotFound()
            return InvalidInput(field="revises", message="names no current message of this review")
        await _publish(info, target.review_id)
        return DialogueMessage.from_record(saved)

    @strawberry.mutation(
        description="A reviewing State's written feedback on the submitted answers (its focal point, once, "
        "¶35): archived in the dialogue as WRITTEN_FEEDBACK with its date; what follows goes through "
        "the dialogue"
    )
    async def submit_written_feedback(
        self, info: ContextInfo, review: strawberry.ID, body: str
    ) -> MessageResult:
        target = await _review(info, review)
        if target is None:
            return NotFound()
        problem = _text("body", body, 50_000)
        if problem:
            return problem
        viewer = info.context.viewer
        party = viewer.party or ""
        moment = now()
        message = {
            "id": str(uuid.uuid4()),
            "reviewId": target.review_id,
            "authorParty": party,
            "authorUser": viewer.user_id,
            "postedAt": moment,
            "body": body,
            "kind": "WRITTEN_FEEDBACK",
        }
        feedback = {"party": party, "givenOn": moment.date(), "givenAt": moment, "givenBy": viewer.user_id}

        def decide(locked: Record) -> Violation | None:
            given = next((f for f in locked["feedback"] if f["party"] == party), None)
            return feedback_violation(
                native(locked["review"].get("answersSubmittedOn")),
                native(given["givenOn"]) if given else None,
            )

        try:
            saved = await store.give_feedback(info.context.graph, message, feedback, decide)
        except Refused as refused:
            return _refusal(refused)
        except ReviewMissing:
            return NotFound()
        await _publish(info, target.review_id)
        return DialogueMessage.from_record(saved)

    @strawberry.mutation(description="Add a document to the review (base64 content, size and type checked)")
    async def upload_document(
        self, info: ContextInfo, review: strawberry.ID, title: str, content_type: str, content_base64: str
    ) -> DocumentResult:
        target = await _review(info, review)
        if target is None:
            return NotFound()
        problem = _text("title", title, 500)
        if problem:
            return problem
        try:
            content = base64.b64decode(content_base64, validate=True)
        except (binascii.Error, ValueError):
            return InvalidInput(field="contentBase64", message="is not base64")
        refused = document_problem(content_type, content)
        if refused:
            return InvalidInput(field=refused[0], message=refused[1])
        document = {
            "id": str(uuid.uuid4()),
            "reviewId": target.review_id,
            "title": title.strip(),
            "contentType": content_type,
            "size": len(content),
            "sha256": hashlib.sha256(content).hexdigest(),
            "uploadedAt": now(),
            "uploadedBy": info.context.viewer.user_id,
        }
        saved = await store.add_document(info.context.graph, document, content)
        if saved is None:
            return NotFound()
        await _publish(info, target.review_id)
        return ReviewDocument.from_record(saved)

    @strawberry.mutation(
        description="Draft the list of observations or its summary (the reviewing States, with the "
        "secretariat); any change withdraws the agreements given; a final list is reopened first "
        "(¶39). `summaryLanguage`: the language the summary is written in, whose 1,500 words count "
        "(¶38; by default the one recorded, else the first working language of the review given)"
    )
    async def save_observations(
        self,
        info: ContextInfo,
        review: strawberry.ID,
        expected_version: int | None = None,
        gaps_and_challenges: list[str] | None = None,
        good_practices: list[str] | None = None,
        recommendations: list[str] | None = None,
        technical_assistance_needs: list[str] | None = None,
        summary: list[SummaryText] | None = None,
        summary_language: WorkingLanguage | None = None,
    ) -> ObservationsResult:
        target = await _review(info, review)
        if target is None:
            return NotFound()
        changes: dict[str, object] = {}
        for name, items in (
            ("gapsAndChallenges", gaps_and_challenges),
            ("goodPractices", good_practices),
            ("recommendations", recommendations),
            ("technicalAssistanceNeeds", technical_assistance_needs),
        ):
            if items is None:
                continue
            for index, item in enumerate(items):
                problem = _text(f"{name}.{index}", item, 20_000)
                if problem:
                    return problem
            changes[name] = [item.strip() for item in items]
        for entry in summary or []:
            if not entry.text.strip():
                return InvalidInput(field=f"summary.{entry.lang.value}", message="must not be empty")
            if len(entry.text) > MAX_TRANSLATION_CHARACTERS:
                return InvalidInput(
                    field=f"summary.{entry.lang.value}",
                    message=f"must have at most {MAX_TRANSLATION_CHARACTERS:,} characters",
                )
            changes[f"summary.{entry.lang.value}"] = entry.text.strip()
        if summary_language is not None:
            changes["summaryLanguage"] = summary_language.value
        if not changes:
            return InvalidInput(field="review", message="nothing to change")
        given = [entry.lang.value for entry in summary or []]

        def decide(locked: Record) -> Violation | None:
            sur, reviewers = _participants(locked)
            before = locked["observations"] or {}
            final = change_violation(sur, reviewers, before.get("agreedBy") or [])
            if final:
                return final
            after = locked["changed"]
            working = list(locked["review"]["workingLanguages"])
            original = written_in(given, after.get("summaryLanguage"), working)
            if original is not None:
                after["summaryLanguage"] = changes["summaryLanguage"] = original
            texts = {
                lang: str(after[f"summary.{lang}"])
                for lang in WORKING_LANGUAGES
                if after.get(f"summary.{lang}")
            }
            return summary_violation(texts, original)

        try:
            await store.save_observations(
                info.context.graph, target.review_id, changes, expected_version, now(), decide
            )
        except Refused as refused:
            return _refusal(refused)
        except VersionConflict as conflict:
            return VersionConflictError(
                message="someone saved a newer version of the list first", current_version=conflict.current
            )
        except ReviewMissing:
            return NotFound()
        return await _reload(info, target.review_id)

    @strawberry.mutation(
        description="Agree to this version of the list and summary (a focal point of a participant); "
        "final once the State under review and every reviewing State agreed (¶39)"
    )
    async def agree_to_observations(
        self, info: ContextInfo, review: strawberry.ID, version: int
    ) -> ObservationsResult:
        target = await _review(info, review)
        if target is None:
            return NotFound()
        rows = await info.context.loaders.review_artefacts["observations"].load(target.review_id)
        if not rows:
            return InvalidInput(field="review", message="the review has no list of observations yet (¶38)")
        if not all(rows[0]["observations"].get(f"summary.{lang.value}") for lang in WorkingLanguage):
            return InvalidInput(
                field="summary", message="the summary must exist in the six languages first (¶38)"
            )
        agreed = await store.agree_observations(
            info.context.graph, target.review_id, info.context.viewer.party or "", version
        )
        if agreed is None:
            current = rows[0]["observations"]["version"]
            return VersionConflictError(message="the list changed since you read it", current_version=current)
        return await _reload(info, target.review_id)

    @strawberry.mutation(
        description="Reopen a final list of observations and its summary (a focal point of a participant, "
        "or the secretariat; ¶39): the reopening is recorded with its reason and every agreement is "
        "withdrawn"
    )
    async def reopen_observations(
        self, info: ContextInfo, review: strawberry.ID, reason: str
    ) -> ObservationsResult:
        target = await _review(info, review)
        if target is None:
            return NotFound()
        if reason.strip():
            problem = _text("reason", reason, MAX_REASON)
            if problem:
                return problem
        viewer = info.context.viewer
        reopening = {
            "reason": reason.strip(),
            "byParty": viewer.party,
            "byUser": viewer.user_id,
            "by": (info.context.user or {}).get("email", ""),
            "at": now(),
        }

        def decide(locked: Record) -> Violation | None:
            sur, reviewers = _participants(locked)
            agreed = (locked["observations"] or {}).get("agreedBy") or []
            return reopening_violation(sur, reviewers, agreed, reason)

        try:
            await store.reopen_observations(info.context.graph, target.review_id, reopening, decide)
        except Refused as refused:
            return _refusal(refused)
        except ReviewMissing:
            return NotFound()
        return await _reload(info, target.review_id)

    @strawberry.mutation(
        description="Propose the review's timeline and working languages (a focal point of the State under "
        "review or of a reviewing State, or the secretariat assisting them; ¶31): the answers due at "
        "most six months after the phase starts (¶34), one or two working languages, exceptionally "
        "three with the `exception` recorded (¶50). It replaces the proposal before it and the "
        "agreements to that; the review keeps what was agreed last until this one is agreed"
    )
    async def propose_review_timeline(
        self,
        info: ContextInfo,
        review: strawberry.ID,
        answers_due_on: datetime.date,
        working_languages: list[WorkingLanguage],
        exception: str | None = None,
    ) -> ReviewTimelineResult:
        target = await _review(info, review)
        if target is None:
            return NotFound()
        languages = [lang.value for lang in working_languages]
        if not 1 <= len(languages) <= 3 or len(set(languages)) != len(languages):
            return InvalidInput(
                field="workingLanguages",
                message="one or two working languages, exceptionally three, each named once (¶50)",
            )
        if exception is not None and exception.strip():
            problem = _text("exception", exception, MAX_REASON)
            if problem:
                return problem
        viewer = info.context.viewer
        moment = now()
        proposal = {
            "answersDueOn": answers_due_on,
            "workingLanguages": languages,
            "exception": (exception or "").strip() or None,
            "proposedBy": viewer.party,
            "proposedByUser": viewer.user_id,
            "proposedOn": moment.date(),
            "proposedAt": moment,
        }

        def decide(locked: Record) -> Violation | None:
            r = locked["review"]
            started, current = native(r["phaseStartedOn"]), native(r["answersDueOn"])
            assert started is not None and current is not None
            return timeline_violation(
                started,
                answers_due_on,
                languages,
                exception,
                current_answers_due=current,
                answers_submitted_on=native(r.get("answersSubmittedOn")),
            )

        try:
            await store.propose_timeline(info.context.graph, target.review_id, proposal, decide)
        except Refused as refused:
            return _refusal(refused)
        except ReviewMissing:
            return NotFound()
        return await _reload(info, target.review_id)

    @strawberry.mutation(
        description="Agree to this version of the proposed timeline and working languages (a focal point "
        "of the State under review or of a reviewing State, ¶31); once the State under review and "
        "every reviewing State agreed, they are the review's `answersDueOn` and `workingLanguages`"
    )
    async def agree_to_review_timeline(
        self, info: ContextInfo, review: strawberry.ID, version: int
    ) -> ReviewTimelineResult:
        target = await _review(info, review)
        if target is None:
            return NotFound()

        def decide(locked: Record) -> Violation | VersionConflictError | None:
            timeline = locked["timeline"]
            if timeline is None:
                return Violation("¶31", "no timeline is proposed for this review: propose one first")
            if timeline["version"] != version:
                return VersionConflictError(
                    message="the proposal changed since you read it", current_version=timeline["version"]
                )
            return None

        def agreed(locked: Record, agreed_by: list[str]) -> bool:
            sur, reviewers = _participants(locked)
            return agreed_by_all(sur, reviewers, agreed_by)

        party = info.context.viewer.party or ""
        try:
            await store.agree_timeline(
                info.context.graph, target.review_id, party, now().date(), decide, agreed
            )
        except Refused as refused:
            if isinstance(refused.refusal, VersionConflictError):
                return refused.refusal
            return _refusal(refused)
        except ReviewMissing:
            return NotFound()
        return await _reload(info, target.review_id)

    @strawberry.mutation(
        description="Set who may read an artefact of one's own review, or a part of it (the focal point "
        "of the State under review, or the secretariat on its behalf recording the State's request as "
        "`reason`), within ¶38-¶41: answers and the summary never below ALL_STATES_PARTIES; only parts "
        "of the list of observations kept confidential, each with its `reason` (¶38), never all. `part`: "
        "an instrument of the answers, a part of the list, a message of the dialogue (its thread) or a "
        "document"
    )
    async def set_disclosure(
        self,
        info: ContextInfo,
        review: strawberry.ID,
        artefact: Artefact,
        visibility: Visibility,
        part: str | None = None,
        reason: str | None = None,
    ) -> SetDisclosureResult:
        target = await _review(info, review)
        if target is None:
            return NotFound()
        viewer = info.context.viewer
        allowed_parts: dict[Artefact, tuple[str, ...]] = {
            Artefact.QUESTIONNAIRE_ANSWERS: tuple(target.record["instruments"]),
            Artefact.LIST_OF_OBSERVATIONS: LIST_PARTS,
        }
        if part is not None and artefact in (Artefact.DIALOGUE, Artefact.ADDITIONAL_DOCUMENTS):
            found = await _part_of(info, target.review_id, artefact, part)
            if found is None:
                what = "message" if artefact is Artefact.DIALOGUE else "document"
                return InvalidInput(field="part", message=f"names no {what} of this review")
            part = found
        elif part is not None and part not in allowed_parts.get(artefact, ()):
            names = ", ".join(allowed_parts.get(artefact, ())) or "none"
            return InvalidInput(field="part", message=f"{artefact.value} has the parts: {names}")
        if reason is not None and reason.strip():
            problem = _text("reason", reason, MAX_REASON)
            if problem:
                return problem
        on_behalf = acts_on_behalf(viewer, target.participants)
        change = {
            "reviewId": target.review_id,
            "artefact": artefact.value,
            "part": part or "",
            "to": visibility.value,
            "by": (info.context.user or {}).get("email", ""),
            "byUser": viewer.user_id,
            "onBehalf": on_behalf,
            "reason": (reason or "").strip() or None,
            "at": now(),
        }

        def decide(locked: Record) -> Violation | None:
            flags = flags_of({"flags": locked["flags"]})
            change["from"] = visibility_of(artefact, part, flags).value
            return disclosure_violation(artefact, part, visibility, flags, reason=reason, on_behalf=on_behalf)

        try:
            await store.set_disclosure(info.context.graph, change, decide)
        except Refused as refused:
            return _refusal(refused)
        except ReviewMissing:
            return NotFound()
        return await _reload(info, target.review_id)
