"""From graph nodes to search documents: one function, used by incremental indexing and by
a full reindex alike, so that the two can never disagree.

What a document holds is what anyone may see: an authority's contact block is never
indexed, so no hit, highlight or facet can reveal it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from graph.content import DocumentKind
from graph.driver import Graph, Record
from graph.localized import read_localized
from mechanism.vocabulary import WORKING_LANGUAGES

OTHER = "other"

# For each kind: the Cypher returning, per node, everything its document needs.
_FETCH = (
    "MATCH (n:Document) WHERE n.kind = $kind AND n.key IN $keys "
    "OPTIONAL MATCH (n)-[:OF_PARTY]->(p:Party) "
    "RETURN properties(n) AS node, p.regionalGroup AS regionalGroup, "
    "  COLLECT { MATCH (n)-[:IMPLEMENTS|LEGAL_BASIS|FOR_ARTICLE|UNDER_ARTICLE|ABOUT_ARTICLE]->(a:Article) "
    "            RETURN a.key ORDER BY a.key } AS articles, "
    "  COLLECT { MATCH (n)-[:CONCERNS]->(c:CrimeType) RETURN c.key ORDER BY c.key } "
    "    AS crimeTypes, "
    "  COLLECT { MATCH (n)-[i:IMPLEMENTS {hasExtract: true}]->(a:Article) "
    "            RETURN i {.*, article: a.key} ORDER BY a.key } AS extracts"
)

_TEXT_FIELDS: dict[DocumentKind, dict[str, str]] = {
    # search field -> node property holding localized text
    DocumentKind.LEGISLATION: {"title": "title", "body": "text"},
    DocumentKind.CASE: {"title": "title", "body": "summary"},
    DocumentKind.COMPETENT_AUTHORITY: {"title": "name"},
    DocumentKind.REVIEW_DOCUMENT: {"title": "title", "body": "body"},
    DocumentKind.TREATY: {"title": "title", "body": "text"},
    DocumentKind.TREATY_ACTION: {"title": "title", "body": "text"},
    DocumentKind.STRATEGY: {"title": "title", "body": "summary"},
    DocumentKind.BIBLIOGRAPHY: {"title": "title", "body": "abstract"},
}
# Further texts searched with the body, by kind.
_MORE_BODY: dict[DocumentKind, tuple[str, ...]] = {DocumentKind.CASE: ("facts", "commentary")}
# The property holding a document's date, by kind (the first found); `yearDate` is the first of
# January of a strategy's period or of a publication's year (ingest/content/library_rows.py).
_DATES = ("enactedOn", "decidedOn", "publishedOn", "signedOn", "inForceOn", "madeOn", "adoptedOn", "yearDate")


def language_field(lang: str) -> str:
    """The field a text in `lang` is indexed under: its working language, or `other`."""
    primary = lang.split("-")[0].lower()
    return primary if primary in WORKING_LANGUAGES else OTHER


def _texts(localized: dict[str, str]) -> dict[str, list[str]]:
    """A field's texts by the language field they are indexed under."""
    fields: dict[str, list[str]] = {}
    for lang, text in sorted(localized.items()):
        fields.setdefault(language_field(lang), []).append(text)
    return fields


def _iso(day: Any) -> str:
    """A Neo4j date (read from the graph) or a Python date (just written) as ISO 8601."""
    return str(day.iso_format() if hasattr(day, "iso_format") else day.isoformat())


def to_document(kind: DocumentKind, row: Record) -> dict[str, Any]:
    node = row["node"]
    date = next((node[name] for name in _DATES if node.get(name)), None)
    localized = {prop: read_localized(node, prop) for prop in _TEXT_FIELDS[kind].values()}
    languages: set[str] = set()
    texts: dict[str, dict[str, list[str]]] = {}
    for field, prop in _TEXT_FIELDS[kind].items():
        texts[field] = _texts(localized[prop])
        languages.update(localized[prop])
    for prop in _MORE_BODY.get(kind, ()):
        for language, found in _texts(read_localized(node, prop)).items():
            texts.setdefault("body", {}).setdefault(language, []).extend(found)
    articles: list[str] = row["articles"]
    document: dict[str, Any] = {
        "kind": kind.value,
        "key": node["key"],
        "uid": f"{kind.value}:{node['key']}",
        "version": node["version"],
        # A treaty is filed under each of its parties (its regional group is its first party's).
        "party": node.get("parties") or node.get("party"),
        "regionalGroup": row["regionalGroup"],
        "instruments": sorted(
            {a.split(":")[0] for a in articles} | ({node["instrument"]} if node.get("instrument") else set())
        ),
        "articles": articles,
        "crimeTypes": row["crimeTypes"],
        "usesConventionAsLegalBasis": bool(node.get("usesConventionAsLegalBasis")),
        "keywords": list(node.get("keywords") or []),
        "courtLevel": node.get("courtLevel"),
        "outcome": node.get("outcome"),
        "date": _iso(date) if date else None,
        "year": date.year if date else None,
        "originalLanguage": node.get("originalLanguage"),
        "languages": sorted(languages),
        "sample": bool(node.get("sample")),
        "titles": localized[_TEXT_FIELDS[kind]["title"]],
        **texts,
    }
    extracts = row.get("extracts") or []
    if extracts:
        document["extracts"] = [
            {"article": e["article"], "text": _texts(read_localized(e, "text"))} for e in extracts
        ]
    return document


def written_document(kind: DocumentKind, row: dict[str, Any], written: Record) -> dict[str, Any]:
    """The document of a row `graph.content.write_documents` just wrote, from the row and
    what the write returned: the same document `fetch_documents` would read back."""
    node = {**row["props"], "key": row["key"], "kind": kind.value, "party": row["party"]}
    node["version"] = written["version"]
    return to_document(
        kind,
        {
            "node": node,
            "regionalGroup": written["regionalGroup"],
            "articles": sorted(row["articles"]),
            "crimeTypes": sorted(row.get("crimeTypes", [])),
            "extracts": [
                {**texts, "article": article} for article, texts in sorted(row.get("extracts", {}).items())
            ],
        },
    )


async def fetch_documents(graph: Graph, kind: DocumentKind, keys: list[str]) -> list[dict[str, Any]]:
    rows = await graph.read(_FETCH, kind=kind.value, keys=keys)
    return [to_document(kind, row) for row in rows]


async def all_keys(graph: Graph, kind: DocumentKind, batch: int) -> AsyncIterator[list[str]]:
    """Every key of a kind, in batches, by keyset (memory stays flat on a large graph)."""
    after = ""
    while True:
        rows = await graph.read(
            "MATCH (n:Document) WHERE n.kind = $kind AND n.key > $after "
            "RETURN n.key AS key ORDER BY n.key LIMIT $batch",
            kind=kind.value,
            after=after,
            batch=batch,
        )
        if not rows:
            return
        keys = [row["key"] for row in rows]
        yield keys
        after = keys[-1]
