"""The reference data of the Convention, as validated records."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from mechanism.clusters import ReviewCluster
from mechanism.instruments import ArticleRef, InstrumentCode
from mechanism.vocabulary import (
    WORKING_LANGUAGES,
    BindingAction,
    ParticipationStatus,
    PartyKind,
    RegionalGroup,
)

PartyCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _six_languages(texts: dict[str, str], what: str) -> None:
    missing = [lang for lang in WORKING_LANGUAGES if not texts.get(lang)]
    if missing:
        raise ValueError(f"{what} lacks a text in {', '.join(missing)}")


class Instrument(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: InstrumentCode
    title: dict[str, Text]

    @model_validator(mode="after")
    def _titled_in_six_languages(self) -> Instrument:
        _six_languages(self.title, f"the title of {self.code}")
        return self


class Article(BaseModel):
    model_config = ConfigDict(frozen=True)

    ref: ArticleRef
    title: dict[str, Text]
    cluster: ReviewCluster | None
    reviewed_only_for_non_uncac_parties: bool

    @model_validator(mode="after")
    def _titled_in_six_languages(self) -> Article:
        _six_languages(self.title, f"the title of {self.ref}")
        return self


class Participation(BaseModel):
    model_config = ConfigDict(frozen=True)

    party: PartyCode
    instrument: str = Field(description="an InstrumentCode, or UNCAC")
    signed_on: date | None
    bound_on: date | None
    action: BindingAction | None
    source: Text

    @property
    def status(self) -> ParticipationStatus:
        return ParticipationStatus.PARTY if self.action else ParticipationStatus.SIGNATORY

    @model_validator(mode="after")
    def _consistent(self) -> Participation:
        if self.action is None and self.bound_on is not None:
            raise ValueError("bound_on is given without the action (ratification, accession, ...)")
        if self.action is None and self.signed_on is None:
            raise ValueError("a participant has signed, or become bound, or both")
        if self.signed_on and self.bound_on and self.bound_on < self.signed_on:
            raise ValueError("bound_on is earlier than signed_on")
        return self


class Party(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: PartyCode
    iso2: str | None
    kind: PartyKind
    regional_group: RegionalGroup | None
    name: dict[str, Text]

    @model_validator(mode="after")
    def _named_in_six_languages(self) -> Party:
        _six_languages(self.name, f"the name of {self.code}")
        return self
