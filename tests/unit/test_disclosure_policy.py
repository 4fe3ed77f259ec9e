"""The secure module's policy, viewer by viewer, artefact by artefact (no database)."""

from __future__ import annotations

import itertools

import pytest

from mechanism.access import ANONYMOUS, Role, Viewer
from mechanism.disclosure import (
    DEFAULT_VISIBILITY,
    Artefact,
    Operation,
    ReviewParticipants,
    Visibility,
    may,
    may_read,
    visibility_of,
)

REVIEW = ReviewParticipants("ARG", frozenset({"CHL", "SWE"}))
SECRETARIAT = Viewer(Role.SECRETARIAT, None, "s", state_party=False)


def of(party: str, role: Role, state_party: bool = True) -> Viewer:
    return Viewer(role, party, f"{party}-{role}", state_party)


VIEWERS = {
    "anonymous": ANONYMOUS,
    "secretariat": SECRETARIAT,
    **{f"sur {r.value}": of("ARG", r) for r in Role if r is not Role.SECRETARIAT},
    **{f"reviewer {r.value}": of("CHL", r) for r in Role if r is not Role.SECRETARIAT},
    **{f"other {r.value}": of("NZL", r) for r in Role if r is not Role.SECRETARIAT},
    "signatory observer": of("IRN", Role.OBSERVER, state_party=False),
}


def expected_read(name: str, artefact: Artefact, visibility: Visibility, draft: bool) -> bool:
    """The rules of the module's docstring, written independently of its code."""
    if name == "secretariat":
        return True
    sur, reviewer = name.startswith("sur "), name.startswith("reviewer ")
    participant = (sur or reviewer) and not name.endswith("AUTHORITY")
    if draft:
        return sur if artefact is Artefact.QUESTIONNAIRE_ANSWERS else participant
    if visibility is Visibility.PUBLIC:
        return True
    if visibility is Visibility.ALL_STATES_PARTIES:
        return name not in {"anonymous", "signatory observer"}
    return participant


@pytest.mark.parametrize(
    ("name", "artefact", "visibility", "draft"),
    list(itertools.product(VIEWERS, Artefact, Visibility, [False, True])),
)
def test_reading_matrix(name: str, artefact: Artefact, visibility: Visibility, draft: bool) -> None:
    assert may_read(VIEWERS[name], REVIEW, artefact, visibility, draft=draft) is expected_read(
        name, artefact, visibility, draft
    )


WRITERS = {
    Operation.DRAFT_ANSWERS: {"sur FOCAL_POINT", "sur GOVERNMENTAL_EXPERT"},
    Operation.SUBMIT_ANSWERS: {"sur FOCAL_POINT"},
    Operation.WRITE_DIALOGUE: {
        "secretariat",
        "sur FOCAL_POINT",
        "sur GOVERNMENTAL_EXPERT",
        "reviewer FOCAL_POINT",
        "reviewer GOVERNMENTAL_EXPERT",
    },
    Operation.UPLOAD_DOCUMENTS: {
        "secretariat",
        "sur FOCAL_POINT",
        "sur GOVERNMENTAL_EXPERT",
        "reviewer FOCAL_POINT",
        "reviewer GOVERNMENTAL_EXPERT",
    },
    Operation.DRAFT_OBSERVATIONS: {"secretariat", "reviewer FOCAL_POINT", "reviewer GOVERNMENTAL_EXPERT"},
    Operation.AGREE_OBSERVATIONS: {"sur FOCAL_POINT", "reviewer FOCAL_POINT"},
    Operation.SET_DISCLOSURE: {"secretariat", "sur FOCAL_POINT"},
}


@pytest.mark.parametrize(("name", "operation"), list(itertools.product(VIEWERS, Operation)))
def test_writing_matrix(name: str, operation: Operation) -> None:
    assert may(VIEWERS[name], REVIEW, operation) is (name in WRITERS[operation])


def test_defaults_follow_paragraphs_38_to_40() -> None:
    assert DEFAULT_VISIBILITY == {
        Artefact.QUESTIONNAIRE_ANSWERS: Visibility.ALL_STATES_PARTIES,
        Artefact.DIALOGUE: Visibility.REVIEW_PARTICIPANTS,
        Artefact.ADDITIONAL_DOCUMENTS: Visibility.REVIEW_PARTICIPANTS,
        Artefact.LIST_OF_OBSERVATIONS: Visibility.ALL_STATES_PARTIES,
        Artefact.SUMMARY: Visibility.PUBLIC,
    }


def test_the_most_specific_flag_wins() -> None:
    flags = {
        (Artefact.QUESTIONNAIRE_ANSWERS, None): Visibility.PUBLIC,
        (Artefact.QUESTIONNAIRE_ANSWERS, "TIP"): Visibility.REVIEW_PARTICIPANTS,
    }
    assert visibility_of(Artefact.QUESTIONNAIRE_ANSWERS, "TIP", flags) is Visibility.REVIEW_PARTICIPANTS
    assert visibility_of(Artefact.QUESTIONNAIRE_ANSWERS, "SOM", flags) is Visibility.PUBLIC
    assert visibility_of(Artefact.DIALOGUE, None, flags) is Visibility.REVIEW_PARTICIPANTS
