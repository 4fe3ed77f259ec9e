"""The knowledge base's types: legislation, cases, competent authorities and crime types."""

from __future__ import annotations

import datetime
from collections.abc import Awaitable, Callable
from typing import TypeVar

import strawberry

from api.graphql.context import ContextInfo
from api.graphql.dates import date_from
from api.graphql.enums import (
    AgeGroup,
    CaseOutcome,
    CooperationType,
    CourtLevel,
    Gender,
    KeywordFamily,
    LegalSystem,
    LegislationStatus,
)
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
from mechanism.legislation import status_on

strawberry.enum(AuthorityFunction)

T = TypeVar("T")


# A document's links come with it (graph.knowledge.Projection): their keys, loaded through
# the reference data (articles, crime types) or one batched query (laws, cases), or the
# linked laws and cases themselves when a page read them in its own query.
def articles_of(info: ContextInfo, keys: list[str]) -> list[Article]:
    reference = info.context.reference
    found = (reference.object_of(reference.articles, key, Article.from_record) for key in keys)
    return [article for article in found if article is not None]


def crime_types_of(info: ContextInfo, keys: list[str]) -> list[CrimeType]:
    reference = info.context.reference
    found = (reference.object_of(reference.crime_types, key, CrimeType.from_record) for key in keys)
    return [crime_type for crime_type in found if crime_type is not None]


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


@strawberry.type(description="The extract of a law that implements one article.")
class LegislationExtract:
    properties: strawberry.Private[Record]

    @strawberry.field
    def article(self, info: ContextInfo) -> Article:
        (article,) = articles_of(info, [self.properties["article"]])
        return article

    @strawberry.field
    def text(self, lang: LanguageCode | None = EN) -> LocalizedText:
        return text_of(self.properties, "text", lang)


@strawberry.type(description="A law amending or repealing another, and from when.")
class LegislationChange:
    on: datetime.date | None = strawberry.field(description="the date the change takes effect")
    law_key: strawberry.Private[str]

    @strawberry.field(description="the other law")
    async def law(self, info: ContextInfo) -> Legislation | None:
        found = await _load(info, "Legislation", [self.law_key], Legislation.from_record)
        return found[0] if found else None


@strawberry.type(description="The text of a law as in force from a date.")
class LegislationVersion:
    in_force_from: datetime.date
    properties: strawberry.Private[Record]

    @strawberry.field
    def text(self, lang: LanguageCode | None = EN) -> LocalizedText:
        return text_of(self.properties, "text", lang)


def _changes(records: list[Record], kind: str, outgoing: bool) -> list[LegislationChange]:
    return [
        LegislationChange(on=date_from(r["on"]), law_key=r["law"])
        for r in records
        if r["kind"] == kind and r["outgoing"] is outgoing
    ]


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
    extract_records: strawberry.Private[list[Record]]
    change_records: strawberry.Private[list[Record]]

    @classmethod
    def from_record(cls, r: Record) -> Legislation:
        return cls(
            id=global_id("Legislation", r["key"]),
            key=r["key"],
            original_language=LanguageCode(r["originalLanguage"]),
            enacted_on=date_from(r.get("enactedOn")),
            in_force=bool(r.get("inForce", True)),
            url=r.get("url"),
            sample=bool(r.get("sample")),
            party_code=r["party"],
            properties=r,
            article_keys=r.get("_articles", []),
            crime_type_keys=r.get("_crimeTypes", []),
            extract_records=r.get("_extracts", []),
            change_records=r.get("_changes", []),
        )

    @strawberry.field(metadata=from_index("party", reads=["party_code"]))
    def party(self, info: ContextInfo) -> Party:
        return party_of(info, self.party_code)

    @strawberry.field(
        metadata=from_index("titles", "originalLanguage", reads=["properties", "original_language"])
    )
    def title(self, lang: LanguageCode | None = EN) -> LocalizedText:
        return text_of(self.properties, "title", lang, self.original_language)

    @strawberry.field(
        description="the extract that implements each article, by article", metadata=shows_link("_extracts")
    )
    def extracts(self) -> list[LegislationExtract]:
        return [LegislationExtract(properties=r) for r in self.extract_records]

    @strawberry.field(
        description="in force, amended, repealed or not in force, today (or on `on`), from the laws that "
        "amend and repeal it",
        metadata=shows_link("_changes"),
    )
    def status(self, on: datetime.date | None = None) -> LegislationStatus:
        day = on or datetime.datetime.now(datetime.UTC).date()
        return status_on(
            day,
            in_force=self.in_force,
            amended_on=[c.on for c in _changes(self.change_records, "AMENDS", False)],
            repealed_on=[c.on for c in _changes(self.change_records, "REPEALS", False)],
        )

    @strawberry.field(description="the laws this one amends", metadata=shows_link("_changes"))
    def amends(self) -> list[LegislationChange]:
        return _changes(self.change_records, "AMENDS", True)

    @strawberry.field(description="the laws that amend this one", metadata=shows_link("_changes"))
    def amended_by(self) -> list[LegislationChange]:
        return _changes(self.change_records, "AMENDS", False)

    @strawberry.field(description="the laws this one repeals", metadata=shows_link("_changes"))
    def repeals(self) -> list[LegislationChange]:
        return _changes(self.change_records, "REPEALS", True)

    @strawberry.field(description="the laws that repeal this one", metadata=shows_link("_changes"))
    def repealed_by(self) -> list[LegislationChange]:
        return _changes(self.change_records, "REPEALS", False)

    @strawberry.field(description="its texts as in force from each date, oldest first")
    async def versions(self, info: ContextInfo) -> list[LegislationVersion]:
        records = await info.context.loaders.linked["legislation.versions"].load(self.key)
        return [LegislationVersion(in_force_from=r["inForceFrom"].to_native(), properties=r) for r in records]

    @strawberry.field(description="the text of the law (extract), null when none was given")
    def text(self, lang: LanguageCode | None = EN) -> LocalizedText | None:
        return pick_property(self.properties, "text", lang, self.original_language)

    @strawberry.field(
        description="the articles of the instruments this law implements", metadata=shows_link("_articles")
    )
    def implements_articles(self, info: ContextInfo) -> list[Article]:
        return articles_of(info, self.article_keys)

    @strawberry.field(metadata=shows_link("_crimeTypes"))
    def crime_types(self, info: ContextInfo) -> list[CrimeType]:
        return crime_types_of(info, self.crime_type_keys)

    @strawberry.field(description="the cases that applied this law, newest first")
    async def cases(
        self, info: ContextInfo, first: int | None = None, after: str | None = None
    ) -> Connection[Case]:
        return await nested_connection(info, "legislation.cases", self.key, first, after, Case.from_record)


@strawberry.type(description="International cooperation that took place in a case.")
class CaseCooperation:
    cooperation: CooperationType
    requesting_code: strawberry.Private[str]
    requested_code: strawberry.Private[str]

    @classmethod
    def from_record(cls, r: Record) -> CaseCooperation:
        return cls(
            cooperation=CooperationType(r["cooperation"]),
            requesting_code=r["requesting"],
            requested_code=r["requested"],
        )

    @strawberry.field
    def requesting(self, info: ContextInfo) -> Party:
        return party_of(info, self.requesting_code)

    @strawberry.field
    def requested(self, info: ContextInfo) -> Party:
        return party_of(info, self.requested_code)


@strawberry.type(description="A defendant or a victim: never named, initials at most.")
class CasePerson:
    initials: str | None
    gender: Gender | None
    nationality: str | None = strawberry.field(description="ISO 3166-1 alpha-3")
    age_group: AgeGroup | None
    count: int = strawberry.field(description="how many people this row describes")

    @classmethod
    def from_record(cls, r: Record) -> CasePerson:
        return cls(
            initials=r.get("initials"),
            gender=Gender(r["gender"]) if r.get("gender") else None,
            nationality=r.get("nationality"),
            age_group=AgeGroup(r["ageGroup"]) if r.get("ageGroup") else None,
            count=int(r.get("count", 1)),
        )


@strawberry.type(description="A keyword of SHERLOC's case law families.")
class CaseKeyword:
    family: KeywordFamily
    term: str

    @strawberry.field(description="the term in words")
    def label(self) -> str:
        return self.term.replace("-", " ")


@strawberry.type(description="A decision in the case's procedural history.")
class CaseProceeding:
    court: str
    decided_on: datetime.date | None
    outcome: CaseOutcome | None
    note: str | None


@strawberry.type(description="The decision's document.")
class CaseDecision:
    url: str
    language: LanguageCode
    title: str | None


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
    cooperation_records: strawberry.Private[list[Record]]
    people_records: strawberry.Private[list[Record]]
    proceeding_records: strawberry.Private[list[Record]]
    court_level: CourtLevel | None
    legal_system: LegalSystem | None
    outcome: CaseOutcome | None
    sentence: str | None = strawberry.field(description="the sentence, as the decision gives it")
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
            decided_on=date_from(r.get("decidedOn")),
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
            cooperation_records=r.get("_cooperation", []),
            people_records=r.get("_people", []),
            proceeding_records=r.get("_proceedings", []),
            court_level=CourtLevel(r["courtLevel"]) if r.get("courtLevel") else None,
            legal_system=LegalSystem(r["legalSystem"]) if r.get("legalSystem") else None,
            outcome=CaseOutcome(r["outcome"]) if r.get("outcome") else None,
            sentence=r.get("sentence"),
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
        return crime_types_of(info, self.crime_type_keys)

    @strawberry.field(metadata=shows_link("_articles"))
    def legal_basis_articles(self, info: ContextInfo) -> list[Article]:
        return articles_of(info, self.article_keys)

    @strawberry.field(
        description="the international cooperation that took place: which State asked which, for what",
        metadata=shows_link("_cooperation"),
    )
    def cooperation(self) -> list[CaseCooperation]:
        return [CaseCooperation.from_record(r) for r in self.cooperation_records]

    @strawberry.field(
        description="by gender, nationality and age group; initials at most", metadata=shows_link("_people")
    )
    def defendants(self) -> list[CasePerson]:
        return [CasePerson.from_record(r) for r in self.people_records if r["role"] == "DEFENDANT"]

    @strawberry.field(
        description="by gender, nationality and age group; initials at most", metadata=shows_link("_people")
    )
    def victims(self) -> list[CasePerson]:
        return [CasePerson.from_record(r) for r in self.people_records if r["role"] == "VICTIM"]

    @strawberry.field(
        description="SHERLOC's keywords: acts, means, purpose of exploitation, cooperation, form, sector"
    )
    def keywords(self) -> list[CaseKeyword]:
        found = (k.split(":", 1) for k in self.properties.get("keywords", []))
        return [CaseKeyword(family=KeywordFamily(family), term=term) for family, term in found]

    @strawberry.field
    def facts(self, lang: LanguageCode | None = EN) -> LocalizedText | None:
        return pick_property(self.properties, "facts", lang, self.original_language)

    @strawberry.field(description="the commentary and significant features")
    def commentary(self, lang: LanguageCode | None = EN) -> LocalizedText | None:
        return pick_property(self.properties, "commentary", lang, self.original_language)

    @strawberry.field(
        description="the other decisions in the case, in order", metadata=shows_link("_proceedings")
    )
    def procedural_history(self) -> list[CaseProceeding]:
        return [
            CaseProceeding(
                court=r["court"],
                decided_on=date_from(r.get("decidedOn")),
                outcome=CaseOutcome(r["outcome"]) if r.get("outcome") else None,
                note=r.get("note"),
            )
            for r in self.proceeding_records
        ]

    @strawberry.field(description="the decision's document, null when none is linked")
    def decision(self) -> CaseDecision | None:
        url = self.properties.get("decisionUrl")
        if not url:
            return None
        return CaseDecision(
            url=url,
            language=LanguageCode(self.properties["decisionLanguage"]),
            title=self.properties.get("decisionTitle"),
        )

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


def _day(value: object) -> datetime.date | None:
    """A date as a record holds it: ISO (a projection's), or the driver's Date, or Python's."""
    if value is None or isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        return datetime.date.fromisoformat(value)
    native: datetime.date = value.to_native()  # type: ignore[attr-defined]
    return native


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
    accepts_convention_requests: bool | None = strawberry.field(
        description="whether it accepts requests that take the Convention as their legal basis; "
        "null: not stated"
    )
    accepts_interpol: bool | None = strawberry.field(
        description="whether it accepts requests through INTERPOL's channels (article 18(13)); "
        "null: not stated"
    )
    confirmed_on: datetime.date | None = strawberry.field(
        description="the day its State last confirmed the entry; the secretariat follows up those "
        "not confirmed for a year (ninth session, ¶116)"
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
            accepts_convention_requests=r.get("acceptsConventionRequests"),
            accepts_interpol=r.get("acceptsInterpol"),
            confirmed_on=_day(r.get("confirmedOn")),
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
        description="the legal and procedural requirements of a request, public; null when none are given"
    )
    def requirements(self, lang: LanguageCode | None = EN) -> LocalizedText | None:
        return pick_property(self.properties, "requirements", lang)

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
