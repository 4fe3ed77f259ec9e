"""The knowledge base's types: legislation, cases, competent authorities and crime types."""

from __future__ import annotations

import datetime
from collections.abc import Awaitable, Callable
from typing import TypeVar

import strawberry

from api.graphql.context import ContextInfo
from api.graphql.knowledge.pages import nested_connection
from api.graphql.localized import LocalizedText, pick_property, text_of
from api.graphql.reference.types import EN, Article, Party, party_of
from api.graphql.relay import (
    Connection,
    Node,
    global_id,
)
from api.graphql.scalars import LanguageCode
from api.policy import fields as rules
from api.policy.fields import restricted
from api.speedups.hints import from_index, shows_link
from graph.driver import Record
from mechanism.authorities import AuthorityFunction

strawberry.enum(AuthorityFunction)

T = TypeVar("T")


# A document's links come with it (graph.knowledge.Projection): their keys, loaded through
# the reference data (articles, crime types) or one batched query (laws, cases), or the
# linked laws and cases themselves when a page read them in its own query.
def _articles(info: ContextInfo, keys: list[str]) -> list[Article]:
    reference = info.context.reference
    found = (reference.object_of(reference.articles, key, Article.from_record) for key in keys)
    return [article for article in found if article is not None]


def _crime_types(info: ContextInfo, keys: list[str]) -> list[CrimeType]:
    reference = info.context.reference
    found = (reference.object_of(reference.crime_types, key, CrimeType.from_record) for key in keys)
    return [crime_type for crime_type in found if crime_type is not None]


def _date(value: str | None) -> datetime.date | None:
    """A document's date, as graph.knowledge.Projection sends it (ISO)."""
    return datetime.date.fromisoformat(value) if value else None


@strawberry.type
class CrimeType:
    key: str
    properties: strawberry.Private[Record]

    @classmethod
    def from_record(cls, record: Record) -> CrimeType:
        return cls(key=record["key"], properties=record)

    @strawberry.field
    def label(self, lang: LanguageCode | None = EN) -> LocalizedText:
        return text_of(self.properties, "label", lang)


@strawberry.type
class Legislation(Node):
    id: strawberry.ID = strawberry.field(metadata=from_index("key"))  # the Node's, from its key
    key: str = strawberry.field(
        description="the record's id in the ingest format", metadata=from_index("key")
    )
    original_language: LanguageCode = strawberry.field(metadata=from_index("originalLanguage"))
    enacted_on: datetime.date | None
    in_force: bool
    url: str | None
    sample: bool = strawberry.field(description="true for demo content", metadata=from_index("sample"))
    party_code: strawberry.Private[str]
    properties: strawberry.Private[Record]
    article_keys: strawberry.Private[list[str]]
    crime_type_keys: strawberry.Private[list[str]]

    @classmethod
    def from_record(cls, r: Record) -> Legislation:
        return cls(
            id=global_id("Legislation", r["key"]),
            key=r["key"],
            original_language=LanguageCode(r["originalLanguage"]),
            enacted_on=_date(r.get("enactedOn")),
            in_force=bool(r.get("inForce", True)),
            url=r.get("url"),
            sample=bool(r.get("sample")),
            party_code=r["party"],
            properties=r,
            article_keys=r.get("_articles", []),
            crime_type_keys=r.get("_crimeTypes", []),
        )

    @strawberry.field(metadata=from_index("party", reads=["party_code"]))
    def party(self, info: ContextInfo) -> Party:
        return party_of(info, self.party_code)

    @strawberry.field(
        metadata=from_index("titles", "originalLanguage", reads=["properties", "original_language"])
    )
    def title(self, lang: LanguageCode | None = EN) -> LocalizedText:
        return text_of(self.properties, "title", lang, self.original_language)

    @strawberry.field(description="the text of the law (extract), null when none was given")
    def text(self, lang: LanguageCode | None = EN) -> LocalizedText | None:
        return pick_property(self.properties, "text", lang, self.original_language)

    @strawberry.field(
        description="the articles of the instruments this law implements", metadata=shows_link("_articles")
    )
    def implements_articles(self, info: ContextInfo) -> list[Article]:
        return _articles(info, self.article_keys)

    @strawberry.field(metadata=shows_link("_crimeTypes"))
    def crime_types(self, info: ContextInfo) -> list[CrimeType]:
        return _crime_types(info, self.crime_type_keys)

    @strawberry.field(description="the cases that applied this law, newest first")
    async def cases(
        self, info: ContextInfo, first: int | None = None, after: str | None = None
    ) -> Connection[Case]:
        return await nested_connection(info, "legislation.cases", self.key, first, after, Case.from_record)


@strawberry.type
class Case(Node):
    id: strawberry.ID = strawberry.field(metadata=from_index("key"))
    key: str = strawberry.field(
        description="the record's id in the ingest format", metadata=from_index("key")
    )
    court: str
    case_number: str | None
    decided_on: datetime.date | None
    original_language: LanguageCode = strawberry.field(metadata=from_index("originalLanguage"))
    uses_convention_as_legal_basis: bool = strawberry.field(
        description="the Convention or a Protocol was used as the legal basis (for instance "
        "for extradition or mutual legal assistance)"
    )
    url: str | None
    sample: bool = strawberry.field(description="true for demo content", metadata=from_index("sample"))
    party_code: strawberry.Private[str]
    properties: strawberry.Private[Record]
    article_keys: strawberry.Private[list[str]]
    crime_type_keys: strawberry.Private[list[str]]
    applied_keys: strawberry.Private[list[str]]
    related_keys: strawberry.Private[list[str]]
    # The applied laws and related cases, when the page read them with the case.
    applied_records: strawberry.Private[list[Record] | None]
    related_records: strawberry.Private[list[Record] | None]

    @classmethod
    def from_record(cls, r: Record) -> Case:
        return cls(
            id=global_id("Case", r["key"]),
            key=r["key"],
            court=r["court"],
            case_number=r.get("caseNumber"),
            decided_on=_date(r.get("decidedOn")),
            original_language=LanguageCode(r["originalLanguage"]),
            uses_convention_as_legal_basis=bool(r.get("usesConventionAsLegalBasis")),
            url=r.get("url"),
            sample=bool(r.get("sample")),
            party_code=r["party"],
            properties=r,
            article_keys=r.get("_articles", []),
            crime_type_keys=r.get("_crimeTypes", []),
            applied_keys=r.get("_applied", []),
            related_keys=r.get("_related", []),
            applied_records=r.get("_appliedDocuments"),
            related_records=r.get("_relatedDocuments"),
        )

    @strawberry.field(metadata=from_index("party", reads=["party_code"]))
    def party(self, info: ContextInfo) -> Party:
        return party_of(info, self.party_code)

    @strawberry.field(
        metadata=from_index("titles", "originalLanguage", reads=["properties", "original_language"])
    )
    def title(self, lang: LanguageCode | None = EN) -> LocalizedText:
        return text_of(self.properties, "title", lang, self.original_language)

    @strawberry.field
    def summary(self, lang: LanguageCode | None = EN) -> LocalizedText:
        return text_of(self.properties, "summary", lang, self.original_language)

    @strawberry.field(metadata=shows_link("_crimeTypes"))
    def crime_types(self, info: ContextInfo) -> list[CrimeType]:
        return _crime_types(info, self.crime_type_keys)

    @strawberry.field(metadata=shows_link("_articles"))
    def legal_basis_articles(self, info: ContextInfo) -> list[Article]:
        return _articles(info, self.article_keys)

    # Synchronous when the page read the linked documents with the case: an async
    # resolver costs graphql-core a task per case, ~1.5 ms for a page of 100.
    @strawberry.field(graphql_type=list[Legislation], metadata=shows_link("_applied", "_appliedDocuments"))
    def applied_legislation(self, info: ContextInfo) -> list[Legislation] | Awaitable[list[Legislation]]:
        if self.applied_records is not None:
            return [Legislation.from_record(r) for r in self.applied_records]
        return _load(info, "Legislation", self.applied_keys, Legislation.from_record)

    @strawberry.field(
        graphql_type=list["Case"],
        description="cases in other parties tied to this one (an extradition or mutual legal "
        "assistance request and its answer)",
        metadata=shows_link("_related", "_relatedDocuments"),
    )
    def related_cases(self, info: ContextInfo) -> list[Case] | Awaitable[list[Case]]:
        if self.related_records is not None:
            return [Case.from_record(r) for r in self.related_records]
        return _load(info, "Case", self.related_keys, Case.from_record)


async def _load(info: ContextInfo, label: str, keys: list[str], build: Callable[[Record], T]) -> list[T]:
    """The documents of these keys through the request's DataLoader, in their order."""
    records = await info.context.loaders.document[label].load_many(keys)
    return [build(r) for r in records if r is not None]


@strawberry.type
class AuthorityContact:
    address: str | None
    phone: str | None
    email: str | None
    office_hours: str | None
    procedures: str | None


@strawberry.type
class CompetentAuthority(Node):
    id: strawberry.ID = strawberry.field(metadata=from_index("key"))
    key: str = strawberry.field(
        description="the record's id in the ingest format", metadata=from_index("key")
    )
    functions: list[AuthorityFunction]
    accepted_languages: list[LanguageCode] = strawberry.field(
        description="languages in which this authority accepts requests"
    )
    sample: bool = strawberry.field(description="true for demo content", metadata=from_index("sample"))
    party_code: strawberry.Private[str]
    properties: strawberry.Private[Record]

    @classmethod
    def from_record(cls, r: Record) -> CompetentAuthority:
        return cls(
            id=global_id("CompetentAuthority", r["key"]),
            key=r["key"],
            functions=[AuthorityFunction(f) for f in r.get("functions", [])],
            accepted_languages=[LanguageCode(lang) for lang in r.get("acceptedLanguages", [])],
            sample=bool(r.get("sample")),
            party_code=r["party"],
            properties=r,
        )

    @strawberry.field(metadata=from_index("party", reads=["party_code"]))
    def party(self, info: ContextInfo) -> Party:
        return party_of(info, self.party_code)

    @strawberry.field(metadata=from_index("titles", reads=["properties"]))
    def name(self, lang: LanguageCode | None = EN) -> LocalizedText:
        return text_of(self.properties, "name", lang)

    @strawberry.field(
        description="postal address, phone, e-mail, office hours, procedural requirements: "
        "null unless the viewer may see them",
        extensions=[restricted(rules.authority_contact)],
    )
    async def contact(self, info: ContextInfo) -> AuthorityContact | None:
        record = await info.context.loaders.contact.load(self.key)
        if record is None:
            return None
        return AuthorityContact(
            address=record.get("address"),
            phone=record.get("phone"),
            email=record.get("email"),
            office_hours=record.get("officeHours"),
            procedures=record.get("procedures"),
        )
