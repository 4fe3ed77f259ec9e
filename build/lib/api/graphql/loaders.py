"""DataLoaders, created per request: each batches one kind of lookup into one query."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from strawberry.dataloader import DataLoader

from graph import reference
from graph.driver import Graph, Record


@dataclass(frozen=True)
class Loaders:
    instrument: DataLoader[str, Record | None]
    articles_of_instrument: DataLoader[str, list[Record]]
    article: DataLoader[str, Record | None]
    party: DataLoader[str, Record | None]
    participations_of_party: DataLoader[str, list[Record]]


def _by_key(rows: list[Record], column: str, key: str, keys: list[str]) -> list[Any]:
    found = {row[column][key]: row[column] for row in rows}
    return [found.get(k) for k in keys]


def _grouped(items: list[Record], key: str, keys: list[str]) -> list[list[Record]]:
    groups: dict[str, list[Record]] = defaultdict(list)
    for item in items:
        groups[item[key]].append(item)
    return [groups.get(k, []) for k in keys]


def create_loaders(graph: Graph) -> Loaders:
    async def instruments(codes: list[str]) -> list[Record | None]:
        rows = await reference.instruments(graph, codes)
        return _by_key(rows, "instrument", "code", codes)

    async def articles_of_instruments(codes: list[str]) -> list[list[Record]]:
        rows = await reference.articles_of_instruments(graph, codes)
        return _grouped([row["article"] for row in rows], "instrument", codes)

    async def articles(keys: list[str]) -> list[Record | None]:
        rows = await reference.articles_by_keys(graph, keys)
        return _by_key(rows, "article", "key", keys)

    async def parties(codes: list[str]) -> list[Record | None]:
        rows = await reference.parties_by_codes(graph, codes)
        return _by_key(rows, "party", "code", codes)

    async def participations(codes: list[str]) -> list[list[Record]]:
        rows = await reference.participations_of_parties(graph, codes)
        return _grouped(rows, "party", codes)

    return Loaders(
        instrument=DataLoader(instruments),
        articles_of_instrument=DataLoader(articles_of_instruments),
        article=DataLoader(articles),
        party=DataLoader(parties),
        participations_of_party=DataLoader(participations),
    )
