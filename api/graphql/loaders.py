"""DataLoaders, created per request: each batches one kind of lookup into one query."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from strawberry.dataloader import DataLoader

from api.reference_cache import ReferenceSnapshot
from graph import designations, knowledge, reviews, schedule
from graph.driver import Graph, Record
from graph.knowledge import DocumentCursor, Projection


@dataclass(frozen=True)
class NestedPage:
    """A page of documents under an owner: `relation` as in graph.knowledge.NESTED."""

    relation: str
    owner: str
    after: DocumentCursor | None
    limit: int
    projection: Projection


@dataclass(frozen=True)
class Loaders:
    instrument: DataLoader[str, Record | None]
    articles_of_instrument: DataLoader[str, list[Record]]
    article: DataLoader[str, Record | None]
    party: DataLoader[str, Record | None]
    participations_of_party: DataLoader[str, list[Record]]
    crime_type: DataLoader[str, Record | None]
    # Legislation, Case and CompetentAuthority nodes by key, per label.
    document: dict[str, DataLoader[str, Record | None]]
    # Lists linked to a node, per relation of graph.knowledge.LINKS.
    linked: dict[str, DataLoader[str, list[Record]]]
    nested: DataLoader[NestedPage, tuple[list[Record], int]]
    contact: DataLoader[str, Record | None]
    # A review with its reviewers and disclosure flags, and its artefacts by review id.
    review: DataLoader[str, Record | None]
    # The current designations (focal point, experts) of each party.
    designations: DataLoader[str, list[Record]]
    review_artefacts: dict[str, DataLoader[str, list[Record]]]


def _grouped(items: list[Record], key: str, keys: list[str]) -> list[list[Record]]:
    groups: dict[str, list[Record]] = defaultdict(list)
    for item in items:
        groups[item[key]].append(item)
    return [groups.get(k, []) for k in keys]


def create_loaders(graph: Graph, reference: ReferenceSnapshot) -> Loaders:
    # Reference data comes from the request's snapshot of the process cache: no round trip.
    async def instruments(codes: list[str]) -> list[Record | None]:
        found = reference.instruments
        return [found.get(code) for code in codes]

    async def articles_of_instruments(codes: list[str]) -> list[list[Record]]:
        found = reference.articles_of_instrument
        return [found.get(code, []) for code in codes]

    async def articles(keys: list[str]) -> list[Record | None]:
        found = reference.articles
        return [found.get(key) for key in keys]

    async def parties(codes: list[str]) -> list[Record | None]:
        found = reference.parties
        return [found.get(code) for code in codes]

    async def participations(codes: list[str]) -> list[list[Record]]:
        found = reference.participations
        return [found.get(code, []) for code in codes]

    async def crime_types(keys: list[str]) -> list[Record | None]:
        found = reference.crime_types
        return [found.get(key) for key in keys]

    def documents(label: str) -> DataLoader[str, Record | None]:
        async def load(keys: list[str]) -> list[Record | None]:
            found = {node["key"]: node for node in await knowledge.documents_by_keys(graph, label, keys)}
            return [found.get(key) for key in keys]

        return DataLoader(load)

    def links(relation: str) -> DataLoader[str, list[Record]]:
        async def load(keys: list[str]) -> list[list[Record]]:
            found = await knowledge.linked(graph, relation, keys)
            return [found.get(k, []) for k in keys]

        return DataLoader(load)

    async def nested(pages: list[NestedPage]) -> list[tuple[list[Record], int]]:
        # One query per (relation, page position, projection), however many owners ask for it.
        groups: dict[tuple[str, DocumentCursor | None, int, Projection], list[str]] = defaultdict(list)
        for page in pages:
            groups[(page.relation, page.after, page.limit, page.projection)].append(page.owner)
        results: dict[NestedPage, tuple[list[Record], int]] = {}
        for (relation, after, limit, projection), owners in groups.items():
            found = await knowledge.nested_pages(graph, relation, owners, after, limit, projection)
            for owner in owners:
                results[NestedPage(relation, owner, after, limit, projection)] = found.get(owner, ([], 0))
        return [results[page] for page in pages]

    async def contacts(keys: list[str]) -> list[Record | None]:
        found = await knowledge.authority_contacts(graph, keys)
        return [found.get(k) for k in keys]

    async def review(ids: list[str]) -> list[Record | None]:
        rows = await reviews.reviews_by_ids(graph, ids)
        found = {row["review"]["id"]: row for row in rows}
        return [found.get(i) for i in ids]

    def artefacts(read: Any, column: str) -> DataLoader[str, list[Record]]:
        async def load(ids: list[str]) -> list[list[Record]]:
            rows = await read(graph, ids)
            groups: dict[str, list[Record]] = defaultdict(list)
            for row in rows:
                groups[row[column]["reviewId"]].append(row)
            return [groups.get(i, []) for i in ids]

        return DataLoader(load)

    async def designations_of(codes: list[str]) -> list[list[Record]]:
        rows = await designations.current_designations(graph, codes)
        return _grouped([row["designation"] for row in rows], "party", codes)

    return Loaders(
        designations=DataLoader(designations_of),
        review=DataLoader(review),
        review_artefacts={
            "answers": artefacts(reviews.answers_of, "answer"),
            "dialogue": artefacts(reviews.dialogue_of, "message"),
            "documents": artefacts(reviews.documents_of, "document"),
            "observations": artefacts(reviews.observations_of, "observations"),
            "progress": artefacts(schedule.progress_of, "progress"),
        },
        crime_type=DataLoader(crime_types),
        document={
            label: documents(label)
            for label in (
                "Legislation",
                "Case",
                "CompetentAuthority",
                "Publication",
                "Treaty",
                "TreatyAction",
                "Strategy",
                "BibliographyEntry",
            )
        },
        linked={relation: links(relation) for relation in knowledge.LINKS},
        nested=DataLoader(nested),
        contact=DataLoader(contacts),
        instrument=DataLoader(instruments),
        articles_of_instrument=DataLoader(articles_of_instruments),
        article=DataLoader(articles),
        party=DataLoader(parties),
        participations_of_party=DataLoader(participations),
    )
