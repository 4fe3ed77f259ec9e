"""`LocalizedText` and the contract's fallback: the asked language, else English, else the
original language."""

from __future__ import annotations

from collections.abc import Mapping

import strawberry

from api.graphql.scalars import LanguageCode


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
