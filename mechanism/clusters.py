"""The thematic clusters of table 1 of the appendix, article by article."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from mechanism.instruments import ArticleRef, InstrumentCode


class ReviewCluster(StrEnum):
    CRIMINALIZATION_AND_JURISDICTION = "CRIMINALIZATION_AND_JURISDICTION"
    PREVENTION_ASSISTANCE_PROTECTION = "PREVENTION_ASSISTANCE_PROTECTION"
    LAW_ENFORCEMENT_AND_JUDICIAL_SYSTEM = "LAW_ENFORCEMENT_AND_JUDICIAL_SYSTEM"
    INTERNATIONAL_COOPERATION = "INTERNATIONAL_COOPERATION"


_C = ReviewCluster
# Table 1, exactly as the source gives it; the Firearms Protocol has no article in the
# law enforcement cluster.
TABLE_1: dict[InstrumentCode, dict[ReviewCluster, tuple[int, ...]]] = {
    InstrumentCode.UNTOC: {
        _C.CRIMINALIZATION_AND_JURISDICTION: (2, 5, 6, 8, 9, 10, 15, 23),
        _C.PREVENTION_ASSISTANCE_PROTECTION: (24, 25, 29, 30, 31),
        _C.LAW_ENFORCEMENT_AND_JUDICIAL_SYSTEM: (7, 11, 19, 20, 22, 26, 27, 28),
        _C.INTERNATIONAL_COOPERATION: (12, 13, 14, 16, 17, 18, 21),
    },
    InstrumentCode.TIP: {
        _C.CRIMINALIZATION_AND_JURISDICTION: (3, 5),
        _C.PREVENTION_ASSISTANCE_PROTECTION: (6, 7, 9),
        _C.LAW_ENFORCEMENT_AND_JUDICIAL_SYSTEM: (11, 12, 13),
        _C.INTERNATIONAL_COOPERATION: (8, 10),
    },
    InstrumentCode.SOM: {
        _C.CRIMINALIZATION_AND_JURISDICTION: (3, 5, 6),
        _C.PREVENTION_ASSISTANCE_PROTECTION: (8, 9, 14, 15, 16),
        _C.LAW_ENFORCEMENT_AND_JUDICIAL_SYSTEM: (11, 12, 13),
        _C.INTERNATIONAL_COOPERATION: (7, 10, 18),
    },
    InstrumentCode.FIREARMS: {
        _C.CRIMINALIZATION_AND_JURISDICTION: (3, 5, 8),
        _C.PREVENTION_ASSISTANCE_PROTECTION: (7, 9, 10, 11, 14, 15),
        _C.LAW_ENFORCEMENT_AND_JUDICIAL_SYSTEM: (),
        _C.INTERNATIONAL_COOPERATION: (6, 12, 13),
    },
}

# Footnote a of table 1: UNTOC articles 8 and 9 (corruption) are reviewed only for UNTOC
# parties that are not parties to the United Nations Convention against Corruption.
REVIEWED_ONLY_FOR_NON_UNCAC_PARTIES = frozenset(
    {ArticleRef(InstrumentCode.UNTOC, 8), ArticleRef(InstrumentCode.UNTOC, 9)}
)

_CLUSTER_OF: dict[ArticleRef, ReviewCluster] = {
    ArticleRef(instrument, number): cluster
    for instrument, clusters in TABLE_1.items()
    for cluster, numbers in clusters.items()
    for number in numbers
}


def cluster_of(article: ArticleRef) -> ReviewCluster | None:
    """The cluster an article is reviewed under, or None if it is in no cluster."""
    return _CLUSTER_OF.get(article)


def reviewed_only_for_non_uncac_parties(article: ArticleRef) -> bool:
    return article in REVIEWED_ONLY_FOR_NON_UNCAC_PARTIES


def articles_under_review(
    instrument: InstrumentCode, clusters: Iterable[ReviewCluster], uncac_party: bool
) -> list[ArticleRef]:
    """The articles of `instrument` reviewed under `clusters` for one State, in order."""
    wanted = set(clusters)
    return sorted(
        ArticleRef(instrument, number)
        for cluster, numbers in TABLE_1[instrument].items()
        if cluster in wanted
        for number in numbers
        if not (uncac_party and ArticleRef(instrument, number) in REVIEWED_ONLY_FOR_NON_UNCAC_PARTIES)
    )
