"""The reference types: instruments, articles, parties and their participation."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from api.graphql import enums
from api.graphql.context import ContextInfo, type_named
from api.graphql.knowledge.pages import nested_connection
from api.graphql.library.pages import party_strategies
from api.graphql.localized import LocalizedText, text_of
from api.graphql.relay import Connection, Node, global_id, paging
from api.graphql.scalars import LanguageCode
from graph import reference
from graph.driver import Record

if TYPE_CHECKING:
    from api.graphql.designations.types import Designation, FocalPoint
    from api.graphql.knowledge.types import Case, CompetentAuthority, Legislation
    from api.graphql.library.types import Strategy
    from api.graphql.treaties.types import Treaty, TreatyAction


_KNOWLEDGE = "api.graphql.knowledge.types"
LegislationRef = Annotated["Legislation", strawberry.lazy(_KNOWLEDGE)]
CaseRef = Annotated["Case", strawberry.lazy(_KNOWLEDGE)]
AuthorityRef = Annotated["CompetentAuthority", strawberry.lazy(_KNOWLEDGE)]
TreatyRef = Annotated["Treaty", strawberry.lazy("api.graphql.treaties.types")]
TreatyActionRef = Annotated["TreatyAction", strawberry.lazy("api.graphql.treaties.types")]
StrategyRef = Annotated["Strategy", strawberry.lazy("api.graphql.library.types")]
FocalPointRef = Annotated["FocalPoint", strawberry.lazy("api.graphql.designations.types")]
DesignationRef = Annotated["Designation", strawberry.lazy("api.graphql.designations.types")]
EN = LanguageCode("en")
# The Convention first, then the Protocols in the contract's order.
_INSTRUMENT_ORDER = {code.value: i for i, code in enumerate(enums.InstrumentCode)}


def native(value: Any) -> Any:
    """A Neo4j date or datetime as Python's, None as None."""
    return value.to_native() if value is not None else None


async def load_instrument(info: ContextInfo, code: str) -> Instrument:
    record = await info.context.loaders.instrument.load(code)
    if record is None:
        raise LookupError(f"the graph has no instrument {code}")
    return Instrument.from_record(record)


async def load_instruments(info: ContextInfo, codes: list[str]) -> list[Instrument]:
    records = await info.context.loaders.instrument.load_many(codes)
    return [Instrument.from_record(r) for r in records if r]


def party_of(info: ContextInfo, code: str) -> Party:
    reference = info.context.reference
    party = reference.object_of(reference.parties, code, Party.from_record)
    if party is None:
        raise LookupError(f"the graph has no party {code}")
    return party


@strawberry.type
class Instrument(Node):
    code: enums.InstrumentCode
    properties: strawberry.Private[Record]

    @classmethod
    def from_record(cls, record: Record) -> Instrument:
        code = record["code"]
        return cls(
            id=global_id("Instrument", code),
            code=enums.InstrumentCode(code),
            properties=record,
        )

    @strawberry.field(description="The official title, in the six working languages")
    def title(self, lang: LanguageCode | None = EN) -> LocalizedText:
        return text_of(self.properties, "title", lang)

    @strawberry.field
    async def articles(self, info: ContextInfo) -> list[Article]:
        records = await info.context.loaders.articles_of_instrument.load(self.code.value)
        return [Article.from_record(r) for r in records]

    @strawberry.field
    async def article(self, info: ContextInfo, number: int) -> Article | None:
        record = await info.context.loaders.article.load(f"{self.code.value}:{number}")
        return Article.from_record(record) if record else None

    @strawberry.field(description="The parties bound by this instrument, by code")
    async def parties(
        self, info: ContextInfo, first: int | None = None, after: str | None = None
    ) -> Connection[Party]:
        return await parties_connection(info, instrument=self.code.value, first=first, after=after)


@strawberry.type
class Article(Node):
    key: str = strawberry.field(description='The article as the ingest format writes it: "UNTOC:18"')
    number: int
    cluster: enums.ReviewCluster | None = strawberry.field(
        description="null where the article is in no cluster of table 1"
    )
    reviewed_only_for_non_uncac_parties: bool = strawberry.field(
        description="true for UNTOC articles 8 and 9: reviewed only for parties that are not party to UNCAC"
    )
    instrument_code: strawberry.Private[str]
    properties: strawberry.Private[Record]

    @classmethod
    def from_record(cls, record: Record) -> Article:
        return cls(
            id=global_id("Article", record["key"]),
            key=record["key"],
            number=record["number"],
            cluster=enums.ReviewCluster(record["cluster"]) if record.get("cluster") else None,
            reviewed_only_for_non_uncac_parties=record["reviewedOnlyForNonUncacParties"],
            instrument_code=record["instrument"],
            properties=record,
        )

    @strawberry.field
    def title(self, lang: LanguageCode | None = EN) -> LocalizedText:
        return text_of(self.properties, "title", lang)

    @strawberry.field
    async def instrument(self, info: ContextInfo) -> Instrument:
        return await load_instrument(info, self.instrument_code)

    @strawberry.field(description="laws implementing this article, newest first")
    async def legislation(
        self, info: ContextInfo, first: int | None = None, after: str | None = None
    ) -> Connection[LegislationRef]:
        return await nested_connection(
            info, "article.legislation", self.key, first, after, type_named(info, "Legislation").from_record
        )

    @strawberry.field(description="cases that used this article as their legal basis, newest first")
    async def cases(
        self, info: ContextInfo, first: int | None = None, after: str | None = None
    ) -> Connection[CaseRef]:
        return await nested_connection(
            info, "article.cases", self.key, first, after, type_named(info, "Case").from_record
        )


@strawberry.type
class TreatyParticipation:
    status: enums.ParticipationStatus
    signed_on: datetime.date | None
    bound_on: datetime.date | None = strawberry.field(
        description="date of ratification, accession, acceptance, approval or succession"
    )
    action: enums.BindingAction | None = strawberry.field(
        description="how the party became bound; null for a signatory"
    )
    instrument_code: strawberry.Private[str]

    @strawberry.field
    async def instrument(self, info: ContextInfo) -> Instrument:
        return await load_instrument(info, self.instrument_code)


@strawberry.type
class Party(Node):
    code: str = strawberry.field(description="ISO 3166-1 alpha-3; EUR for the European Union")
    kind: enums.PartyKind
    regional_group: enums.RegionalGroup | None = strawberry.field(
        description="null for the European Union and for participants in no UN regional group"
    )
    uncac_party: bool = strawberry.field(description="party to the UN Convention against Corruption")
    properties: strawberry.Private[Record]

    @classmethod
    def from_record(cls, record: Record) -> Party:
        group = record.get("regionalGroup")
        return cls(
            id=global_id("Party", record["code"]),
            code=record["code"],
            kind=enums.PartyKind(record["kind"]),
            regional_group=enums.RegionalGroup(group) if group else None,
            uncac_party=bool(record.get("uncacParty")),
            properties=record,
        )

    @strawberry.field
    def name(self, lang: LanguageCode | None = EN) -> LocalizedText:
        return text_of(self.properties, "name", lang)

    @strawberry.field(description="The Convention and each Protocol the party signed or is bound by")
    async def participations(self, info: ContextInfo) -> list[TreatyParticipation]:
        records = await info.context.loaders.participations_of_party.load(self.code)
        return [
            TreatyParticipation(
                status=enums.ParticipationStatus(r["status"]),
                signed_on=native(r["signedOn"]),
                bound_on=native(r["boundOn"]),
                action=enums.BindingAction(r["action"]) if r["action"] else None,
                instrument_code=r["instrument"],
            )
            for r in sorted(records, key=lambda r: _INSTRUMENT_ORDER[r["instrument"]])
        ]

    @strawberry.field(description="the party's laws, newest first")
    async def legislation(
        self, info: ContextInfo, first: int | None = None, after: str | None = None
    ) -> Connection[LegislationRef]:
        return await nested_connection(
            info, "party.legislation", self.code, first, after, type_named(info, "Legislation").from_record
        )

    @strawberry.field(description="cases decided in the party, newest first")
    async def cases(
        self, info: ContextInfo, first: int | None = None, after: str | None = None
    ) -> Connection[CaseRef]:
        return await nested_connection(
            info, "party.cases", self.code, first, after, type_named(info, "Case").from_record
        )

    @strawberry.field(
        description="its reservations, declarations, notifications, objections and withdrawals under the "
        "Convention and its Protocols, by key"
    )
    async def treaty_actions(self, info: ContextInfo) -> list[TreatyActionRef]:
        records = await info.context.loaders.linked["party.treatyActions"].load(self.code)
        action = type_named(info, "TreatyAction")
        return [action.from_record(r) for r in records]

    @strawberry.field(
        description="the treaties it is party to, newest first, of one kind of cooperation if given"
    )
    async def treaties(
        self,
        info: ContextInfo,
        cooperation: enums.CooperationType | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[TreatyRef]:
        relation = f"party.treaties.{cooperation.value}" if cooperation else "party.treaties"
        return await nested_connection(
            info, relation, self.code, first, after, type_named(info, "Treaty").from_record
        )

    @strawberry.field(description="its national strategies, action plans and policies, newest first")
    async def strategies(
        self, info: ContextInfo, first: int | None = None, after: str | None = None
    ) -> Connection[StrategyRef]:
        return await party_strategies(info, self.code, first, after, type_named(info, "Strategy").from_record)

    @strawberry.field(description="the focal point (¶18), or the interim one while none is designated")
    async def focal_point(self, info: ContextInfo) -> FocalPointRef:
        records = await info.context.loaders.designations.load(self.code)
        focal_point: FocalPoint = type_named(info, "FocalPoint").of(
            self.code, self.properties.get("name.en", self.code), records
        )
        return focal_point

    @strawberry.field(description="the governmental experts designated by the party (¶27)")
    async def governmental_experts(self, info: ContextInfo) -> list[DesignationRef]:
        records = await info.context.loaders.designations.load(self.code)
        designation = type_named(info, "Designation")
        return [designation.from_record(r) for r in records if r["role"] == "GOVERNMENTAL_EXPERT"]

    @strawberry.field
    async def competent_authorities(self, info: ContextInfo) -> list[AuthorityRef]:
        records = await info.context.loaders.linked["party.authorities"].load(self.code)
        authority = type_named(info, "CompetentAuthority")
        return [authority.from_record(r) for r in records]


async def parties_connection(
    info: ContextInfo,
    *,
    first: int | None,
    after: str | None,
    regional_group: str | None = None,
    instrument: str | None = None,
) -> Connection[Party]:
    page = paging(info.context, "parties", first, after)
    records, total = await reference.parties_page(
        info.context.graph,
        regional_group=regional_group,
        instrument=instrument,
        after_code=page.position,
        limit=page.fetch,
    )
    parties = [Party.from_record(r["party"]) for r in records]
    return page.connection(parties, [p.code for p in parties], total)
