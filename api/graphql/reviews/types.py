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
from mechanism.draw import same_regional_group

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
    part: str | None = strawberry.field(
        description="optional finer scope: an instrument of the answers, a part of the list, the thread "
        "of a message of the dialogue (its `thread` ID) or a document (its ID)"
    )


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


def shown_part(review_id: str, artefact: Artefact, part: str | None) -> str | None:
    """A part as the client names it: an instrument, a part of the list, or the global ID of a
    message's thread (`DialogueMessage.thread`) or of a document (`ReviewDocument.id`)."""
    if part is not None and artefact is Artefact.DIALOGUE:
        return str(artefact_id("DialogueMessage", review_id, part))
    if part is not None and artefact is Artefact.ADDITIONAL_DOCUMENTS:
        return str(artefact_id("ReviewDocument", review_id, part))
    return part


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
    lang: WorkingLanguage | None = strawberry.field(
        description="the working language of the review the answer is given in (¶19, ¶50); null for "
        "answers saved before it was recorded"
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
            lang=WorkingLanguage(a["lang"]) if a.get("lang") else None,
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
    kind: str = strawberry.field(
        description="MESSAGE, MEETING_RECORD for a record of a meeting (¶36), or WRITTEN_FEEDBACK for a "
        "reviewing State's written feedback on the answers (¶35, submitWrittenFeedback)"
    )
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
    summary_language: WorkingLanguage | None = strawberry.field(
        description="the language the summary is written in: its 1,500 words (¶38) are counted there, "
        "not in the translations"
    )
    agreed_by_codes: strawberry.Private[list[str]]
    reopening_records: strawberry.Private[list[Record]]

    @strawberry.field
    async def agreed_by(self, info: ContextInfo) -> list[Party]:
        records = await info.context.loaders.party.load_many(self.agreed_by_codes)
        return [Party.from_record(r) for r in records if r]

    @strawberry.field(
        description="each reopening of the final list (¶39): when, by whom, why, and the agreements "
        "it withdrew"
    )
    def reopenings(self) -> list[ObservationsReopening]:
        return [
            ObservationsReopening(
                version=x["version"],
                reason=x["reason"],
                at=x["at"].to_native(),
                by_party_code=x.get("byParty"),
                withdrawn_codes=sorted(x.get("agreedBy") or []),
            )
            for x in self.reopening_records
        ]


@strawberry.type(description="A final list of observations reopened (¶39): every agreement withdrawn")
class ObservationsReopening:
    version: int = strawberry.field(description="the final version reopened")
    reason: str
    at: datetime.datetime
    by_party_code: strawberry.Private[str | None]
    withdrawn_codes: strawberry.Private[list[str]]

    @strawberry.field(description="the participant whose focal point reopened it; null for the secretariat")
    def by(self, info: ContextInfo) -> Party | None:
        return party_of(info, self.by_party_code) if self.by_party_code else None

    @strawberry.field(description="the agreements the reopening withdrew")
    async def agreements_withdrawn(self, info: ContextInfo) -> list[Party]:
        records = await info.context.loaders.party.load_many(self.withdrawn_codes)
        return [Party.from_record(r) for r in records if r]


@strawberry.type(
    description="The timeline and working languages of a review as proposed, and agreed once the State "
    "under review and every reviewing State agreed through their focal points (¶31, ¶34, ¶50)"
)
class ReviewTimeline:
    answers_due_on: datetime.date = strawberry.field(
        description="at most six months after the phase starts (¶34)"
    )
    working_languages: list[WorkingLanguage] = strawberry.field(
        description="one or two, exceptionally three (¶50)"
    )
    exception: str | None = strawberry.field(description="why a third working language (¶50)")
    version: int = strawberry.field(description="give it back to agreeToReviewTimeline")
    proposed_on: datetime.date
    agreed_on: datetime.date | None = strawberry.field(
        description="the day the last participant agreed; the review's deadline and languages are then these"
    )
    proposed_by_code: strawberry.Private[str | None]
    agreed_by_codes: strawberry.Private[list[str]]

    @classmethod
    def from_record(cls, t: Record) -> ReviewTimeline:
        answers_due_on = native(t["answersDueOn"])
        proposed_on = native(t["proposedOn"])
        assert answers_due_on is not None and proposed_on is not None
        return cls(
            answers_due_on=answers_due_on,
            working_languages=[WorkingLanguage(lang) for lang in t["workingLanguages"]],
            exception=t.get("exception"),
            version=t["version"],
            proposed_on=proposed_on,
            agreed_on=native(t.get("agreedOn")),
            proposed_by_code=t.get("proposedBy"),
            agreed_by_codes=list(t.get("agreedBy") or []),
        )

    @strawberry.field(description="the participant whose focal point proposed it; null for the secretariat")
    def proposed_by(self, info: ContextInfo) -> Party | None:
        return party_of(info, self.proposed_by_code) if self.proposed_by_code else None

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
    reason: str | None = strawberry.field(
        description="why (¶38: the exceptional circumstances of keeping a part of the list "
        "confidential), or the State's request the secretariat recorded (¶41)"
    )


@strawberry.type
class Review(Node):
    phase: int
    clusters: list[enums.ReviewCluster]
    working_languages: list[WorkingLanguage] = strawberry.field(
        description="one or two working languages, exceptionally three (¶50)"
    )
    answers_due_on: datetime.date | None = strawberry.field(
        description="¶34: as the participants agreed (`timeline`), at most six months after the phase "
        "starts; until they agree, six months after"
    )
    working_languages_exception: str | None = strawberry.field(
        description="why the review is conducted in a third working language, as agreed (¶50)"
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
    timeline_record: strawberry.Private[Record | None]

    @classmethod
    def from_row(cls, row: Record) -> Review:
        r = row["review"]
        return cls(
            id=global_id("Review", r["id"]),
            phase=r["phase"],
            clusters=[enums.ReviewCluster(c) for c in r["clusters"]],
            working_languages=[WorkingLanguage(lang) for lang in r["workingLanguages"]],
            working_languages_exception=r.get("workingLanguagesException"),
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
            timeline_record=row.get("timeline"),
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
                # The draws' rule: a party in no regional group is of the same group as no one.
                same_regional_group=same_regional_group(groups[codes[0]], groups[r["party"]]),
                party_code=r["party"],
                instrument_codes=list(r["instruments"]),
            )
            for r in self.reviewers
        ]

    @strawberry.field(
        description="the timeline and working languages last proposed, and who agreed (¶31, ¶34, ¶50); "
        "null until one is proposed"
    )
    def timeline(self) -> ReviewTimeline | None:
        proposal = self.timeline_record
        return ReviewTimeline.from_record(proposal) if proposal else None

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
            ArtefactDisclosure(artefact=a, visibility=v, part=shown_part(self.review_id, a, p))
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
            summary_language=WorkingLanguage(language)
            if (language := observations.record.get("summaryLanguage"))
            else None,
            agreed_by_codes=list(observations.record.get("agreedBy") or []),
            reopening_records=list(observations.record.get("reopenings") or []),
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
                part=shown_part(self.review_id, Artefact(c["artefact"]), c["part"] or None),
                from_=Visibility(c["from"]),
                to=Visibility(c["to"]),
                by=c["by"],
                on_behalf_of_state_under_review=c["onBehalf"],
                at=c["at"].to_native(),
                reason=c.get("reason") or None,
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
