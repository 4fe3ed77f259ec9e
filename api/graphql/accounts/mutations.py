"""Logging in and out, and the secretariat's account management."""

from __future__ import annotations

from typing import Annotated

import strawberry

from api.auth import SESSION_COOKIE, ActivationRefused, LoginRefused, normalize_email, now
from api.graphql.accounts.types import (
    AccountInvitation,
    LoginFailed,
    LoginLocked,
    RevokedSessions,
    Session,
    User,
)
from api.graphql.context import ContextInfo
from api.graphql.enums import Role
from api.graphql.errors import InvalidInput, NotAuthorized, NotFound
from api.graphql.relay import (
    parse_global_id,
)
from graph import accounts as account_store
from graph.accounts import AccountConflict
from mechanism.access import account_party_problem
from mechanism.emails import InvalidEmail

MAX_EMAIL = 320
MAX_PASSWORD_INPUT = 1024


LoginResult = Annotated[Session | LoginFailed | LoginLocked, strawberry.union("LoginResult")]
CreateAccountResult = Annotated[
    AccountInvitation | NotAuthorized | InvalidInput, strawberry.union("CreateAccountResult")
]
ActivateAccountResult = Annotated[User | InvalidInput, strawberry.union("ActivateAccountResult")]
AccountResult = Annotated[User | NotAuthorized | NotFound, strawberry.union("AccountResult")]
RevokeSessionsResult = Annotated[
    RevokedSessions | NotAuthorized | NotFound, strawberry.union("RevokeSessionsResult")
]


async def _user_id(info: ContextInfo, id: strawberry.ID) -> str | None:
    ref = parse_global_id(id, "user")
    if ref.type_name != "User":
        return None
    rows = await account_store.users_by_ids(info.context.graph, [ref.key])
    return ref.key if rows else None


@strawberry.type
class AccountMutations:
    @strawberry.mutation(description="Log in: a session token, also set as an HttpOnly cookie")
    async def login(self, info: ContextInfo, email: str, password: str) -> LoginResult:
        if len(email) > MAX_EMAIL or len(password) > MAX_PASSWORD_INPUT:
            return LoginFailed()
        try:
            session = await info.context.auth.login(email, password)
        except InvalidEmail:
            return LoginFailed()  # the same answer as a wrong password: nothing said about why
        except LoginRefused as refused:
            if refused.locked_until:
                return LoginLocked(
                    message="Too many failed logins for this address; try again later.",
                    locked_until=refused.locked_until,
                )
            return LoginFailed()
        if info.context.session_token:
            # A new session replaces the one the request came with: no token outlives a login.
            await info.context.auth.logout(info.context.session_token)
        info.context.response.set_cookie(
            SESSION_COOKIE,
            session.token,
            max_age=int(info.context.auth.session_lifetime.total_seconds()),
            httponly=True,
            samesite="strict",
            secure=info.context.settings.production,
            path="/",
        )
        return Session(
            token=session.token, user=User.from_record(session.user), expires_at=session.expires_at
        )

    @strawberry.mutation(description="End the request's session; true if there was one")
    async def logout(self, info: ContextInfo) -> bool:
        info.context.response.delete_cookie(SESSION_COOKIE, path="/")
        token = info.context.session_token
        return token is not None and await info.context.auth.logout(token)

    @strawberry.mutation(description="The secretariat creates an account; its owner activates it")
    async def create_account(
        self, info: ContextInfo, email: str, role: Role, party: str | None = None
    ) -> CreateAccountResult:
        try:
            address = normalize_email(email)
        except InvalidEmail as invalid:
            return InvalidInput(field="email", message=invalid.reason)
        code = party.strip().upper() if party else None
        problem = account_party_problem(role, code)
        if problem:
            return InvalidInput(field="party", message=problem)
        try:
            invitation = await info.context.auth.invite(address, role, code)
        except AccountConflict as conflict:
            return InvalidInput(field=conflict.field, message=conflict.reason)
        return AccountInvitation(
            user=User.from_record(invitation.user),
            activation_token=invitation.activation_token,
            expires_at=invitation.expires_at,
        )

    @strawberry.mutation(description="Set the password of a new account with its activation token")
    async def activate_account(self, info: ContextInfo, token: str, password: str) -> ActivateAccountResult:
        if len(token) > 200 or len(password) > MAX_PASSWORD_INPUT:
            return InvalidInput(field="token", message="is not a valid activation token")
        try:
            user = await info.context.auth.activate(token, password)
        except ActivationRefused as refused:
            return InvalidInput(field=refused.field, message=refused.reason)
        return User.from_record(user)

    @strawberry.mutation(description="Revoke every session of an account (secretariat, or its owner)")
    async def revoke_sessions(self, info: ContextInfo, user: strawberry.ID) -> RevokeSessionsResult:
        user_id = await _user_id(info, user)
        if user_id is None:
            return NotFound()
        count = await account_store.revoke_user_sessions(info.context.graph, user_id, now())
        return RevokedSessions(count=count)

    @strawberry.mutation(description="Disable an account and end its sessions (secretariat)")
    async def disable_account(self, info: ContextInfo, user: strawberry.ID) -> AccountResult:
        user_id = await _user_id(info, user)
        if user_id is None:
            return NotFound()
        record = await account_store.set_status(info.context.graph, user_id, "DISABLED")
        await account_store.revoke_user_sessions(info.context.graph, user_id, now())
        return User.from_record(record) if record else NotFound()
