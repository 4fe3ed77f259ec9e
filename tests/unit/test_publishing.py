"""What publishing takes for final is what the API shows as final: one rule (¶39,
mechanism.reviews.review_complete), no database."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from mechanism.disclosure import Artefact, ReviewParticipants, Visibility
from mechanism.reviews import review_complete
from search.publishing import publications

SIX = ("ar", "zh", "en", "fr", "ru", "es")
# Everything of the list and the summary public: only finality holds them back.
PUBLIC: dict[tuple[Artefact, str | None], Visibility] = {
    (Artefact.LIST_OF_OBSERVATIONS, None): Visibility.PUBLIC,
    (Artefact.SUMMARY, None): Visibility.PUBLIC,
}


def _review(sur: str) -> dict[str, Any]:
    return {
        "id": f"{sur}-4",
        "stateUnderReview": sur,
        "phase": 4,
        "instruments": ["UNTOC"],
        "workingLanguages": ["en"],
    }


def _observations(agreed_by: list[str]) -> dict[str, Any]:
    return {
        "version": 1,
        "agreedBy": agreed_by,
        "gapsAndChallenges": ["A gap"],
        "goodPractices": ["A practice"],
        "recommendations": ["Adopt a law"],
        "technicalAssistanceNeeds": ["Training"],
        **{f"summary.{lang}": f"Summary in {lang}" for lang in SIX},
    }


def _published(participants: ReviewParticipants, agreed_by: list[str]) -> set[str]:
    rows = publications(
        _review(participants.state_under_review),
        participants,
        PUBLIC,
        answers=[],
        dialogue=[],
        documents=[],
        observations=_observations(agreed_by),
    )
    return {row["key"].split("|", 1)[1] for row in rows}


def test_a_list_agreed_by_the_state_under_review_alone_without_reviewers_is_not_published() -> None:
    """No reviewing State, so no agreement of every reviewing State: the API shows a draft
    (`Review.listOfObservations.final` is false), and nothing of it may be published."""
    participants = ReviewParticipants("COG", frozenset())
    assert not review_complete("COG", [], ["COG"])
    assert _published(participants, ["COG"]) == set()


def test_a_list_agreed_by_everyone_is_published() -> None:
    participants = ReviewParticipants("URY", frozenset({"PRY", "FIN"}))
    assert _published(participants, ["URY", "PRY", "FIN"]) == {
        "LIST|gapsAndChallenges",
        "LIST|goodPractices",
        "LIST|recommendations",
        "LIST|technicalAssistanceNeeds",
        "SUMMARY",
    }


SUBSETS = [
    list(agreed) for size in range(4) for agreed in itertools.combinations(["URY", "PRY", "FIN"], size)
]


@pytest.mark.parametrize("reviewers", [frozenset(), frozenset({"PRY"}), frozenset({"PRY", "FIN"})])
@pytest.mark.parametrize("agreed_by", SUBSETS)
def test_published_exactly_when_the_mechanism_says_final(
    reviewers: frozenset[str], agreed_by: list[str]
) -> None:
    participants = ReviewParticipants("URY", reviewers)
    final = review_complete("URY", reviewers, agreed_by)
    assert bool(_published(participants, agreed_by)) is final
