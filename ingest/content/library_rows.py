"""The graph rows of strategies and publications (ingest/content/rows.py `to_row` for them).

Both are dated by a year: `yearDate` (the first of January of it) is their date in search
(search/documents.py) and `sortDate` orders their lists newest first. Names to match typed
input (authors, publisher) are kept folded beside the names as written (mechanism.library).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from graph.localized import localized_properties
from ingest.content.models import Publication, Strategy
from mechanism.library import folded

Row = tuple[dict[str, Any], dict[str, Any]]  # the node's properties, its links


def strategy_row(record: Strategy) -> Row:
    start = date(record.from_year, 1, 1)
    props = {
        "documentType": record.document_type.value,
        "fromYear": record.from_year,
        "toYear": record.to_year,
        "adoptedOn": record.adopted_on,
        "yearDate": start,
        "sortDate": start,
        "originalLanguage": record.original_language,
        "url": str(record.url) if record.url else None,
        **localized_properties("title", record.title),
        **localized_properties("summary", record.summary or {}),
    }
    links = {"articles": [], "crimeTypes": [c.value for c in record.crime_types]}
    return props, links


def publication_row(record: Publication) -> Row:
    published = date(record.year, 1, 1)
    props = {
        "authors": record.authors,
        "authorKeys": [folded(author) for author in record.authors],
        "year": record.year,
        "publisher": record.publisher,
        "publisherKey": folded(record.publisher) if record.publisher else None,
        "publicationLanguages": list(dict.fromkeys(record.languages or [record.original_language])),
        "parties": record.parties,
        "isbn": record.isbn,
        "doi": record.doi,
        "yearDate": published,
        "sortDate": published,
        "originalLanguage": record.original_language,
        "url": str(record.url) if record.url else None,
        **localized_properties("title", record.title),
        **localized_properties("abstract", record.abstract or {}),
    }
    links = {
        "articles": list(dict.fromkeys(record.articles)),
        "crimeTypes": list(dict.fromkeys(c.value for c in record.crime_types)),
    }
    return props, links
