"""The summary of a list of observations: at most 1,500 words (¶38) as written, then
translated into the six official languages; the limit is the summary's, not each
translation's (a translation runs longer or shorter than its original)."""

from __future__ import annotations

import re

from mechanism.rules import Violation

MAX_SUMMARY_WORDS = 1500
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Chinese is written without spaces; as the UN's translation services do for length, a word
# is counted for every two Han characters.
HAN_CHARACTERS_PER_WORD = 2


def word_count(text: str) -> int:
    han = len(_HAN.findall(text))
    other = len(_HAN.sub(" ", text).split())
    return other + -(-han // HAN_CHARACTERS_PER_WORD)


# A translation is not held to the 1,500 words, only to a bound on its size.
MAX_TRANSLATION_CHARACTERS = 60_000


def written_in(given: list[str], stored: str | None, working_languages: list[str]) -> str | None:
    """The language the summary is written in: the one stored, else the first language given
    that is a working language of the review, else the first given."""
    if stored:
        return stored
    return next((lang for lang in given if lang in working_languages), given[0] if given else None)


def summary_violation(texts: dict[str, str], original: str | None) -> Violation | None:
    """The summary as written (`texts[original]`) has at most 1,500 words (¶38)."""
    text = texts.get(original or "")
    if text is None:
        return None
    words = word_count(text)
    if words > MAX_SUMMARY_WORDS:
        return Violation(
            "¶38",
            f"the summary as written ({original}) has {words} words; "
            f"a summary has at most {MAX_SUMMARY_WORDS}",
        )
    return None
