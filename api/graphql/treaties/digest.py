"""The case digest of resolution 9/3: cases in which the Convention was the legal basis
for international cooperation, grouped by article and kind of cooperation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from api.graphql.context import ContextInfo, type_named
from api.graphql.enums import CooperationType
from api.graphql.errors import UserInputError
from api.graphql.knowledge.filters import article_key
from api.graphql.reference.queries import party_code
from api.graphql.reference.types import Article
from graph import treaties as store
from graph.driver import Graph, Record
from graph.knowledge import Projection

if TYPE_CHECKING:
    from api.graphql.knowledge.types import Case

CaseRef = Annotated["Case", strawberry.lazy("api.graphql.knowledge.types")]
MAX_PER_GROUP = 100


@strawberry.type(description="The cases of the digest under one article and one kind of cooperation.")
class CaseDigestGroup:
    cooperation: CooperationType
    total_count: int = strawberry.field(description="all the cases of the group (`cases` shows the newest)")
    article_key: strawberry.Private[str]
    case_records: strawberry.Private[list[Record]]

    @strawberry.field(description="the article of the Convention or a Protocol relied on")
    def article(self, info: ContextInfo) -> Article | None:
        reference = info.context.reference
        return reference.object_of(reference.articles, self.article_key, Article.from_record)

    @strawberry.field(description="the newest cases of the group")
    def cases(self, info: ContextInfo) -> list[CaseRef]:
        case = type_named(info, "Case")
        return [case.from_record(r) for r in self.case_records]


async def digest_groups(
    graph: Graph,
    *,
    cooperation: CooperationType | None,
    article: str | None,
    party: str | None,
    per_group: int,
    projection: Projection,
) -> list[Record]:
    return await store.convention_cooperation_groups(
        graph,
        cooperation=cooperation.value if cooperation else None,
        article=article_key(article, "article") if article else None,
        party=party_code(party, "party") if party else None,
        per_group=per_group,
        projection=projection,
    )


@strawberry.type
class DigestQueries:
    @strawberry.field(
        description="The case digest of resolution 9/3: cases where the Convention was the legal basis for "
        "international cooperation, by article and kind of cooperation (also as CSV or JSON Lines: "
        "GET /export/case-digest?format=csv&lang=fr)"
    )
    async def case_digest(
        self,
        info: ContextInfo,
        cooperation: CooperationType | None = None,
        article: strawberry.ID | None = None,
        party: str | None = None,
        first: int = 10,
    ) -> list[CaseDigestGroup]:
        if not 0 <= first <= MAX_PER_GROUP:
            raise UserInputError("first", f"must be between 0 and {MAX_PER_GROUP}")
        rows = await digest_groups(
            info.context.graph,
            cooperation=cooperation,
            article=article,
            party=party,
            per_group=first,
            projection=Projection(links=frozenset({"_articles", "_cooperation"})),
        )
        return [
            CaseDigestGroup(
                cooperation=CooperationType(row["cooperation"]),
                total_count=row["total"],
                article_key=row["article"],
                case_records=row["cases"],
            )
            for row in rows
        ]
