"""The validated reference data as the rows the graph writes (graph/reference.py)."""

from __future__ import annotations

from graph.localized import localized_properties
from graph.reference import ReferenceRows
from ingest.reference.load import ReferenceData
from mechanism.workplan import PHASES, phase_cluster


def reference_rows(data: ReferenceData) -> ReferenceRows:
    instruments = [
        {"code": i.code.value, "props": localized_properties("title", i.title)} for i in data.instruments
    ]
    articles = [
        {
            "key": a.ref.key,
            "instrument": a.ref.instrument.value,
            "props": {
                "instrument": a.ref.instrument.value,
                "number": a.ref.number,
                "cluster": a.cluster.value if a.cluster else None,
                "reviewedOnlyForNonUncacParties": a.reviewed_only_for_non_uncac_parties,
                **localized_properties("title", a.title),
            },
        }
        for a in data.articles
    ]
    parties = []
    for party in data.parties:
        uncac = data.uncac.get(party.code)
        parties.append(
            {
                "code": party.code,
                "props": {
                    "iso2": party.iso2,
                    "kind": party.kind.value,
                    "regionalGroup": party.regional_group.value if party.regional_group else None,
                    "uncacParty": bool(uncac and uncac.action),
                    "uncacSignedOn": uncac.signed_on if uncac else None,
                    "uncacBoundOn": uncac.bound_on if uncac else None,
                    **localized_properties("name", party.name),
                },
            }
        )
    participations = [
        {
            "party": p.party,
            "instrument": p.instrument,
            "props": {
                "status": p.status.value,
                "signedOn": p.signed_on,
                "boundOn": p.bound_on,
                "action": p.action.value if p.action else None,
                "source": p.source,
            },
        }
        for p in data.participations
    ]
    phases = [{"number": n, "cluster": phase_cluster(n).value} for n in PHASES]
    crime_types = [
        {"key": key, "props": localized_properties("label", labels)}
        for key, labels in data.crime_types.items()
    ]

    return ReferenceRows(instruments, articles, parties, participations, phases, crime_types)
