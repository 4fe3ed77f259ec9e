"""Announced draws: a commit-reveal scheme that no one can bias alone (¶17, ¶28).

1. The secretariat announces a draw and when contributions close. The server draws a
   secret (32 random bytes, hex) and publishes only its commitment, SHA-256(secret).
2. Until closing, the focal point of any State party may contribute the SHA-256 of a value
   it keeps (one contribution per party).
3. After closing, and until reveals close, each contributor reveals its value; a value
   whose hash is not the contribution is refused.
4. Once every contribution is revealed, or reveals have closed, the secretariat performs
   the draw: the secret is revealed, and the seed is SHA-256 of the scheme's name, the
   announcement, the secret and every revealed (party, value), in a canonical JSON
   encoding (`derive_seed`). Contributions not revealed are recorded and shown as such.

Neither the secretariat (committed to its secret before any contribution) nor a State
(which cannot see the secret, nor other values before closing) can choose or foresee the
seed alone. What it does not prevent is written in docs/mechanism.md ("What the scheme does
not prevent"): chiefly, the last contributor to reveal may withhold its value after seeing
the others, which is one bit of influence, and is visible in the record.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import secrets
from collections.abc import Mapping

from mechanism.rules import Violation

SCHEME = "sherloc-commit-reveal-1"
DEFAULT_REVEAL_PERIOD = datetime.timedelta(days=1)
MIN_VALUE_LENGTH = 16  # a value short enough to guess from its hash protects nothing
MAX_VALUE_LENGTH = 200
_HEX_SHA256 = re.compile(r"[0-9a-f]{64}")

# How a draw's seed came to be (recorded on the draw).
ANNOUNCED = "ANNOUNCED"  # derived from an announced draw's secret and contributions
OPERATING_SYSTEM = "OPERATING_SYSTEM"  # drawn by the server, not announced
CALLER = "CALLER"  # chosen by the caller: tests and replays, never in production
NOT_RECORDED = "NOT_RECORDED"  # a draw made before the origin was recorded


def paragraph_of(kind: str) -> str:
    """The paragraph a draw of `kind` serves: ¶17 (States under review) or ¶28 (reviewers)."""
    return "¶17" if kind == "STATES_UNDER_REVIEW" else "¶28"


def commitment_of(value: str) -> str:
    """The hex SHA-256 of a value (its UTF-8 bytes)."""
    return hashlib.sha256(value.encode()).hexdigest()


def is_commitment(text: str) -> bool:
    """A hex SHA-256 digest, in lower case."""
    return bool(_HEX_SHA256.fullmatch(text))


def new_secret() -> str:
    return secrets.token_hex(32)


def derive_seed(announcement: str, secret: str, revealed: Mapping[str, str]) -> str:
    """The seed of an announced draw: SHA-256 of a canonical JSON array of the scheme, the
    announcement's key, the secret and the revealed values by party (sorted by party)."""
    encoded = json.dumps(
        [SCHEME, announcement, secret, sorted(revealed.items())], ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(encoded.encode()).hexdigest()


def chosen_seed_violation(kind: str, production: bool, seed: str | None) -> Violation | None:
    """A seed chosen by the caller would let it pick the outcome: only outside production."""
    if seed and production:
        return Violation(
            paragraph_of(kind),
            "a draw's seed cannot be chosen in production: draws are made by lot "
            "(announce the draw with announceDraw, or leave the seed out)",
        )
    return None


def second_draw_violation(governing: str | None, conference_decision: str | None) -> Violation | None:
    """One draw of States under review governs; another needs a decision of the Conference."""
    if governing and not (conference_decision or "").strip():
        return Violation(
            "¶17",
            f"the draw of States under review {governing} governs: another draw needs a decision of "
            "the Conference (give its reference in conferenceDecision); a party that joined later is "
            "placed with onlyJoining",
        )
    return None


def announcement_violation(
    kind: str, now: datetime.datetime, closes: datetime.datetime, reveals_close: datetime.datetime
) -> Violation | None:
    if closes <= now:
        return Violation(paragraph_of(kind), "contributions must close after the announcement")
    if reveals_close <= closes:
        return Violation(paragraph_of(kind), "reveals must close after contributions close")
    return None


def contribution_violation(
    kind: str, now: datetime.datetime, closes: datetime.datetime, already: bool
) -> Violation | None:
    """A State party's contribution: before closing, once."""
    if now >= closes:
        return Violation(
            paragraph_of(kind), f"contributions to this draw closed at {closes:%Y-%m-%d %H:%M:%S} UTC"
        )
    if already:
        return Violation(paragraph_of(kind), "this party has already contributed to this draw")
    return None


def reveal_violation(
    kind: str,
    now: datetime.datetime,
    closes: datetime.datetime,
    reveals_close: datetime.datetime,
    performed: bool,
    commitment: str | None,
    revealed: bool,
    value: str,
) -> Violation | None:
    """Revealing the value behind a contribution: after contributions close (so that no one
    adapts its own to it), before reveals close and the draw is performed, and only the value
    whose hash was contributed."""
    paragraph = paragraph_of(kind)
    if commitment is None:
        return Violation(paragraph, "this party made no contribution to this draw")
    if revealed:
        return Violation(paragraph, "this party's contribution is already revealed")
    if now < closes:
        return Violation(paragraph, "contributions are revealed only after they close")
    if performed or now >= reveals_close:
        return Violation(paragraph, "the draw no longer takes reveals: it is performed or reveals closed")
    if commitment_of(value) != commitment:
        return Violation(paragraph, "the SHA-256 of this value is not the contribution this party made")
    return None


def perform_violation(
    kind: str,
    now: datetime.datetime,
    closes: datetime.datetime,
    reveals_close: datetime.datetime,
    performed: bool,
    unrevealed: int,
) -> Violation | None:
    """Performing an announced draw: once, after contributions close, and once every
    contribution is revealed or reveals have closed (so that no reveal is cut short)."""
    paragraph = paragraph_of(kind)
    if performed:
        return Violation(paragraph, "this draw has already been performed")
    if now < closes:
        return Violation(paragraph, "the draw is performed only after contributions close")
    if unrevealed and now < reveals_close:
        return Violation(
            paragraph,
            f"{unrevealed} contribution(s) not yet revealed: the draw is performed once all are "
            f"revealed or reveals close ({reveals_close:%Y-%m-%d %H:%M:%S} UTC)",
        )
    return None
