"""The ingest baseline: the same records written straight into Neo4j (UNWIND batches) and
Elasticsearch (the bulk helper) with the raw clients and nothing else: no validation, no
content hash, no pending marks, no read-back from the graph. It writes the same nodes,
links and search documents as `sherloc ingest`, so the ratio of the two is what the
project's care costs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, LiteralString

from elasticsearch import AsyncElasticsearch
from elasticsearch.helpers import async_bulk
from neo4j import AsyncDriver

from graph.localized import localized_properties
from mechanism.authorities import DESIGNATING_ARTICLE
from search.documents import language_field
from search.indices import MAPPINGS, SETTINGS

BASELINE_INDEX = "bench-baseline"
LABELS: dict[str, LiteralString] = {
    "legislation": "Legislation",
    "case": "Case",
    "authority": "CompetentAuthority",
}
KINDS = {"legislation": "LEGISLATION", "case": "CASE", "authority": "COMPETENT_AUTHORITY"}
DESIGNATING = {f.value: a.key for f, a in DESIGNATING_ARTICLE.items() if a is not None}

_WRITE: dict[str, LiteralString] = {
    "legislation": (
        "UNWIND $rows AS row MERGE (n:Legislation {key: row.key}) SET n = row.props, n:Document "
        "WITH n, row MATCH (p:Party {code: row.party}) MERGE (n)-[:OF_PARTY]->(p) "
        "WITH n, row CALL (n, row) { UNWIND row.articles AS k MATCH (a:Article {key: k}) "
        "  MERGE (n)-[:IMPLEMENTS]->(a) } "
        "CALL (n, row) { UNWIND row.crimeTypes AS k MATCH (c:CrimeType {key: k}) MERGE (n)-[:CONCERNS]->(c) }"
    ),
    "case": (
        "UNWIND $rows AS row MERGE (n:Case {key: row.key}) SET n = row.props, n:Document "
        "WITH n, row MATCH (p:Party {code: row.party}) MERGE (n)-[:OF_PARTY]->(p) "
        "WITH n, row CALL (n, row) { UNWIND row.articles AS k MATCH (a:Article {key: k}) "
        "  MERGE (n)-[:LEGAL_BASIS]->(a) } "
        "CALL (n, row) { UNWIND row.crimeTypes AS k MATCH (c:CrimeType {key: k}) "
        "  MERGE (n)-[:CONCERNS]->(c) } "
        "CALL (n, row) { UNWIND row.applied AS k MATCH (l:Legislation {key: k}) MERGE (n)-[:APPLIED]->(l) }"
    ),
    "authority": (
        "UNWIND $rows AS row MERGE (n:CompetentAuthority {key: row.key}) SET n = row.props, n:Document "
        "WITH n, row MATCH (p:Party {code: row.party}) MERGE (n)-[:OF_PARTY]->(p) "
        "WITH n, row CALL (n, row) { UNWIND row.articles AS k MATCH (a:Article {key: k}) "
        "  MERGE (n)-[:FOR_ARTICLE]->(a) } "
        "CREATE (n)-[:HAS_CONTACT]->(c:AuthorityContact) SET c = row.contact"
    ),
}


def _search_texts(texts: dict[str, str]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for lang, text in sorted(texts.items()):
        fields.setdefault(language_field(lang), []).append(text)
    return fields


def rows_of(record: dict[str, Any], regional_groups: dict[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The graph row and the search document of one input record."""
    kind = record["kind"]
    key, party = record["id"], record["party"]
    props: dict[str, Any] = {"key": key, "party": party, "kind": KINDS[kind]}
    title: dict[str, str]
    body: dict[str, str]
    if kind == "legislation":
        title, body = record["title"], record.get("text", {})
        articles = record.get("implements_articles", [])
        props.update(localized_properties("title", title), **localized_properties("text", body))
        props.update(enactedOn=record.get("enacted_on"), inForce=record.get("in_force", True))
        date = record.get("enacted_on")
    elif kind == "case":
        title, body = record["title"], record["summary"]
        articles = record.get("legal_basis_articles", [])
        props.update(localized_properties("title", title), **localized_properties("summary", body))
        props.update(
            court=record["court"], caseNumber=record.get("case_number"), decidedOn=record.get("decided_on")
        )
        date = record.get("decided_on")
    else:
        title, body = record["name"], {}
        articles = sorted({DESIGNATING[f] for f in record["functions"] if f in DESIGNATING})
        props.update(localized_properties("name", title), functions=record["functions"])
        date = None
    row = {
        "key": key,
        "party": party,
        "props": {k: v for k, v in props.items() if v is not None},
        "articles": articles,
        "crimeTypes": record.get("crime_types", []),
        "applied": record.get("applied_legislation", []),
        "contact": record.get("contact") or {},
    }
    document = {
        "kind": KINDS[kind],
        "key": key,
        "uid": f"{KINDS[kind]}:{key}",
        "version": 1,
        "party": party,
        "regionalGroup": regional_groups.get(party),
        "instruments": sorted({a.split(":")[0] for a in articles}),
        "articles": sorted(articles),
        "crimeTypes": sorted(record.get("crime_types", [])),
        "usesConventionAsLegalBasis": bool(record.get("uses_convention_as_legal_basis")),
        "date": date,
        "year": int(date[:4]) if date else None,
        "originalLanguage": record.get("original_language"),
        "languages": sorted(set(title) | set(body)),
        "sample": False,
        "titles": title,
        "title": _search_texts(title),
        "body": _search_texts(body),
    }
    return row, document


def _batches(path: Path, size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            batch.append(json.loads(line))
            if len(batch) == size:
                yield batch
                batch = []
    if batch:
        yield batch


async def baseline_ingest(
    driver: AsyncDriver, es: AsyncElasticsearch, path: Path, batch_size: int = 500
) -> int:
    """Write every record of `path`; returns how many."""
    if await es.indices.exists(index=BASELINE_INDEX):
        await es.indices.delete(index=BASELINE_INDEX)
    await es.indices.create(index=BASELINE_INDEX, settings=SETTINGS, mappings=MAPPINGS)
    records, _, _ = await driver.execute_query(
        "MATCH (p:Party) RETURN p.code AS code, p.regionalGroup AS group"
    )
    regional_groups = {r["code"]: r["group"] for r in records}
    written = 0
    for batch in _batches(path, batch_size):
        by_kind: dict[str, list[dict[str, Any]]] = {}
        documents = []
        for record in batch:
            row, document = rows_of(record, regional_groups)
            by_kind.setdefault(record["kind"], []).append(row)
            documents.append({"_index": BASELINE_INDEX, "_id": document["uid"], "_source": document})
        for kind, rows in by_kind.items():
            await driver.execute_query(_WRITE[kind], rows=rows)
        await async_bulk(es, documents, chunk_size=batch_size, refresh=False)
        written += len(batch)
    await es.indices.refresh(index=BASELINE_INDEX)
    return written


async def _main(path: Path) -> None:
    from bench.runtime import bench_settings, raw_clients

    async with raw_clients(bench_settings()) as (driver, es):
        written = await baseline_ingest(driver, es, path)
    print(f"{written} records written")


if __name__ == "__main__":
    # A program of its own, like `sherloc ingest`: both pay for starting Python and their clients.
    import asyncio
    import sys

    asyncio.run(_main(Path(sys.argv[1])))
