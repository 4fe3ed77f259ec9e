"""Who may read what: the one access policy, applied where data is read.

Accounts come with the secure module; until a request carries one, its viewer is
anonymous. Each rule is a small function named after what it allows.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    SECRETARIAT = "SECRETARIAT"
    FOCAL_POINT = "FOCAL_POINT"
    GOVERNMENTAL_EXPERT = "GOVERNMENTAL_EXPERT"
    OBSERVER = "OBSERVER"
    # A competent authority of the account's party: in its own State's review it reads what
    # the State's other accounts read, and it writes in no review (mechanism.disclosure).
    AUTHORITY = "AUTHORITY"


@dataclass(frozen=True)
class Viewer:
    """Who is asking: an account's role and party, or nobody (anonymous)."""

    role: Role | None = None
    party: str | None = None
    user_id: str | None = None
    # The viewer's party is a party to the Convention (not only a signatory).
    state_party: bool = False

    @property
    def anonymous(self) -> bool:
        return self.role is None


ANONYMOUS = Viewer()


def may_read_authority_contact(viewer: Viewer) -> bool:
    """Competent authorities' contact blocks: every account bound to a State party, and the
    secretariat; never anonymous viewers."""
    if viewer.role is Role.SECRETARIAT:
        return True
    return viewer.role is not None and viewer.party is not None and viewer.state_party


def may_keep_authority_entries(viewer: Viewer, party: str) -> bool:
    """Creating, changing, confirming and retiring a party's entries in the directory of
    competent authorities (States keep the directory up to date: report of the ninth session,
    ¶116): the party's AUTHORITY and FOCAL_POINT accounts, and the secretariat."""
    if viewer.role is Role.SECRETARIAT:
        return True
    return viewer.role in (Role.AUTHORITY, Role.FOCAL_POINT) and viewer.party == party


def may_read_authority_changes(viewer: Viewer, party: str | None) -> bool:
    """The log of changes to a party's entries in the directory (None: to every party's):
    the secretariat, and every account of the party for its own."""
    if viewer.role is Role.SECRETARIAT:
        return True
    return party is not None and viewer.role is not None and viewer.party == party


def may_follow_up_authority_entries(viewer: Viewer) -> bool:
    """The entries not confirmed for a year (¶116): the secretariat, which follows them up."""
    return viewer.role is Role.SECRETARIAT


def may_manage_accounts(viewer: Viewer) -> bool:
    """Creating, listing, disabling accounts and revoking their sessions."""
    return viewer.role is Role.SECRETARIAT


def may_read_account(viewer: Viewer, user_id: str) -> bool:
    """An account's details: its owner and the secretariat."""
    return viewer.role is Role.SECRETARIAT or (viewer.user_id is not None and viewer.user_id == user_id)


def may_designate(viewer: Viewer, party: str) -> bool:
    """Designating a party's focal point and experts (¶18, ¶27): its focal point, or the
    secretariat on its behalf."""
    if viewer.role is Role.SECRETARIAT:
        return True
    return viewer.role is Role.FOCAL_POINT and viewer.party == party


def may_read_redraw_reason(viewer: Viewer, concerned: set[str]) -> bool:
    """Why a reviewer's place was drawn again (¶28(e), ¶30): the secretariat and the
    accounts of the States concerned (under review, replaced, requesting)."""
    return viewer.role is Role.SECRETARIAT or (viewer.party is not None and viewer.party in concerned)


def may_manage_dialogues(viewer: Viewer) -> bool:
    """Scheduling stakeholders' dialogues (¶53), circulating their lists, recording the
    Bureau's decisions, and the chair's decisions and summaries: the secretariat (there is no
    chair role: the secretariat records them on the chair's behalf)."""
    return viewer.role is Role.SECRETARIAT


def may_read_dialogue_list(viewer: Viewer, circulated: bool) -> bool:
    """The NGOs and other stakeholders registered for a dialogue: the secretariat, and once
    the list is circulated (¶53), every account of a State party."""
    if viewer.role is Role.SECRETARIAT:
        return True
    return circulated and viewer.role is not None and viewer.party is not None and viewer.state_party


def may_object_in_dialogue(viewer: Viewer) -> bool:
    """Objecting to a stakeholder (¶53): the focal point and experts of a State party."""
    return (
        viewer.role in (Role.FOCAL_POINT, Role.GOVERNMENTAL_EXPERT)
        and viewer.party is not None
        and viewer.state_party
    )


def may_read_stakeholder_objection(viewer: Viewer, party: str) -> bool:
    """Who objected to a stakeholder and why: the secretariat and the objecting party."""
    return viewer.role is Role.SECRETARIAT or (viewer.party is not None and viewer.party == party)


def may_read_stakeholder_contact(viewer: Viewer) -> bool:
    """Stakeholders' contact e-mails: the secretariat only."""
    return viewer.role is Role.SECRETARIAT


def may_open_reviews(viewer: Viewer) -> bool:
    """Opening a country review and starting a group's phase (¶10, ¶28): the secretariat."""
    return viewer.role is Role.SECRETARIAT


def may_draw_lots(viewer: Viewer) -> bool:
    """Drawing the States under review and their reviewing States, and drawing a place again
    (¶17, ¶28-¶30): the secretariat, which holds the draws."""
    return viewer.role is Role.SECRETARIAT


def may_contribute_to_draws(viewer: Viewer) -> bool:
    """Contributing to an announced draw, and revealing the contribution (¶17, ¶28): the
    focal point of a State party, for its party."""
    return viewer.role is Role.FOCAL_POINT and viewer.party is not None and viewer.state_party


def may_record_conference_decisions(viewer: Viewer) -> bool:
    """Recording a decision of the Conference (¶10): the secretariat."""
    return viewer.role is Role.SECRETARIAT


def may_record_party_choices(viewer: Viewer, party: str) -> bool:
    """A party's choices about its part in the draws: agreeing to more than four reviewers
    (¶28(c)), volunteering to review more than three times (¶29), the Holy See's choice not
    to take part (footnote 2): its focal point, or the secretariat recording them on its
    behalf (the change log says which)."""
    if viewer.role is Role.SECRETARIAT:
        return True
    return viewer.role is Role.FOCAL_POINT and viewer.party == party


def account_party_problem(role: Role, party: str | None) -> str | None:
    """Why an account of `role` may not belong to `party` (None: it may). The secretariat's
    accounts belong to no party; every other account belongs to one."""
    if role is Role.SECRETARIAT and party:
        return "a secretariat account belongs to no party"
    if role is not Role.SECRETARIAT and not party:
        return f"a {role.value} account belongs to one party"
    return None
