"""Building the Elasticsearch request of `Query.search` (no I/O here)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from graph.knowledge import DocumentFilter
from mechanism.vocabulary import WORKING_LANGUAGES
from search.documents import language_field
from search.indices import ANALYZERS

MAX_QUERY_LENGTH = 1000
HIGHLIGHT_FRAGMENT = 160

# What every hit brings of its document for the search itself: its kind and key (to find it
# in the graph) and its languages (hit_language). The API asks for more, to show documents
# in a list of results without reading the graph (api/graphql/knowledge/search_hits.py).
HIT_FIELDS = ("kind", "key", "originalLanguage", "languages")

FACETS: dict[str, dict[str, Any]] = {
    "kind": {"terms": {"field": "kind", "size": 10}},
    "party": {"terms": {"field": "party", "size": 250}},
    "regionalGroup": {"terms": {"field": "regionalGroup", "size": 10}},
    "crimeType": {"terms": {"field": "crimeTypes", "size": 20}},
    "instrument": {"terms": {"field": "instruments", "size": 10}},
    "article": {"terms": {"field": "articles", "size": 120}},
    "year": {"terms": {"field": "year", "size": 100, "order": {"_key": "desc"}}},
    "usesConventionAsLegalBasis": {"terms": {"field": "usesConventionAsLegalBasis", "size": 2}},
    "keyword": {"terms": {"field": "keywords", "size": 80}},
    "courtLevel": {"terms": {"field": "courtLevel", "size": 10}},
    "outcome": {"terms": {"field": "outcome", "size": 15}},
}


class SearchOrder(StrEnum):
    RELEVANCE = "RELEVANCE"
    NEWEST = "NEWEST"
    OLDEST = "OLDEST"


SORTS: dict[SearchOrder, list[dict[str, Any]]] = {
    SearchOrder.RELEVANCE: [
        {"_score": "desc"},
        {"date": {"order": "desc", "missing": "_last"}},
        {"uid": "asc"},
    ],
    SearchOrder.NEWEST: [{"date": {"order": "desc", "missing": "_last"}}, {"uid": "asc"}],
    SearchOrder.OLDEST: [{"date": {"order": "asc", "missing": "_last"}}, {"uid": "asc"}],
}


@dataclass(frozen=True)
class SearchRequest:
    text: str
    lang: str | None
    kinds: list[str] | None
    filters: DocumentFilter
    order: SearchOrder
    size: int
    after: list[Any] | None = None


def text_fields(lang: str | None) -> list[str]:
    """The fields searched: those of one language, or of every language."""
    languages = [language_field(lang)] if lang else list(ANALYZERS)
    return [f"{field}.{language}" for language in languages for field in ("title", "body")]


def _filters(request: SearchRequest) -> list[dict[str, Any]]:
    f = request.filters
    clauses: list[dict[str, Any]] = []
    for field, values in (
        ("kind", request.kinds),
        ("party", f.parties),
        ("regionalGroup", f.regional_groups),
        ("instruments", f.instruments),
        ("articles", f.articles),
        ("crimeTypes", f.crime_types),
        ("keywords", f.keywords),
        ("courtLevel", f.court_levels),
        ("outcome", f.outcomes),
    ):
        if values is not None:
            clauses.append({"terms": {field: values}})
    if f.uses_convention_as_legal_basis is not None:
        clauses.append({"term": {"usesConventionAsLegalBasis": f.uses_convention_as_legal_basis}})
    if f.date_from or f.date_to:
        bounds = {}
        if f.date_from:
            bounds["gte"] = f.date_from.isoformat()
        if f.date_to:
            bounds["lte"] = f.date_to.isoformat()
        clauses.append({"range": {"date": bounds}})
    if request.lang and not request.text.strip():
        field = language_field(request.lang)
        clauses.append(
            {
                "bool": {
                    "should": [
                        {"exists": {"field": f"title.{field}"}},
                        {"exists": {"field": f"body.{field}"}},
                    ]
                }
            }
        )
    return clauses


def _words(text: str, fields: list[str]) -> dict[str, Any]:
    return {
        "simple_query_string": {
            "query": text,
            "fields": fields,
            "default_operator": "and",
            "flags": "AND|OR|NOT|PHRASE|PREFIX|PRECEDENCE|WHITESPACE",
        }
    }


def _in_extracts(text: str, request: SearchRequest) -> dict[str, Any]:
    """The words in a law's extract for an article: of the articles the filter names, if
    it names any (a law is found by what implements the article asked about)."""
    languages = [language_field(request.lang)] if request.lang else list(ANALYZERS)
    inner: dict[str, Any] = {
        "bool": {"must": [_words(text, [f"extracts.text.{lang}" for lang in languages])]}
    }
    if request.filters.articles is not None:
        inner["bool"]["filter"] = [{"terms": {"extracts.article": request.filters.articles}}]
    return {
        "nested": {
            "path": "extracts",
            "query": inner,
            "score_mode": "max",
            "inner_hits": {
                "_source": ["extracts.article"],
                "size": 3,
                "highlight": {
                    "encoder": "html",
                    "pre_tags": ["<em>"],
                    "post_tags": ["</em>"],
                    "fragment_size": HIGHLIGHT_FRAGMENT,
                    "number_of_fragments": 1,
                    "fields": {f"extracts.text.{lang}": {} for lang in languages},
                },
            },
        }
    }


def extract_highlights(hit: dict[str, Any]) -> list[str]:
    """The fragments of the extracts a hit was found by, each after its article."""
    found = hit.get("inner_hits", {}).get("extracts", {}).get("hits", {}).get("hits", [])
    return [
        f"{inner['_source']['article']}: {fragment}"
        for inner in found
        for fragments in inner.get("highlight", {}).values()
        for fragment in fragments
    ]


def build_search(request: SearchRequest, source: Iterable[str]) -> dict[str, Any]:
    """The request's body; its hits bring HIT_FIELDS and the `source` fields of their document."""
    fields = text_fields(request.lang)
    text = request.text.strip()
    if text:
        weighted = [f"{name}^2" if name.startswith("title.") else name for name in fields]
        query: dict[str, Any] = {
            "bool": {
                "must": [
                    {
                        "bool": {
                            "should": [_words(text, weighted), _in_extracts(text, request)],
                            "minimum_should_match": 1,
                        }
                    }
                ],
                # Words found side by side rank above the same words found apart (Chinese
                # characters of a word, a name in several words).
                "should": [
                    {
                        "multi_match": {
                            "query": text,
                            "fields": weighted,
                            "type": "phrase",
                            "boost": 2,
                        }
                    }
                ],
                "filter": _filters(request),
            }
        }
    else:
        query = {"bool": {"filter": _filters(request)}}
    body: dict[str, Any] = {
        "query": query,
        "size": request.size,
        "sort": SORTS[request.order],
        "track_total_hits": True,
        "track_scores": True,
        "aggs": FACETS,
        "_source": [*HIT_FIELDS, *sorted(set(source).difference(HIT_FIELDS))],
    }
    if text:
        body["highlight"] = {
            "encoder": "html",
            "pre_tags": ["<em>"],
            "post_tags": ["</em>"],
            "fragment_size": HIGHLIGHT_FRAGMENT,
            "number_of_fragments": 3,
            "fields": {name: {} for name in fields},
        }
    if request.after is not None:
        body["search_after"] = request.after
    return body


def hit_language(hit: dict[str, Any], asked: str | None) -> str:
    """The language of a hit: that of its first highlighted text, else the asked one if
    the document has it, else its original language."""
    source = hit.get("_source", {})
    original = str(source.get("originalLanguage") or "en")
    highlighted = list(hit.get("highlight", {}))
    if highlighted:
        language = highlighted[0].split(".", 1)[1]
        return language if language in WORKING_LANGUAGES else original
    languages = source.get("languages", [])
    if asked and any(language_field(lang) == language_field(asked) for lang in languages):
        return asked
    return original
