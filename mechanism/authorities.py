"""The functions of competent national authorities and the articles that call for them."""

from __future__ import annotations

from enum import StrEnum

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
