"""What one request's viewer may read of the secure module's rows.

Each request has one `Reader` (`info.context.reader`; `GET /documents/{id}` makes its own).
Resolvers ask it for a review's answers, dialogue, documents, list of observations and
summary, for the progress of reviews, for accounts, ended designations, stakeholder
registrations and a review document's content. Each method returns only what
mechanism.access and mechanism.disclosure let the viewer read, and nothing (None, [])
otherwise: never an error that would reveal that the row exists.

Whole fields that come back empty for some viewers are declared with `restricted`
(api/policy/fields.py); writes are guarded in api/policy/writes.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from api.graphql.loaders import Loaders
from graph import accounts, authorities, designations, schedule
from graph.driver import Graph, Record
from graph.reviews import document_content, flags_of, participants_of, reviews_by_ids
from mechanism.access import (
    Role,
    Viewer,
    may_designate,
    may_follow_up_authority_entries,
    may_manage_accounts,
    may_read_account,
    may_read_authority_changes,
    may_read_authority_contact,
    may_read_dialogue_list,
)
from mechanism.disclosure import (
    LIST_PARTS,
    Artefact,
    ReviewParticipants,
    Visibility,
    may_read,
    may_read_progress,
    visibility_of,
)
from mechanism.reviews import review_complete

Flags = dict[tuple[Artefact, str | None], Visibility]


@dataclass(frozen=True)
class ReviewSubject:
    """What the policy needs of a review: its id, participants and disclosure flags."""

    id: str
    participants: ReviewParticipants
    flags: Flags

    @classmethod
    def of(cls, row: Record) -> ReviewSubject:
        """From a row of graph.reviews.reviews_by_ids (the review loader's)."""
        return cls(row["review"]["id"], participants_of(row), flags_of(row))


@dataclass(frozen=True)
class ReadableObservations:
    """A review's list of observations as the viewer reads it: its parts kept back are
    empty (¶38)."""

    record: Record
    final: bool
    parts: dict[str, list[str]]


class Reader:
    """The viewer's window on the secure module for one request."""

    def __init__(self, viewer: Viewer, graph: Graph, loaders: Loaders) -> None:
        self.viewer = viewer
        self._graph = graph
        self._loaders = loaders

    # ---------- a review's artefacts (¶37-¶41) ----------

    def _may_read(self, review: ReviewSubject, artefact: Artefact, part: str | None, draft: bool) -> bool:
        visibility = visibility_of(artefact, part, review.flags)
        return may_read(self.viewer, review.participants, artefact, visibility, draft=draft)

    async def answers(self, review: ReviewSubject) -> list[Record]:
        """The answers the viewer reads, as rows {answer, laws, attachments}: drafts to the
        State under review alone, submitted ones by their instrument's visibility."""
        rows = await self._loaders.review_artefacts["answers"].load(review.id)
        return [
            row
            for row in rows
            if (a := row["answer"])
            and self._may_read(
                review, Artefact.QUESTIONNAIRE_ANSWERS, a["instrument"], a["status"] == "DRAFT"
            )
        ]

    def _reads_any(self, review: ReviewSubject, artefact: Artefact) -> bool:
        """Whether the viewer may read the artefact, or some part of it opened on its own."""
        parts = [part for (kind, part) in review.flags if kind is artefact and part is not None]
        return any(self._may_read(review, artefact, part, draft=False) for part in [None, *parts])

    async def dialogue(self, review: ReviewSubject, history: bool) -> list[Record]:
        """The messages of the written dialogue (¶35-¶36): the latest revision of each, or
        every revision; each by its thread's visibility (the State may open the dialogue in
        parts, ¶40-¶41), else the dialogue's."""
        if not self._reads_any(review, Artefact.DIALOGUE):
            return []
        rows = await self._loaders.review_artefacts["dialogue"].load(review.id)
        return [
            row["message"]
            for row in rows
            if (history or row["latest"])
            and self._may_read(review, Artefact.DIALOGUE, row["message"]["thread"], draft=False)
        ]

    async def documents(self, review: ReviewSubject) -> list[Record]:
        """The review's additional documents, each by its own visibility, else the documents'."""
        if not self._reads_any(review, Artefact.ADDITIONAL_DOCUMENTS):
            return []
        rows = await self._loaders.review_artefacts["documents"].load(review.id)
        return [
            row["document"]
            for row in rows
            if self._may_read(review, Artefact.ADDITIONAL_DOCUMENTS, row["document"]["id"], draft=False)
        ]

    async def _observations(self, review: ReviewSubject) -> tuple[Record, bool] | None:
        rows = await self._loaders.review_artefacts["observations"].load(review.id)
        if not rows:
            return None
        record = rows[0]["observations"]
        participants = review.participants
        final = review_complete(
            participants.state_under_review, participants.reviewers, record.get("agreedBy") or []
        )
        return record, final

    async def observations(self, review: ReviewSubject) -> ReadableObservations | None:
        """The list of observations, each part as far as the viewer reads it; None when it
        reads none of them."""
        found = await self._observations(review)
        if found is None:
            return None
        record, final = found
        readable = {
            part: self._may_read(review, Artefact.LIST_OF_OBSERVATIONS, part, draft=not final)
            for part in LIST_PARTS
        }
        if not any(readable.values()):
            return None
        parts = {part: list(record[part]) if readable[part] else [] for part in LIST_PARTS}
        return ReadableObservations(record, final, parts)

    async def summary(self, review: ReviewSubject) -> Record | None:
        """The observations' record, whose `summary_*` properties hold the summary, if the
        viewer reads the summary (¶38)."""
        found = await self._observations(review)
        if found is None:
            return None
        record, final = found
        return record if self._may_read(review, Artefact.SUMMARY, None, draft=not final) else None

    async def progress(self, review: ReviewSubject) -> Record | None:
        """The facts of a review's progress (graph.schedule), for those who follow it."""
        if not may_read_progress(self.viewer, review.participants):
            return None
        rows = await self._loaders.review_artefacts["progress"].load(review.id)
        return rows[0]["progress"] if rows else None

    async def progress_of_all(self) -> list[Record]:
        """The progress of every review the viewer follows (what `overdue` lists)."""
        if self.viewer.anonymous:
            return []
        rows = await schedule.progress_of_all(self._graph)
        return [
            row["progress"]
            for row in rows
            if may_read_progress(
                self.viewer,
                ReviewParticipants(
                    row["progress"]["stateUnderReview"], frozenset(row["progress"]["reviewers"])
                ),
            )
        ]

    async def document_content(self, document_id: str, of_review: str | None) -> Record | None:
        """A review document with its content, if the viewer reads the review's documents;
        `of_review`, when the document's ID names its review, must be that review."""
        found = await document_content(self._graph, document_id)
        if found is None or of_review not in (None, found["reviewId"]):
            return None
        rows = await reviews_by_ids(self._graph, [found["reviewId"]])
        if not rows or not self._may_read(
            ReviewSubject.of(rows[0]), Artefact.ADDITIONAL_DOCUMENTS, document_id, False
        ):
            return None
        return found

    # ---------- accounts ----------

    async def account(self, user_id: str) -> Record | None:
        """An account's details: its owner and the secretariat."""
        if not may_read_account(self.viewer, user_id):
            return None
        rows = await accounts.users_by_ids(self._graph, [user_id])
        return rows[0]["user"] if rows else None

    async def accounts_page(
        self, party: str | None, role: Role | None, after: str | None, limit: int
    ) -> tuple[list[Record], int]:
        """A page of accounts by e-mail: the secretariat's to list; empty for others."""
        if not may_manage_accounts(self.viewer):
            return [], 0
        return await accounts.users_page(self._graph, party, role.value if role else None, after, limit)

    # ---------- designations (¶18, ¶27) ----------

    async def designation(self, designation_id: str) -> Record | None:
        """A designation: a current one is public (as the party's focal point and experts are);
        an ended one only to whoever may designate for its party."""
        record = await designations.designation(self._graph, designation_id)
        if record is None:
            return None
        if record.get("endedOn") is not None and not may_designate(self.viewer, record["party"]):
            return None
        return record

    # ---------- stakeholders' dialogues (¶53) ----------

    def reads_stakeholder_list(self, circulated: bool) -> bool:
        """Whether the viewer reads a dialogue's list of stakeholders, circulated or not: a
        registration on a list it may not read is, to it, not found."""
        return may_read_dialogue_list(self.viewer, circulated)

    # ---------- the directory of competent authorities (¶116 of the ninth session's report) ----------

    async def authority_changes(
        self, authority: str | None, after: tuple[datetime, str] | None, limit: int
    ) -> tuple[list[Record], int]:
        """The directory's audit log, newest first: every party's to the secretariat, its own
        party's to an account of a party, nothing to others. Each record's `changes` come as
        a list of {field, old, new, withheld}: the contact block's values are withheld from
        viewers who may not read contacts."""
        if may_read_authority_changes(self.viewer, None):
            parties = None
        elif self.viewer.party is not None and may_read_authority_changes(self.viewer, self.viewer.party):
            parties = [self.viewer.party]
        else:
            return [], 0
        rows, total = await authorities.changes_page(
            self._graph, parties=parties, authority=authority, after=after, limit=limit
        )
        contacts = may_read_authority_contact(self.viewer)
        readable = []
        for row in rows:
            changes = []
            for change in json.loads(row["changes"]):
                withheld = change["field"].startswith("contact.") and not contacts
                values = {"old": None, "new": None} if withheld else {}
                changes.append({**change, **values, "withheld": withheld})
            readable.append({**row, "changes": changes})
        return readable, total

    async def stale_authorities(
        self, cutoff: date, after: tuple[date, str, str] | None, limit: int
    ) -> tuple[list[Record], int]:
        """The entries confirmed before `cutoff`, or never: the secretariat's to follow up;
        empty for others."""
        if not may_follow_up_authority_entries(self.viewer):
            return [], 0
        return await authorities.stale_page(self._graph, cutoff=cutoff, after=after, limit=limit)
