"""What a State under review made public (¶41): what search may hold of its review.

Public is what an anonymous viewer may read by the one policy (mechanism.disclosure): the
artefacts, or parts, that the State published, and the summary once the list of
observations is final (¶38-¶39). A list or summary still being agreed is never public,
whatever its flags say; nor are draft answers.
"""

from __future__ import annotations

from mechanism.access import ANONYMOUS
from mechanism.disclosure import Artefact, ReviewParticipants, Visibility, may_read, visibility_of

Flags = dict[tuple[Artefact, str | None], Visibility]


def is_public(
    participants: ReviewParticipants,
    flags: Flags,
    artefact: Artefact,
    part: str | None,
    *,
    draft: bool = False,
) -> bool:
    """Whether an artefact (or one of its parts) of a review is public: read by anyone."""
    visibility = visibility_of(artefact, part, flags)
    return may_read(ANONYMOUS, participants, artefact, visibility, draft=draft)
