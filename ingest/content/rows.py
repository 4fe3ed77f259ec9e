"""From validated records to the rows the graph writes, and their content hash."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from graph.content import DocumentKind
from graph.localized import localized_properties
from ingest.content.models import Authority, Case, Legislation
from mechanism.authorities import DESIGNATING_ARTICLE

Record = Legislation | Case | Authority
NO_DATE = date(1, 1, 1)  # sorts undated records last in "newest first" orders

KIND_OF: dict[str, DocumentKind] = {
    "legislation": DocumentKind.LEGISLATION,
    "case": DocumentKind.CASE,
    "authority": DocumentKind.COMPETENT_AUTHORITY,
}


def content_hash(record: Record) -> str:
    """Equal for equal content, whatever the order of keys in the input line."""
    canonical = json.dumps(record.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _without_none(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


def to_row(record: Record, digest: str) -> dict[str, Any]:
    common = {"key": record.id, "party": record.party}
    props: dict[str, Any]
    links: dict[str, Any]
    if isinstance(record, Legislation):
        props = {
            "originalLanguage": record.original_language,
            "enactedOn": record.enacted_on,
            "sortDate": record.enacted_on or NO_DATE,
            "inForce": record.in_force,
            "url": str(record.url) if record.url else None,
            **localized_properties("title", record.title),
            **localized_properties("text", record.text or {}),
        }
        links = {"articles": record.articles, "crimeTypes": [c.value for c in record.crime_types]}
    elif isinstance(record, Case):
        props = {
            "court": record.court,
            "caseNumber": record.case_number,
            "decidedOn": record.decided_on,
            "sortDate": record.decided_on or NO_DATE,
            "originalLanguage": record.original_language,
            "usesConventionAsLegalBasis": record.uses_convention_as_legal_basis,
            "url": str(record.url) if record.url else None,
            **localized_properties("title", record.title),
            **localized_properties("summary", record.summary),
        }
        links = {
            "articles": list(dict.fromkeys(record.legal_basis_articles)),
            "crimeTypes": [c.value for c in record.crime_types],
            "applied": list(dict.fromkeys(record.applied_legislation)),
            "related": list(dict.fromkeys(record.related_cases)),
        }
    else:
        articles = [DESIGNATING_ARTICLE[f] for f in record.functions]
        props = {
            "functions": [f.value for f in record.functions],
            "acceptedLanguages": record.accepted_languages,
            "sortDate": NO_DATE,
            **localized_properties("name", record.name),
        }
        contact = record.contact
        links = {
            "articles": sorted({a.key for a in articles if a is not None}),
            "contact": _without_none(
                {
                    "address": contact.address,
                    "phone": contact.phone,
                    "email": contact.email,
                    "officeHours": contact.office_hours,
                    "procedures": contact.procedures,
                }
            )
            if contact
            else None,
        }
    props.update(hash=digest, sample=record.sample)
    return {**common, "props": _without_none(props), **links}


def references(record: Record) -> dict[DocumentKind, list[str]]:
    """The other records this one names, which must exist."""
    if isinstance(record, Case):
        return {
            DocumentKind.LEGISLATION: record.applied_legislation,
            DocumentKind.CASE: record.related_cases,
        }
    return {}
