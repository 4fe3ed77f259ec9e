"""The filter that the knowledge base's lists share with search."""

from __future__ import annotations

import datetime
from typing import Any

import strawberry

from api.graphql import enums
from api.graphql.enums import CaseOutcome, CourtLevel, KeywordFamily
from api.graphql.errors import UserInputError
from api.graphql.relay import (
    parse_global_id,
)
from graph.knowledge import DocumentFilter
from mechanism.cases import keyword_problem
from mechanism.instruments import ArticleRef
from mechanism.vocabulary import CrimeType as CrimeTypeKey


@strawberry.input
class SearchFilter:
    parties: list[str] | None = strawberry.UNSET
    regional_groups: list[enums.RegionalGroup] | None = strawberry.UNSET
    instruments: list[enums.InstrumentCode] | None = strawberry.UNSET
    articles: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET,
        description='Article IDs, or article references such as "UNTOC:18"',
    )
    crime_types: list[str] | None = strawberry.UNSET
    uses_convention_as_legal_basis: bool | None = strawberry.UNSET
    from_: datetime.date | None = strawberry.field(default=strawberry.UNSET, name="from")
    to: datetime.date | None = strawberry.UNSET
    keywords: list[str] | None = strawberry.field(
        default=strawberry.UNSET,
        description='cases with any of these keywords, written FAMILY:term (e.g. "MEANS:deception")',
    )
    court_levels: list[CourtLevel] | None = strawberry.UNSET
    outcomes: list[CaseOutcome] | None = strawberry.UNSET


_CRIME_TYPES = {c.value for c in CrimeTypeKey}
MAX_FILTER_VALUES = 200


def _values(name: str, values: Any) -> list[Any] | None:
    if values is None or values is strawberry.UNSET:
        return None
    if len(values) > MAX_FILTER_VALUES:
        raise UserInputError(f"filter.{name}", f"at most {MAX_FILTER_VALUES} values")
    return list(values)


def article_key(value: str, argument: str = "filter.articles") -> str:
    """`UNTOC:18` from an Article ID or a reference such as "UNTOC:18"."""
    try:
        return ArticleRef.parse(value).key
    except ValueError:
        pass
    try:
        ref = parse_global_id(value, argument)
    except UserInputError:
        ref = None
    if ref is None or ref.type_name != "Article":
        raise UserInputError(argument, f"{value!r} is neither an Article ID nor a reference like 'UNTOC:18'")
    return ArticleRef.parse(ref.key).key


def to_document_filter(given: SearchFilter | None) -> DocumentFilter:
    if given is None:
        return DocumentFilter()
    parties = _values("parties", given.parties)
    if parties is not None:
        parties = [p.strip().upper() for p in parties]
        bad = [p for p in parties if len(p) != 3 or not p.isalpha() or not p.isascii()]
        if bad:
            raise UserInputError("filter.parties", f"{bad[0]!r} is not a party code such as 'FRA'")
    crime_types = _values("crimeTypes", given.crime_types)
    if crime_types is not None:
        unknown = [c for c in crime_types if c not in _CRIME_TYPES]
        if unknown:
            raise UserInputError(
                "filter.crimeTypes", f"{unknown[0]!r} is not a crime type (see the ingest format)"
            )
    groups = _values("regionalGroups", given.regional_groups)
    instruments = _values("instruments", given.instruments)
    articles = _values("articles", given.articles)
    date_from = None if given.from_ is strawberry.UNSET else given.from_
    date_to = None if given.to is strawberry.UNSET else given.to
    if date_from and date_to and date_from > date_to:
        raise UserInputError("filter.from", "is later than filter.to")
    legal_basis = given.uses_convention_as_legal_basis
    keywords = _values("keywords", given.keywords)
    for keyword in keywords or []:
        family, _, term = keyword.partition(":")
        problem = (
            keyword_problem(KeywordFamily(family), term)
            if family in KeywordFamily.__members__
            else f"{family!r} is not a keyword family ({', '.join(KeywordFamily)})"
        )
        if problem:
            raise UserInputError("filter.keywords", problem)
    court_levels = _values("courtLevels", given.court_levels)
    outcomes = _values("outcomes", given.outcomes)
    return DocumentFilter(
        parties=parties,
        regional_groups=[g.value for g in groups] if groups is not None else None,
        instruments=[i.value for i in instruments] if instruments is not None else None,
        articles=[article_key(a) for a in articles] if articles is not None else None,
        crime_types=crime_types,
        uses_convention_as_legal_basis=None if legal_basis is strawberry.UNSET else legal_basis,
        date_from=date_from,
        date_to=date_to,
        keywords=keywords,
        court_levels=[c.value for c in court_levels] if court_levels is not None else None,
        outcomes=[o.value for o in outcomes] if outcomes is not None else None,
    )
