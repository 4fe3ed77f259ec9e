"""Who may do what: one guard per mutation, run before its resolver.

`GUARDS` names a guard for every mutation of the schema, and `guard_mutations` attaches
them when the schema is built: a mutation without a guard, or a guard without its
mutation, stops the build. A guard answers `NotAuthorized` (or `NotFound` when what the
mutation targets does not exist, as the resolver would, or `RuleViolation` when the change
breaks a rule of the mechanism that the arguments alone decide) before anything is
written; the resolver then does only the work. A rule that depends on what the write
changes is checked in the write's transaction, with the same mechanism/ function.

Each guard asks mechanism/ (access.py, disclosure.py); the few mutations open to anyone
say why (`anyone`). The write matrices of tests/integration (test_review_access.py,
test_authority_reads.py, test_accounts.py, test_dialogues.py ...) try each forbidden way
through HTTP.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from strawberry.extensions.field_extension import FieldExtension
from strawberry.types.field import StrawberryField
from strawberry.utils.str_converters import to_camel_case

from api.graphql.errors import NotAuthorized, NotFound, RuleViolation
from api.graphql.relay import parse_global_id
from api.policy.directory import keeping_entry, keeping_new_entry
from graph.designations import designation_party
from graph.reviews import participants_of
from mechanism.access import (
    Viewer,
    may_contribute_to_draws,
    may_designate,
    may_draw_lots,
    may_manage_accounts,
    may_manage_dialogues,
    may_object_in_dialogue,
    may_open_reviews,
    may_read_account,
    may_record_conference_decisions,
    may_record_party_choices,
)
from mechanism.commitments import chosen_seed_violation
from mechanism.disclosure import Operation, may
from mechanism.participation import opt_out_violation

if TYPE_CHECKING:
    from api.graphql.context import Context

Refusal = NotAuthorized | NotFound | RuleViolation
# A guard: the request's context and the mutation's arguments (Python names) -> a refusal,
# or None to let the resolver run. A RuleViolation (a rule of mechanism/ the change would
# break) is in the mutation's result union.
Guard = Callable[["Context", dict[str, Any]], Awaitable[Refusal | None]]


def anyone(why: str) -> Guard:
    """Open to every viewer; `why` says what stands in for an account (a password, a token)."""

    async def guard(context: Context, arguments: dict[str, Any]) -> Refusal | None:
        return None

    guard.__doc__ = why
    return guard


def allowed(rule: Callable[[Viewer], bool]) -> Guard:
    """For the viewers `rule` allows, whatever the target."""

    async def guard(context: Context, arguments: dict[str, Any]) -> Refusal | None:
        return None if rule(context.viewer) else NotAuthorized()

    guard.__doc__ = rule.__doc__
    return guard


def in_review(operation: Operation) -> Guard:
    """For the viewers mechanism.disclosure.may lets do `operation` in the review named by the
    `review` argument; NotFound when there is no such review."""

    async def guard(context: Context, arguments: dict[str, Any]) -> Refusal | None:
        ref = parse_global_id(arguments["review"], "review")
        row = await context.loaders.review.load(ref.key) if ref.type_name == "Review" else None
        if row is None:
            return NotFound()
        return None if may(context.viewer, participants_of(row), operation) else NotAuthorized()

    return guard


async def _designating(context: Context, arguments: dict[str, Any]) -> Refusal | None:
    """The party's focal point, or the secretariat on its behalf (¶18, ¶27)."""
    party = str(arguments["party"]).strip().upper()
    return None if may_designate(context.viewer, party) else NotAuthorized()


async def _ending_designation(context: Context, arguments: dict[str, Any]) -> Refusal | None:
    """As `designate`, for the designation's party; NotFound for no such designation."""
    ref = parse_global_id(arguments["designation"], "designation")
    party = await designation_party(context.graph, ref.key) if ref.type_name == "Designation" else None
    if party is None:
        return NotFound()
    return None if may_designate(context.viewer, party) else NotAuthorized()


async def _own_sessions(context: Context, arguments: dict[str, Any]) -> Refusal | None:
    """An account's owner, or the secretariat (an unknown account: NotFound, from the resolver)."""
    ref = parse_global_id(arguments["user"], "user")
    if ref.type_name != "User":
        return None
    return None if may_read_account(context.viewer, ref.key) else NotAuthorized()


def _drawing(kind: str) -> Guard:
    """The secretariat (may_draw_lots); a seed chosen by the caller only outside production
    (RuleViolation, mechanism.commitments.chosen_seed_violation)."""

    async def guard(context: Context, arguments: dict[str, Any]) -> Refusal | None:
        if not may_draw_lots(context.viewer):
            return NotAuthorized()
        violation = chosen_seed_violation(kind, context.settings.production, arguments.get("seed"))
        return RuleViolation.of(violation) if violation else None

    return guard


async def _party_choices(context: Context, arguments: dict[str, Any]) -> Refusal | None:
    """The party's focal point, or the secretariat on its behalf (¶28(c), ¶29, footnote 2)."""
    party = str(arguments["party"]).strip().upper()
    return None if may_record_party_choices(context.viewer, party) else NotAuthorized()


async def _opting_out(context: Context, arguments: dict[str, Any]) -> Refusal | None:
    """As the other choices; and only the Holy See may choose not to take part (footnote 2:
    RuleViolation, mechanism.participation.opt_out_violation)."""
    refusal = await _party_choices(context, arguments)
    if refusal is not None:
        return refusal
    violation = opt_out_violation(str(arguments["party"]).strip().upper())
    return RuleViolation.of(violation) if violation else None


GUARDS: dict[str, Guard] = {
    # Accounts
    "login": anyone("the e-mail address and password are the credential"),
    "logout": anyone("ends the request's own session, if any"),
    "activateAccount": anyone("the activation token is the credential"),
    "createAccount": allowed(may_manage_accounts),
    "disableAccount": allowed(may_manage_accounts),
    "revokeSessions": _own_sessions,
    # Designations (¶18, ¶27)
    "designate": _designating,
    "endDesignation": _ending_designation,
    # A review's course (¶28, ¶34-¶41)
    "createReview": allowed(may_open_reviews),
    "saveAnswer": in_review(Operation.DRAFT_ANSWERS),
    "submitAnswers": in_review(Operation.SUBMIT_ANSWERS),
    "postDialogueMessage": in_review(Operation.WRITE_DIALOGUE),
    "uploadDocument": in_review(Operation.UPLOAD_DOCUMENTS),
    "saveObservations": in_review(Operation.DRAFT_OBSERVATIONS),
    "agreeToObservations": in_review(Operation.AGREE_OBSERVATIONS),
    "setDisclosure": in_review(Operation.SET_DISCLOSURE),
    "submitWrittenFeedback": in_review(Operation.GIVE_FEEDBACK),
    "reopenObservations": in_review(Operation.REOPEN_OBSERVATIONS),
    "proposeReviewTimeline": in_review(Operation.PROPOSE_TIMELINE),
    "agreeToReviewTimeline": in_review(Operation.AGREE_TIMELINE),
    # The drawing of lots (¶17, ¶28-¶30) and the phases (¶10)
    "drawStatesUnderReview": _drawing("STATES_UNDER_REVIEW"),
    "drawReviewingStates": _drawing("REVIEWING_STATES"),
    "redrawReviewer": _drawing("REDRAW"),
    "announceDraw": allowed(may_draw_lots),
    "contributeToDraw": allowed(may_contribute_to_draws),
    "revealContribution": allowed(may_contribute_to_draws),
    "performDraw": allowed(may_draw_lots),
    "recordConferenceDecision": allowed(may_record_conference_decisions),
    "amendWorkplan": allowed(may_record_conference_decisions),
    "startPhase": allowed(may_open_reviews),
    # A party's choices about the draws (¶28(c), ¶29, footnote 2)
    "agreeToMoreThanFourReviewers": _party_choices,
    "volunteerToReview": _party_choices,
    "chooseNotToTakePart": _opting_out,
    # The directory of competent authorities: States keep their entries (ninth session, ¶116)
    "createCompetentAuthority": keeping_new_entry,
    "updateCompetentAuthority": keeping_entry,
    "confirmCompetentAuthority": keeping_entry,
    "retireCompetentAuthority": keeping_entry,
    # Stakeholders' dialogues (¶53)
    "scheduleStakeholderDialogue": allowed(may_manage_dialogues),
    "registerForStakeholderDialogue": anyone("the portal's public form: stakeholders have no accounts"),
    "submitStakeholderComments": anyone("the registrant proves itself with the e-mail address it registered"),
    "objectToStakeholder": allowed(may_object_in_dialogue),
    "recordBureauDecision": allowed(may_manage_dialogues),
    "circulateStakeholderList": allowed(may_manage_dialogues),
    "decideNotToConvene": allowed(may_manage_dialogues),
    "fileDialogueSummary": allowed(may_manage_dialogues),
}


class Guarded(FieldExtension):
    """Runs a mutation's guard before its resolver."""

    def __init__(self, guard: Guard) -> None:
        self.guard = guard

    async def resolve_async(
        self, next_: Callable[..., Awaitable[Any]], source: Any, info: Any, **kwargs: Any
    ) -> Any:
        refusal = await self.guard(info.context, kwargs)
        if refusal is not None:
            return refusal
        return await next_(source, info, **kwargs)


def guard_mutations(fields: list[StrawberryField]) -> None:
    """Attach its guard to each mutation field; every mutation has one, and only those."""
    names = {field.graphql_name or to_camel_case(field.python_name): field for field in fields}
    missing = sorted(names.keys() - GUARDS.keys())
    unknown = sorted(GUARDS.keys() - names.keys())
    if missing or unknown:
        raise RuntimeError(f"mutations without a guard: {missing}; guards without a mutation: {unknown}")
    for name, field in names.items():
        if any(isinstance(extension, Guarded) for extension in field.extensions):
            continue  # attached by an earlier build of the schema in this process
        if not field.is_async:
            raise RuntimeError(f"{name}: a guarded mutation resolves asynchronously")
        field.extensions.append(Guarded(GUARDS[name]))
