"""The knowledge base in GraphQL: legislation, cases, competent authorities, crime types,
and the filter they share with search."""

from __future__ import annotations

import datetime
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, TypeVar

import strawberry

from api import speedups
from api.graphql import enums
from api.graphql.errors import UserInputError
from api.graphql.loaders import NestedPage
from api.graphql.localized import LocalizedText, pick_property, text_of
from api.graphql.lookahead import asked
from api.graphql.relay import (
    Connection,
    Node,
    Paging,
    global_id,
    paging,
    parse_global_id,
)
from api.graphql.scalars import LanguageCode
from api.graphql.types import EN, Article, ContextInfo, Party, party_of
from api.policy import fields as rules
from api.policy.fields import restricted
from api.speedups.hints import from_index, links_of, shows_link
from graph.driver import Record
from graph.knowledge import FULL, DocumentCursor, DocumentFilter, Projection
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


# ---------- the cursors of document lists: [sortDate, key]; of authorities: [party, key] ----------


def _two_strings(value: Any) -> tuple[str, str]:
    first, second = value
    if not isinstance(first, str) or not isinstance(second, str):
        raise TypeError("a cursor of this list holds two strings")
    return first, second


def document_position(value: Any) -> DocumentCursor:
    sort_date, key = _two_strings(value)
    return DocumentCursor(datetime.date.fromisoformat(sort_date), key)


def authority_position(value: Any) -> tuple[str, str]:
    return _two_strings(value)


def documents_paging(
    info: ContextInfo, kind: str, first: int | None, after: str | None
) -> Paging[DocumentCursor]:
    return paging(info.context, kind, first, after, document_position)


def document_connection(
    page: Paging[DocumentCursor], records: list[Record], total: int, build: Any
) -> Connection[Any]:
    return page.connection([build(r) for r in records], [[r["sortDate"], r["key"]] for r in records], total)


async def nested_connection(
    info: ContextInfo, relation: str, owner: str, first: int | None, after: str | None, build: Any
) -> Connection[Any]:
    page = documents_paging(info, relation, first, after)
    nested = NestedPage(relation, owner, page.position, page.fetch, page_projection(info))
    records, total = await info.context.loaders.nested.load(nested)
    return document_connection(page, records, total, build)


# ---------- what a page reads of its documents ----------

# The fields that show a document's links (graph.knowledge.LINK_KEYS), and those of them
# that show linked laws and cases, which a page reads in its own query when asked: declared
# on the fields (`shows_link`), gathered into _LINK_OF_FIELD and _DOCUMENTS_OF_FIELD below
# the types.


def _links(fields: Iterable[str]) -> frozenset[str]:
    return frozenset(_LINK_OF_FIELD[name] for name in fields if name in _LINK_OF_FIELD)


def page_projection(info: ContextInfo) -> Projection:
    """What a page of documents reads for the fields asked of them: the links they show,
    and the laws and cases they link to in the same query (a page of 100 cases with their
    applied laws: one query instead of two). Everything when a directive makes the fields
    unknowable before running, or with the speed-up off (SHERLOC_SPEEDUP_PAGE_PROJECTIONS)."""
    if not speedups.on(info.context.settings, speedups.PAGE_PROJECTIONS):
        return FULL
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


_PAGE_LINKS = links_of(Legislation, Case)
_LINK_OF_FIELD = {name: hint.link for name, hint in _PAGE_LINKS.items()}
_DOCUMENTS_OF_FIELD = {
    name: documents for name, hint in _PAGE_LINKS.items() if (documents := hint.documents) is not None
}


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
