"""`sherloc ingest FILE...`: stream JSON Lines into the graph, then the index.

Each line is validated on its own; a bad line is rejected whole (a message naming the
file, line, field and reason; the line itself copied to FILE.rejected.jsonl beside the
input) and the others still go in. Records are written in batches (UNWIND), only when new
or changed (the content hash decides), then indexed (bulk); what fails to index stays
pending in the graph and is retried. Memory stays flat: a file is never read whole.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from elasticsearch import AsyncElasticsearch
from pydantic import TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from graph.content import DocumentKind, amended_beyond, existing_hashes, write_documents
from graph.driver import Graph
from ingest.content.amendments import AmendmentGraph
from ingest.content.models import ContentRecord, Publication, Treaty
from ingest.content.progress import Progress
from ingest.content.rows import (
    KIND_OF,
    Record,
    change_field,
    changes_of,
    content_hash,
    references,
    to_row,
)
from search.documents import written_document
from search.sync import SyncResult, index_documents, index_pending

MAX_LINE_BYTES = 4 * 1024 * 1024
KIND_NAMES = {
    DocumentKind.LEGISLATION.value: "legislation",
    DocumentKind.CASE.value: "cases",
    DocumentKind.COMPETENT_AUTHORITY.value: "competent authorities",
    DocumentKind.TREATY.value: "treaties",
    DocumentKind.TREATY_ACTION.value: "treaty actions",
    DocumentKind.STRATEGY.value: "strategies",
    DocumentKind.BIBLIOGRAPHY.value: "publications",
}
_ADAPTER: TypeAdapter[Record] = TypeAdapter(ContentRecord)


@dataclass(frozen=True)
class Rejection:
    file: str
    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}"
        return f"{where}: {self.field}: {self.reason}" if self.field else f"{where}: {self.reason}"


@dataclass
class Summary:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    rejected: int = 0
    pending_index: int = 0
    caught_up: int = 0  # records of earlier runs left unindexed, indexed by this one
    rejections: list[Rejection] = field(default_factory=list)

    def lines(self) -> list[str]:
        kinds = [k for k in KIND_NAMES if k in set(self.created) | set(self.updated) | set(self.unchanged)]
        out = [
            f"{KIND_NAMES[kind]}: {self.created[kind]} created, {self.updated[kind]} updated, "
            f"{self.unchanged[kind]} unchanged"
            for kind in kinds
        ]
        out.append(f"rejected: {self.rejected}")
        if self.pending_index:
            out.append(
                f"not yet searchable: {self.pending_index} (the search index failed; they are "
                "kept pending and indexed automatically once it answers)"
            )
        if self.caught_up:
            out.append(f"made searchable: {self.caught_up} records an earlier run had not indexed")
        if not (sum(self.created.values()) or sum(self.updated.values())) and not self.rejected:
            out.append("nothing changed")
        return out


# A check of a whole record (or part) names the field it is about first: "in_force_on: ...".
_NAMED = re.compile(r"^([a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)*): ")


def _field(error: ErrorDetails) -> str:
    # The discriminated union adds the kind ("legislation") as the first location part.
    parts = [str(p) for p in error["loc"]]
    if parts and parts[0] in KIND_OF:
        parts = parts[1:]
    if error["type"] == "value_error" and (named := _NAMED.match(_text(error))):
        parts.append(named.group(1))
    return ".".join(parts)


def _text(error: ErrorDetails) -> str:
    return error["msg"].removeprefix("Value error, ")


def _message(error: ErrorDetails) -> str:
    text = _text(error)
    named = _NAMED.match(text) if error["type"] == "value_error" else None
    return text[named.end() :] if named else text


def parse_line(file: str, number: int, raw: bytes) -> Record | Rejection:
    """One line of the file: a validated record, or the reason it is rejected."""
    if len(raw) > MAX_LINE_BYTES:
        return Rejection(file, number, "", f"the line is longer than {MAX_LINE_BYTES} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return Rejection(file, number, "", f"not UTF-8 (byte {error.start})")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        return Rejection(file, number, "", f"not valid JSON ({error.msg} at column {error.colno})")
    if not isinstance(value, dict):
        return Rejection(file, number, "", "a line must hold one JSON object")
    if value.get("kind") not in KIND_OF:
        return Rejection(file, number, "kind", "must be one of " + ", ".join(f"'{k}'" for k in KIND_OF))
    try:
        return _ADAPTER.validate_python(value)
    except ValidationError as error:
        first = error.errors()[0]
        reasons = "; ".join(f"{_field(e) or 'record'}: {_message(e)}" for e in error.errors()[1:4])
        reason = _message(first) + (f" (also {reasons})" if reasons else "")
        return Rejection(file, number, _field(first), reason)


def _changed_laws(batch: list[tuple[int, bytes, Record]]) -> list[str]:
    return sorted({law for _, _, record in batch for law in changes_of(record)})


def _unknown_party(record: Record, known: set[str]) -> tuple[str, str] | None:
    """(field, code) of the first party the record names that the graph does not know."""
    unknown = [code for code in record.parties if code not in known]
    if not unknown:
        return None
    if isinstance(record, Treaty | Publication):
        return "parties", unknown[0]
    return ("party" if unknown[0] == record.party else "cooperation"), unknown[0]


def _lines(path: Path) -> Iterator[tuple[int, bytes, int]]:
    """(line number, raw line, bytes read so far), skipping blank lines."""
    read = 0
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            read += len(raw)
            stripped = raw.strip()
            if stripped:
                yield number, stripped, read


class Ingestion:
    def __init__(
        self,
        graph: Graph,
        es: AsyncElasticsearch,
        index_prefix: str,
        batch_size: int = 500,
        report: Callable[[str], object] = print,
        progress: bool = True,
    ) -> None:
        self.graph = graph
        self.es = es
        self.index_prefix = index_prefix
        self.batch_size = batch_size
        self.report = report
        self.show_progress = progress
        self.summary = Summary()
        self.parties: set[str] = set()
        # Keys accepted earlier in the batch being written, which later records of it may
        # reference; those of earlier batches are in the graph (memory stays flat).
        self.seen: dict[DocumentKind, set[str]] = {kind: set() for kind in DocumentKind}
        self.indexing: asyncio.Task[SyncResult] | None = None

    async def run(self, paths: list[Path]) -> Summary:
        rows = await self.graph.read("MATCH (p:Party) RETURN p.code AS code")
        self.parties = {row["code"] for row in rows}
        for path in paths:
            await self._ingest_file(path)
        # What an earlier run wrote but did not index (it was stopped, or the index was down)
        # is indexed now: the ingest leaves the index complete whenever the index answers.
        if not self.summary.pending_index:
            try:
                self.summary.caught_up = (await index_pending(self.graph, self.es, self.index_prefix)).indexed
            except Exception as error:  # the records stay pending; the API catches up later
                self.report(f"records of earlier runs are still to be indexed: {error}")
        return self.summary

    async def _ingest_file(self, path: Path) -> None:
        rejected_path = path.with_name(path.name + ".rejected.jsonl")
        rejected_lines: list[bytes] = []
        batch: list[tuple[int, bytes, Record]] = []
        # Reading the file blocks briefly between awaits; the CLI's loop serves nothing else.
        size = path.stat().st_size  # noqa: ASYNC240
        progress = Progress(path.name, size, enabled=self.show_progress)

        async def flush() -> None:
            for _, raw, reason in await self._write_batch(path.name, batch):
                self._reject(reason)
                rejected_lines.append(raw)
            batch.clear()

        for number, raw, read in _lines(path):
            parsed = parse_line(path.name, number, raw)
            if isinstance(parsed, Rejection):
                self._reject(parsed)
                rejected_lines.append(raw)
            elif unknown := _unknown_party(parsed, self.parties):
                self._reject(Rejection(path.name, number, unknown[0], f"unknown party {unknown[1]!r}"))
                rejected_lines.append(raw)
            else:
                batch.append((number, raw, parsed))
                if len(batch) >= self.batch_size:
                    await flush()
            progress.update(read)
        await flush()
        await self._finish_indexing()
        progress.done()

        if rejected_lines:
            rejected_path.write_bytes(b"\n".join(rejected_lines) + b"\n")
            self.report(f"{len(rejected_lines)} rejected lines of {path.name} written to {rejected_path}")
        else:
            rejected_path.unlink(missing_ok=True)

    def _reject(self, rejection: Rejection) -> None:
        self.summary.rejected += 1
        self.summary.rejections.append(rejection)
        self.report(f"rejected: {rejection}")

    async def _write_batch(
        self, file: str, batch: list[tuple[int, bytes, Record]]
    ) -> list[tuple[int, bytes, Rejection]]:
        """Write a batch; returns the lines rejected for unknown references."""
        if not batch:
            return []
        known = await self._known_references(batch)
        changes = AmendmentGraph(await amended_beyond(self.graph, _changed_laws(batch)))
        rejected: list[tuple[int, bytes, Rejection]] = []
        accepted: dict[DocumentKind, list[Record]] = {kind: [] for kind in DocumentKind}
        for number, raw, record in batch:
            missing = [
                (name, kind, key)
                for name, kind, keys in references(record)
                for key in keys
                if key not in self.seen[kind] and key not in known[kind]
            ]
            if missing:
                name, kind, key = missing[0]
                label = "law" if kind is DocumentKind.LEGISLATION else "case"
                rejected.append((number, raw, Rejection(file, number, name, f"unknown {label} {key!r}")))
                continue
            cycle = changes.cycle_through(record.id, changes_of(record))
            if cycle:
                reason = "would close a cycle of amendments: " + " -> ".join(cycle)
                rejected.append(
                    (number, raw, Rejection(file, number, change_field(record, cycle[1]), reason))
                )
                continue
            changes.add(record.id, changes_of(record))
            kind = KIND_OF[record.kind]
            self.seen[kind].add(record.id)
            accepted[kind].append(record)
        for kind, records in accepted.items():
            if records:
                await self._write_kind(kind, records)
        for keys in self.seen.values():
            keys.clear()
        return rejected

    async def _known_references(self, batch: list[tuple[int, bytes, Record]]) -> dict[DocumentKind, set[str]]:
        wanted: dict[DocumentKind, set[str]] = {kind: set() for kind in DocumentKind}
        for _, _, record in batch:
            for _, kind, keys in references(record):
                wanted[kind].update(k for k in keys if k not in self.seen[kind])
        return {
            kind: set(await existing_hashes(self.graph, kind, sorted(keys))) if keys else set()
            for kind, keys in wanted.items()
        }

    async def _write_kind(self, kind: DocumentKind, records: list[Record]) -> None:
        # The last occurrence of an id in a batch wins, as it would line by line.
        by_id = {record.id: record for record in records}
        hashes = {key: content_hash(record) for key, record in by_id.items()}
        before = await existing_hashes(self.graph, kind, list(by_id))
        changed = [key for key in by_id if before.get(key) != hashes[key]]
        label = kind.value
        for key in by_id:
            if key not in before:
                self.summary.created[label] += 1
            elif key in changed:
                self.summary.updated[label] += 1
            else:
                self.summary.unchanged[label] += 1
        if not changed:
            return
        rows = [to_row(by_id[key], hashes[key]) for key in changed]
        written = {w["key"]: w for w in await write_documents(self.graph, kind, rows)}
        documents = [written_document(kind, row, written[row["key"]]) for row in rows]
        # Index this batch while the next one is validated and written: one batch in flight.
        await self._finish_indexing()
        self.indexing = asyncio.create_task(
            index_documents(self.graph, self.es, self.index_prefix, documents)
        )

    async def _finish_indexing(self) -> None:
        if self.indexing is not None:
            result = await self.indexing
            self.indexing = None
            self.summary.pending_index += result.failed
