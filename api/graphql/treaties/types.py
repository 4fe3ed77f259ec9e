"""Treaties, treaty actions, the cooperation a case records, and the legal basis between
two States."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from api.graphql.context import ContextInfo, type_named
from api.graphql.dates import date_from
from api.graphql.enums import CooperationType, TreatyActionKind
from api.graphql.localized import LocalizedText, pick_property, text_of
from api.graphql.reference.types import EN, Article, Instrument, Party, load_instrument, party_of
from api.graphql.relay import Connection, Node, global_id
from api.graphql.scalars import LanguageCode
from api.graphql.treaties.pages import precedents_connection
from graph.driver import Record

if TYPE_CHECKING:
    from api.graphql.knowledge.types import Case, CompetentAuthority

_KNOWLEDGE = "api.graphql.knowledge.types"
CaseRef = Annotated["Case", strawberry.lazy(_KNOWLEDGE)]
AuthorityRef = Annotated["CompetentAuthority", strawberry.lazy(_KNOWLEDGE)]


@strawberry.type(description="A bilateral or multilateral agreement on international cooperation.")
class Treaty(Node):
    key: str = strawberry.field(description="the record's id in the ingest format")
    bilateral: bool
    cooperation: list[CooperationType]
    signed_on: datetime.date | None
    in_force_on: datetime.date | None
    original_language: LanguageCode
    url: str | None
    sample: bool = strawberry.field(description="true for demo content")
    party_codes: strawberry.Private[list[str]]
    properties: strawberry.Private[Record]

    @classmethod
    def from_record(cls, r: Record) -> Treaty:
        return cls(
            id=global_id("Treaty", r["key"]),
            key=r["key"],
            bilateral=bool(r.get("bilateral")),
            cooperation=[CooperationType(c) for c in r.get("cooperation", [])],
            signed_on=date_from(r.get("signedOn")),
            in_force_on=date_from(r.get("inForceOn")),
            original_language=LanguageCode(r["originalLanguage"]),
            url=r.get("url"),
            sample=bool(r.get("sample")),
            party_codes=list(r.get("parties", [])),
            properties=r,
        )

    @strawberry.field
    def title(self, lang: LanguageCode | None = EN) -> LocalizedText:
        return text_of(self.properties, "title", lang, self.original_language)

    @strawberry.field(description="the treaty's text, null when none was given")
    def text(self, lang: LanguageCode | None = EN) -> LocalizedText | None:
        return pick_property(self.properties, "text", lang, self.original_language)

    @strawberry.field
    def parties(self, info: ContextInfo) -> list[Party]:
        return [party_of(info, code) for code in self.party_codes]


@strawberry.type(
    description="A reservation, declaration, notification, objection or withdrawal of a party under an "
    "article."
)
class TreatyAction(Node):
    key: str = strawberry.field(description="the record's id in the ingest format")
    kind: TreatyActionKind
    paragraph: str | None = strawberry.field(description="the article's paragraph, e.g. 5(a) or 13")
    made_on: datetime.date | None
    original_language: LanguageCode
    source: str | None = strawberry.field(description="where the text and date come from")
    sample: bool = strawberry.field(description="true for demo content")
    party_code: strawberry.Private[str]
    instrument_code: strawberry.Private[str]
    article_key: strawberry.Private[str | None]
    properties: strawberry.Private[Record]

    @classmethod
    def from_record(cls, r: Record) -> TreatyAction:
        return cls(
            id=global_id("TreatyAction", r["key"]),
            key=r["key"],
            kind=TreatyActionKind(r["action"]),
            paragraph=r.get("paragraph"),
            made_on=date_from(r.get("madeOn")),
            original_language=LanguageCode(r["originalLanguage"]),
            source=r.get("source"),
            sample=bool(r.get("sample")),
            party_code=r["party"],
            instrument_code=r["instrument"],
            article_key=r.get("article"),
            properties=r,
        )

    @strawberry.field
    def party(self, info: ContextInfo) -> Party:
        return party_of(info, self.party_code)

    @strawberry.field
    async def instrument(self, info: ContextInfo) -> Instrument:
        return await load_instrument(info, self.instrument_code)

    @strawberry.field(description="null for an action on the instrument as a whole")
    def article(self, info: ContextInfo) -> Article | None:
        if self.article_key is None:
            return None
        reference = info.context.reference
        return reference.object_of(reference.articles, self.article_key, Article.from_record)

    @strawberry.field(description="what the action is and under what, in the six languages")
    def title(self, lang: LanguageCode | None = EN) -> LocalizedText:
        return text_of(self.properties, "title", lang, self.original_language)

    @strawberry.field
    def text(self, lang: LanguageCode | None = EN) -> LocalizedText:
        return text_of(self.properties, "text", lang, self.original_language)


@strawberry.type(description="Whether the Convention can serve as the legal basis, and what bears on it.")
class ConventionBasis:
    applies: bool
    article: Article | None = strawberry.field(
        description="the article that governs this cooperation (e.g. UNTOC 16 for extradition, 18 for "
        "mutual legal assistance)"
    )
    treaty_actions: list[TreatyAction] = strawberry.field(
        description="the requested (and requesting) State's reservations and declarations that bear on it"
    )
    explanation: str


@strawberry.type(
    description="What a request between two States can rest on. Each part says where it comes from: "
    "treaties and cases from the knowledge base, the Convention's part from the depositary's status "
    "(participations) and the treaty actions recorded, authorities from the directory."
)
class LegalBasis:
    cooperation: CooperationType
    requesting_code: strawberry.Private[str]
    requested_code: strawberry.Private[str]
    treaties: list[Treaty] = strawberry.field(
        description="treaties in force between the two for this cooperation"
    )
    convention: ConventionBasis
    authority_records: strawberry.Private[list[Record]]

    @strawberry.field
    def requesting(self, info: ContextInfo) -> Party:
        return party_of(info, self.requesting_code)

    @strawberry.field
    def requested(self, info: ContextInfo) -> Party:
        return party_of(info, self.requested_code)

    @strawberry.field(
        description="the requested State's competent authorities for this cooperation (their contacts "
        "under the directory's policy)"
    )
    def competent_authorities(self, info: ContextInfo) -> list[AuthorityRef]:
        authority = type_named(info, "CompetentAuthority")
        return [authority.from_record(r) for r in self.authority_records]

    @strawberry.field(description="cases in which one of the two asked the other for this cooperation")
    async def precedents(
        self, info: ContextInfo, first: int | None = None, after: str | None = None
    ) -> Connection[CaseRef]:
        return await precedents_connection(
            info, self.requesting_code, self.requested_code, self.cooperation, first, after
        )
