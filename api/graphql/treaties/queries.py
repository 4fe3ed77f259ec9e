"""Queries of treaties and of the legal basis between two States."""

from __future__ import annotations

import datetime

import strawberry

from api.graphql.context import ContextInfo
from api.graphql.errors import UserInputError
from api.graphql.knowledge.pages import document_connection, documents_paging
from api.graphql.reference.queries import party_code
from api.graphql.reference.types import Article
from api.graphql.relay import Connection
from api.graphql.treaties.types import ConventionBasis, LegalBasis, Treaty, TreatyAction
from graph import treaties as store
from graph.driver import Record
from mechanism.cooperation import ActionFact, CooperationType, convention_basis


def _known_party(info: ContextInfo, argument: str, code: str) -> str:
    normalized = party_code(code, argument)
    if normalized not in info.context.reference.parties:
        raise UserInputError(argument, f"no party or signatory has the code {normalized}")
    return normalized


def _convention_parties(info: ContextInfo, codes: tuple[str, str]) -> set[str]:
    """Which of the two are bound by the Convention, by the depositary's status."""
    participations = info.context.reference.participations
    return {
        code
        for code in codes
        if any(p["instrument"] == "UNTOC" and p["status"] == "PARTY" for p in participations.get(code, []))
    }


def _action_fact(record: Record) -> ActionFact:
    return ActionFact(record["key"], record["party"], record["instrument"], record.get("article"))


@strawberry.type
class TreatyQueries:
    @strawberry.field(
        description="Treaties, newest first (by date of signature), of a party and a kind of cooperation"
    )
    async def treaties(
        self,
        info: ContextInfo,
        party: str | None = None,
        cooperation: CooperationType | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Treaty]:
        page = documents_paging(info, "treaties", first, after)
        records, total = await store.treaties_page(
            info.context.graph,
            party=_known_party(info, "party", party) if party is not None else None,
            cooperation=cooperation.value if cooperation else None,
            after=page.position,
            limit=page.fetch,
        )
        return document_connection(page, records, total, Treaty.from_record)

    @strawberry.field(
        description="What a request from `requesting` to `requested` for `cooperation` can rest on: the "
        "treaties in force between them, whether the Convention can serve (and the reservations and "
        "declarations that bear on it), the requested State's competent authorities, and precedents"
    )
    async def legal_basis(
        self, info: ContextInfo, requesting: str, requested: str, cooperation: CooperationType
    ) -> LegalBasis:
        asking = _known_party(info, "requesting", requesting)
        asked = _known_party(info, "requested", requested)
        if asking == asked:
            raise UserInputError("requested", "a State does not request cooperation of itself")
        facts = await store.legal_basis_facts(
            info.context.graph,
            asking,
            asked,
            cooperation.value,
            datetime.datetime.now(datetime.UTC).date(),
        )
        actions = {record["key"]: record for record in facts["actions"]}
        basis = convention_basis(
            asking,
            asked,
            _convention_parties(info, (asking, asked)),
            [_action_fact(record) for record in facts["actions"]],
            cooperation,
            treaty_in_force=bool(facts["treaties"]),
        )
        reference = info.context.reference
        return LegalBasis(
            cooperation=cooperation,
            requesting_code=asking,
            requested_code=asked,
            treaties=[Treaty.from_record(r) for r in facts["treaties"]],
            convention=ConventionBasis(
                applies=basis.applies,
                article=reference.object_of(reference.articles, basis.article.key, Article.from_record),
                treaty_actions=[TreatyAction.from_record(actions[key]) for key in basis.bearing],
                explanation=basis.explanation,
            ),
            authority_records=facts["authorities"],
        )
