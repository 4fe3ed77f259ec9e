"""Following the directory of competent authorities: its audit log, and the entries not
confirmed for a year (report of the ninth session, ¶116). Both are read through the
request's Reader (api/policy/reader.py), which returns only what the viewer may read."""

from __future__ import annotations

import datetime
import json
from typing import Any

import strawberry

from api.auth import now
from api.graphql.context import ContextInfo
from api.graphql.enums import Role
from api.graphql.errors import UserInputError
from api.graphql.knowledge.types import CompetentAuthority
from api.graphql.reference.types import Party, native, party_of
from api.graphql.relay import Connection, paging, parse_global_id
from api.policy.fields import ROWS, restricted
from graph.driver import Record
from mechanism.authorities import STALE_AFTER_DAYS, EntryAction, older_than_problem, stale_cutoff

strawberry.enum(EntryAction, name="CompetentAuthorityAction")


def _shown(value: Any) -> str | None:
    """A field's value as the log shows it: a text as it is, any other value as JSON."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


@strawberry.type(description="One field of an entry before and after a change")
class CompetentAuthorityFieldChange:
    field: str = strawberry.field(
        description="`name.fr`, `functions`, `acceptedLanguages`, `acceptsConventionRequests`, "
        "`acceptsInterpol`, `requirements.en`, `contact.email`, `confirmedOn` ..."
    )
    old_value: str | None = strawberry.field(description="a text as it is, another value as JSON; null: none")
    new_value: str | None = strawberry.field(description="a text as it is, another value as JSON; null: none")
    withheld: bool = strawberry.field(
        description="the values are withheld: the contact block's, for a viewer who may not read contacts"
    )


@strawberry.type(description="A change of an entry of the directory, as its audit log records it")
class CompetentAuthorityChange:
    authority_key: str = strawberry.field(description="the entry's id (`key`), which a retired entry keeps")
    action: EntryAction
    at: datetime.datetime
    by_email: str | None = strawberry.field(description="the account that made the change")
    by_role: Role | None
    reason: str | None = strawberry.field(description="why an entry was retired, if said")
    changes: list[CompetentAuthorityFieldChange]
    party_code: strawberry.Private[str]

    @classmethod
    def from_record(cls, r: Record) -> CompetentAuthorityChange:
        """From a record of the Reader (its `changes` listed, withheld where they must be)."""
        at = r["at"]
        return cls(
            authority_key=r["authority"],
            action=EntryAction(r["action"]),
            at=at if isinstance(at, datetime.datetime) else native(at),
            by_email=r.get("byEmail"),
            by_role=Role(r["byRole"]) if r.get("byRole") else None,
            reason=r.get("reason"),
            changes=[
                CompetentAuthorityFieldChange(
                    field=c["field"],
                    old_value=_shown(c["old"]),
                    new_value=_shown(c["new"]),
                    withheld=c["withheld"],
                )
                for c in r["changes"]
            ],
            party_code=r["party"],
        )

    @strawberry.field
    def party(self, info: ContextInfo) -> Party:
        return party_of(info, self.party_code)

    @strawberry.field(description="the entry as it is now; null once retired")
    async def authority(self, info: ContextInfo) -> CompetentAuthority | None:
        record = await info.context.loaders.document["CompetentAuthority"].load(self.authority_key)
        return CompetentAuthority.from_record(record) if record else None


def _change_position(value: Any) -> tuple[datetime.datetime, str]:
    at, change_id = value
    if not isinstance(at, str) or not isinstance(change_id, str):
        raise TypeError("a cursor of the log holds two strings")
    return datetime.datetime.fromisoformat(at), change_id


def _stale_position(value: Any) -> tuple[datetime.date, str, str]:
    confirmed, party, key = value
    if not all(isinstance(v, str) for v in value):
        raise TypeError("a cursor of stale entries holds three strings")
    return datetime.date.fromisoformat(confirmed), party, key


def _confirmed(record: Record) -> str:
    day = CompetentAuthority.from_record(record).confirmed_on
    return (day or datetime.date.min).isoformat()


@strawberry.type
class DirectoryQueries:
    @strawberry.field(
        description="The audit log of the directory of competent authorities, newest first: of one "
        "entry (`authority`, retired ones too) or of all. The secretariat reads every party's, an "
        "account of a party its own party's; the contact block's values only for those who may "
        "read contacts",
        extensions=[restricted(ROWS)],
    )
    async def competent_authority_changes(
        self,
        info: ContextInfo,
        authority: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[CompetentAuthorityChange]:
        page = paging(info.context, "authorityChanges", first, after, _change_position)
        key = None
        if authority is not None:
            ref = parse_global_id(authority, "authority")
            if ref.type_name != "CompetentAuthority":
                return page.connection([], [], 0)
            key = ref.key
        rows, total = await info.context.reader.authority_changes(key, page.position, page.fetch)
        changes = [CompetentAuthorityChange.from_record(r) for r in rows]
        positions = [[c.at.isoformat(), r["id"]] for c, r in zip(changes, rows, strict=True)]
        return page.connection(changes, positions, total)

    @strawberry.field(
        description="Entries whose State has not confirmed them for `olderThanDays` days, or never: "
        "those never confirmed first, then the longest unconfirmed (the secretariat follows them "
        "up, ninth session ¶116; empty for others)",
        extensions=[restricted(ROWS)],
    )
    async def stale_competent_authorities(
        self,
        info: ContextInfo,
        older_than_days: int = STALE_AFTER_DAYS,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[CompetentAuthority]:
        problem = older_than_problem(older_than_days)
        if problem:
            raise UserInputError("olderThanDays", problem)
        page = paging(info.context, "staleAuthorities", first, after, _stale_position)
        cutoff = stale_cutoff(now().date(), older_than_days)
        records, total = await info.context.reader.stale_authorities(cutoff, page.position, page.fetch)
        return page.connection(
            [CompetentAuthority.from_record(r) for r in records],
            [[_confirmed(r), r["party"], r["key"]] for r in records],
            total,
        )
