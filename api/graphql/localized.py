"""`LocalizedText` and the contract's fallback: the asked language, else English, else the
original language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import strawberry

from api.graphql.scalars import LanguageCode
from graph.localized import read_localized


@strawberry.type
class LocalizedText:
    lang: LanguageCode
    text: str


def pick(texts: Mapping[str, str], lang: str | None, original: str | None = None) -> LocalizedText | None:
    """The text in `lang` (or in its primary language: `zh` for `zh-hans`), else English,
    else the original language, else any; None when there is no text at all. No `lang`
    (an explicit null) means English."""
    lang = lang or "en"
    primary = lang.split("-")[0]
    for candidate in (lang, primary, "en", original):
        if candidate and candidate in texts:
            return LocalizedText(lang=LanguageCode(candidate), text=texts[candidate])
    for candidate, text in sorted(texts.items()):
        return LocalizedText(lang=LanguageCode(candidate), text=text)
    return None


def pick_property(
    properties: Mapping[str, Any], field: str, lang: str | None, original: str | None = None
) -> LocalizedText | None:
    """`pick` on a node's properties (`title.fr`, `title.en` ...), without gathering the
    field's texts first: objects keep their node's properties and look a text up when it
    is asked (gathering every text of every document cost ~2 ms for a page of 100 cases)."""
    lang = lang or "en"
    for candidate in (lang, lang.split("-")[0], "en", original):
        if candidate and isinstance(text := properties.get(f"{field}.{candidate}"), str):
            return LocalizedText(lang=LanguageCode(candidate), text=text)
    return pick(read_localized(properties, field), lang, original)


def text_of(
    properties: Mapping[str, Any], field: str, lang: str | None, original: str | None = None
) -> LocalizedText:
    """As `pick_property`, for a text every node has (a title, a name): empty if missing."""
    return pick_property(properties, field, lang, original) or LocalizedText(lang=LanguageCode("en"), text="")
