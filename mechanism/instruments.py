"""The Convention and its three Protocols, and references to their articles."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class InstrumentCode(StrEnum):
    UNTOC = "UNTOC"
    TIP = "TIP"
    SOM = "SOM"
    FIREARMS = "FIREARMS"


ARTICLE_COUNTS: dict[InstrumentCode, int] = {
    InstrumentCode.UNTOC: 41,
    InstrumentCode.TIP: 20,
    InstrumentCode.SOM: 25,
    InstrumentCode.FIREARMS: 21,
}

_ARTICLE_REF = re.compile(r"^(UNTOC|TIP|SOM|FIREARMS):([1-9][0-9]?)$")


@dataclass(frozen=True, order=True)
class ArticleRef:
    """An article of an instrument, written `INSTRUMENT:NUMBER` (`UNTOC:18`)."""

    instrument: InstrumentCode
    number: int

    def __post_init__(self) -> None:
        count = ARTICLE_COUNTS[self.instrument]
        if not 1 <= self.number <= count:
            raise ValueError(f"{self.instrument} has articles 1 to {count}, not {self.number}")

    @classmethod
    def parse(cls, text: str) -> ArticleRef:
        match = _ARTICLE_REF.match(text.strip())
        if not match:
            raise ValueError(
                f"{text!r} is not an article reference like 'UNTOC:18' "
                "(instrument UNTOC, TIP, SOM or FIREARMS, a colon, the article number)"
            )
        return cls(InstrumentCode(match.group(1)), int(match.group(2)))

    @property
    def key(self) -> str:
        return f"{self.instrument}:{self.number}"

    def __str__(self) -> str:
        return self.key


def all_articles() -> list[ArticleRef]:
    return [
        ArticleRef(code, number) for code, count in ARTICLE_COUNTS.items() for number in range(1, count + 1)
    ]
