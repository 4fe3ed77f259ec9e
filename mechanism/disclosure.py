"""Who may read and do what in a country review (¶20-¶41): the secure module's one policy.

Every read and write of a review's artefacts asks this module; the data layers filter
with it where rows are read, so that no field, node, hit or count shows what it refuses.

Reading, per artefact and visibility:
- the secretariat reads everything (¶33);
- draft answers: only the accounts of the State under review (and the secretariat);
- a list of observations or summary not yet final: the readers within the review;
- otherwise the artefact's visibility decides: REVIEW_PARTICIPANTS (the readers within
  the review), ALL_STATES_PARTIES (any account bound to a State party), PUBLIC (anyone).

The readers within the review are the accounts of the State under review, its competent
authorities' included, and those of its reviewing States, their competent authorities'
excepted (`may_read_within_review`; docs/policy.md gives the paragraphs). They also read
the review's progress. A competent authority's account writes nothing in any review.

Writing: answers are drafted by the focal point and experts of the State under review and
submitted by its focal point (¶34); the dialogue and additional documents are written by
the focal points and experts of the participants and by the secretariat (¶33, ¶36); a
reviewing State's written feedback is given by its focal point (¶35); the list of
observations is drafted by the reviewing States (with the secretariat), agreed by the focal
points of every participant, and a final one reopened by one of them or the secretariat
(¶38-¶39); the timeline and working languages are proposed by the participants' focal
points or the secretariat and agreed by the participants' focal points (¶31, ¶34, ¶50); the
State under review's focal point sets disclosure, or the secretariat on its behalf
(¶40-¶41), within `disclosure_violation`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from mechanism.access import Role, Viewer
from mechanism.rules import Violation


class Visibility(StrEnum):
    REVIEW_PARTICIPANTS = "REVIEW_PARTICIPANTS"
    ALL_STATES_PARTIES = "ALL_STATES_PARTIES"
    PUBLIC = "PUBLIC"


class Artefact(StrEnum):
    QUESTIONNAIRE_ANSWERS = "QUESTIONNAIRE_ANSWERS"
    DIALOGUE = "DIALOGUE"
    ADDITIONAL_DOCUMENTS = "ADDITIONAL_DOCUMENTS"
    LIST_OF_OBSERVATIONS = "LIST_OF_OBSERVATIONS"
    SUMMARY = "SUMMARY"


# ¶38-¶40: submitted answers to all States parties; the dialogue and documents to the
# participants unless the State under review decides otherwise; the list of observations
# to the working groups (all States parties); the summary to the Conference, in public.
DEFAULT_VISIBILITY: dict[Artefact, Visibility] = {
    Artefact.QUESTIONNAIRE_ANSWERS: Visibility.ALL_STATES_PARTIES,
    Artefact.DIALOGUE: Visibility.REVIEW_PARTICIPANTS,
    Artefact.ADDITIONAL_DOCUMENTS: Visibility.REVIEW_PARTICIPANTS,
    Artefact.LIST_OF_OBSERVATIONS: Visibility.ALL_STATES_PARTIES,
    Artefact.SUMMARY: Visibility.PUBLIC,
}

# The parts an artefact's visibility may be set for, one by one.
LIST_PARTS = ("gapsAndChallenges", "goodPractices", "recommendations", "technicalAssistanceNeeds")


class Operation(StrEnum):
    DRAFT_ANSWERS = "DRAFT_ANSWERS"
    SUBMIT_ANSWERS = "SUBMIT_ANSWERS"
    WRITE_DIALOGUE = "WRITE_DIALOGUE"
    UPLOAD_DOCUMENTS = "UPLOAD_DOCUMENTS"
    DRAFT_OBSERVATIONS = "DRAFT_OBSERVATIONS"
    AGREE_OBSERVATIONS = "AGREE_OBSERVATIONS"
    SET_DISCLOSURE = "SET_DISCLOSURE"
    GIVE_FEEDBACK = "GIVE_FEEDBACK"
    REOPEN_OBSERVATIONS = "REOPEN_OBSERVATIONS"
    PROPOSE_TIMELINE = "PROPOSE_TIMELINE"
    AGREE_TIMELINE = "AGREE_TIMELINE"


class Relation(StrEnum):
    """How a viewer stands to one review."""

    SECRETARIAT = "SECRETARIAT"
    UNDER_REVIEW = "UNDER_REVIEW"
    REVIEWER = "REVIEWER"
    OTHER_STATE_PARTY = "OTHER_STATE_PARTY"
    OUTSIDER = "OUTSIDER"  # anonymous, or bound to a signatory that is not a party


@dataclass(frozen=True)
class ReviewParticipants:
    state_under_review: str
    reviewers: frozenset[str]


_WRITERS = frozenset({Role.FOCAL_POINT, Role.GOVERNMENTAL_EXPERT})


def relation(viewer: Viewer, review: ReviewParticipants) -> Relation:
    if viewer.role is Role.SECRETARIAT:
        return Relation.SECRETARIAT
    if viewer.role is None or viewer.party is None:
        return Relation.OUTSIDER
    if viewer.party == review.state_under_review:
        return Relation.UNDER_REVIEW
    if viewer.party in review.reviewers:
        return Relation.REVIEWER
    return Relation.OTHER_STATE_PARTY if viewer.state_party else Relation.OUTSIDER


def is_participant(viewer: Viewer, review: ReviewParticipants) -> bool:
    """The State under review and its reviewing States (not their authorities' accounts)."""
    return relation(viewer, review) in {Relation.UNDER_REVIEW, Relation.REVIEWER} and (
        viewer.role is not Role.AUTHORITY
    )


def may_read_within_review(viewer: Viewer, review: ReviewParticipants) -> bool:
    """What a review keeps among its own: the dialogue and documents (REVIEW_PARTICIPANTS),
    a list of observations or summary not yet final, the progress. The participants read it,
    and so do the competent authorities' accounts of the State under review, read-only.

    It is the State under review's material: its answers, prepared at home with everyone
    concerned (¶23, ¶25), and its dialogue with its reviewers (¶21, ¶35-¶36), which it alone
    may open to all States parties or publish (¶40-¶41); ¶37's duty of confidentiality binds
    the reviewing States, their experts and the secretariat, not the State towards its own
    authorities, who already read the drafts of its answers. A reviewing State's authorities
    are not among those ¶37 lets handle another State's review: they read of it what any
    State party's account reads.
    """
    if relation(viewer, review) is Relation.UNDER_REVIEW:
        return True
    return is_participant(viewer, review)


def may_read(
    viewer: Viewer,
    review: ReviewParticipants,
    artefact: Artefact,
    visibility: Visibility,
    *,
    draft: bool = False,
) -> bool:
    """May the viewer read this artefact (or part), given its visibility?

    `draft` is true for answers not yet submitted and for a list of observations or a
    summary not yet final.
    """
    standing = relation(viewer, review)
    if standing is Relation.SECRETARIAT:
        return True
    if draft:
        if artefact is Artefact.QUESTIONNAIRE_ANSWERS:
            return standing is Relation.UNDER_REVIEW
        return may_read_within_review(viewer, review)
    if visibility is Visibility.PUBLIC:
        return True
    if visibility is Visibility.ALL_STATES_PARTIES:
        return standing is not Relation.OUTSIDER
    return may_read_within_review(viewer, review)


def may(viewer: Viewer, review: ReviewParticipants, operation: Operation) -> bool:
    standing = relation(viewer, review)
    secretariat = standing is Relation.SECRETARIAT
    writer = viewer.role in _WRITERS
    focal_point = viewer.role is Role.FOCAL_POINT
    if operation is Operation.DRAFT_ANSWERS:
        return standing is Relation.UNDER_REVIEW and writer
    if operation is Operation.SUBMIT_ANSWERS:
        return standing is Relation.UNDER_REVIEW and focal_point
    if operation in {Operation.WRITE_DIALOGUE, Operation.UPLOAD_DOCUMENTS}:
        return secretariat or (standing in {Relation.UNDER_REVIEW, Relation.REVIEWER} and writer)
    if operation is Operation.DRAFT_OBSERVATIONS:
        return secretariat or (standing is Relation.REVIEWER and writer)
    if operation is Operation.AGREE_OBSERVATIONS:
        return standing in {Relation.UNDER_REVIEW, Relation.REVIEWER} and focal_point
    if operation is Operation.SET_DISCLOSURE:
        return secretariat or (standing is Relation.UNDER_REVIEW and focal_point)
    if operation is Operation.GIVE_FEEDBACK:
        return standing is Relation.REVIEWER and focal_point
    if operation in {Operation.REOPEN_OBSERVATIONS, Operation.PROPOSE_TIMELINE}:
        return secretariat or (standing in {Relation.UNDER_REVIEW, Relation.REVIEWER} and focal_point)
    if operation is Operation.AGREE_TIMELINE:
        return standing in {Relation.UNDER_REVIEW, Relation.REVIEWER} and focal_point
    raise ValueError(f"unknown operation {operation}")


def visibility_of(
    artefact: Artefact, part: str | None, flags: dict[tuple[Artefact, str | None], Visibility]
) -> Visibility:
    """The visibility of an artefact's part: its own flag, else the artefact's, else the default."""
    if part is not None and (artefact, part) in flags:
        return flags[(artefact, part)]
    return flags.get((artefact, None), DEFAULT_VISIBILITY[artefact])


def may_read_progress(viewer: Viewer, review: ReviewParticipants) -> bool:
    """A review's progress and what it has overdue (¶34-¶35): the secretariat and the
    readers within the review (the State under review's authorities included: the deadline
    of ¶34 is for answers they help prepare). How far the drafts are is theirs to know,
    not other States'."""
    return relation(viewer, review) is Relation.SECRETARIAT or may_read_within_review(viewer, review)


def may_read_disclosure_log(viewer: Viewer) -> bool:
    """Who changed a disclosure flag, when, and on whose behalf: the secretariat's record."""
    return viewer.role is Role.SECRETARIAT


def acts_on_behalf(viewer: Viewer, review: ReviewParticipants) -> bool:
    """A change made by the secretariat is made on the State under review's behalf (¶40-¶41):
    the State decides, the secretariat records it."""
    return relation(viewer, review) is Relation.SECRETARIAT


def disclosure_violation(
    artefact: Artefact,
    part: str | None,
    visibility: Visibility,
    flags: dict[tuple[Artefact, str | None], Visibility],
    *,
    reason: str | None,
    on_behalf: bool,
) -> Violation | None:
    """Why the State under review may not set this visibility (`flags`: the review's flags
    as they are), or None. The same for the secretariat acting on the State's behalf, which
    records the State's request as the reason (¶41: the State decides).

    - submitted answers are available to all States parties (¶40): never below
      ALL_STATES_PARTIES, whole or per instrument; the State may publish them (¶41) and
      withdraw that;
    - the dialogue and additional documents: any visibility (¶40-¶41);
    - the list of observations goes to the working groups (¶38): only its parts may be kept
      confidential, in exceptional circumstances, with the reason, and never all of them;
    - the summary goes to the Conference and the working groups (¶38): never below
      ALL_STATES_PARTIES.
    """
    given = (reason or "").strip()
    if on_behalf and not given:
        return Violation(
            "¶41",
            "the State under review decides what it discloses: the secretariat acting on its behalf "
            "records the State's request as the reason",
        )
    if artefact is Artefact.QUESTIONNAIRE_ANSWERS and visibility is Visibility.REVIEW_PARTICIPANTS:
        return Violation(
            "¶40",
            "submitted answers are available to all States parties in the secure module: they may be "
            "published (¶41), not kept among the review's participants",
        )
    if artefact is Artefact.SUMMARY and visibility is Visibility.REVIEW_PARTICIPANTS:
        return Violation(
            "¶38",
            "the summary is made available to the Conference and its working groups: it is not kept back",
        )
    if artefact is not Artefact.LIST_OF_OBSERVATIONS or visibility is not Visibility.REVIEW_PARTICIPANTS:
        return None
    if part is None:
        return Violation(
            "¶38",
            "the list of observations goes to the working groups: only parts of it may be kept "
            "confidential, never the whole list",
        )
    if not given:
        return Violation(
            "¶38",
            "a part of the list of observations is kept confidential only in exceptional "
            "circumstances: give the reason",
        )
    others = [p for p in LIST_PARTS if p != part]
    if all(visibility_of(artefact, p, flags) is Visibility.REVIEW_PARTICIPANTS for p in others):
        return Violation(
            "¶38",
            "the other parts of the list are kept confidential already: only parts of it may be, "
            "never the whole list",
        )
    return None
