"""Accounts and sessions."""

from __future__ import annotations

import datetime
from enum import StrEnum

import strawberry

from api.graphql.context import ContextInfo
from api.graphql.enums import Role
from api.graphql.reference.types import Party
from api.graphql.relay import (
    Node,
    global_id,
)
from graph.driver import Record


@strawberry.enum
class AccountStatus(StrEnum):
    INVITED = "INVITED"
    ACTIVE = "ACTIVE"
    DISABLED = "DISABLED"


@strawberry.type
class User(Node):
    email: str
    role: Role
    status: AccountStatus
    user_id: strawberry.Private[str]
    party_code: strawberry.Private[str | None]

    @classmethod
    def from_record(cls, r: Record) -> User:
        return cls(
            id=global_id("User", r["id"]),
            email=r["email"],
            role=Role(r["role"]),
            status=AccountStatus(r["status"]),
            user_id=r["id"],
            party_code=r.get("party"),
        )

    @strawberry.field
    async def party(self, info: ContextInfo) -> Party | None:
        if self.party_code is None:
            return None
        record = await info.context.loaders.party.load(self.party_code)
        return Party.from_record(record) if record else None


@strawberry.type
class Session:
    token: str
    user: User
    expires_at: datetime.datetime


@strawberry.type(description="Wrong e-mail address or password (never said which)")
class LoginFailed:
    message: str = "The e-mail address or the password is wrong."


@strawberry.type(description="Too many failed logins for this address")
class LoginLocked:
    message: str
    locked_until: datetime.datetime


@strawberry.type(description="A new account, and the one-time token its owner activates it with")
class AccountInvitation:
    user: User
    activation_token: str = strawberry.field(
        description="shown once; send it to the person, who sets a password with activateAccount"
    )
    expires_at: datetime.datetime


@strawberry.type
class RevokedSessions:
    count: int
