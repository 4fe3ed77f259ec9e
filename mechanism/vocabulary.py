"""The vocabulary of the Convention's data: its working languages, the UN regional groups,
kinds of party, how a participant is bound, and SHERLOC's crime types. Every package names
these values the same way; the ingest format validates against them."""

from __future__ import annotations

from enum import StrEnum

WORKING_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")


class RegionalGroup(StrEnum):
    AFRICAN = "AFRICAN"
    ASIA_PACIFIC = "ASIA_PACIFIC"
    EASTERN_EUROPEAN = "EASTERN_EUROPEAN"
    LATIN_AMERICAN_CARIBBEAN = "LATIN_AMERICAN_CARIBBEAN"
    WESTERN_EUROPEAN_OTHERS = "WESTERN_EUROPEAN_OTHERS"


class PartyKind(StrEnum):
    STATE = "STATE"
    REGIONAL_ECONOMIC_INTEGRATION_ORGANIZATION = "REGIONAL_ECONOMIC_INTEGRATION_ORGANIZATION"


class ParticipationStatus(StrEnum):
    SIGNATORY = "SIGNATORY"
    PARTY = "PARTY"


class BindingAction(StrEnum):
    """How a participant became bound: the letter glued to the date on the UN status page."""

    RATIFICATION = "ratification"
    ACCESSION = "accession"
    ACCEPTANCE = "acceptance"
    APPROVAL = "approval"
    SUCCESSION = "succession"


class CrimeType(StrEnum):
    """SHERLOC's crime types."""

    CORRUPTION = "corruption"
    COUNTERFEITING = "counterfeiting"
    CYBERCRIME = "cybercrime"
    DRUG_OFFENCES = "drug-offences"
    MONEY_LAUNDERING = "money-laundering"
    OBSTRUCTION_OF_JUSTICE = "obstruction-of-justice"
    ORGANIZED_CRIMINAL_GROUP = "organized-criminal-group"
    PIRACY_MARITIME_CRIME = "piracy-maritime-crime"
    SMUGGLING_OF_MIGRANTS = "smuggling-of-migrants"
    TRAFFICKING_IN_FIREARMS = "trafficking-in-firearms"
    TRAFFICKING_IN_CULTURAL_PROPERTY = "trafficking-in-cultural-property"
    WILDLIFE_FOREST_FISHERIES_CRIME = "wildlife-forest-fisheries-crime"
    TRAFFICKING_IN_PERSONS = "trafficking-in-persons"
    FALSIFIED_MEDICAL_PRODUCTS = "falsified-medical-products"
    TERRORISM = "terrorism"
