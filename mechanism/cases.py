"""The facets of a case record as SHERLOC's case law database has them, and the rule that
keeps the people in a case anonymous: defendants and victims are described by gender,
nationality and age group, with initials at most (`name_problem` refuses what looks like
a name)."""

from __future__ import annotations

import re
from enum import StrEnum


class CourtLevel(StrEnum):
    FIRST_INSTANCE = "FIRST_INSTANCE"
    APPELLATE = "APPELLATE"
    SUPREME = "SUPREME"
    CONSTITUTIONAL = "CONSTITUTIONAL"
    SPECIALIZED = "SPECIALIZED"
    INTERNATIONAL = "INTERNATIONAL"
    OTHER = "OTHER"


class LegalSystem(StrEnum):
    COMMON_LAW = "COMMON_LAW"
    CIVIL_LAW = "CIVIL_LAW"
    ISLAMIC_LAW = "ISLAMIC_LAW"
    CUSTOMARY_LAW = "CUSTOMARY_LAW"
    MIXED = "MIXED"


class CaseOutcome(StrEnum):
    CONVICTION = "CONVICTION"
    PARTIAL_CONVICTION = "PARTIAL_CONVICTION"
    ACQUITTAL = "ACQUITTAL"
    DISMISSAL = "DISMISSAL"
    APPEAL_ALLOWED = "APPEAL_ALLOWED"
    APPEAL_DISMISSED = "APPEAL_DISMISSED"
    EXTRADITION_GRANTED = "EXTRADITION_GRANTED"
    EXTRADITION_REFUSED = "EXTRADITION_REFUSED"
    ASSISTANCE_GRANTED = "ASSISTANCE_GRANTED"
    ASSISTANCE_REFUSED = "ASSISTANCE_REFUSED"
    OTHER = "OTHER"


class Gender(StrEnum):
    FEMALE = "FEMALE"
    MALE = "MALE"
    OTHER = "OTHER"
    UNKNOWN = "UNKNOWN"


class AgeGroup(StrEnum):
    CHILD = "CHILD"  # under 18
    ADULT = "ADULT"
    UNKNOWN = "UNKNOWN"


class KeywordFamily(StrEnum):
    ACTS = "ACTS"
    MEANS = "MEANS"
    PURPOSE_OF_EXPLOITATION = "PURPOSE_OF_EXPLOITATION"
    INTERNATIONAL_COOPERATION = "INTERNATIONAL_COOPERATION"
    FORM = "FORM"
    SECTOR = "SECTOR"


# The terms of each family (SHERLOC's case law keywords, in English; labels are the terms
# with hyphens as spaces).
KEYWORDS: dict[KeywordFamily, frozenset[str]] = {
    KeywordFamily.ACTS: frozenset(
        {
            "recruitment",
            "transportation",
            "transfer",
            "harbouring",
            "receipt",
            "procuring",
            "facilitating-illegal-entry",
            "facilitating-illegal-stay",
            "document-fraud",
            "laundering",
            "concealment",
            "manufacturing",
            "trafficking",
            "possession",
            "bribery",
            "extortion",
        }
    ),
    KeywordFamily.MEANS: frozenset(
        {
            "threat",
            "use-of-force",
            "coercion",
            "abduction",
            "fraud",
            "deception",
            "abuse-of-power",
            "abuse-of-vulnerability",
            "debt-bondage",
            "payments-or-benefits",
            "confiscation-of-documents",
        }
    ),
    KeywordFamily.PURPOSE_OF_EXPLOITATION: frozenset(
        {
            "sexual-exploitation",
            "forced-labour",
            "slavery",
            "servitude",
            "removal-of-organs",
            "forced-criminality",
            "forced-begging",
            "forced-marriage",
            "domestic-servitude",
        }
    ),
    KeywordFamily.INTERNATIONAL_COOPERATION: frozenset(
        {
            "extradition",
            "mutual-legal-assistance",
            "joint-investigation",
            "controlled-delivery",
            "transfer-of-proceedings",
            "transfer-of-sentenced-persons",
            "confiscation-cooperation",
            "law-enforcement-cooperation",
            "interpol",
        }
    ),
    KeywordFamily.FORM: frozenset(
        {
            "organized-criminal-group",
            "network",
            "individual",
            "corporate-liability",
            "public-official-involvement",
        }
    ),
    KeywordFamily.SECTOR: frozenset(
        {
            "agriculture",
            "construction",
            "domestic-work",
            "fishing",
            "hospitality",
            "manufacturing",
            "mining",
            "sex-industry",
            "transport",
            "online",
            "maritime",
            "aviation",
            "financial",
        }
    ),
}


def keyword_problem(family: KeywordFamily, term: str) -> str | None:
    if term not in KEYWORDS[family]:
        return f"{term!r} is not a term of {family.value} ({', '.join(sorted(KEYWORDS[family]))})"
    return None


# Initials: a letter each, with or without a dot ("A. H.", "J.-P. M."), or two capitals
# run together ("AH"). A Chinese, Japanese or Korean character is a syllable of a name.
_INITIAL = re.compile(r"^(?:[^\W\d_]|[A-Z]{2})$")
_SEPARATORS = re.compile(r"[\s.\-’']+")
_SYLLABIC = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def name_problem(text: str) -> str | None:
    """Why `text` may not describe a defendant or a victim, or None: initials at most."""
    tokens = [t for t in _SEPARATORS.split(text.strip()) if t]
    if not tokens:
        return "is empty"
    if len(tokens) > 4 or _SYLLABIC.search(text) or not all(_INITIAL.match(t) for t in tokens):
        return "looks like a name: give initials at most (such as 'A. H.'), never a name"
    return None
