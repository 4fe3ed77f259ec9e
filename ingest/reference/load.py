"""Reading the reference data files (see data/SOURCES.md) into validated records."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from ingest.reference.models import Article, Instrument, Participation, Party
from mechanism.clusters import cluster_of, reviewed_only_for_non_uncac_parties
from mechanism.instruments import ARTICLE_COUNTS, ArticleRef, InstrumentCode
from mechanism.vocabulary import WORKING_LANGUAGES, CrimeType, ParticipationStatus, PartyKind, RegionalGroup

DATA_DIR = Path(__file__).parent / "data"
UNCAC = "UNCAC"


class ReferenceDataError(Exception):
    """A reference data file breaks a rule; the message names the file, line and reason."""


@dataclass(frozen=True)
class ReferenceData:
    instruments: list[Instrument]
    articles: list[Article]
    parties: list[Party]
    # Participations in UNTOC and its Protocols.
    participations: list[Participation]
    # Participations in the UN Convention against Corruption, by party code.
    uncac: dict[str, Participation]
    # Crime type key -> its label in the six languages.
    crime_types: dict[str, dict[str, str]]

    def participants(self, instrument: InstrumentCode) -> list[Participation]:
        return [p for p in self.participations if p.instrument == instrument]


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            yield line, {key: (value or "").strip() for key, value in row.items()}


def _fail(path: Path, line: int, error: ValidationError | ValueError) -> ReferenceDataError:
    if isinstance(error, ValidationError):
        reason = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'record'}: {e['msg']}" for e in error.errors()
        )
    else:
        reason = str(error)
    return ReferenceDataError(f"{path.name}, line {line}: {reason}")


def load_titles(data_dir: Path) -> dict[tuple[str, str], dict[str, str]]:
    """(instrument, article or "") -> {lang: title}, from titles/<lang>.csv."""
    titles: dict[tuple[str, str], dict[str, str]] = {}
    for lang in WORKING_LANGUAGES:
        path = data_dir / "titles" / f"{lang}.csv"
        if not path.is_file():
            raise ReferenceDataError(f"titles/{lang}.csv is missing")
        for _, row in _rows(path):
            titles.setdefault((row["instrument"], row["article"]), {})[lang] = row["title"]
    return titles


def load_instruments_and_articles(data_dir: Path) -> tuple[list[Instrument], list[Article]]:
    titles = load_titles(data_dir)
    instruments = [Instrument(code=code, title=titles.get((code.value, ""), {})) for code in InstrumentCode]
    articles = []
    for code, count in ARTICLE_COUNTS.items():
        for number in range(1, count + 1):
            ref = ArticleRef(code, number)
            articles.append(
                Article(
                    ref=ref,
                    title=titles.get((code.value, str(number)), {}),
                    cluster=cluster_of(ref),
                    reviewed_only_for_non_uncac_parties=reviewed_only_for_non_uncac_parties(ref),
                )
            )
    return instruments, articles


def load_known_parties(data_dir: Path) -> dict[str, Party]:
    """Every UN Member State, and every participant that is not one."""
    known: dict[str, Party] = {}
    members = data_dir / "un-member-states.csv"
    for line, row in _rows(members):
        try:
            party = Party(
                code=row["iso3"],
                iso2=row["iso2"],
                kind=PartyKind.STATE,
                regional_group=RegionalGroup(row["regional_group"]),
                name={lang: row[f"name_{lang}"] for lang in WORKING_LANGUAGES},
            )
        except (ValidationError, ValueError) as error:
            raise _fail(members, line, error) from None
        known[party.code] = party
    others = data_dir / "non-member-parties.csv"
    for line, row in _rows(others):
        try:
            party = Party(
                code=row["code"],
                iso2=None,
                kind=PartyKind(row["kind"]),
                regional_group=RegionalGroup(row["regional_group"]) if row["regional_group"] else None,
                name={lang: row[f"name_{lang}"] for lang in WORKING_LANGUAGES},
            )
        except (ValidationError, ValueError) as error:
            raise _fail(others, line, error) from None
        known[party.code] = party
    return known


def load_participations(data_dir: Path, instrument: str) -> list[Participation]:
    path = data_dir / "treaty-status" / f"{instrument}.csv"
    result = []
    for line, row in _rows(path):
        try:
            result.append(
                Participation(
                    party=row["party"],
                    instrument=instrument,
                    signed_on=date.fromisoformat(row["signed_on"]) if row["signed_on"] else None,
                    bound_on=date.fromisoformat(row["bound_on"]) if row["bound_on"] else None,
                    action=row["action"] or None,
                    source=row["source"],
                )
            )
        except (ValidationError, ValueError) as error:
            raise _fail(path, line, error) from None
    return result


def _check_supplements_the_convention(participation: Participation, convention: Participation | None) -> None:
    """A Protocol binds only parties to the Convention (art. 37(2) UNTOC), and only its
    signatories could sign a Protocol."""
    if convention is None:
        raise ReferenceDataError(
            f"{participation.party} takes part in {participation.instrument} "
            "but not in the Convention, which the Protocols supplement"
        )
    if (
        participation.status is ParticipationStatus.PARTY
        and convention.status is not ParticipationStatus.PARTY
    ):
        raise ReferenceDataError(
            f"{participation.party} is a party to {participation.instrument} "
            "but not to the Convention, which the Protocols supplement"
        )


def load_crime_types(data_dir: Path) -> dict[str, dict[str, str]]:
    path = data_dir / "crime-types.csv"
    labels = {row["key"]: {lang: row[lang] for lang in WORKING_LANGUAGES} for _, row in _rows(path)}
    expected = {c.value for c in CrimeType}
    if set(labels) != expected:
        raise ReferenceDataError(
            f"crime-types.csv must have exactly the keys of the ingest format; "
            f"missing {sorted(expected - set(labels))}, unknown {sorted(set(labels) - expected)}"
        )
    for key, texts in labels.items():
        missing = [lang for lang, text in texts.items() if not text]
        if missing:
            raise ReferenceDataError(f"crime-types.csv: {key} has no label in {', '.join(missing)}")
    return labels


def load_reference_data(data_dir: Path = DATA_DIR) -> ReferenceData:
    instruments, articles = load_instruments_and_articles(data_dir)
    known = load_known_parties(data_dir)

    participations: list[Participation] = []
    for code in InstrumentCode:
        participations.extend(load_participations(data_dir, code.value))
    uncac = {p.party: p for p in load_participations(data_dir, UNCAC)}

    convention = {p.party: p for p in participations if p.instrument == InstrumentCode.UNTOC}
    for participation in [*participations, *uncac.values()]:
        if participation.party not in known:
            raise ReferenceDataError(
                f"treaty-status/{participation.instrument}.csv names {participation.party}, "
                "which is neither a UN Member State nor in non-member-parties.csv"
            )
        if participation.instrument in ARTICLE_COUNTS:
            _check_supplements_the_convention(participation, convention.get(participation.party))

    # The parties SHERLOC knows: every party to the Convention and every signatory.
    parties = [known[code] for code in sorted(convention)]
    crime_types = load_crime_types(data_dir)
    return ReferenceData(instruments, articles, parties, participations, uncac, crime_types)
