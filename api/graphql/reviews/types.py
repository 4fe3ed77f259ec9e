"""Country reviews in GraphQL: every artefact field is filtered by the request's Reader
(api/policy/reader.py).

What the viewer may not read comes back empty ([] or null), never as an error that would
reveal that it exists; the secretariat reads everything.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from enum import StrEnum

import strawberry

from api.auth import now
from api.graphql import enums
from api.graphql.context import ContextInfo
from api.graphql.knowledge.types import Legislation
from api.graphql.localized import LocalizedText, pick, pick_property, text_of
from api.graphql.reference.types import (
    EN,
    Article,
    Instrument,
    Party,
    load_instrument,
    load_instruments,
    native,
    party_of,
)
from api.graphql.relay import (
    Node,
    decode_global_id,
    global_id,
)
from api.graphql.reviews.progress import ReviewProgress, facts_from
from api.graphql.scalars import LanguageCode
from api.policy import fields as rules
from api.policy.fields import ROWS, restricted
from api.policy.reader import ReviewSubject
from graph.driver import Record
from graph.localized import read_localized
from graph.reviews import disclosure_log, flags_of, participants_of
from mechanism.disclosure import Artefact, ReviewParticipants, Visibility, visibility_of

strawberry.enum(Visibility)
strawberry.enum(Artefact, name="ReviewArtefact")


@strawberry.enum
class WorkingLanguage(StrEnum):
    AR = "ar"
    ZH = "zh"
    EN = "en"
    FR = "fr"
    RU = "ru"
    ES = "es"


@strawberry.type
class ArtefactDisclosure:
    artefact: Artefact
    visibility: Visibility
    part: str | None = strawberry.field(description="optional finer scope, e.g. one questionnaire section")


@strawberry.type
class ReviewerAssignment:
    same_regional_group: bool
    party_code: strawberry.Private[str]
    instrument_codes: strawberry.Private[list[str]]

    @strawberry.field
    def reviewer(self, info: ContextInfo) -> Party:
        return party_of(info, self.party_code)

    @strawberry.field
    async def instruments(self, info: ContextInfo) -> list[Instrument]:
        return await load_instruments(info, self.instrument_codes)


# An answer, a dialogue message and a document have global IDs whose key is the review's id,
# "|", then the artefact's own key (an answer's is its article): `node(id)` finds them among
# what the viewer reads of that review.
REVIEW_ARTEFACTS = frozenset({"QuestionnaireAnswer", "DialogueMessage", "ReviewDocument"})


def artefact_id(type_name: str, review_id: str, item: str) -> strawberry.ID:
    return global_id(type_name, f"{review_id}|{item}")


def artefact_ref(value: str, type_name: str) -> tuple[str | None, str]:
    """(review id, own key) of an ID of a review's artefact: a global ID of `type_name`, or
    the bare key the API gave before its IDs were global (its review then unknown: None)."""
    ref = decode_global_id(value)
    if ref is not None and ref.type_name == type_name:
        review_id, separator, item = ref.key.partition("|")
        if separator:
            return review_id, item
    return None, value


@strawberry.type
class QuestionnaireAnswer(Node):
    text: str | None
    submitted_at: datetime.datetime | None
    status: str = strawberry.field(description="DRAFT or SUBMITTED")
    version: int = strawberry.field(description="give it back as expectedVersion when saving")
    uncac_references: list[str] = strawberry.field(
        description="references to answers given under the UNCAC review mechanism (¶22)"
    )
    instrument_code: strawberry.Private[str]
    article_key: strawberry.Private[str]
    law_keys: strawberry.Private[list[str]]
    attachment_ids: strawberry.Private[list[str]]
    review_id: strawberry.Private[str]

    @classmethod
    def from_record(cls, a: Record, laws: list[str], attachments: list[str]) -> QuestionnaireAnswer:
        return cls(
            id=global_id("QuestionnaireAnswer", a["key"]),
            text=a.get("text"),
            submitted_at=native(a.get("submittedAt")),
            status=a["status"],
            version=a["version"],
            uncac_references=list(a.get("uncacReferences") or []),
            instrument_code=a["instrument"],
            article_key=a["article"],
            law_keys=laws,
            attachment_ids=attachments,
            review_id=a["key"].partition("|")[0],
        )

    @strawberry.field
    async def instrument(self, info: ContextInfo) -> Instrument:
        return await load_instrument(info, self.instrument_code)

    @strawberry.field
    async def article(self, info: ContextInfo) -> Article:
        record = await info.context.loaders.article.load(self.article_key)
        if record is None:
            raise LookupError(f"no article {self.article_key}")
        return Article.from_record(record)

    @strawberry.field(
        description="IDs of the review's documents attached to the answer (their content is "
        "served at /documents/{id} to those who may read the review's documents)"
    )
    def attachments(self) -> list[strawberry.ID]:
        return [artefact_id("ReviewDocument", self.review_id, a) for a in self.attachment_ids]

    @strawberry.field(description="laws in SHERLOC the answer refers to")
    async def law_references(self, info: ContextInfo) -> list[Legislation]:
        records = await info.context.loaders.document["Legislation"].load_many(self.law_keys)
        return [Legislation.from_record(r) for r in records if r]


@strawberry.type
class DialogueMessage(Node):
    posted_at: datetime.datetime
    body: str
    kind: str = strawberry.field(description="MESSAGE, or MEETING_RECORD for a record of a meeting (¶36)")
    revision: int = strawberry.field(description="1 for the original; an edit is a new revision")
    thread: strawberry.ID = strawberry.field(description="the ID of the message's first revision")
    author_party: strawberry.Private[str | None]

    @classmethod
    def from_record(cls, m: Record) -> DialogueMessage:
        return cls(
            id=artefact_id("DialogueMessage", m["reviewId"], m["id"]),
            posted_at=m["postedAt"].to_native(),
            body=m["body"],
            kind=m["kind"],
            revision=m["revision"],
            thread=artefact_id("DialogueMessage", m["reviewId"], m["thread"]),
            author_party=m.get("authorParty"),
        )

    @strawberry.field(description="the party that wrote it; null for the secretariat")
    def author(self, info: ContextInfo) -> Party | None:
        return party_of(info, self.author_party) if self.author_party else None


@strawberry.type
class ReviewDocument(Node):
    title: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime.datetime | None

    @classmethod
    def from_record(cls, d: Record) -> ReviewDocument:
        return cls(
            id=artefact_id("ReviewDocument", d["reviewId"], d["id"]),
            title=d["title"],
            content_type=d["contentType"],
            size=d["size"],
            sha256=d["sha256"],
            uploaded_at=native(d.get("uploadedAt")),
        )


@strawberry.type
class ListOfObservations:
    gaps_and_challenges: list[str]
    good_practices: list[str]
    recommendations: list[str]
    technical_assistance_needs: list[str]
    final: bool = strawberry.field(
        description="agreed by the State under review and every reviewing State (¶39)"
    )
    version: int
    agreed_by_codes: strawberry.Private[list[str]]

    @strawberry.field
    async def agreed_by(self, info: ContextInfo) -> list[Party]:
        records = await info.context.loaders.party.load_many(self.agreed_by_codes)
        return [Party.from_record(r) for r in records if r]


@strawberry.type
class QuestionnaireSection:
    instrument_code: strawberry.Private[str]
    article_keys: strawberry.Private[list[str]]

    @strawberry.field
    async def instrument(self, info: ContextInfo) -> Instrument:
        return await load_instrument(info, self.instrument_code)

    @strawberry.field(description="the articles asked about, one question each")
    async def articles(self, info: ContextInfo) -> list[Article]:
        records = await info.context.loaders.article.load_many(self.article_keys)
        return [Article.from_record(r) for r in records if r]


@strawberry.type
class DisclosureChange:
    artefact: Artefact
    part: str | None
    from_: Visibility = strawberry.field(name="from")
    to: Visibility
    by: str = strawberry.field(description="the e-mail address of the account that changed it")
    on_behalf_of_state_under_review: bool
    at: datetime.datetime


@strawberry.type
class Review(Node):
    phase: int
    clusters: list[enums.ReviewCluster]
    working_languages: list[WorkingLanguage] = strawberry.field(
        description="one or two working languages, exceptionally three (¶50)"
    )
    answers_due_on: datetime.date | None = strawberry.field(
        description="¶34: six months after the phase starts"
    )
    feedback_due_on: datetime.date | None = strawberry.field(
        description="¶35: six months after the answers are submitted"
    )
    phase_started_on: datetime.date | None
    answers_submitted_on: datetime.date | None
    status: str
    review_id: strawberry.Private[str]
    record: strawberry.Private[Record]
    reviewers: strawberry.Private[list[Record]]
    flags: strawberry.Private[dict[tuple[Artefact, str | None], Visibility]]
    participants: strawberry.Private[ReviewParticipants]
    subject: strawberry.Private[ReviewSubject]

    @classmethod
    def from_row(cls, row: Record) -> Review:
        r = row["review"]
        return cls(
            id=global_id("Review", r["id"]),
            phase=r["phase"],
            clusters=[enums.ReviewCluster(c) for c in r["clusters"]],
            working_languages=[WorkingLanguage(lang) for lang in r["workingLanguages"]],
            answers_due_on=native(r.get("answersDueOn")),
            feedback_due_on=native(r.get("feedbackDueOn")),
            phase_started_on=native(r.get("phaseStartedOn")),
            answers_submitted_on=native(r.get("answersSubmittedOn")),
            status=r["status"],
            review_id=r["id"],
            record=r,
            reviewers=row["reviewers"],
            flags=flags_of(row),
            participants=participants_of(row),
            subject=ReviewSubject.of(row),
        )

    @strawberry.field
    def state_under_review(self, info: ContextInfo) -> Party:
        return party_of(info, self.record["stateUnderReview"])

    @strawberry.field
    async def instruments(self, info: ContextInfo) -> list[Instrument]:
        return await load_instruments(info, self.record["instruments"])

    @strawberry.field
    async def reviewing_states(self, info: ContextInfo) -> list[ReviewerAssignment]:
        codes = [self.record["stateUnderReview"], *(r["party"] for r in self.reviewers)]
        records = await info.context.loaders.party.load_many(codes)
        groups = {
            code: (record or {}).get("regionalGroup") for code, record in zip(codes, records, strict=True)
        }
        return [
            ReviewerAssignment(
                same_regional_group=groups[r["party"]] == groups[codes[0]],
                party_code=r["party"],
                instrument_codes=list(r["instruments"]),
            )
            for r in self.reviewers
        ]

    @strawberry.field(description="the questions of the self-assessment questionnaire, per instrument")
    def questionnaire(self) -> list[QuestionnaireSection]:
        return [
            QuestionnaireSection(
                instrument_code=code,
                article_keys=[k for k in self.record["questions"] if k.startswith(f"{code}:")],
            )
            for code in self.record["instruments"]
        ]

    @strawberry.field(description="the flags of every artefact: each artefact's, then those of its parts")
    def disclosure(self) -> list[ArtefactDisclosure]:
        general = [
            ArtefactDisclosure(artefact=a, visibility=visibility_of(a, None, self.flags), part=None)
            for a in Artefact
        ]
        parts = [
            ArtefactDisclosure(artefact=a, visibility=v, part=p)
            for (a, p), v in sorted(self.flags.items(), key=lambda item: (item[0][0], item[0][1] or ""))
            if p is not None
        ]
        return general + parts

    # What the viewer reads of the review's artefacts (api/policy/reader.py): the fields
    # below and `node(id)`.

    async def readable_answers(self, info: ContextInfo) -> list[QuestionnaireAnswer]:
        rows = await info.context.reader.answers(self.subject)
        return [
            QuestionnaireAnswer.from_record(row["answer"], row["laws"], row["attachments"]) for row in rows
        ]

    async def readable_dialogue(self, info: ContextInfo, history: bool) -> list[DialogueMessage]:
        return [
            DialogueMessage.from_record(m) for m in await info.context.reader.dialogue(self.subject, history)
        ]

    async def readable_documents(self, info: ContextInfo) -> list[ReviewDocument]:
        return [ReviewDocument.from_record(d) for d in await info.context.reader.documents(self.subject)]

    @strawberry.field(extensions=[restricted(ROWS)])
    async def answers(self, info: ContextInfo) -> list[QuestionnaireAnswer]:
        return await self.readable_answers(info)

    @strawberry.field(
        description="the latest revision of each message; `history` gives every revision",
        extensions=[restricted(ROWS)],
    )
    async def dialogue(self, info: ContextInfo, history: bool = False) -> list[DialogueMessage]:
        return await self.readable_dialogue(info, history)

    @strawberry.field(extensions=[restricted(ROWS)])
    async def documents(self, info: ContextInfo) -> list[ReviewDocument]:
        return await self.readable_documents(info)

    @strawberry.field(
        description="where the review stands and what is overdue on `asOf` (default: today); "
        "for the secretariat and the review's participants, null for others",
        extensions=[restricted(ROWS)],
    )
    async def progress(self, info: ContextInfo, as_of: datetime.date | None = None) -> ReviewProgress | None:
        facts = await info.context.reader.progress(self.subject)
        return ReviewProgress.of(facts_from(facts), as_of or now().date()) if facts else None

    @strawberry.field(extensions=[restricted(ROWS)])
    async def list_of_observations(self, info: ContextInfo) -> ListOfObservations | None:
        observations = await info.context.reader.observations(self.subject)
        if observations is None:
            return None
        parts = observations.parts
        return ListOfObservations(
            gaps_and_challenges=parts["gapsAndChallenges"],
            good_practices=parts["goodPractices"],
            recommendations=parts["recommendations"],
            technical_assistance_needs=parts["technicalAssistanceNeeds"],
            final=observations.final,
            version=observations.record["version"],
            agreed_by_codes=list(observations.record.get("agreedBy") or []),
        )

    @strawberry.field(
        description="the summary of the list of observations (at most 1,500 words, ¶38)",
        extensions=[restricted(ROWS)],
    )
    async def summary(self, info: ContextInfo, lang: LanguageCode | None = EN) -> LocalizedText | None:
        observations = await info.context.reader.summary(self.subject)
        return pick(read_localized(observations, "summary"), lang) if observations else None

    @strawberry.field(
        description="every change of a disclosure flag: who, when, what, from, to (secretariat)",
        extensions=[restricted(rules.disclosure_log)],
    )
    async def disclosure_log(self, info: ContextInfo) -> list[DisclosureChange]:
        return [
            DisclosureChange(
                artefact=Artefact(c["artefact"]),
                part=c["part"] or None,
                from_=Visibility(c["from"]),
                to=Visibility(c["to"]),
                by=c["by"],
                on_behalf_of_state_under_review=c["onBehalf"],
                at=c["at"].to_native(),
            )
            for row in await disclosure_log(info.context.graph, self.review_id)
            if (c := row["change"])
        ]


async def review_artefact_node(info: ContextInfo, type_name: str, key: str) -> Node | None:
    """`node(id)` for an answer, a dialogue message (any revision) or a document: what the
    viewer reads of its review, by the same policy as `Review.answers`, `dialogue` and
    `documents`; null for anything else."""
    review_id, separator, _ = key.partition("|")
    row = await info.context.loaders.review.load(review_id) if separator else None
    if row is None:
        return None
    review = Review.from_row(row)
    found: Sequence[Node]
    if type_name == "QuestionnaireAnswer":
        found = await review.readable_answers(info)
    elif type_name == "DialogueMessage":
        found = await review.readable_dialogue(info, history=True)
    elif type_name == "ReviewDocument":
        found = await review.readable_documents(info)
    else:
        return None
    wanted = global_id(type_name, key)
    return next((node for node in found if node.id == wanted), None)


@strawberry.type(description="A part of a review that its State made public (¶41), as search finds it")
class ReviewPublication(Node):
    key: str
    artefact: str
    review_id: strawberry.Private[str]
    properties: strawberry.Private[Record]

    @classmethod
    def from_record(cls, r: Record) -> ReviewPublication:
        return cls(
            id=global_id("ReviewPublication", r["key"]),
            key=r["key"],
            artefact=r["key"].split("|")[1],
            review_id=r["reviewId"],
            properties=r,
        )

    @strawberry.field
    async def review(self, info: ContextInfo) -> Review | None:
        row = await info.context.loaders.review.load(self.review_id)
        return Review.from_row(row) if row else None

    @strawberry.field
    def title(self, lang: LanguageCode | None = EN) -> LocalizedText:
        return text_of(self.properties, "title", lang)

    @strawberry.field
    def text(self, lang: LanguageCode | None = EN) -> LocalizedText | None:
        return pick_property(self.properties, "body", lang)
