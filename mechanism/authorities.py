"""The functions of competent national authorities and the articles that call for them, and
the rules of an entry of the directory, which each State keeps."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from mechanism.instruments import ArticleRef, InstrumentCode


class AuthorityFunction(StrEnum):
    MUTUAL_LEGAL_ASSISTANCE = "MUTUAL_LEGAL_ASSISTANCE"
    EXTRADITION = "EXTRADITION"
    TRANSFER_OF_SENTENCED_PERSONS = "TRANSFER_OF_SENTENCED_PERSONS"
    SMUGGLING_OF_MIGRANTS_AT_SEA = "SMUGGLING_OF_MIGRANTS_AT_SEA"
    FIREARMS = "FIREARMS"
    TRAFFICKING_IN_PERSONS = "TRAFFICKING_IN_PERSONS"
    # The other kinds of cooperation of the Convention (ingest-format.md, 2026-12-04).
    TRANSFER_OF_PROCEEDINGS = "TRANSFER_OF_PROCEEDINGS"
    LAW_ENFORCEMENT_COOPERATION = "LAW_ENFORCEMENT_COOPERATION"


# The article under which a party designates an authority for each function; SHERLOC's
# directory also lists trafficking-in-persons authorities, which no article designates.
DESIGNATING_ARTICLE: dict[AuthorityFunction, ArticleRef | None] = {
    AuthorityFunction.MUTUAL_LEGAL_ASSISTANCE: ArticleRef(InstrumentCode.UNTOC, 18),
    AuthorityFunction.EXTRADITION: ArticleRef(InstrumentCode.UNTOC, 16),
    AuthorityFunction.TRANSFER_OF_SENTENCED_PERSONS: ArticleRef(InstrumentCode.UNTOC, 17),
    AuthorityFunction.SMUGGLING_OF_MIGRANTS_AT_SEA: ArticleRef(InstrumentCode.SOM, 8),
    AuthorityFunction.FIREARMS: ArticleRef(InstrumentCode.FIREARMS, 13),
    AuthorityFunction.TRAFFICKING_IN_PERSONS: None,
    AuthorityFunction.TRANSFER_OF_PROCEEDINGS: ArticleRef(InstrumentCode.UNTOC, 21),
    AuthorityFunction.LAW_ENFORCEMENT_COOPERATION: ArticleRef(InstrumentCode.UNTOC, 27),
}

FUNCTION_INSTRUMENT: dict[AuthorityFunction, InstrumentCode] = {
    AuthorityFunction.MUTUAL_LEGAL_ASSISTANCE: InstrumentCode.UNTOC,
    AuthorityFunction.EXTRADITION: InstrumentCode.UNTOC,
    AuthorityFunction.TRANSFER_OF_SENTENCED_PERSONS: InstrumentCode.UNTOC,
    AuthorityFunction.SMUGGLING_OF_MIGRANTS_AT_SEA: InstrumentCode.SOM,
    AuthorityFunction.FIREARMS: InstrumentCode.FIREARMS,
    AuthorityFunction.TRAFFICKING_IN_PERSONS: InstrumentCode.TIP,
    AuthorityFunction.TRANSFER_OF_PROCEEDINGS: InstrumentCode.UNTOC,
    AuthorityFunction.LAW_ENFORCEMENT_COOPERATION: InstrumentCode.UNTOC,
}


# ---------- an entry of the directory, as its State keeps it ----------
# States keep their entries up to date (report of the ninth session of the Conference,
# CTOC/COP/2018/13, ¶116): the entry is the State's, each change is logged, and the
# secretariat follows up those not confirmed for a year.

STALE_AFTER_DAYS = 365
MAX_STALE_DAYS = 36_500
MAX_NAME = 2_000  # characters of a name in one language (the ingest format's short text)
MAX_REQUIREMENTS = 50_000  # characters of the requirements in one language
MAX_CONTACT = 2_000  # characters of an address or office hours
MAX_PROCEDURES = 1_000_000  # the ingest format's long text
MAX_TEXTS = 50  # languages of a name or of the requirements
MAX_LANGUAGES = 50  # accepted languages
PHONE_PATTERN = r"^[0-9+()./ -]+$"
MAX_PHONE = 100
# The contact block's fields, as the graph and the audit log name them (never indexed).
CONTACT_FIELDS = ("address", "phone", "email", "officeHours", "procedures")

# Control characters other than tab and newline have no place in a text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PHONE = re.compile(PHONE_PATTERN)


class EntryAction(StrEnum):
    """What a change did to an entry, as its audit record says."""

    CREATED = "CREATED"
    UPDATED = "UPDATED"
    CONFIRMED = "CONFIRMED"
    RETIRED = "RETIRED"


@dataclass(frozen=True)
class AuthorityEntry:
    """A competent authority's entry: what the ingest format and the State's own changes
    write, and what the audit log compares. Texts are by language tag; `contact` by the
    names of CONTACT_FIELDS."""

    key: str
    party: str
    name: Mapping[str, str]
    functions: tuple[AuthorityFunction, ...]
    accepted_languages: tuple[str, ...] = ()
    # Whether the authority accepts requests with the Convention as their legal basis (null:
    # not stated), and requests through INTERPOL's channels.
    accepts_convention_requests: bool | None = None
    accepts_interpol: bool | None = None
    # The legal and procedural requirements of a request: public, unlike the contact block.
    requirements: Mapping[str, str] = field(default_factory=dict)
    contact: Mapping[str, str] = field(default_factory=dict)
    confirmed_on: date | None = None
    confirmed_by: str | None = None  # the account that confirmed it last
    sample: bool = False


@dataclass(frozen=True)
class FieldChange:
    """One field of an entry before and after a change (None: it had or has no value)."""

    field: str
    old: Any
    new: Any

    @property
    def of_contact(self) -> bool:
        """Whether the values are the contact block's, which not every reader may see."""
        return self.field.startswith("contact.")


def fields_of(entry: AuthorityEntry) -> dict[str, Any]:
    """The entry's fields as the audit log names them (`name.fr`, `functions`,
    `contact.email` ...), those without a value left out."""
    values: dict[str, Any] = {f"name.{lang}": text for lang, text in entry.name.items()}
    values.update(
        {
            "functions": [f.value for f in entry.functions],
            "acceptedLanguages": list(entry.accepted_languages),
            "acceptsConventionRequests": entry.accepts_convention_requests,
            "acceptsInterpol": entry.accepts_interpol,
            "confirmedOn": entry.confirmed_on.isoformat() if entry.confirmed_on else None,
        }
    )
    values.update({f"requirements.{lang}": text for lang, text in entry.requirements.items()})
    values.update({f"contact.{name}": value for name, value in entry.contact.items()})
    return {name: value for name, value in values.items() if value is not None and value != []}


def changes_between(before: AuthorityEntry | None, after: AuthorityEntry | None) -> list[FieldChange]:
    """What changed from `before` to `after` (None: the entry did not, or no longer, exist),
    field by field in the order of their names."""
    old = fields_of(before) if before else {}
    new = fields_of(after) if after else {}
    return [
        FieldChange(name, old.get(name), new.get(name))
        for name in sorted(old.keys() | new.keys())
        if old.get(name) != new.get(name)
    ]


def text_problem(value: str, limit: int) -> str | None:
    """Why `value` (once trimmed) is not a text of an entry, or None."""
    text = value.strip()
    if not text:
        return "must not be empty"
    if len(text) > limit:
        return f"must have at most {limit:,} characters"
    if _CONTROL.search(text):
        return "contains control characters"
    return None


def phone_problem(value: str) -> str | None:
    text = value.strip()
    if not text or len(text) > MAX_PHONE or not _PHONE.match(text):
        return f"must be a phone number of at most {MAX_PHONE} digits, spaces and + ( ) . / -"
    return None


def confirmation_problem(confirmed_on: date, today: date) -> str | None:
    """An entry is confirmed on a day that has come (¶116 of the ninth session's report)."""
    if confirmed_on > today:
        return f"{confirmed_on.isoformat()} is in the future (today is {today.isoformat()})"
    return None


def older_than_problem(days: int) -> str | None:
    if not 0 <= days <= MAX_STALE_DAYS:
        return f"must be between 0 and {MAX_STALE_DAYS}, not {days}"
    return None


def stale_cutoff(today: date, older_than_days: int = STALE_AFTER_DAYS) -> date:
    """Entries confirmed before this day (or never) are not kept up to date (¶116)."""
    return today - timedelta(days=older_than_days)


def is_stale(confirmed_on: date | None, today: date, older_than_days: int = STALE_AFTER_DAYS) -> bool:
    return confirmed_on is None or confirmed_on < stale_cutoff(today, older_than_days)
