"""From validated records to the rows the graph writes, and their content hash."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from graph.authorities import entry_row
from graph.content import DocumentKind
from graph.localized import localized_properties
from ingest.content.library_rows import publication_row, strategy_row
from ingest.content.models import Authority, Case, Legislation, Publication, Strategy, Treaty, TreatyAction
from mechanism.authorities import AuthorityEntry
from mechanism.cooperation import action_title

Record = Legislation | Case | Authority | Treaty | TreatyAction | Strategy | Publication
NO_DATE = date(1, 1, 1)  # sorts undated records last in "newest first" orders

KIND_OF: dict[str, DocumentKind] = {
    "legislation": DocumentKind.LEGISLATION,
    "case": DocumentKind.CASE,
    "authority": DocumentKind.COMPETENT_AUTHORITY,
    "treaty": DocumentKind.TREATY,
    "treaty_action": DocumentKind.TREATY_ACTION,
    "strategy": DocumentKind.STRATEGY,
    "publication": DocumentKind.BIBLIOGRAPHY,
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
        links = {
            "articles": record.articles,
            "crimeTypes": [c.value for c in record.crime_types],
            "extracts": {e.article: localized_properties("text", e.text) for e in record.extracts},
            "amends": [{"law": c.law, "on": c.on} for c in record.amends],
            "repeals": [{"law": c.law, "on": c.on} for c in record.repeals],
            "versions": [
                {
                    "key": f"{record.id}@{v.in_force_from}",
                    "inForceFrom": v.in_force_from,
                    **localized_properties("text", v.text),
                }
                for v in record.versions
            ],
        }
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
            **localized_properties("facts", record.facts or {}),
            **localized_properties("commentary", record.commentary or {}),
            "courtLevel": record.court_level,
            "legalSystem": record.legal_system,
            "outcome": record.outcome,
            "sentence": record.sentence,
            "keywords": [f"{k.family.value}:{k.term}" for k in dict.fromkeys(record.keywords)],
            "decisionUrl": str(record.decision.url) if record.decision else None,
            "decisionLanguage": record.decision.language if record.decision else None,
            "decisionTitle": record.decision.title if record.decision else None,
        }
        links = {
            "people": [
                _without_none(
                    {
                        "role": role,
                        "position": position,
                        "initials": p.initials,
                        "gender": p.gender,
                        "nationality": p.nationality,
                        "ageGroup": p.age_group,
                        "count": p.count,
                    }
                )
                for role, people in (("DEFENDANT", record.defendants), ("VICTIM", record.victims))
                for position, p in enumerate(people)
            ],
            "proceedings": [
                _without_none(
                    {
                        "position": position,
                        "court": x.court,
                        "decidedOn": x.decided_on,
                        "outcome": x.outcome,
                        "note": x.note,
                    }
                )
                for position, x in enumerate(record.procedural_history)
            ],
            "articles": list(dict.fromkeys(record.legal_basis_articles)),
            "crimeTypes": [c.value for c in record.crime_types],
            "applied": list(dict.fromkeys(record.applied_legislation)),
            "related": list(dict.fromkeys(record.related_cases)),
            "cooperation": [
                {"cooperation": c.cooperation.value, "requesting": c.requesting, "requested": c.requested}
                for c in dict.fromkeys(record.cooperation)
            ],
        }
    elif isinstance(record, Treaty):
        props = {
            "parties": record.parties,
            "bilateral": len(record.parties) == 2,
            "cooperation": [c.value for c in record.cooperation],
            "signedOn": record.signed_on,
            "inForceOn": record.in_force_on,
            "sortDate": record.signed_on or record.in_force_on or NO_DATE,
            "originalLanguage": record.original_language,
            "url": str(record.url) if record.url else None,
            **localized_properties("title", record.title),
            **localized_properties("text", record.text or {}),
        }
        links = {"articles": [], "parties": record.parties}
    elif isinstance(record, TreatyAction):
        article = int(record.article.split(":")[1]) if record.article else None
        title = action_title(record.action, record.instrument_code, article, record.paragraph)
        props = {
            "instrument": record.instrument_code,
            "article": record.article,
            "paragraph": record.paragraph,
            "action": record.action.value,
            "madeOn": record.made_on,
            "sortDate": record.made_on or NO_DATE,
            "originalLanguage": record.original_language,
            "source": record.source,
            **localized_properties("title", title),
            **localized_properties("text", record.text),
        }
        links = {"articles": [record.article] if record.article else [], "instrument": record.instrument_code}
    elif isinstance(record, Strategy):
        props, links = strategy_row(record)
    elif isinstance(record, Publication):
        props, links = publication_row(record)
    else:
        # One shape of an entry for the ingest and the States' own changes (graph/authorities.py).
        contact = record.contact
        row = entry_row(
            AuthorityEntry(
                key=record.id,
                party=record.party,
                name=record.name,
                functions=tuple(record.functions),
                accepted_languages=tuple(record.accepted_languages),
                accepts_convention_requests=record.accepts_convention_requests,
                accepts_interpol=record.accepts_interpol,
                requirements=record.requirements or {},
                contact=_without_none(
                    {
                        "address": contact.address,
                        "phone": contact.phone,
                        "email": contact.email,
                        "officeHours": contact.office_hours,
                        "procedures": contact.procedures,
                    }
                )
                if contact
                else {},
                confirmed_on=record.confirmed_on,
                sample=record.sample,
            )
        )
        props = row["props"]
        links = {"articles": row["articles"], "contact": row["contact"]}
    props.update(hash=digest, sample=record.sample)
    return {**common, "props": _without_none(props), **links}


def references(record: Record) -> list[tuple[str, DocumentKind, list[str]]]:
    """The other records this one names, which must exist: (field, kind, keys)."""
    if isinstance(record, Case):
        return [
            ("applied_legislation", DocumentKind.LEGISLATION, record.applied_legislation),
            ("related_cases", DocumentKind.CASE, record.related_cases),
        ]
    if isinstance(record, Legislation):
        return [
            ("amends", DocumentKind.LEGISLATION, [c.law for c in record.amends]),
            ("repeals", DocumentKind.LEGISLATION, [c.law for c in record.repeals]),
        ]
    return []


def changes_of(record: Record) -> list[str]:
    """The laws a law amends or repeals (the links an amendment cycle would close)."""
    if isinstance(record, Legislation):
        return [c.law for c in (*record.amends, *record.repeals)]
    return []


def change_field(record: Record, law: str) -> str:
    """The field of `record` that names `law` among the laws it changes."""
    amended = isinstance(record, Legislation) and any(c.law == law for c in record.amends)
    return "amends" if amended else "repeals"
