"""The list of observations and its summary: drafted, agreed, final, and reopened (¶38-¶39)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from api.auth import now
from api.graphql.context import ContextInfo
from api.graphql.errors import InvalidInput, NotAuthorized, NotFound, RuleViolation
from api.graphql.reviews.types import (
    Review,
    WorkingLanguage,
)
from api.graphql.reviews.writing import (
    MAX_REASON,
    VersionConflictError,
    participants,
    refusal,
    reload_review,
    review_of,
    text_problem,
    written,
)
from graph import reviews as store
from graph.driver import Record
from graph.reviews import Refused, ReviewMissing, VersionConflict
from mechanism.reviews import (
    WORKING_LANGUAGES,
    change_violation,
    reopening_violation,
)
from mechanism.rules import Violation
from mechanism.summaries import MAX_TRANSLATION_CHARACTERS, summary_violation, written_in


@strawberry.input
class SummaryText:
    lang: WorkingLanguage
    text: str


ObservationsResult = Annotated[
    Review | NotAuthorized | NotFound | InvalidInput | VersionConflictError | RuleViolation,
    strawberry.union("ObservationsResult"),
]


@strawberry.type
class ReviewObservationMutations:
    @strawberry.mutation(
        description="Draft the list of observations or its summary (the reviewing States, with the "
        "secretariat); any change withdraws the agreements given; a final list is reopened first "
        "(¶39). `summaryLanguage`: the language the summary is written in, whose 1,500 words count "
        "(¶38; by default the one recorded, else the first working language of the review given)"
    )
    async def save_observations(
        self,
        info: ContextInfo,
        review: strawberry.ID,
        expected_version: int | None = None,
        gaps_and_challenges: list[str] | None = None,
        good_practices: list[str] | None = None,
        recommendations: list[str] | None = None,
        technical_assistance_needs: list[str] | None = None,
        summary: list[SummaryText] | None = None,
        summary_language: WorkingLanguage | None = None,
    ) -> ObservationsResult:
        target = await review_of(info, review)
        if target is None:
            return NotFound()
        changes: dict[str, object] = {}
        for name, items in (
            ("gapsAndChallenges", gaps_and_challenges),
            ("goodPractices", good_practices),
            ("recommendations", recommendations),
            ("technicalAssistanceNeeds", technical_assistance_needs),
        ):
            if items is None:
                continue
            for index, item in enumerate(items):
                problem = text_problem(f"{name}.{index}", item, 20_000)
                if problem:
                    return problem
            changes[name] = [item.strip() for item in items]
        for entry in summary or []:
            if not entry.text.strip():
                return InvalidInput(field=f"summary.{entry.lang.value}", message="must not be empty")
            if len(entry.text) > MAX_TRANSLATION_CHARACTERS:
                return InvalidInput(
                    field=f"summary.{entry.lang.value}",
                    message=f"must have at most {MAX_TRANSLATION_CHARACTERS:,} characters",
                )
            changes[f"summary.{entry.lang.value}"] = entry.text.strip()
        if summary_language is not None:
            changes["summaryLanguage"] = summary_language.value
        if not changes:
            return InvalidInput(field="review", message="nothing to change")
        given = [entry.lang.value for entry in summary or []]

        def decide(locked: Record) -> Violation | None:
            sur, reviewers = participants(locked)
            before = locked["observations"] or {}
            final = change_violation(sur, reviewers, before.get("agreedBy") or [])
            if final:
                return final
            after = locked["changed"]
            working = list(locked["review"]["workingLanguages"])
            original = written_in(given, after.get("summaryLanguage"), working)
            if original is not None:
                after["summaryLanguage"] = changes["summaryLanguage"] = original
            texts = {
                lang: str(after[f"summary.{lang}"])
                for lang in WORKING_LANGUAGES
                if after.get(f"summary.{lang}")
            }
            return summary_violation(texts, original)

        try:
            await store.save_observations(
                info.context.graph, target.review_id, changes, expected_version, now(), decide
            )
        except Refused as refused:
            return refusal(refused)
        except VersionConflict as conflict:
            return VersionConflictError(
                message="someone saved a newer version of the list first", current_version=conflict.current
            )
        except ReviewMissing:
            return NotFound()
        return await reload_review(info, target.review_id)

    @strawberry.mutation(
        description="Agree to this version of the list and summary (a focal point of a participant); "
        "final once the State under review and every reviewing State agreed (¶39)"
    )
    async def agree_to_observations(
        self, info: ContextInfo, review: strawberry.ID, version: int
    ) -> ObservationsResult:
        target = await review_of(info, review)
        if target is None:
            return NotFound()
        rows = await info.context.loaders.review_artefacts["observations"].load(target.review_id)
        if not rows:
            return InvalidInput(field="review", message="the review has no list of observations yet (¶38)")
        if not all(rows[0]["observations"].get(f"summary.{lang.value}") for lang in WorkingLanguage):
            return InvalidInput(
                field="summary", message="the summary must exist in the six languages first (¶38)"
            )
        agreed = await store.agree_observations(
            info.context.graph, target.review_id, info.context.viewer.party or "", version
        )
        if agreed is None:
            current = rows[0]["observations"]["version"]
            return VersionConflictError(message="the list changed since you read it", current_version=current)
        return await reload_review(info, target.review_id)

    @strawberry.mutation(
        description="Reopen a final list of observations and its summary (a focal point of a participant, "
        "or the secretariat; ¶39): the reopening is recorded with its reason and every agreement is "
        "withdrawn"
    )
    async def reopen_observations(
        self, info: ContextInfo, review: strawberry.ID, reason: str
    ) -> ObservationsResult:
        target = await review_of(info, review)
        if target is None:
            return NotFound()
        if reason.strip():
            problem = text_problem("reason", reason, MAX_REASON)
            if problem:
                return problem
        viewer = info.context.viewer
        reopening = {
            "reason": reason.strip(),
            "byParty": viewer.party,
            "byUser": viewer.user_id,
            "by": (info.context.user or {}).get("email", ""),
            "at": now(),
        }

        def decide(locked: Record) -> Violation | None:
            sur, reviewers = participants(locked)
            agreed = (locked["observations"] or {}).get("agreedBy") or []
            return reopening_violation(sur, reviewers, agreed, reason)

        reopened = store.reopen_observations(info.context.graph, target.review_id, reopening, decide)
        return await written(info, target.review_id, reopened)
