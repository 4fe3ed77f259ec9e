"""The filters of the strategies and of the bibliography, checked as the other lists' are
(api/graphql/knowledge/filters.py: the same messages for parties, crime types, articles)."""

from __future__ import annotations

from typing import Any

import strawberry

from api.graphql.errors import UserInputError
from api.graphql.knowledge.filters import MAX_FILTER_VALUES, SearchFilter, to_document_filter
from api.graphql.scalars import LanguageCode
from graph import library as store
from mechanism.library import FIRST_PUBLICATION_YEAR, LAST_STRATEGY_YEAR, StrategyType, folded

MAX_NAME_LENGTH = 200


@strawberry.input(description="Strategies matching every condition given")
class StrategyFilter:
    parties: list[str] | None = strawberry.UNSET
    crime_types: list[str] | None = strawberry.UNSET
    document_types: list[StrategyType] | None = strawberry.UNSET
    year: int | None = strawberry.field(default=strawberry.UNSET, description="a year the period covers")


@strawberry.input(description="Publications matching every condition given")
class BibliographyFilter:
    author: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="part of an author's name, whatever its case and accents ('perez' finds 'Pérez')",
    )
    publisher: str | None = strawberry.field(
        default=strawberry.UNSET, description="part of the publisher's name, whatever its case and accents"
    )
    year_from: int | None = strawberry.UNSET
    year_to: int | None = strawberry.UNSET
    languages: list[LanguageCode] | None = strawberry.field(
        default=strawberry.UNSET, description="published in one of these ('zh' also finds 'zh-Hant')"
    )
    crime_types: list[str] | None = strawberry.UNSET
    articles: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET,
        description='Article IDs, or article references such as "UNTOC:18"',
    )
    parties: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="about one of these States"
    )


def _given(value: Any) -> Any:
    return None if value is strawberry.UNSET else value


def _year(name: str, value: int | None) -> int | None:
    if value is not None and not FIRST_PUBLICATION_YEAR <= value <= LAST_STRATEGY_YEAR:
        raise UserInputError(
            f"filter.{name}", f"{value} is not a year from {FIRST_PUBLICATION_YEAR} to {LAST_STRATEGY_YEAR}"
        )
    return value


def _name(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    if not value.strip() or len(value) > MAX_NAME_LENGTH:
        raise UserInputError(f"filter.{name}", f"give 1 to {MAX_NAME_LENGTH} characters")
    return folded(value)


def _list(name: str, values: list[Any] | None) -> list[Any] | None:
    if values is not None and len(values) > MAX_FILTER_VALUES:
        raise UserInputError(f"filter.{name}", f"at most {MAX_FILTER_VALUES} values")
    return values


def to_strategy_filter(given: StrategyFilter | None) -> store.StrategyFilter:
    if given is None:
        return store.StrategyFilter()
    common = to_document_filter(SearchFilter(parties=given.parties, crime_types=given.crime_types))
    types = _list("documentTypes", _given(given.document_types))
    return store.StrategyFilter(
        parties=common.parties,
        crime_types=common.crime_types,
        document_types=[t.value for t in types] if types is not None else None,
        year=_year("year", _given(given.year)),
    )


def to_bibliography_filter(given: BibliographyFilter | None) -> store.BibliographyFilter:
    if given is None:
        return store.BibliographyFilter()
    common = to_document_filter(
        SearchFilter(parties=given.parties, crime_types=given.crime_types, articles=given.articles)
    )
    year_from = _year("yearFrom", _given(given.year_from))
    year_to = _year("yearTo", _given(given.year_to))
    if year_from is not None and year_to is not None and year_from > year_to:
        raise UserInputError("filter.yearFrom", "is later than filter.yearTo")
    languages = _list("languages", _given(given.languages))
    return store.BibliographyFilter(
        author=_name("author", _given(given.author)),
        publisher=_name("publisher", _given(given.publisher)),
        year_from=year_from,
        year_to=year_to,
        languages=[lang.lower() for lang in languages] if languages is not None else None,
        crime_types=common.crime_types,
        articles=common.articles,
        parties=common.parties,
    )
