"""States keep their own entries in the directory of competent authorities (report of the
ninth session, ¶116): create, change, confirm and retire them. Who may is the guard's
(api/policy/directory.py). Each change writes its audit record in the same transaction
(graph/authorities.py), then the entry is indexed the way every write is (search.sync),
the API's catch-up loop indexing it later if the index is down."""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from typing import Annotated, Any

import strawberry

from api.auth import now
from api.graphql.context import ContextInfo
from api.graphql.errors import InvalidInput, NotAuthorized, NotFound
from api.graphql.knowledge.directory_inputs import (
    REQUIRED,
    CompetentAuthorityChanges,
    checked_changes,
    key_problem,
)
from api.graphql.knowledge.directory_log import CompetentAuthorityChange
from api.graphql.knowledge.types import CompetentAuthority
from api.graphql.relay import parse_global_id
from graph import authorities as store
from graph.reference import UnknownParty
from mechanism.authorities import MAX_CONTACT, AuthorityEntry, EntryAction, fields_of, text_problem
from search.indices import documents_alias
from search.sync import delete_tombstoned, index_keys

log = logging.getLogger("sherloc.directory")

CompetentAuthorityResult = Annotated[
    CompetentAuthority | NotAuthorized | NotFound | InvalidInput,
    strawberry.union("CompetentAuthorityResult"),
]
RetireCompetentAuthorityResult = Annotated[
    CompetentAuthorityChange | NotAuthorized | NotFound | InvalidInput,
    strawberry.union("RetireCompetentAuthorityResult"),
]


def _actor(info: ContextInfo) -> dict[str, Any]:
    """Who makes the change, as the audit record keeps it (the account's address as it is
    today: the record stays true if the account changes later)."""
    viewer, user = info.context.viewer, info.context.user or {}
    return {
        "byUser": viewer.user_id,
        "byEmail": user.get("email"),
        "byRole": viewer.role.value if viewer.role else None,
        "byParty": viewer.party,
    }


def _key_of(authority: strawberry.ID) -> str:
    return parse_global_id(authority, "authority").key  # the guard found it a CompetentAuthority


async def _indexed(info: ContextInfo, key: str) -> None:
    """Search follows the write now (never failing it: the entry stays indexPending)."""
    context = info.context
    prefix = context.settings.es_index_prefix
    try:
        await index_keys(context.graph, context.es, prefix, store.KIND, [key])
        await context.es.indices.refresh(index=documents_alias(prefix))
    except Exception as error:  # the graph holds the truth; the catch-up loop follows
        log.warning("indexing competent authority %s failed: %s", key, error)


async def _reloaded(info: ContextInfo, key: str) -> CompetentAuthority | NotFound:
    """The entry as written (what the request's loader holds of it is dropped: the guard
    read it before the write)."""
    loader = info.context.loaders.document["CompetentAuthority"]
    loader.clear_all()
    record = await loader.load(key)
    return CompetentAuthority.from_record(record) if record else NotFound()


async def _revised(
    info: ContextInfo,
    key: str,
    action: EntryAction,
    changed: Callable[[AuthorityEntry, datetime], AuthorityEntry | None],
) -> CompetentAuthority | NotFound:
    """Apply `changed(entry, at)` (the entry it becomes, or None to write nothing) with its
    audit record, index it and read it back."""
    actor = _actor(info)

    def revise(before: AuthorityEntry) -> store.Revision | None:
        at = now()
        after = changed(before, at)
        if after is None:
            return None
        return store.Revision(after, store.change_record(action.value, before, after, actor, at))

    try:
        written = await store.revise_entry(info.context.graph, key, revise)
    except store.EntryMissing:
        return NotFound()
    if written is not None:
        await _indexed(info, key)
    return await _reloaded(info, key)


@strawberry.type
class DirectoryMutations:
    @strawberry.mutation(
        description="Add an entry to the directory of competent authorities for `party` (its "
        "AUTHORITY or FOCAL_POINT accounts, or the secretariat); `changes` must give a name and a "
        "function. The entry counts as confirmed today. `key`: the entry's id in the ingest format "
        "(made up when not given)"
    )
    async def create_competent_authority(
        self, info: ContextInfo, party: str, changes: CompetentAuthorityChanges, key: str | None = None
    ) -> CompetentAuthorityResult:
        code = party.strip().upper()
        if await info.context.loaders.party.load(code) is None:
            return InvalidInput(field="party", message=f"unknown party {code!r}")
        key = key.strip() if key is not None else f"{code}-CA-{uuid.uuid4().hex[:10].upper()}"
        problem = key_problem(key)
        if problem:
            return InvalidInput(field="key", message=problem)
        checked = checked_changes(changes, "changes")
        if isinstance(checked, InvalidInput):
            return checked
        at = now()
        empty = AuthorityEntry(key=key, party=code, name={}, functions=())
        entry = replace(
            checked.applied_to(empty), confirmed_on=at.date(), confirmed_by=info.context.viewer.user_id
        )
        for name, present in REQUIRED:
            if not present(entry):
                return InvalidInput(field=f"changes.{name}", message="a new entry must give it")
        # No ingest line made it: a hash no line has, so a line with this id replaces it.
        digest = hashlib.sha256(json.dumps(fields_of(entry), sort_keys=True).encode()).hexdigest()
        change = store.change_record(EntryAction.CREATED.value, None, entry, _actor(info), at)
        try:
            await store.create_entry(info.context.graph, entry, digest, change)
        except store.EntryExists:
            return InvalidInput(field="key", message=f"an entry {key!r} exists already")
        except UnknownParty:
            return InvalidInput(field="party", message=f"unknown party {code!r}")
        await _indexed(info, key)
        return await _reloaded(info, key)

    @strawberry.mutation(
        description="Change an entry of the directory (its party's AUTHORITY or FOCAL_POINT accounts, "
        "or the secretariat): only the fields given change; the audit log records each field's old "
        "and new value. A change does not confirm the entry: confirmCompetentAuthority does"
    )
    async def update_competent_authority(
        self, info: ContextInfo, authority: strawberry.ID, changes: CompetentAuthorityChanges
    ) -> CompetentAuthorityResult:
        checked = checked_changes(changes, "changes")
        if isinstance(checked, InvalidInput):
            return checked

        def changed(before: AuthorityEntry, at: datetime) -> AuthorityEntry | None:
            after = checked.applied_to(before)
            return None if after == before else after

        return await _revised(info, _key_of(authority), EntryAction.UPDATED, changed)

    @strawberry.mutation(
        description="Confirm that an entry is up to date, today (its party's AUTHORITY or FOCAL_POINT "
        "accounts, or the secretariat; ninth session, ¶116)"
    )
    async def confirm_competent_authority(
        self, info: ContextInfo, authority: strawberry.ID
    ) -> CompetentAuthorityResult:
        user = info.context.viewer.user_id

        def confirmed(before: AuthorityEntry, at: datetime) -> AuthorityEntry:
            today: date = at.date()
            return replace(before, confirmed_on=today, confirmed_by=user)

        return await _revised(info, _key_of(authority), EntryAction.CONFIRMED, confirmed)

    @strawberry.mutation(
        description="Take an entry out of the directory and out of search (its party's AUTHORITY or "
        "FOCAL_POINT accounts, or the secretariat): the authority no longer serves. Its audit log "
        "stays, with this last record"
    )
    async def retire_competent_authority(
        self, info: ContextInfo, authority: strawberry.ID, reason: str | None = None
    ) -> RetireCompetentAuthorityResult:
        if reason is not None:
            problem = text_problem(reason, MAX_CONTACT)
            if problem:
                return InvalidInput(field="reason", message=problem)
        actor = _actor(info)
        key = _key_of(authority)

        def retire(before: AuthorityEntry) -> store.Revision:
            record = store.change_record(EntryAction.RETIRED.value, before, None, actor, now())
            if reason is not None:
                record["reason"] = reason.strip()
            return store.Revision(None, record)

        try:
            written = await store.revise_entry(info.context.graph, key, retire)
        except store.EntryMissing:
            return NotFound()
        assert written is not None
        context = info.context
        tombstone = {"uid": store.tombstone_uid(key), "version": written.version}
        try:
            await delete_tombstoned(context.es, context.settings.es_index_prefix, [tombstone])
        except Exception as error:  # the catch-up loop deletes it (search.sync.remove_tombstones)
            log.warning("taking competent authority %s out of search failed: %s", key, error)
        return CompetentAuthorityChange.from_record(
            {**written.revision.change, "changes": _listed(written.revision.change["changes"])}
        )


def _listed(changes: str) -> list[dict[str, Any]]:
    """A retirement's changes for its answer: the contact block's values are not repeated
    there (the log shows them to those who may read contacts)."""
    listed = []
    for change in json.loads(changes):
        withheld = change["field"].startswith("contact.")
        listed.append({**change, **({"old": None, "new": None} if withheld else {}), "withheld": withheld})
    return listed
