"""A party's recorded choices reaching the draws (¶28(c), ¶29, footnote 2)."""

from __future__ import annotations

from typing import Any

from api.graphql.participation.types import choices_from
from graph.driver import Record
from mechanism.draw_records import participant_from_json, participant_json
from mechanism.participation import with_choices


def with_choices_of(choice_rows: list[Record], participants: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The participants of a draw (as JSON) as the recorded choices (rows of
    graph.participation.CHOICES) make them: how many times each may review (¶29), whether
    the Holy See takes part (footnote 2), and `moreThanFourReviewers` for a State that
    agreed to more than four (¶28(c); a draw's inputs list those as `moreThanFourAgreed`,
    see `more_than_four_agreed`)."""
    choices = {row["choices"]["party"]: choices_from(row["choices"]) for row in choice_rows}
    result = []
    for entry in participants:
        chosen = choices.get(entry["code"])
        updated = participant_json(with_choices(participant_from_json(entry), chosen))
        if chosen is not None and chosen.more_than_four_reviewers:
            updated["moreThanFourReviewers"] = True
        result.append(updated)
    return result


def more_than_four_agreed(participants: list[dict[str, Any]]) -> list[str]:
    """The States under review that agreed to more than four reviewing States (¶28(c))."""
    return sorted(p["code"] for p in participants if p.get("moreThanFourReviewers"))
