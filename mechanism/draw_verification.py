"""Verifying a draw from its exported record, by anyone, on any machine, with nothing but
this package (`sherloc verify-draw FILE`; `verifyDraw` asks the same of a stored draw).

The record (`exported`) is one JSON object:

    {"format": "sherloc-draw-1",
     "draw": {"id", "kind", "seed", "seedOrigin", "algorithmVersion", "createdAt",
              "conferenceDecision", "inputs", "result", "resultHash"},
     "announcement": null, or {"id", "kind", "commitment", "secret", "announcedAt",
              "contributionsCloseAt", "revealsCloseAt", "performedAt", "conferenceDecision",
              "contributions": [{"party", "commitment", "value", "revealed",
                                 "contributedAt", "revealedAt"}]}}

Three checks, each with its problems in words:
- reproduced: the algorithm, given the recorded inputs and seed, gives the recorded result,
  whose SHA-256 is the recorded hash;
- commitmentHonoured: the draw was announced; the secret's SHA-256 is the commitment; each
  revealed value's SHA-256 is its contribution; contributions came before closing, reveals
  after it, and the draw after both; and the seed derives from the secret and the revealed
  values (mechanism.commitments.derive_seed);
- meetsTheRules: the result meets ¶17 or ¶28-¶29 (mechanism.draw_checks), whatever drew it.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from mechanism.commitments import NOT_RECORDED, commitment_of, derive_seed, is_commitment
from mechanism.draw import ALGORITHMS, DrawInfeasible
from mechanism.draw_checks import rule_problems
from mechanism.draw_records import canonical, compute

FORMAT = "sherloc-draw-1"


@dataclass
class Verification:
    reproduced: bool = True
    commitment_honoured: bool = True
    meets_the_rules: bool = True
    problems: list[str] = field(default_factory=list)

    @property
    def holds(self) -> bool:
        return self.reproduced and self.commitment_honoured and self.meets_the_rules


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    return str(value)


def exported(
    draw: dict[str, Any], announcement: dict[str, Any] | None, contributions: list[dict[str, Any]]
) -> dict[str, Any]:
    """The record of a stored draw (properties as stored: inputs and result as JSON text,
    times as datetimes), its announcement and the announcement's contributions."""
    record: dict[str, Any] = {
        "format": FORMAT,
        "draw": {
            "id": draw["id"],
            "kind": draw["kind"],
            "seed": draw["seed"],
            "seedOrigin": draw.get("seedOrigin") or NOT_RECORDED,
            "algorithmVersion": draw["algorithmVersion"],
            "createdAt": _iso(draw["createdAt"]),
            "conferenceDecision": draw.get("conferenceDecision"),
            "inputs": json.loads(draw["inputs"]),
            "result": json.loads(draw["result"]),
            "resultHash": draw["resultHash"],
        },
        "announcement": None,
    }
    if announcement is not None:
        record["announcement"] = {
            "id": announcement["id"],
            "kind": announcement["kind"],
            "commitment": announcement["commitment"],
            "secret": announcement.get("secret"),
            "announcedAt": _iso(announcement["announcedAt"]),
            "contributionsCloseAt": _iso(announcement["contributionsCloseAt"]),
            "revealsCloseAt": _iso(announcement["revealsCloseAt"]),
            "performedAt": _iso(announcement.get("performedAt")),
            "conferenceDecision": announcement.get("conferenceDecision"),
            "contributions": [
                {
                    "party": c["party"],
                    "commitment": c["commitment"],
                    "value": c.get("value"),
                    "revealed": c.get("value") is not None,
                    "contributedAt": _iso(c["contributedAt"]),
                    "revealedAt": _iso(c.get("revealedAt")),
                }
                for c in sorted(contributions, key=lambda c: str(c["party"]))
            ],
        }
    return record


def _recomputed(draw: dict[str, Any]) -> str:
    try:
        return canonical(compute(draw["kind"], draw["inputs"], draw["seed"], draw["algorithmVersion"]))
    except (DrawInfeasible, ValueError):
        return ""


def _time(value: Any) -> datetime.datetime | None:
    if value is None:
        return None
    parsed = datetime.datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.UTC)


def verify(record: dict[str, Any], recomputed: str | None = None) -> Verification:
    """Every check of a draw's record. `recomputed`: the result already computed again from
    the recorded inputs and seed (the API keeps it), else computed here."""
    checked = Verification()
    try:
        if record.get("format") != FORMAT:
            checked.reproduced = checked.commitment_honoured = checked.meets_the_rules = False
            checked.problems.append(f"not a draw record of format {FORMAT}")
            return checked
        draw = record["draw"]
        _check_reproduced(checked, draw, recomputed)
        _check_commitment(checked, draw, record.get("announcement"))
        broken = rule_problems(draw["kind"], draw["inputs"], draw["result"])
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        checked.reproduced = checked.commitment_honoured = checked.meets_the_rules = False
        checked.problems.append(f"the record is incomplete or malformed: {type(error).__name__} {error}")
        return checked
    if broken:
        checked.meets_the_rules = False
        checked.problems.extend(broken)
    return checked


def _check_reproduced(checked: Verification, draw: dict[str, Any], recomputed: str | None) -> None:
    recorded = canonical(draw["result"])
    if draw["algorithmVersion"] not in ALGORITHMS:
        checked.reproduced = False
        checked.problems.append(
            f"drawn by algorithm {draw['algorithmVersion']}; this verifier knows {', '.join(ALGORITHMS)}"
        )
        return
    again = _recomputed(draw) if recomputed is None else recomputed
    if again != recorded:
        checked.reproduced = False
        checked.problems.append("the recorded result is not what the recorded inputs and seed give")
    if hashlib.sha256(recorded.encode()).hexdigest() != draw["resultHash"]:
        checked.reproduced = False
        checked.problems.append("the recorded result's SHA-256 is not the recorded resultHash")


def _check_commitment(
    checked: Verification, draw: dict[str, Any], announcement: dict[str, Any] | None
) -> None:
    def fail(problem: str) -> None:
        checked.commitment_honoured = False
        checked.problems.append(problem)

    if announcement is None:
        fail(
            f"the draw was not announced: its seed (origin {draw.get('seedOrigin') or NOT_RECORDED}) "
            "was committed to by no one, so nothing shows it was not chosen"
        )
        return
    if announcement["kind"] != draw["kind"]:
        fail(f"the announcement was of a {announcement['kind']} draw, not {draw['kind']}")
    secret = announcement.get("secret")
    if not secret or commitment_of(secret) != announcement["commitment"]:
        fail("the secret's SHA-256 is not the commitment published when the draw was announced")
    closes = _time(announcement["contributionsCloseAt"])
    reveals_close = _time(announcement["revealsCloseAt"])
    performed = _time(announcement.get("performedAt"))
    announced = _time(announcement["announcedAt"])
    assert closes is not None and reveals_close is not None
    if performed is None or performed < closes:
        fail("the draw was performed before contributions closed")
    revealed: dict[str, str] = {}
    unrevealed = []
    parties = [c["party"] for c in announcement["contributions"]]
    if len(parties) != len(set(parties)):
        fail("a party contributed more than once")
    for c in announcement["contributions"]:
        party = c["party"]
        if not is_commitment(str(c["commitment"])):
            fail(f"{party}'s contribution is not a hex SHA-256")
        made = _time(c["contributedAt"])
        if made is None or made >= closes or (announced is not None and made < announced):
            fail(f"{party} contributed outside the contribution period")
        if c.get("value") is None:
            unrevealed.append(party)
            continue
        if commitment_of(str(c["value"])) != c["commitment"]:
            fail(f"{party}'s revealed value does not hash to its contribution")
        shown = _time(c.get("revealedAt"))
        if shown is None or shown < closes or (performed is not None and shown > performed):
            fail(f"{party} revealed its value outside the reveal period")
        revealed[party] = str(c["value"])
    if unrevealed and performed is not None and performed < reveals_close:
        fail(f"performed before reveals closed while {', '.join(unrevealed)} had not revealed")
    if secret and derive_seed(announcement["id"], secret, revealed) != draw["seed"]:
        fail("the seed does not derive from the secret and the revealed contributions")
