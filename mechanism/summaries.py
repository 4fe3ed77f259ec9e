"""The summary of a list of observations: at most 1,500 words (¶38), in each language."""

from __future__ import annotations

import re

MAX_SUMMARY_WORDS = 1500
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Chinese is written without spaces; as the UN's translation services do for length, a word
# is counted for every two Han characters.
HAN_CHARACTERS_PER_WORD = 2


def word_count(text: str) -> int:
    han = len(_HAN.findall(text))
    other = len(_HAN.sub(" ", text).split())
    return other + -(-han // HAN_CHARACTERS_PER_WORD)


def summary_problem(text: str) -> str | None:
    if not text.strip():
        return "must not be empty"
    words = word_count(text)
    if words > MAX_SUMMARY_WORDS:
        return f"has {words} words; a summary has at most {MAX_SUMMARY_WORDS} (¶38)"
    return None
