"""The pure rules of the knowledge base's depth: the Convention as a legal basis, treaty
actions' titles, a law's status in time, amendment cycles, and people never named."""

from __future__ import annotations

import datetime

import pytest

from ingest.content.amendments import AmendmentGraph
from mechanism.authorities import AuthorityFunction
from mechanism.cases import KeywordFamily, keyword_problem, name_problem
from mechanism.cooperation import (
    ActionFact,
    CooperationType,
    TreatyActionKind,
    action_title,
    article_reference,
    convention_basis,
)
from mechanism.legislation import LegislationStatus, status_on

ACTIONS = [
    ActionFact("NLD-16", "NLD", "UNTOC", "UNTOC:16"),
    ActionFact("NLD-35", "NLD", "UNTOC", "UNTOC:35"),
    ActionFact("NLD-ALL", "NLD", "UNTOC", None),
    ActionFact("FRA-16", "FRA", "UNTOC", "UNTOC:16"),
    ActionFact("DEU-16", "DEU", "UNTOC", "UNTOC:16"),
]


def test_every_kind_of_cooperation_is_a_function_of_the_directory() -> None:
    """legalBasis reads an authority's functions by the cooperation's name."""
    assert {c.value for c in CooperationType} <= {f.value for f in AuthorityFunction}


def test_the_convention_serves_between_two_parties_as_its_articles_say() -> None:
    parties = {"NLD", "FRA", "DEU"}
    extradition = convention_basis(
        "FRA", "NLD", parties, ACTIONS, CooperationType.EXTRADITION, treaty_in_force=False
    )
    assert extradition.applies and extradition.article.key == "UNTOC:16"
    assert extradition.bearing == ["NLD-16", "NLD-ALL", "FRA-16"]  # not 35, not a third State's
    transfer = convention_basis(
        "FRA", "NLD", parties, ACTIONS, CooperationType.TRANSFER_OF_SENTENCED_PERSONS, treaty_in_force=False
    )
    assert not transfer.applies and "not itself a legal basis" in transfer.explanation
    assistance = convention_basis(
        "FRA", "NLD", parties, ACTIONS, CooperationType.MUTUAL_LEGAL_ASSISTANCE, treaty_in_force=True
    )
    assert assistance.applies and "(18(7))" in assistance.explanation
    outside = convention_basis(
        "FRA", "IRN", parties, ACTIONS, CooperationType.EXTRADITION, treaty_in_force=False
    )
    assert not outside.applies and outside.explanation.startswith("IRN is not party to the Convention")


@pytest.mark.parametrize(
    ("article", "paragraph", "written"),
    [(16, "5(a)", "16(5)(a)"), (18, "13", "18(13)"), (3, "(a)", "3(a)"), (35, None, "35"), (3, "x", "3")],
)
def test_an_article_and_its_paragraph_are_written_as_the_treaty_does(
    article: int, paragraph: str | None, written: str
) -> None:
    assert article_reference(article, paragraph) == written


def test_a_treaty_action_has_a_title_in_the_six_languages() -> None:
    titles = action_title(TreatyActionKind.RESERVATION, "UNTOC", 35, "3")
    assert set(titles) == {"en", "fr", "es", "ru", "ar", "zh"}
    assert titles["en"] == "Reservation, UNTOC article 35(3)"
    assert action_title(TreatyActionKind.DECLARATION, "TIP", None, None)["fr"] == "Déclaration, TIP"


def test_a_law_s_status_follows_its_amendments_and_repeals_in_time() -> None:
    day = datetime.date(2020, 1, 1)
    earlier, later = datetime.date(2019, 1, 1), datetime.date(2021, 1, 1)
    assert status_on(day, in_force=True, amended_on=[], repealed_on=[]) is LegislationStatus.IN_FORCE
    assert status_on(day, in_force=True, amended_on=[later], repealed_on=[]) is LegislationStatus.IN_FORCE
    assert status_on(day, in_force=True, amended_on=[earlier], repealed_on=[]) is LegislationStatus.AMENDED
    assert status_on(day, in_force=True, amended_on=[None], repealed_on=[later]) is LegislationStatus.AMENDED
    assert status_on(day, in_force=False, amended_on=[], repealed_on=[]) is LegislationStatus.NOT_IN_FORCE
    assert (
        status_on(day, in_force=True, amended_on=[earlier], repealed_on=[None]) is LegislationStatus.REPEALED
    )


def test_a_link_that_would_close_a_cycle_of_amendments_is_found() -> None:
    graph = AmendmentGraph({"B": {"C"}, "C": {"D"}})
    assert graph.cycle_through("D", ["B"]) == ["D", "B", "C", "D"]
    assert graph.cycle_through("A", ["B"]) is None
    graph.add("D", ["A"])
    assert graph.cycle_through("A", ["B"]) == ["A", "B", "C", "D", "A"]
    graph.add("D", [])  # a record's links replace its old ones
    assert graph.cycle_through("A", ["B"]) is None


@pytest.mark.parametrize(
    ("text", "allowed"),
    [
        ("A. H.", True),
        ("J.-P. M.", True),
        ("AH", True),
        ("А. Б.", True),
        ("Smith", False),
        ("John Smith", False),
        ("张伟", False),
        ("Abdul K.", False),
        ("A. B. C. D. E.", False),
    ],
)
def test_people_in_a_case_are_never_named(text: str, allowed: bool) -> None:
    assert (name_problem(text) is None) is allowed


def test_keywords_come_from_their_family() -> None:
    assert keyword_problem(KeywordFamily.MEANS, "deception") is None
    assert keyword_problem(KeywordFamily.MEANS, "agriculture") is not None
