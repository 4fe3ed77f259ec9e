"""Writing in the secure module: answers, the dialogue, written feedback and documents. Who may
is decided before each resolver runs, by its guard (api/policy/writes.py); what is written
is checked here."""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import uuid
from typing import Annotated, Any

import strawberry

from api.auth import now
from api.graphql.context import ContextInfo
from api.graphql.errors import InvalidInput, NotAuthorized, NotFound, RuleViolation
from api.graphql.reference.types import native
from api.graphql.reviews.types import (
    DialogueMessage,
    QuestionnaireAnswer,
    Review,
    ReviewDocument,
    WorkingLanguage,
    artefact_ref,
)
from api.graphql.reviews.writing import (
    VersionConflictError,
    publish,
    refusal,
    reload_review,
    review_of,
    text_problem,
)
from graph import reviews as store
from graph.driver import Record
from graph.reviews import AlreadySubmitted, Refused, ReviewMissing, VersionConflict
from mechanism.access import Viewer
from mechanism.documents import document_problem
from mechanism.instruments import ArticleRef
from mechanism.reviews import (
    answer_language_violation,
    feedback_due_on,
    feedback_violation,
)
from mechanism.rules import Violation


@strawberry.type
class SubmittedAnswers:
    review: Review
    submitted: int


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


def _message(review_id: str, viewer: Viewer, body: str, kind: str, at: datetime.datetime) -> dict[str, Any]:
    """A new message of the review's dialogue (its first revision), written by `viewer`."""
    return {
        "id": str(uuid.uuid4()),
        "reviewId": review_id,
        "authorParty": viewer.party,
        "authorUser": viewer.user_id,
        "postedAt": at,
        "body": body,
        "kind": kind,
    }


@strawberry.type
class ReviewMutations:
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
        target = await review_of(info, review)
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
        problem = text_problem("text", text)
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
        await publish(info, target.review_id)
        return QuestionnaireAnswer.from_record(saved, laws, attached)

    @strawberry.mutation(description="Submit the answers (the focal point of the State under review, ¶34)")
    async def submit_answers(self, info: ContextInfo, review: strawberry.ID) -> SubmitAnswersResult:
        target = await review_of(info, review)
        if target is None:
            return NotFound()
        today = now().date()
        count = await store.submit_answers(
            info.context.graph, target.review_id, today, feedback_due_on(today), now()
        )
        if count == 0:
            return InvalidInput(field="review", message="there is no draft answer to submit")
        return SubmittedAnswers(review=await reload_review(info, target.review_id), submitted=count)

    @strawberry.mutation(description="Post to the written dialogue, or revise a message (a new revision)")
    async def post_dialogue_message(
        self,
        info: ContextInfo,
        review: strawberry.ID,
        body: str,
        meeting_record: bool = False,
        revises: strawberry.ID | None = None,
    ) -> MessageResult:
        target = await review_of(info, review)
        if target is None:
            return NotFound()
        problem = text_problem("body", body, 50_000)
        if problem:
            return problem
        kind = "MEETING_RECORD" if meeting_record else "MESSAGE"
        message = _message(target.review_id, info.context.viewer, body, kind, now())
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
        await publish(info, target.review_id)
        return DialogueMessage.from_record(saved)

    @strawberry.mutation(
        description="A reviewing State's written feedback on the submitted answers (its focal point, once, "
        "¶35): archived in the dialogue as WRITTEN_FEEDBACK with its date; what follows goes through "
        "the dialogue"
    )
    async def submit_written_feedback(
        self, info: ContextInfo, review: strawberry.ID, body: str
    ) -> MessageResult:
        target = await review_of(info, review)
        if target is None:
            return NotFound()
        problem = text_problem("body", body, 50_000)
        if problem:
            return problem
        viewer = info.context.viewer
        party = viewer.party or ""
        moment = now()
        message = _message(target.review_id, viewer, body, "WRITTEN_FEEDBACK", moment)
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
            return refusal(refused)
        except ReviewMissing:
            return NotFound()
        await publish(info, target.review_id)
        return DialogueMessage.from_record(saved)

    @strawberry.mutation(description="Add a document to the review (base64 content, size and type checked)")
    async def upload_document(
        self, info: ContextInfo, review: strawberry.ID, title: str, content_type: str, content_base64: str
    ) -> DocumentResult:
        target = await review_of(info, review)
        if target is None:
            return NotFound()
        problem = text_problem("title", title, 500)
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
        await publish(info, target.review_id)
        return ReviewDocument.from_record(saved)
