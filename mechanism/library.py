"""The strategies and bibliography databases: their vocabulary and the checks of a record.

A strategy is a party's national strategy, action plan or policy against organized crime,
for a period of years. A publication of the bibliography has authors (people or bodies),
a year, and optionally a publisher, an ISBN and a DOI, checked here.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum


class StrategyType(StrEnum):
    STRATEGY = "STRATEGY"
    ACTION_PLAN = "ACTION_PLAN"
    POLICY = "POLICY"


# A strategy's years: from the Convention's forerunners to the end of the century, and no
# period longer than a working life.
FIRST_STRATEGY_YEAR = 1950
LAST_STRATEGY_YEAR = 2100
MAX_PERIOD_YEARS = 50

FIRST_PUBLICATION_YEAR = 1900
MAX_AUTHORS = 100
MAX_AUTHOR_LENGTH = 300


def period_problem(from_year: int, to_year: int | None) -> str | None:
    """Why a strategy's period is not one (None: it is). `to_year` None: open-ended."""
    if to_year is None:
        return None
    if to_year < from_year:
        return f"{to_year} is before from_year {from_year}: a period ends after it starts"
    if to_year - from_year > MAX_PERIOD_YEARS:
        return f"a period of {to_year - from_year} years: at most {MAX_PERIOD_YEARS}"
    return None


def publication_year_problem(year: int, this_year: int) -> str | None:
    """Why `year` cannot be a publication's (None: it can); next year's are forthcoming."""
    if not FIRST_PUBLICATION_YEAR <= year <= this_year + 1:
        return f"{year} is not a year of publication ({FIRST_PUBLICATION_YEAR} to {this_year + 1})"
    return None


_ISBN_SEPARATORS = re.compile(r"[\s-]")


def normalized_isbn(text: str) -> str:
    """The ISBN-10 or ISBN-13 `text` without its hyphens and spaces, its check digit
    verified; ValueError says why it is not one."""
    digits = _ISBN_SEPARATORS.sub("", text).upper()
    if re.fullmatch(r"[0-9]{9}[0-9X]", digits):
        values = [10 if c == "X" else int(c) for c in digits]
        if sum((10 - i) * v for i, v in enumerate(values)) % 11:
            raise ValueError(f"{text!r} is not an ISBN: its check digit is wrong")
        return digits
    if re.fullmatch(r"97[89][0-9]{10}", digits):
        if sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(digits)) % 10:
            raise ValueError(f"{text!r} is not an ISBN: its check digit is wrong")
        return digits
    raise ValueError(f"{text[:40]!r} is not an ISBN-10 or ISBN-13 (digits, hyphens allowed)")


# Crossref's pattern for DOIs, loosened to any visible character after the prefix.
_DOI = re.compile(r"^10\.[0-9]{4,9}/\S+$")
MAX_DOI_LENGTH = 300


def doi_problem(text: str) -> str | None:
    """Why `text` is not a DOI as the format writes it (`10.18356/9789210…`), or None."""
    if text.lower().startswith(("http://", "https://", "doi:")):
        return f"{text[:60]!r}: write the DOI alone, without its resolver or 'doi:' (10.xxxx/...)"
    if len(text) > MAX_DOI_LENGTH or not _DOI.match(text):
        return f"{text[:60]!r} is not a DOI such as '10.18356/9789210059381'"
    return None


def folded(text: str) -> str:
    """`text` for matching a name typed by a user: without accents, case or extra spaces
    ("Pérez  Gómez" and "perez gomez" match)."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())
