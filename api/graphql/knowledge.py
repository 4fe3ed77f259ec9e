"""The knowledge base in GraphQL: legislation, cases, competent authorities, crime types,
and the filter they share with search."""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

import strawberry

from api.graphql import enums
from api.graphql.errors import UserInputError
from api.graphql.loaders import NestedPage
from api.graphql.localized import LocalizedText, pick_property, text_of
from api.graphql.lookahead import asked
from api.graphql.relay import (
    Connection,
    Edge,
    Node,
    global_id,
    page_info,
    page_size,
    parse_global_id,
)
from api.graphql.scalars import LanguageCode
from api.graphql.types import EN, Article, ContextInfo, Party, party_of
from graph.driver import Record
from graph.knowledge import FULL, DocumentCursor, DocumentFilter, Projection
from mechanism.access import may_read_authority_contact
from mechanism.authorities import AuthorityFunction
from mechanism.instruments import ArticleRef
from mechanism.vocabulary import CrimeType as CrimeTypeKey

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


# ---------- cursors of document lists: (sortDate, key) ----------


def document_cursor(record: Record) -> str:
    value = json.dumps([record["sortDate"], record["key"]])
    return base64.urlsafe_b64encode(value.encode()).decode().rstrip("=")


def parse_document_cursor(cursor: str | None) -> DocumentCursor | None:
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode())
        sort_date, key = json.loads(raw)
        return DocumentCursor(datetime.date.fromisoformat(sort_date), str(key))
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        raise UserInputError("after", "is not a cursor given by this connection") from None


def document_connection(
    records: list[Record], total: int, limit: int, after: str | None, build: Any
) -> Connection[Any]:
    has_next = len(records) > limit
    records = records[:limit]
    edges = [Edge(cursor=document_cursor(r), node=build(r)) for r in records]
    return Connection(
        edges=edges, page_info=page_info([e.cursor for e in edges], has_next, after), total_count=total
    )


async def nested_connection(
    info: ContextInfo, relation: str, owner: str, first: int | None, after: str | None, build: Any
) -> Connection[Any]:
    limit = page_size(first, info.context.settings.max_page_size)
    page = NestedPage(relation, owner, parse_document_cursor(after), limit + 1, page_projection(info))
    records, total = await info.context.loaders.nested.load(page)
    return document_connection(records, total, limit, after, build)


# ---------- what a page reads of its documents ----------

# The fields that show a document's links (graph.knowledge.LINK_KEYS), and those of them
# that show linked laws and cases, which a page reads in its own query when asked.
_LINK_OF_FIELD = {
    "implementsArticles": "_articles",
    "legalBasisArticles": "_articles",
    "crimeTypes": "_crimeTypes",
    "appliedLegislation": "_applied",
    "relatedCases": "_related",
}
_DOCUMENTS_OF_FIELD = {"appliedLegislation": "_appliedDocuments", "relatedCases": "_relatedDocuments"}


def _links(fields: Iterable[str]) -> frozenset[str]:
    return frozenset(_LINK_OF_FIELD[name] for name in fields if name in _LINK_OF_FIELD)


def page_projection(info: ContextInfo) -> Projection:
    """What a page of documents reads for the fields asked of them: the links they show,
    and the laws and cases they link to in the same query (a page of 100 cases with their
    applied laws: one query instead of two). Everything when a directive makes the fields
    unknowable before running."""
    fields = asked(info, "edges", "node")
    if fields is None:
        return FULL
    linked = {name: below for name, below in fields.items() if name in _DOCUMENTS_OF_FIELD}
    return Projection(
        links=_links(fields.keys() - linked.keys()),
        documents=frozenset((_DOCUMENTS_OF_FIELD[name], _links(below)) for name, below in linked.items()),
    )


# ---------- types ----------


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
    key: str = strawberry.field(description="the record's id in the ingest format")
    original_language: LanguageCode
    enacted_on: datetime.date | None
    in_force: bool
    url: str | None
    sample: bool = strawberry.field(description="true for demo content")
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

    @strawberry.field
    def party(self, info: ContextInfo) -> Party:
        return party_of(info, self.party_code)

    @strawberry.field
    def title(self, lang: LanguageCode | None = EN) -> LocalizedText:
        return text_of(self.properties, "title", lang, self.original_language)

    @strawberry.field(description="the text of the law (extract), null when none was given")
    def text(self, lang: LanguageCode | None = EN) -> LocalizedText | None:
        return pick_property(self.properties, "text", lang, self.original_language)

    @strawberry.field(description="the articles of the instruments this law implements")
    def implements_articles(self, info: ContextInfo) -> list[Article]:
        return _articles(info, self.article_keys)

    @strawberry.field
    def crime_types(self, info: ContextInfo) -> list[CrimeType]:
        return _crime_types(info, self.crime_type_keys)

    @strawberry.field(description="the cases that applied this law, newest first")
    async def cases(
        self, info: ContextInfo, first: int | None = None, after: str | None = None
    ) -> Connection[Case]:
        return await nested_connection(info, "legislation.cases", self.key, first, after, Case.from_record)


@strawberry.type
class Case(Node):
    key: str = strawberry.field(description="the record's id in the ingest format")
    court: str
    case_number: str | None
    decided_on: datetime.date | None
    original_language: LanguageCode
    uses_convention_as_legal_basis: bool = strawberry.field(
        description="the Convention or a Protocol was used as the legal basis (for instance "
        "for extradition or mutual legal assistance)"
    )
    url: str | None
    sample: bool = strawberry.field(description="true for demo content")
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

    @strawberry.field
    def party(self, info: ContextInfo) -> Party:
        return party_of(info, self.party_code)

    @strawberry.field
    def title(self, lang: LanguageCode | None = EN) -> LocalizedText:
        return text_of(self.properties, "title", lang, self.original_language)

    @strawberry.field
    def summary(self, lang: LanguageCode | None = EN) -> LocalizedText:
        return text_of(self.properties, "summary", lang, self.original_language)

    @strawberry.field
    def crime_types(self, info: ContextInfo) -> list[CrimeType]:
        return _crime_types(info, self.crime_type_keys)

    @strawberry.field
    def legal_basis_articles(self, info: ContextInfo) -> list[Article]:
        return _articles(info, self.article_keys)

    # Synchronous when the page read the linked documents with the case: an async
    # resolver costs graphql-core a task per case, ~1.5 ms for a page of 100.
    @strawberry.field(graphql_type=list[Legislation])
    def applied_legislation(self, info: ContextInfo) -> list[Legislation] | Awaitable[list[Legislation]]:
        if self.applied_records is not None:
            return [Legislation.from_record(r) for r in self.applied_records]
        return _load(info, "Legislation", self.applied_keys, Legislation.from_record)

    @strawberry.field(
        graphql_type=list["Case"],
        description="cases in other parties tied to this one (an extradition or mutual legal "
        "assistance request and its answer)",
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
    key: str = strawberry.field(description="the record's id in the ingest format")
    functions: list[AuthorityFunction]
    accepted_languages: list[LanguageCode] = strawberry.field(
        description="languages in which this authority accepts requests"
    )
    sample: bool = strawberry.field(description="true for demo content")
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

    @strawberry.field
    def party(self, info: ContextInfo) -> Party:
        return party_of(info, self.party_code)

    @strawberry.field
    def name(self, lang: LanguageCode | None = EN) -> LocalizedText:
        return text_of(self.properties, "name", lang)

    @strawberry.field(
        description="postal address, phone, e-mail, office hours, procedural requirements: "
        "null unless the viewer may see them"
    )
    async def contact(self, info: ContextInfo) -> AuthorityContact | None:
        if not may_read_authority_contact(info.context.viewer):
            return None
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


# ---------- the shared filter ----------


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


_CRIME_TYPES = {c.value for c in CrimeTypeKey}
MAX_FILTER_VALUES = 200


def _values(name: str, values: Any) -> list[Any] | None:
    if values is None or values is strawberry.UNSET:
        return None
    if len(values) > MAX_FILTER_VALUES:
        raise UserInputError(f"filter.{name}", f"at most {MAX_FILTER_VALUES} values")
    return list(values)


def _article_key(value: str) -> str:
    try:
        return ArticleRef.parse(value).key
    except ValueError:
        pass
    try:
        ref = parse_global_id(value, "filter.articles")
    except UserInputError:
        ref = None
    if ref is None or ref.type_name != "Article":
        raise UserInputError(
            "filter.articles", f"{value!r} is neither an Article ID nor a reference like 'UNTOC:18'"
        )
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
    return DocumentFilter(
        parties=parties,
        regional_groups=[g.value for g in groups] if groups is not None else None,
        instruments=[i.value for i in instruments] if instruments is not None else None,
        articles=[_article_key(a) for a in articles] if articles is not None else None,
        crime_types=crime_types,
        uses_convention_as_legal_basis=None if legal_basis is strawberry.UNSET else legal_basis,
        date_from=date_from,
        date_to=date_to,
    )
