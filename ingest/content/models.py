"""The interchange format for SHERLOC content (../shared/contract/ingest-format.md).

One JSON object a line; `kind` says which model reads it. These models are the format's
definition: `sherloc ingest --schema` prints the JSON Schema generated from them.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    HttpUrl,
    StringConstraints,
    model_validator,
)

from mechanism.authorities import AuthorityFunction
from mechanism.emails import canonical_email
from mechanism.instruments import ArticleRef
from mechanism.vocabulary import CrimeType

_BCP47 = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
# Control characters other than tab and newline have no place in a text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _language(value: str) -> str:
    if not _BCP47.match(value):
        raise ValueError(f"{value!r} is not a BCP 47 language tag such as 'en', 'fr' or 'zh-Hant'")
    return value


def _clean_text(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("contains control characters")
    return value


def _article(value: str) -> str:
    return ArticleRef.parse(value).key


LanguageTag = Annotated[str, AfterValidator(_language)]
RecordId = Annotated[
    str,
    StringConstraints(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$"),
]
PartyCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
ShortText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=2_000),
    AfterValidator(_clean_text),
]
LongText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=1_000_000),
    AfterValidator(_clean_text),
]
ArticleKey = Annotated[str, AfterValidator(_article)]
# The address as accounts and registrations hold one (mechanism/emails.py): NFKC, no invisible
# character, lower case; pydantic's check first, which also takes "Name <address>" apart.
Email = Annotated[EmailStr, AfterValidator(canonical_email)]
ShortTexts = Annotated[dict[LanguageTag, ShortText], Field(min_length=1, max_length=50)]
LongTexts = Annotated[dict[LanguageTag, LongText], Field(min_length=1, max_length=50)]


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    id: RecordId
    party: PartyCode
    sample: bool = Field(False, description="true for demo content written for this project")


class _Document(_Record):
    title: ShortTexts
    original_language: LanguageTag
    crime_types: Annotated[list[CrimeType], Field(max_length=15)] = []

    @model_validator(mode="after")
    def _original_language_has_a_title(self) -> _Document:
        if self.original_language not in self.title:
            raise ValueError(
                f"original_language {self.original_language!r} must be among the languages of "
                f"the title ({', '.join(sorted(self.title))})"
            )
        return self


class Legislation(_Document):
    kind: Literal["legislation"]
    enacted_on: date | None = None
    in_force: bool = True
    text: LongTexts | None = None
    implements_articles: Annotated[list[ArticleKey], Field(max_length=200)] = []
    url: HttpUrl | None = None

    @property
    def articles(self) -> list[str]:
        return _unique(self.implements_articles)


class Case(_Document):
    kind: Literal["case"]
    court: ShortText
    case_number: ShortText | None = None
    decided_on: date | None = None
    summary: LongTexts
    uses_convention_as_legal_basis: bool = False
    legal_basis_articles: Annotated[list[ArticleKey], Field(max_length=200)] = []
    applied_legislation: Annotated[list[RecordId], Field(max_length=500)] = []
    related_cases: Annotated[list[RecordId], Field(max_length=100)] = Field(
        [],
        description="cases in other parties tied to this one, such as an extradition or mutual "
        "legal assistance request and its answer",
    )
    url: HttpUrl | None = None

    @model_validator(mode="after")
    def _legal_basis(self) -> Case:
        if self.legal_basis_articles and not self.uses_convention_as_legal_basis:
            raise ValueError("legal_basis_articles are given but uses_convention_as_legal_basis is false")
        if self.id in self.related_cases:
            raise ValueError("related_cases names the case itself")
        return self


class Contact(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    address: ShortText | None = None
    phone: Annotated[str, StringConstraints(max_length=100, pattern=r"^[0-9+()./ -]+$")] | None = None
    email: Email | None = None
    office_hours: ShortText | None = None
    procedures: LongText | None = None


class Authority(_Record):
    kind: Literal["authority"]
    name: ShortTexts
    functions: Annotated[list[AuthorityFunction], Field(min_length=1, max_length=len(AuthorityFunction))]
    accepted_languages: Annotated[list[LanguageTag], Field(max_length=50)] = []
    contact: Contact | None = None


ContentRecord = Annotated[Legislation | Case | Authority, Field(discriminator="kind")]


def json_schema() -> dict[str, object]:
    """The JSON Schema of one line of the format, generated from these models."""
    from pydantic import TypeAdapter

    schema = TypeAdapter(ContentRecord).json_schema()
    schema["title"] = "SHERLOC content record (one JSON object per line)"
    return schema
