"""A strategy (national strategy, action plan or policy) and a publication of the bibliography."""

from __future__ import annotations

import datetime

import strawberry

from api.graphql.context import ContextInfo
from api.graphql.dates import date_from
from api.graphql.knowledge.types import CrimeType, articles_of, crime_types_of
from api.graphql.localized import LocalizedText, pick_property, text_of
from api.graphql.reference.types import EN, Article, Party, party_of
from api.graphql.relay import Node, global_id
from api.graphql.scalars import LanguageCode
from graph.driver import Record
from mechanism.library import StrategyType

strawberry.enum(StrategyType, description="what kind of document a strategy is")


@strawberry.type(
    description="A party's national strategy, action plan or policy against organized crime, for a "
    "period of years."
)
class Strategy(Node):
    key: str = strawberry.field(description="the record's id in the ingest format")
    document_type: StrategyType
    from_year: int = strawberry.field(description="the first year the document covers")
    to_year: int | None = strawberry.field(description="the last year it covers; null: open-ended")
    adopted_on: datetime.date | None
    original_language: LanguageCode
    url: str | None
    sample: bool = strawberry.field(description="true for demo content")
    party_code: strawberry.Private[str]
    crime_type_keys: strawberry.Private[list[str]]
    properties: strawberry.Private[Record]

    @classmethod
    def from_record(cls, r: Record) -> Strategy:
        return cls(
            id=global_id("Strategy", r["key"]),
            key=r["key"],
            document_type=StrategyType(r["documentType"]),
            from_year=r["fromYear"],
            to_year=r.get("toYear"),
            adopted_on=date_from(r.get("adoptedOn")),
            original_language=LanguageCode(r["originalLanguage"]),
            url=r.get("url"),
            sample=bool(r.get("sample")),
            party_code=r["party"],
            crime_type_keys=r.get("_crimeTypes", []),
            properties=r,
        )

    @strawberry.field
    def party(self, info: ContextInfo) -> Party:
        return party_of(info, self.party_code)

    @strawberry.field
    def title(self, lang: LanguageCode | None = EN) -> LocalizedText:
        return text_of(self.properties, "title", lang, self.original_language)

    @strawberry.field(description="what the document sets out, null when none was given")
    def summary(self, lang: LanguageCode | None = EN) -> LocalizedText | None:
        return pick_property(self.properties, "summary", lang, self.original_language)

    @strawberry.field
    def crime_types(self, info: ContextInfo) -> list[CrimeType]:
        return crime_types_of(info, self.crime_type_keys)


@strawberry.type(description="A publication of the bibliography: a book, report, article or study.")
class BibliographyEntry(Node):
    key: str = strawberry.field(description="the record's id in the ingest format")
    authors: list[str] = strawberry.field(description="people or bodies, as the publication names them")
    year: int = strawberry.field(description="the year of publication")
    publisher: str | None
    languages: list[LanguageCode] = strawberry.field(description="the languages it is published in")
    isbn: str | None = strawberry.field(description="ISBN-10 or ISBN-13, without hyphens")
    doi: str | None
    original_language: LanguageCode
    url: str | None
    sample: bool = strawberry.field(description="true for demo content")
    party_codes: strawberry.Private[list[str]]
    article_keys: strawberry.Private[list[str]]
    crime_type_keys: strawberry.Private[list[str]]
    properties: strawberry.Private[Record]

    @classmethod
    def from_record(cls, r: Record) -> BibliographyEntry:
        return cls(
            id=global_id("BibliographyEntry", r["key"]),
            key=r["key"],
            authors=list(r["authors"]),
            year=r["year"],
            publisher=r.get("publisher"),
            languages=[LanguageCode(lang) for lang in r.get("publicationLanguages", [])],
            isbn=r.get("isbn"),
            doi=r.get("doi"),
            original_language=LanguageCode(r["originalLanguage"]),
            url=r.get("url"),
            sample=bool(r.get("sample")),
            party_codes=list(r.get("parties", [])),
            article_keys=r.get("_articles", []),
            crime_type_keys=r.get("_crimeTypes", []),
            properties=r,
        )

    @strawberry.field
    def title(self, lang: LanguageCode | None = EN) -> LocalizedText:
        return text_of(self.properties, "title", lang, self.original_language)

    @strawberry.field(description="null when none was given")
    def abstract(self, lang: LanguageCode | None = EN) -> LocalizedText | None:
        return pick_property(self.properties, "abstract", lang, self.original_language)

    @strawberry.field(description="the articles of the Convention and its Protocols it discusses")
    def articles(self, info: ContextInfo) -> list[Article]:
        return articles_of(info, self.article_keys)

    @strawberry.field
    def crime_types(self, info: ContextInfo) -> list[CrimeType]:
        return crime_types_of(info, self.crime_type_keys)

    @strawberry.field(description="the States it is about; empty when none in particular")
    def parties(self, info: ContextInfo) -> list[Party]:
        return [party_of(info, code) for code in self.party_codes]
