"""The benchmark corpus's review answers: deterministic, one per question, in the
review's language, citing only the laws given."""

import pytest

from bench.corpus import ANSWER_OPENING, review_answers

QUESTIONS = ["UNTOC:2", "UNTOC:5", "UNTOC:6", "TIP:5", "SOM:6"]
LAWS = [f"BENCH-L{i:07d}" for i in range(10)]


@pytest.mark.parametrize("lang", sorted(ANSWER_OPENING))
def test_review_answers_answer_each_question_in_the_reviews_language(lang: str) -> None:
    answers = list(review_answers("URY-1", QUESTIONS, lang, LAWS))
    assert [a["article"] for a in answers] == QUESTIONS
    for answer in answers:
        opening, *paragraphs = answer["text"].split("\n\n")
        assert opening == ANSWER_OPENING[lang].format(article=answer["article"])
        assert 2 <= len(paragraphs) <= 6 and all(paragraphs)
        assert set(answer["law_references"]) <= set(LAWS)
        assert answer["law_references"] == sorted(answer["law_references"])


def test_review_answers_are_the_same_for_the_same_review_and_differ_between_reviews() -> None:
    first = list(review_answers("URY-1", QUESTIONS, "es", LAWS))
    assert first == list(review_answers("URY-1", QUESTIONS, "es", LAWS))
    assert first != list(review_answers("PRY-1", QUESTIONS, "es", LAWS))
    assert all(a["law_references"] == [] for a in review_answers("URY-1", QUESTIONS, "es", []))
