"""The interchange format for SHERLOC content (../shared/contract/ingest-format.md).

One JSON object a line; `kind` says which model reads it. These models are the format's
definition: `sherloc ingest --schema` prints the JSON Schema generated from them.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
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

from mechanism.authorities import (
    MAX_LANGUAGES,
    MAX_PHONE,
    MAX_REQUIREMENTS,
    MAX_TEXTS,
    PHONE_PATTERN,
    AuthorityFunction,
    confirmation_problem,
)
from mechanism.cases import (
    AgeGroup,
    CaseOutcome,
    CourtLevel,
    Gender,
    KeywordFamily,
    LegalSystem,
    keyword_problem,
    name_problem,
)
from mechanism.cooperation import PARAGRAPH, CooperationType, TreatyActionKind
from mechanism.emails import canonical_email
from mechanism.instruments import ArticleRef, InstrumentCode
from mechanism.languages import language_problem
from mechanism.library import (
    FIRST_STRATEGY_YEAR,
    LAST_STRATEGY_YEAR,
    MAX_AUTHOR_LENGTH,
    MAX_AUTHORS,
    StrategyType,
    doi_problem,
    normalized_isbn,
    period_problem,
    publication_year_problem,
)
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


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    id: RecordId
    sample: bool = Field(False, description="true for demo content written for this project")


class _Record(_Base):
    party: PartyCode

    @property
    def parties(self) -> list[str]:
        """Every party the record names (each must be known)."""
        return [self.party]


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


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class LegislationExtract(_Part):
    """The provisions of a law that implement one article."""

    article: ArticleKey
    text: LongTexts


class LegislationChange(_Part):
    """Another law this one amends or repeals, and from when."""

    law: RecordId
    on: date | None = Field(None, description="the date the change takes effect")


class LegislationVersion(_Part):
    """The text of the law as in force from a date (a consolidated version)."""

    in_force_from: date
    text: LongTexts


class Legislation(_Document):
    kind: Literal["legislation"]
    enacted_on: date | None = None
    in_force: bool = True
    text: LongTexts | None = None
    implements_articles: Annotated[list[ArticleKey], Field(max_length=200)] = []
    extracts: Annotated[list[LegislationExtract], Field(max_length=200)] = Field(
        [],
        description="the extract of the law that implements each article (each also in implements_articles)",
    )
    amends: Annotated[list[LegislationChange], Field(max_length=200)] = []
    repeals: Annotated[list[LegislationChange], Field(max_length=200)] = []
    versions: Annotated[list[LegislationVersion], Field(max_length=50)] = Field(
        [], description="earlier and later texts of the law, each with the date it is in force from"
    )
    url: HttpUrl | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Legislation:
        implemented = set(self.implements_articles)
        for number, extract in enumerate(self.extracts):
            if extract.article not in implemented:
                raise ValueError(
                    f"extracts.{number}.article: {extract.article} is not among implements_articles"
                )
        if len({e.article for e in self.extracts}) != len(self.extracts):
            raise ValueError("extracts: gives two extracts for one article")
        for field, changes in (("amends", self.amends), ("repeals", self.repeals)):
            if any(change.law == self.id for change in changes):
                raise ValueError(f"{field}: names the law itself")
            if len({change.law for change in changes}) != len(changes):
                raise ValueError(f"{field}: names a law twice")
        dates = [v.in_force_from for v in self.versions]
        if len(set(dates)) != len(dates):
            raise ValueError("versions: two versions are in force from the same date")
        if self.enacted_on and any(day < self.enacted_on for day in dates):
            raise ValueError(
                f"versions: a version is in force before the law was enacted ({self.enacted_on})"
            )
        return self

    @property
    def articles(self) -> list[str]:
        return _unique(self.implements_articles)


class CaseCooperation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    cooperation: CooperationType
    requesting: PartyCode
    requested: PartyCode

    @model_validator(mode="after")
    def _two_states(self) -> CaseCooperation:
        if self.requesting == self.requested:
            raise ValueError("requesting and requested are the same party")
        return self


def _initials(value: str) -> str:
    problem = name_problem(value)
    if problem:
        raise ValueError(problem)
    return value


class CasePerson(_Part):
    """A defendant or a victim, never named: gender, nationality, age group, initials at most."""

    initials: Annotated[str, StringConstraints(max_length=20), AfterValidator(_initials)] | None = None
    gender: Gender | None = None
    nationality: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = Field(
        None, description="ISO 3166-1 alpha-3"
    )
    age_group: AgeGroup | None = None
    count: Annotated[int, Field(ge=1, le=100_000)] = Field(
        1, description="how many people this row describes"
    )


class CaseKeyword(_Part):
    family: KeywordFamily
    term: str

    @model_validator(mode="after")
    def _known(self) -> CaseKeyword:
        problem = keyword_problem(self.family, self.term)
        if problem:
            raise ValueError(f"term: {problem}")
        return self


class CaseProceeding(_Part):
    """An earlier or later decision in the same case (the procedural history)."""

    court: ShortText
    decided_on: date | None = None
    outcome: CaseOutcome | None = None
    note: ShortText | None = None


class CaseDecision(_Part):
    """The decision's document."""

    url: HttpUrl
    language: LanguageTag
    title: ShortText | None = None


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
    cooperation: Annotated[list[CaseCooperation], Field(max_length=50)] = Field(
        [],
        description="the international cooperation that took place: which State asked which, for "
        "what; one of the two is the case's party",
    )
    court_level: CourtLevel | None = None
    legal_system: LegalSystem | None = None
    outcome: CaseOutcome | None = None
    sentence: ShortText | None = Field(None, description="the sentence, as the decision gives it")
    defendants: Annotated[list[CasePerson], Field(max_length=200)] = []
    victims: Annotated[list[CasePerson], Field(max_length=200)] = []
    keywords: Annotated[list[CaseKeyword], Field(max_length=100)] = []
    facts: LongTexts | None = None
    commentary: LongTexts | None = Field(None, description="the commentary and significant features")
    procedural_history: Annotated[list[CaseProceeding], Field(max_length=50)] = []
    decision: CaseDecision | None = None

    @model_validator(mode="after")
    def _legal_basis(self) -> Case:
        if self.legal_basis_articles and not self.uses_convention_as_legal_basis:
            raise ValueError("legal_basis_articles are given but uses_convention_as_legal_basis is false")
        if self.id in self.related_cases:
            raise ValueError("related_cases names the case itself")
        for number, item in enumerate(self.cooperation):
            if self.party not in (item.requesting, item.requested):
                raise ValueError(
                    f"cooperation.{number}: the case's party {self.party} is neither the requesting "
                    "nor the requested State"
                )
        return self

    @property
    def parties(self) -> list[str]:
        return list(
            dict.fromkeys(
                [
                    self.party,
                    *(c.requesting for c in self.cooperation),
                    *(c.requested for c in self.cooperation),
                ]
            )
        )


def _known_language(value: str) -> str:
    problem = language_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _not_in_the_future(value: date) -> date:
    problem = confirmation_problem(value, datetime.now(UTC).date())
    if problem:
        raise ValueError(problem)
    return value


# An authority's languages must be known to ISO 639 (mechanism/languages.py): requests are
# written in them.
AuthorityLanguage = Annotated[str, AfterValidator(_known_language)]
RequirementsText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_REQUIREMENTS),
    AfterValidator(_clean_text),
]


class Contact(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    address: ShortText | None = None
    phone: Annotated[str, StringConstraints(max_length=MAX_PHONE, pattern=PHONE_PATTERN)] | None = None
    email: Email | None = None
    office_hours: ShortText | None = None
    procedures: LongText | None = None


class Authority(_Record):
    kind: Literal["authority"]
    name: Annotated[dict[AuthorityLanguage, ShortText], Field(min_length=1, max_length=MAX_TEXTS)]
    functions: Annotated[list[AuthorityFunction], Field(min_length=1, max_length=len(AuthorityFunction))]
    accepted_languages: Annotated[list[AuthorityLanguage], Field(max_length=MAX_LANGUAGES)] = []
    accepts_convention_requests: bool | None = Field(
        None,
        description="the authority accepts requests that take the Convention as their legal basis; "
        "null or absent: not stated",
    )
    accepts_interpol: bool | None = Field(
        None,
        description="the authority accepts requests through INTERPOL's channels; null or absent: not stated",
    )
    requirements: (
        Annotated[dict[AuthorityLanguage, RequirementsText], Field(min_length=1, max_length=MAX_TEXTS)] | None
    ) = Field(None, description="the legal and procedural requirements of a request, by language (public)")
    confirmed_on: Annotated[date, AfterValidator(_not_in_the_future)] | None = Field(
        None, description="the day the party last confirmed the entry; never in the future"
    )
    contact: Contact | None = None


class Treaty(_Base):
    """A bilateral or multilateral agreement on international cooperation in criminal matters."""

    kind: Literal["treaty"]
    title: ShortTexts
    original_language: LanguageTag
    parties: Annotated[list[PartyCode], Field(min_length=2, max_length=250)]
    cooperation: Annotated[list[CooperationType], Field(min_length=1, max_length=len(CooperationType))]
    signed_on: date | None = None
    in_force_on: date | None = None
    text: LongTexts | None = None
    url: HttpUrl | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Treaty:
        if self.original_language not in self.title:
            raise ValueError(
                f"original_language {self.original_language!r} must be among the languages of "
                f"the title ({', '.join(sorted(self.title))})"
            )
        if len(set(self.parties)) != len(self.parties):
            raise ValueError("parties: names a party twice")
        if self.signed_on and self.in_force_on and self.in_force_on < self.signed_on:
            raise ValueError(
                f"in_force_on: {self.in_force_on} is before signed_on {self.signed_on}: a treaty "
                "enters into force after it is signed"
            )
        return self

    @property
    def party(self) -> str:
        """The party the record is filed under (the first named)."""
        return self.parties[0]


Paragraph = Annotated[str, StringConstraints(pattern=PARAGRAPH.pattern)]


class TreatyAction(_Record):
    """A reservation, declaration, notification, objection or withdrawal of a party under an
    article of the Convention or a Protocol (or the instrument as a whole)."""

    kind: Literal["treaty_action"]
    instrument: InstrumentCode | None = None
    article: ArticleKey | None = None
    paragraph: Paragraph | None = Field(None, description="the article's paragraph, e.g. '5(a)' or '13'")
    action: TreatyActionKind
    made_on: date | None = None
    original_language: LanguageTag
    text: LongTexts
    source: ShortText | None = Field(None, description="where the action's text and date come from")

    @model_validator(mode="after")
    def _consistent(self) -> TreatyAction:
        if self.article is None and self.instrument is None:
            raise ValueError(
                "article: give the article the action is made under, or the instrument for an action on "
                "it as a whole"
            )
        if self.article and self.instrument and not self.article.startswith(f"{self.instrument.value}:"):
            raise ValueError(f"article: {self.article} is not an article of {self.instrument.value}")
        if self.paragraph and not self.article:
            raise ValueError("paragraph: given without its article")
        if self.original_language not in self.text:
            raise ValueError(
                f"original_language {self.original_language!r} must be among the languages of "
                f"the text ({', '.join(sorted(self.text))})"
            )
        return self

    @property
    def instrument_code(self) -> str:
        return self.instrument.value if self.instrument else str(self.article).split(":")[0]


StrategyYear = Annotated[int, Field(ge=FIRST_STRATEGY_YEAR, le=LAST_STRATEGY_YEAR)]


class Strategy(_Document):
    """A party's national strategy, action plan or policy against organized crime, for a period."""

    kind: Literal["strategy"]
    document_type: StrategyType = Field(description="STRATEGY, ACTION_PLAN or POLICY")
    from_year: StrategyYear = Field(description="the first year the document covers")
    to_year: StrategyYear | None = Field(None, description="the last year it covers; absent: open-ended")
    adopted_on: date | None = None
    summary: LongTexts | None = None
    url: HttpUrl | None = None

    @model_validator(mode="after")
    def _period(self) -> Strategy:
        problem = period_problem(self.from_year, self.to_year)
        if problem:
            raise ValueError(f"to_year: {problem}")
        if self.adopted_on and self.to_year and self.adopted_on.year > self.to_year:
            raise ValueError(
                f"adopted_on: {self.adopted_on} is after the period it covers (to {self.to_year})"
            )
        return self


def _isbn(value: str) -> str:
    return normalized_isbn(value)


def _doi(value: str) -> str:
    problem = doi_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _publication_year(value: int) -> int:
    problem = publication_year_problem(value, datetime.now(UTC).year)
    if problem:
        raise ValueError(problem)
    return value


AuthorName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_AUTHOR_LENGTH),
    AfterValidator(_clean_text),
]


class Publication(_Base):
    """A publication of the bibliography (books, reports, articles, studies). Not a review's
    publication (graph/publications.py): its graph label is `BibliographyEntry`."""

    kind: Literal["publication"]
    title: ShortTexts
    original_language: LanguageTag
    authors: Annotated[list[AuthorName], Field(min_length=1, max_length=MAX_AUTHORS)] = Field(
        description="people or bodies, as the publication names them"
    )
    year: Annotated[int, AfterValidator(_publication_year)] = Field(
        description="the year of publication (next year's: forthcoming)"
    )
    publisher: ShortText | None = None
    languages: Annotated[list[AuthorityLanguage], Field(max_length=20)] = Field(
        [], description="the languages it is published in; absent: its original language"
    )
    crime_types: Annotated[list[CrimeType], Field(max_length=15)] = []
    articles: Annotated[list[ArticleKey], Field(max_length=200)] = Field(
        [], description="the articles of the Convention and its Protocols it discusses ('UNTOC:18')"
    )
    parties: Annotated[list[PartyCode], Field(max_length=50)] = Field(
        [], description="the States it is about; absent: none in particular"
    )
    abstract: LongTexts | None = None
    url: HttpUrl | None = None
    isbn: Annotated[str, AfterValidator(_isbn)] | None = Field(
        None, description="ISBN-10 or ISBN-13, hyphens allowed; kept without them"
    )
    doi: Annotated[str, AfterValidator(_doi)] | None = Field(
        None, description="e.g. '10.18356/9789210059381'"
    )

    @model_validator(mode="after")
    def _consistent(self) -> Publication:
        if self.original_language not in self.title:
            raise ValueError(
                f"original_language: {self.original_language!r} must be among the languages of "
                f"the title ({', '.join(sorted(self.title))})"
            )
        if len(set(self.parties)) != len(self.parties):
            raise ValueError("parties: names a party twice")
        return self

    @property
    def party(self) -> str | None:
        """The party the record is filed under (the first named), if any."""
        return self.parties[0] if self.parties else None


ContentRecord = Annotated[
    Legislation | Case | Authority | Treaty | TreatyAction | Strategy | Publication,
    Field(discriminator="kind"),
]


def json_schema() -> dict[str, object]:
    """The JSON Schema of one line of the format, generated from these models."""
    from pydantic import TypeAdapter

    schema = TypeAdapter(ContentRecord).json_schema()
    schema["title"] = "SHERLOC content record (one JSON object per line)"
    return schema
