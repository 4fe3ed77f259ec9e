"""Who may read each artefact of a review, or a part of it, within ¶37-¶41: set by the State
under review, or by the secretariat on its behalf."""

from __future__ import annotations

from typing import Annotated

import strawberry

from api.auth import now
from api.graphql.context import ContextInfo
from api.graphql.errors import InvalidInput, NotAuthorized, NotFound, RuleViolation
from api.graphql.reviews.types import (
    Review,
    artefact_ref,
)
from api.graphql.reviews.writing import (
    MAX_REASON,
    review_of,
    text_problem,
    written,
)
from graph import reviews as store
from graph.driver import Record
from graph.reviews import flags_of
from mechanism.disclosure import (
    LIST_PARTS,
    Artefact,
    Visibility,
    acts_on_behalf,
    disclosure_violation,
    visibility_of,
)
from mechanism.rules import Violation

SetDisclosureResult = Annotated[
    Review | NotAuthorized | NotFound | InvalidInput | RuleViolation, strawberry.union("SetDisclosureResult")
]


async def _part_of(info: ContextInfo, review_id: str, artefact: Artefact, given: str) -> str | None:
    """The part of the dialogue (a message's thread: the ID of any of its revisions) or of the
    documents (a document's ID) that `given` names, as its key; None if it names none of this
    review's."""
    if artefact is Artefact.DIALOGUE:
        of_review, key = artefact_ref(given, "DialogueMessage")
        rows = await info.context.loaders.review_artefacts["dialogue"].load(review_id)
        threads = {row["message"]["id"]: row["message"]["thread"] for row in rows}
    else:
        of_review, key = artefact_ref(given, "ReviewDocument")
        rows = await info.context.loaders.review_artefacts["documents"].load(review_id)
        threads = {row["document"]["id"]: row["document"]["id"] for row in rows}
    if of_review not in (None, review_id):
        return None
    return threads.get(key)


@strawberry.type
class ReviewDisclosureMutations:
    @strawberry.mutation(
        description="Set who may read an artefact of one's own review, or a part of it (the focal point "
        "of the State under review, or the secretariat on its behalf recording the State's request as "
        "`reason`), within ¶38-¶41: answers and the summary never below ALL_STATES_PARTIES; only parts "
        "of the list of observations kept confidential, each with its `reason` (¶38), never all. `part`: "
        "an instrument of the answers, a part of the list, a message of the dialogue (its thread) or a "
        "document"
    )
    async def set_disclosure(
        self,
        info: ContextInfo,
        review: strawberry.ID,
        artefact: Artefact,
        visibility: Visibility,
        part: str | None = None,
        reason: str | None = None,
    ) -> SetDisclosureResult:
        target = await review_of(info, review)
        if target is None:
            return NotFound()
        viewer = info.context.viewer
        allowed_parts: dict[Artefact, tuple[str, ...]] = {
            Artefact.QUESTIONNAIRE_ANSWERS: tuple(target.record["instruments"]),
            Artefact.LIST_OF_OBSERVATIONS: LIST_PARTS,
        }
        if part is not None and artefact in (Artefact.DIALOGUE, Artefact.ADDITIONAL_DOCUMENTS):
            found = await _part_of(info, target.review_id, artefact, part)
            if found is None:
                what = "message" if artefact is Artefact.DIALOGUE else "document"
                return InvalidInput(field="part", message=f"names no {what} of this review")
            part = found
        elif part is not None and part not in allowed_parts.get(artefact, ()):
            names = ", ".join(allowed_parts.get(artefact, ())) or "none"
            return InvalidInput(field="part", message=f"{artefact.value} has the parts: {names}")
        if reason is not None and reason.strip():
            problem = text_problem("reason", reason, MAX_REASON)
            if problem:
                return problem
        on_behalf = acts_on_behalf(viewer, target.participants)
        change = {
            "reviewId": target.review_id,
            "artefact": artefact.value,
            "part": part or "",
            "to": visibility.value,
            "by": (info.context.user or {}).get("email", ""),
            "byUser": viewer.user_id,
            "onBehalf": on_behalf,
            "reason": (reason or "").strip() or None,
            "at": now(),
        }

        def decide(locked: Record) -> Violation | None:
            flags = flags_of({"flags": locked["flags"]})
            change["from"] = visibility_of(artefact, part, flags).value
            return disclosure_violation(artefact, part, visibility, flags, reason=reason, on_behalf=on_behalf)

        return await written(info, target.review_id, store.set_disclosure(info.context.graph, change, decide))
