"""Publishing what a State under review made public (¶41): its review's public artefacts
become REVIEW_DOCUMENT search documents, and disappear from search the moment they stop
being public. What is public is mechanism.publishing's rule: what an anonymous viewer may
read by the one policy.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from elasticsearch import AsyncElasticsearch

from graph import reviews
from graph.content import DocumentKind
from graph.driver import Graph, Record
from graph.localized import read_localized
from graph.publications import replace_publications, reviews_to_publish
from graph.reviews import flags_of, participants_of
from mechanism.disclosure import LIST_PARTS, Artefact, ReviewParticipants, Visibility
from mechanism.publishing import is_public
from mechanism.reviews import review_complete
from search.indices import documents_alias
from search.sync import delete_tombstoned, index_keys

log = logging.getLogger("sherloc.publishing")

_PART_TITLES = {
    "gapsAndChallenges": "gaps and challenges",
    "goodPractices": "good practices",
    "recommendations": "recommendations",
    "technicalAssistanceNeeds": "technical assistance needs",
}


def _row(key: str, title: str, bodies: dict[str, str], published_on: Any) -> dict[str, Any]:
    props: dict[str, Any] = {"title.en": title, "publishedOn": published_on}
    props.update({f"body.{lang}": text for lang, text in bodies.items() if text})
    props["hash"] = hashlib.sha256(json.dumps(props, sort_keys=True, default=str).encode()).hexdigest()
    return {"key": key, "props": props}


def publications(
    review: Record,
    participants: ReviewParticipants,
    flags: dict[tuple[Artefact, str | None], Visibility],
    answers: list[Record],
    dialogue: list[Record],
    documents: list[Record],
    observations: Record | None,
) -> list[dict[str, Any]]:
    """The review's artefacts an anonymous viewer may read, as publication rows."""

    def public(artefact: Artefact, part: str | None) -> bool:
        return is_public(participants, flags, artefact, part)

    rid, sur, phase = review["id"], review["stateUnderReview"], review["phase"]
    languages = list(review["workingLanguages"])
    heading = f"Review of {sur}, phase {phase}"
    rows = []
    for instrument in review["instruments"]:
        submitted = [
            a["answer"]
            for a in answers
            if a["answer"]["instrument"] == instrument and a["answer"]["status"] == "SUBMITTED"
        ]
        if submitted and public(Artefact.QUESTIONNAIRE_ANSWERS, instrument):
            text = "\n\n".join(f"{a['article']}: {a.get('text') or ''}" for a in submitted)
            rows.append(
                _row(
                    f"{rid}|ANSWERS|{instrument}",
                    f"{heading}: answers ({instrument})",
                    dict.fromkeys(languages, text),
                    review.get("answersSubmittedOn"),
                )
            )
    # The dialogue and documents are public whole or in parts (¶41): a thread, a document.
    latest = [
        m["message"] for m in dialogue if m["latest"] and public(Artefact.DIALOGUE, m["message"]["thread"])
    ]
    if latest:
        text = "\n\n".join(m["body"] for m in latest)
        rows.append(_row(f"{rid}|DIALOGUE", f"{heading}: dialogue", dict.fromkeys(languages, text), None))
    for d in documents:
        document = d["document"]
        if public(Artefact.ADDITIONAL_DOCUMENTS, document["id"]):
            rows.append(_row(f"{rid}|DOCUMENT|{document['id']}", f"{heading}: {document['title']}", {}, None))
    if observations is not None:
        # Final by the one rule the API reads by (¶39): never published while it shows a draft.
        final = review_complete(
            participants.state_under_review, participants.reviewers, observations.get("agreedBy") or []
        )
        if final:
            for part in LIST_PARTS:
                items = observations.get(part) or []
                if items and public(Artefact.LIST_OF_OBSERVATIONS, part):
                    rows.append(
                        _row(
                            f"{rid}|LIST|{part}",
                            f"{heading}: {_PART_TITLES[part]}",
                            dict.fromkeys(languages, "\n".join(items)),
                            None,
                        )
                    )
            summary = read_localized(observations, "summary")
            if summary and public(Artefact.SUMMARY, None):
                rows.append(
                    _row(f"{rid}|SUMMARY", f"{heading}: summary of the list of observations", summary, None)
                )
    return rows


async def publish_review(graph: Graph, es: AsyncElasticsearch, prefix: str, review_id: str) -> None:
    """Bring the review's publications, in the graph and in search, in line with its flags
    and content. A change made meanwhile makes it compute them again."""
    for _ in range(10):
        found = await reviews.reviews_by_ids(graph, [review_id])
        if not found:
            return
        row = found[0]
        observations = await reviews.observations_of(graph, [review_id])
        rows = publications(
            row["review"],
            participants_of(row),
            flags_of(row),
            await reviews.answers_of(graph, [review_id]),
            await reviews.dialogue_of(graph, [review_id]),
            await reviews.documents_of(graph, [review_id]),
            observations[0]["observations"] if observations else None,
        )
        party = row["review"]["stateUnderReview"]
        version = row["review"].get("contentVersion") or 0
        removed = await replace_publications(graph, review_id, party, rows, version)
        if removed is None:
            continue  # the review changed while we read it
        if removed:
            await withdraw(graph, es, prefix, removed)
        if rows:
            await index_keys(graph, es, prefix, DocumentKind.REVIEW_DOCUMENT, [r["key"] for r in rows])
            await es.indices.refresh(index=documents_alias(prefix))
        return
    log.warning("review %s kept changing while its publications were computed; retried later", review_id)


async def publish_pending_reviews(graph: Graph, es: AsyncElasticsearch, prefix: str) -> None:
    """Recompute the publications of reviews whose last computation did not finish."""
    for review_id in await reviews_to_publish(graph):
        await publish_review(graph, es, prefix, review_id)


async def withdraw(graph: Graph, es: AsyncElasticsearch, prefix: str, removed: list[tuple[str, int]]) -> None:
    """Remove withdrawn publications from search now. Their tombstones stay a while, and the
    catch-up loop deletes them again, up to the withdrawn version only: a copy indexed late
    by an older request, or by a reindex running meanwhile, does not come back, while a
    publication made public again (a newer version) stays."""
    tombstones = [{"uid": f"REVIEW_DOCUMENT:{key}", "version": version} for key, version in removed]
    await graph.write(
        "UNWIND $rows AS row MERGE (t:Tombstone {uid: row.uid}) "
        "SET t.version = row.version, t.at = datetime()",
        rows=tombstones,
    )
    try:
        await delete_tombstoned(es, prefix, tombstones)
    except Exception as error:  # the index is down: the catch-up loop removes them
        log.warning("withdrawing %d publications from search failed: %s", len(removed), error)
