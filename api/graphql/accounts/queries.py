"""Queries of accounts: the viewer's own, and the secretariat's list."""

from __future__ import annotations

import strawberry

from api.graphql.accounts.types import User
from api.graphql.context import ContextInfo
from api.graphql.enums import Role
from api.graphql.relay import (
    Connection,
    paging,
)
from api.policy.fields import ROWS, restricted


@strawberry.type
class AccountQueries:
    @strawberry.field(description="The account of the request's session; null when anonymous")
    def me(self, info: ContextInfo) -> User | None:
        user = info.context.user
        return User.from_record(user) if user else None

    @strawberry.field(
        description="Accounts, by e-mail (secretariat only; empty for others)", extensions=[restricted(ROWS)]
    )
    async def users(
        self,
        info: ContextInfo,
        party: str | None = None,
        role: Role | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[User]:
        page = paging(info.context, "users", first, after)
        records, total = await info.context.reader.accounts_page(
            party.strip().upper() if party else None, role, page.position, page.fetch
        )
        return page.connection([User.from_record(r) for r in records], [r["email"] for r in records], total)
