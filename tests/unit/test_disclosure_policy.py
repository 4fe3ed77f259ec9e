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
    disclosure_violation,
    may,
    may_read,
    may_read_progress,
    may_read_within_review,
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


def within_review(name: str) -> bool:
    """The readers within the review (docs/policy.md, "Competent authorities"): every account
    of the State under review, its authorities' included, and the reviewing States'
    accounts but their authorities'."""
    sur, reviewer = name.startswith("sur "), name.startswith("reviewer ")
    return sur or (reviewer and not name.endswith("AUTHORITY"))


def expected_read(name: str, artefact: Artefact, visibility: Visibility, draft: bool) -> bool:
    """The rules of the module's docstring, written independently of its code."""
    if name == "secretariat":
        return True
    if draft:
        return name.startswith("sur ") if artefact is Artefact.QUESTIONNAIRE_ANSWERS else within_review(name)
    if visibility is Visibility.PUBLIC:
        return True
    if visibility is Visibility.ALL_STATES_PARTIES:
        return name not in {"anonymous", "signatory observer"}
    return within_review(name)


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
    Operation.GIVE_FEEDBACK: {"reviewer FOCAL_POINT"},
    Operation.REOPEN_OBSERVATIONS: {"secretariat", "sur FOCAL_POINT", "reviewer FOCAL_POINT"},
    Operation.PROPOSE_TIMELINE: {"secretariat", "sur FOCAL_POINT", "reviewer FOCAL_POINT"},
    Operation.AGREE_TIMELINE: {"sur FOCAL_POINT", "reviewer FOCAL_POINT"},
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


# ---------- competent authorities (docs/policy.md, "Competent authorities") ----------

READS = list(itertools.product(Artefact, Visibility, [False, True]))


@pytest.mark.parametrize("name", list(VIEWERS))
def test_progress_is_read_within_the_review(name: str) -> None:
    expected = name == "secretariat" or within_review(name)
    assert may_read_progress(VIEWERS[name], REVIEW) is expected
    assert may_read_within_review(VIEWERS[name], REVIEW) is within_review(name)


def test_the_authority_of_the_state_under_review_reads_what_its_state_reads() -> None:
    """Its dialogue, documents, drafts and progress: whatever any account of its State reads,
    whatever the flags, and so at least what a reviewing State reads (¶23, ¶25, ¶40-¶41)."""
    authority = VIEWERS["sur AUTHORITY"]
    for artefact, visibility, draft in READS:
        for name, viewer in VIEWERS.items():
            if name == "secretariat":
                continue
            if may_read(viewer, REVIEW, artefact, visibility, draft=draft):
                assert may_read(authority, REVIEW, artefact, visibility, draft=draft), (name, artefact)
    for artefact in (Artefact.DIALOGUE, Artefact.ADDITIONAL_DOCUMENTS):
        assert may_read(authority, REVIEW, artefact, DEFAULT_VISIBILITY[artefact])
    assert may_read_progress(authority, REVIEW)


@pytest.mark.parametrize("name", ["reviewer AUTHORITY", "other AUTHORITY"])
def test_other_authorities_read_what_any_state_party_reads(name: str) -> None:
    """A reviewing or another State's authority reads of this review only what an account of a
    State party outside it reads (¶37-¶40): never the dialogue, documents, drafts or progress
    the State under review keeps among the review's participants."""
    outside = VIEWERS["other FOCAL_POINT"]
    for artefact, visibility, draft in READS:
        assert may_read(VIEWERS[name], REVIEW, artefact, visibility, draft=draft) is may_read(
            outside, REVIEW, artefact, visibility, draft=draft
        ), (artefact, visibility, draft)
    for artefact in (Artefact.DIALOGUE, Artefact.ADDITIONAL_DOCUMENTS):
        assert not may_read(VIEWERS[name], REVIEW, artefact, DEFAULT_VISIBILITY[artefact])
    assert not may_read_progress(VIEWERS[name], REVIEW)


@pytest.mark.parametrize("operation", list(Operation))
def test_authorities_write_nothing(operation: Operation) -> None:
    """Reading their State's review gives them no write: every operation refused, in their
    own State's review as in any other."""
    for name, viewer in VIEWERS.items():
        if viewer.role is Role.AUTHORITY:
            assert not may(viewer, REVIEW, operation), name


# ---------- the settings the rules allow (¶38-¶41) ----------

A, D, DOCS, L, S = (
    Artefact.QUESTIONNAIRE_ANSWERS,
    Artefact.DIALOGUE,
    Artefact.ADDITIONAL_DOCUMENTS,
    Artefact.LIST_OF_OBSERVATIONS,
    Artefact.SUMMARY,
)
P, ALL, PUB = Visibility.REVIEW_PARTICIPANTS, Visibility.ALL_STATES_PARTIES, Visibility.PUBLIC


def refused(
    artefact: Artefact,
    part: str | None,
    visibility: Visibility,
    flags: dict[tuple[Artefact, str | None], Visibility] | None = None,
    reason: str | None = None,
    on_behalf: bool = False,
) -> str | None:
    found = disclosure_violation(artefact, part, visibility, flags or {}, reason=reason, on_behalf=on_behalf)
    return found.paragraph if found else None


@pytest.mark.parametrize("part", [None, "TIP"])
def test_answers_are_never_below_all_states_parties(part: str | None) -> None:
    assert refused(A, part, P) == "¶40"
    assert refused(A, part, ALL) is None
    assert refused(A, part, PUB) is None  # published (¶41), and withdrawn again


@pytest.mark.parametrize("artefact", [D, DOCS])
def test_the_dialogue_and_documents_may_be_opened_and_narrowed_again(artefact: Artefact) -> None:
    assert [refused(artefact, None, v) for v in (ALL, PUB, P)] == [None, None, None]


def test_the_summary_goes_to_the_conference() -> None:
    assert refused(S, None, P) == "¶38"
    assert refused(S, None, ALL) is None and refused(S, None, PUB) is None


def test_only_parts_of_the_list_are_kept_confidential_with_a_reason() -> None:
    assert refused(L, None, P) == "¶38"
    assert refused(L, None, P, reason="exceptional") == "¶38"
    assert refused(L, "recommendations", P) == "¶38"
    assert refused(L, "recommendations", P, reason="  ") == "¶38"
    assert refused(L, "recommendations", P, reason="Negotiations under way") is None
    three: dict[tuple[Artefact, str | None], Visibility] = {
        (L, p): P for p in ("gapsAndChallenges", "goodPractices", "technicalAssistanceNeeds")
    }
    assert refused(L, "recommendations", P, flags=three, reason="Negotiations") == "¶38"
    assert refused(L, "gapsAndChallenges", P, flags=three, reason="again") is None  # already so
    assert refused(L, "recommendations", ALL, flags=three) is None
    assert refused(L, None, PUB) is None


def test_the_secretariat_records_the_states_request_and_can_do_no_more() -> None:
    assert refused(D, None, PUB, on_behalf=True) == "¶41"
    assert refused(D, None, PUB, on_behalf=True, reason="Note verbale of 3 December") is None
    assert refused(A, None, P, on_behalf=True, reason="Note verbale") == "¶40"
    assert refused(L, None, P, on_behalf=True, reason="Note verbale") == "¶38"
