"""The jobs behind `sherloc setup`, `ingest` and `reindex`."""

from __future__ import annotations

import asyncio
import csv
import hashlib
import json
import secrets
import tempfile
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from api.auth import Accounts, Invitation, normalize_email, now
from api.config import Settings
from api.databases import Databases, open_databases
from api.graphql.draws import announcements as announced
from graph import announcements as announcements_store
from graph import reviews
from graph.accounts import user_by_email
from graph.announcements import announcements_page
from graph.draws import latest_draw
from graph.keys import ensure_cursor_key
from graph.migrations import applied_steps, load_steps, migrate, pending
from graph.reference import participations_of_parties, parties_by_codes, write_reference_data
from graph.schema import apply_schema
from ingest.content.pipeline import Ingestion, Summary
from ingest.reference.load import load_reference_data
from ingest.reference.rows import reference_rows
from ingest.reference.treaty_actions import treaty_action_lines
from mechanism.access import Role
from mechanism.commitments import commitment_of
from mechanism.credentials import Throttle
from mechanism.reviews import add_months, feedback_due_on, new_review
from mechanism.summaries import written_in
from search.publishing import publish_review
from search.sync import ensure_index, reindex

Report = Callable[[str], object]


async def prepare_databases(settings: Settings, report: Report = print) -> None:
    """Graph schema, reference data and search index; idempotent."""
    async with open_databases(settings) as db:
        steps = load_steps()
        # A graph this release does not know (a newer one's) is refused before anything changes.
        pending(steps, await applied_steps(db.graph))
        await apply_schema(db.graph)
        report("Graph constraints and indexes applied")
        await migrate(db.graph, steps, report=report)
        report(f"Graph at version {len(steps)} (sherloc migrations lists the steps)")
        await ensure_cursor_key(db.graph)  # made once, kept by later setups
        report("Cursor key ready")
        data = load_reference_data()
        await write_reference_data(db.graph, reference_rows(data))
        report(
            f"Reference data loaded: {len(data.instruments)} instruments, "
            f"{len(data.articles)} articles, {len(data.parties)} parties and signatories"
        )
        await ensure_index(db.graph, db.es, settings.es_index_prefix, report)
        report("Search index ready")
        await _ingest_treaty_actions(db, settings, report)


async def _ingest_treaty_actions(db: Databases, settings: Settings, report: Report) -> None:
    """The depositary's treaty actions (reference data) through the ingest, like any
    content: validated, written only when new or changed, and indexed."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "treaty-actions.jsonl"
        path.write_text("\n".join(treaty_action_lines()) + "\n", encoding="utf-8")
        ingestion = Ingestion(db.graph, db.es, settings.es_index_prefix, report=report, progress=False)
        summary = await ingestion.run([path])
    if summary.rejected:
        raise RuntimeError(
            "the reference treaty actions were refused: " + "; ".join(map(str, summary.rejections))
        )
    report("Treaty actions (reference data): " + "; ".join(summary.lines()))


DEMO_PASSWORD = "sherloc demo 2026"  # noqa: S105 (demo accounts only; listed in docs/accounts.md)


async def create_demo_accounts(settings: Settings, path: Path, report: Report = print) -> int:
    """The demo accounts of `path` (role, party, email), active with DEMO_PASSWORD; those
    that exist already are left as they are."""
    created = 0
    async with open_databases(settings) as db:
        service = Accounts(db.graph, settings.session_hours, Throttle())
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if await user_by_email(db.graph, normalize_email(row["email"])) is not None:
                    continue
                invitation = await service.invite(row["email"], Role(row["role"]), row["party"] or None)
                await service.activate(invitation.activation_token, DEMO_PASSWORD)
                created += 1
    report(f"Demo accounts: {created} created (password for all: {DEMO_PASSWORD!r})")
    return created


async def create_demo_reviews(settings: Settings, path: Path, report: Report = print) -> int:
    """The demo reviews of `path`: answers submitted, a dialogue, a document, and a list
    of observations and summary agreed by all; reviews that exist already are left alone."""
    created = 0
    demos = json.loads(await asyncio.to_thread(path.read_text, encoding="utf-8"))
    async with open_databases(settings) as db:
        for demo in demos:
            code, phase = demo["stateUnderReview"], demo["phase"]
            if await reviews.reviews_by_ids(db.graph, [f"{code}-{phase}"]):
                continue
            await _create_demo_review(db, settings, demo)
            created += 1
    report(f"Demo reviews: {created} created")
    return created


async def _create_demo_review(db: Databases, settings: Settings, demo: dict[str, Any]) -> None:
    code, started = demo["stateUnderReview"], date.fromisoformat(demo["phaseStartedOn"])
    parties = await parties_by_codes(db.graph, [code])
    participations = await participations_of_parties(db.graph, [code])
    review = new_review(
        code,
        demo["phase"],
        started,
        demo["workingLanguages"],
        [p["instrument"] for p in participations if p["status"] == "PARTY"],
        bool(parties[0]["party"].get("uncacParty")),
    )
    review["createdAt"] = now()
    await reviews.create_review(db.graph, review, demo["reviewers"])
    rid = str(review["id"])
    for article, text in demo["answers"].items():
        await reviews.save_answer(
            db.graph,
            review_id=rid,
            instrument=article.split(":")[0],
            article=article,
            text=text,
            law_keys=[],
            uncac_references=[],
            expected_version=None,
            user_id="demo",
            now=now(),
            lang=demo["workingLanguages"][0],
        )
    submitted = add_months(started, 5)
    await reviews.submit_answers(db.graph, rid, submitted, feedback_due_on(submitted), now())
    reviewers = {r["party"] for r in demo["reviewers"]}
    for message in demo["dialogue"]:
        moment = now()
        posted = {
            "id": str(uuid.uuid4()),
            "reviewId": rid,
            "authorParty": message["party"],
            "authorUser": "demo",
            "postedAt": moment,
            "body": message["body"],
            "kind": "MEETING_RECORD" if message.get("meetingRecord") else "MESSAGE",
        }
        if message.get("feedback") and message["party"] in reviewers:  # a reviewing State's, ¶35
            posted["kind"] = "WRITTEN_FEEDBACK"
            feedback = {
                "party": message["party"],
                "givenOn": moment.date(),
                "givenAt": moment,
                "givenBy": "demo",
            }
            await reviews.give_feedback(db.graph, posted, feedback, _no_rule)
            continue
        await reviews.post_message(db.graph, posted, None)
    content = demo["document"]["text"].encode()
    await reviews.add_document(
        db.graph,
        {
            "id": str(uuid.uuid4()),
            "reviewId": rid,
            "title": demo["document"]["title"],
            "contentType": demo["document"]["contentType"],
            "size": len(content),
            "sha256": hashlib.sha256(content).hexdigest(),
            "uploadedAt": now(),
            "uploadedBy": "demo",
        },
        content,
    )
    changes: dict[str, Any] = dict(demo["observations"])
    changes.update({f"summary.{lang}": text for lang, text in demo["summary"].items()})
    changes["summaryLanguage"] = written_in(list(demo["summary"]), None, demo["workingLanguages"])
    saved = await reviews.save_observations(db.graph, rid, changes, None, now())
    for party in [code, *(r["party"] for r in demo["reviewers"])]:
        await reviews.agree_observations(db.graph, rid, party, saved["version"])
    await publish_review(db.graph, db.es, settings.es_index_prefix, rid)


def _no_rule(locked: object) -> None:
    """The demo's written feedback is given once, after its answers: no rule to ask."""


async def invite_account(settings: Settings, email: str, role: Role, party: str | None) -> Invitation:
    async with open_databases(settings) as db:
        return await Accounts(db.graph, settings.session_hours, Throttle()).invite(email, role, party)


async def ingest_files(
    settings: Settings,
    paths: list[Path],
    batch_size: int = 500,
    report: Report = print,
    progress: bool = True,
) -> Summary:
    async with open_databases(settings) as db:
        ingestion = Ingestion(
            db.graph, db.es, settings.es_index_prefix, batch_size, report=report, progress=progress
        )
        return await ingestion.run(paths)


async def rebuild_index(settings: Settings, report: Report = print) -> str:
    async with open_databases(settings) as db:
        return await reindex(db.graph, db.es, settings.es_index_prefix, report)


DEMO_CONTRIBUTORS = ("ARG", "CHL", "KEN", "NGA", "SWE")  # focal points in the demo accounts
DEMO_WITHHOLDING = "NGA"  # contributes, then does not reveal: the record shows it


async def create_demo_draws(settings: Settings, report: Report = print) -> int:
    """Draws made through the announced flow (mechanism/commitments.py), performed and
    verifiable: the States under review, then their reviewing States. Each was announced
    three days ago; the demo focal points contributed, and all but one revealed. Skipped
    when the graph has announced draws or a draw of States under review already."""
    async with open_databases(settings) as db:
        if (await announcements_page(db.graph, None, None, 1))[1] or await latest_draw(
            db.graph, "STATES_UNDER_REVIEW"
        ):
            report("Demo draws: the graph has draws already, none made")
            return 0
        secretariat = await user_by_email(db.graph, "secretariat@unodc.example.org")
        by = secretariat["id"] if secretariat else None
        made = 0
        for kind in ("STATES_UNDER_REVIEW", "REVIEWING_STATES"):
            at = now() - timedelta(days=3)
            closes, reveals_close = at + timedelta(days=1), at + timedelta(days=2)
            created = await announced.announce(db.graph, kind, closes, reveals_close, None, by, at)
            assert isinstance(created, dict), created
            values = {party: secrets.token_hex(32) for party in DEMO_CONTRIBUTORS}
            for hour, party in enumerate(DEMO_CONTRIBUTORS, start=1):
                account = await user_by_email(db.graph, f"focal.point@{party.lower()}.example.org")
                user = account["id"] if account else None
                made_at = at + timedelta(hours=hour)
                decide = announced.contribution(party, commitment_of(values[party]), user, made_at)
                await announcements_store.contribute(db.graph, created["id"], party, decide)
                if party != DEMO_WITHHOLDING:
                    shown = announced.revelation(values[party], user, closes + timedelta(hours=hour))
                    await announcements_store.reveal(db.graph, created["id"], party, shown)
            draw = await announced.perform(db.graph, created["id"], by, now())
            if not isinstance(draw, dict):
                report(f"Demo draws: the {kind} draw was not made: {draw}")
                break
            made += 1
    report(f"Demo draws: {made} announced, contributed to, performed (`sherloc export-draw ID`, verifyDraw)")
    return made
