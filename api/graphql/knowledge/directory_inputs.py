"""What a State sends to change its entry in the directory of competent authorities, and its
checks: a bad value is refused whole, as `InvalidInput` naming the field (`changes.name.0.lang`)
and the reason, by the rules the ingest format applies (mechanism/authorities.py,
mechanism/languages.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import strawberry

from api.graphql.errors import InvalidInput
from mechanism.authorities import (
    MAX_CONTACT,
    MAX_LANGUAGES,
    MAX_NAME,
    MAX_PROCEDURES,
    MAX_REQUIREMENTS,
    MAX_TEXTS,
    AuthorityEntry,
    AuthorityFunction,
    phone_problem,
    text_problem,
)
from mechanism.emails import InvalidEmail, canonical_email
from mechanism.languages import language_problem, normalized

# The ingest format's record id (ingest/content/models.py RecordId).
_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$")


@strawberry.input(description="A text in one language")
class LocalizedTextInput:
    lang: str = strawberry.field(description='a BCP 47 tag of a known language: "en", "fr", "zh-Hant"')
    text: str


@strawberry.input(
    description="Changes to an authority's contact block; a field left out stays as it is, null or "
    "an empty string removes it"
)
class AuthorityContactChanges:
    address: str | None = strawberry.UNSET
    phone: str | None = strawberry.UNSET
    email: str | None = strawberry.UNSET
    office_hours: str | None = strawberry.UNSET
    procedures: str | None = strawberry.UNSET


@strawberry.input(
    description="Changes to an entry of the directory: a field left out stays as it is. A list of "
    "texts (name, requirements) replaces the field's texts in every language; null clears a flag, "
    "the requirements, or the whole contact block"
)
class CompetentAuthorityChanges:
    name: list[LocalizedTextInput] | None = strawberry.UNSET
    functions: list[AuthorityFunction] | None = strawberry.UNSET
    accepted_languages: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="languages in which the authority accepts requests"
    )
    accepts_convention_requests: bool | None = strawberry.UNSET
    accepts_interpol: bool | None = strawberry.UNSET
    requirements: list[LocalizedTextInput] | None = strawberry.field(
        default=strawberry.UNSET, description="the legal and procedural requirements of a request (public)"
    )
    contact: AuthorityContactChanges | None = strawberry.UNSET


@dataclass(frozen=True)
class EntryChanges:
    """Checked changes: the entry's fields to replace, and the contact block's (a value, or
    None to remove it; `clear_contact`: remove the whole block first)."""

    fields: dict[str, Any] = field(default_factory=dict)
    contact: dict[str, str | None] = field(default_factory=dict)
    clear_contact: bool = False

    def applied_to(self, entry: AuthorityEntry) -> AuthorityEntry:
        contact = {} if self.clear_contact else dict(entry.contact)
        for name, value in self.contact.items():
            if value is None:
                contact.pop(name, None)
            else:
                contact[name] = value
        return replace(entry, **self.fields, contact=contact)


class Refused(Exception):
    """A value was refused: the InvalidInput to answer."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.invalid = InvalidInput(field=field, message=message)


def _language(value: str, where: str) -> str:
    tag = normalized(value)
    problem = language_problem(tag)
    if problem:
        raise Refused(where, problem)
    return tag


def _texts(given: list[LocalizedTextInput], where: str, limit: int) -> dict[str, str]:
    if len(given) > MAX_TEXTS:
        raise Refused(where, f"must have at most {MAX_TEXTS} languages")
    texts: dict[str, str] = {}
    for index, item in enumerate(given):
        lang = _language(item.lang, f"{where}.{index}.lang")
        if lang in texts:
            raise Refused(f"{where}.{index}.lang", f"{lang!r} is given twice")
        problem = text_problem(item.text, limit)
        if problem:
            raise Refused(f"{where}.{index}.text", problem)
        texts[lang] = item.text.strip()
    return texts


def _contact_value(name: str, value: str, where: str) -> str:
    if name == "email":
        try:
            return canonical_email(value)
        except InvalidEmail as invalid:
            raise Refused(where, invalid.reason) from None
    problem = (
        phone_problem(value)
        if name == "phone"
        else text_problem(value, MAX_PROCEDURES if name == "procedures" else MAX_CONTACT)
    )
    if problem:
        raise Refused(where, problem)
    return value.strip()


def _contact(given: AuthorityContactChanges, where: str) -> dict[str, str | None]:
    changes: dict[str, str | None] = {}
    for attribute, name in (
        ("address", "address"),
        ("phone", "phone"),
        ("email", "email"),
        ("office_hours", "officeHours"),
        ("procedures", "procedures"),
    ):
        value = getattr(given, attribute)
        if value is strawberry.UNSET:
            continue
        blank = value is None or not value.strip()
        changes[name] = None if blank else _contact_value(name, value, f"{where}.{name}")
    return changes


def _checked(given: CompetentAuthorityChanges, where: str) -> EntryChanges:
    fields: dict[str, Any] = {}
    if given.name is not strawberry.UNSET:
        if not given.name:
            raise Refused(f"{where}.name", "an entry has a name in one language at least")
        fields["name"] = _texts(given.name, f"{where}.name", MAX_NAME)
    if given.functions is not strawberry.UNSET:
        if not given.functions:
            raise Refused(f"{where}.functions", "an entry has one function at least")
        fields["functions"] = tuple(dict.fromkeys(given.functions))
    if given.accepted_languages is not strawberry.UNSET:
        languages = given.accepted_languages or []
        if len(languages) > MAX_LANGUAGES:
            raise Refused(f"{where}.acceptedLanguages", f"must have at most {MAX_LANGUAGES} languages")
        tags = [_language(lang, f"{where}.acceptedLanguages.{i}") for i, lang in enumerate(languages)]
        fields["accepted_languages"] = tuple(dict.fromkeys(tags))
    if given.accepts_convention_requests is not strawberry.UNSET:
        fields["accepts_convention_requests"] = given.accepts_convention_requests
    if given.accepts_interpol is not strawberry.UNSET:
        fields["accepts_interpol"] = given.accepts_interpol
    if given.requirements is not strawberry.UNSET:
        fields["requirements"] = _texts(given.requirements or [], f"{where}.requirements", MAX_REQUIREMENTS)
    if given.contact is strawberry.UNSET:
        return EntryChanges(fields)
    if given.contact is None:
        return EntryChanges(fields, clear_contact=True)
    return EntryChanges(fields, _contact(given.contact, f"{where}.contact"))


def checked_changes(given: CompetentAuthorityChanges, where: str) -> EntryChanges | InvalidInput:
    """The changes, each value checked; the first refused value's InvalidInput otherwise."""
    try:
        return _checked(given, where)
    except Refused as refused:
        return refused.invalid


def key_problem(key: str) -> str | None:
    if not _KEY.match(key):
        return "must be 1 to 128 letters, digits and . _ : / - (starting with a letter or digit)"
    return None


# A new entry: what it must have, checked once its changes are applied to an empty entry.
REQUIRED: tuple[tuple[str, Callable[[AuthorityEntry], bool]], ...] = (
    ("name", lambda entry: bool(entry.name)),
    ("functions", lambda entry: bool(entry.functions)),
)
