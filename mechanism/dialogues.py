"""Stakeholders' constructive dialogues (¶53): the deadlines, and what each action needs, as
pure rules. Nothing here reads a clock: every check that depends on the date takes `today`.

A check returns None, or the problem as (field, message), the field being the argument of
the operation the message is about. Where ¶53 is silent, the choices are noted here:
- deadlines count in whole days: "no later than 15 days before" a dialogue on day D means on
  or before D-15; objections are taken until D-1, NGOs' comments until D;
- the list is circulated at any time up to D-10 (registrations are open until D-15, so a
  list circulated early keeps growing: it is live, not a snapshot);
- a registration is objected to once: an objection to an NGO goes to the Bureau, whose
  decision is final for that registration; comments may be submitted again (the last
  submission replaces the earlier one);
- a dialogue not convened, or held with its summary filed, takes no further action.
"""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta
from enum import StrEnum

from mechanism.emails import InvalidEmail, canonical_email
from mechanism.rules import Violation

CONFIRMATION_DAYS = 15  # NGOs confirm, other stakeholders apply, at least this many days before
CIRCULATION_DAYS = 10  # the list reaches the States no later than this many days before

MAX_TITLE = 300
MAX_ORGANIZATION = 300
MAX_EMAIL = 254  # the longest address SMTP carries (RFC 5321)
MAX_REASON = 2_000
MAX_COMMENTS = 20_000
MAX_SUMMARY = 20_000

Problem = tuple[str, str]


class WorkingGroup(StrEnum):
    """The working groups holding the dialogues, in the order of workplan.WORKING_GROUPS."""

    UNTOC = "UNTOC"
    TIP = "TIP"
    SOM = "SOM"
    FIREARMS = "FIREARMS"


class DialogueStatus(StrEnum):
    SCHEDULED = "SCHEDULED"
    NOT_CONVENED = "NOT_CONVENED"
    HELD = "HELD"


class StakeholderKind(StrEnum):
    NGO = "NGO"
    OTHER_STAKEHOLDER = "OTHER_STAKEHOLDER"  # private sector, academia


class RegistrationStatus(StrEnum):
    CONFIRMED = "CONFIRMED"  # an NGO's attendance (or the Bureau dismissed the objection)
    APPLIED = "APPLIED"  # another stakeholder's application: approved unless a party objects
    REFERRED_TO_BUREAU = "REFERRED_TO_BUREAU"  # an NGO a party objected to
    REJECTED = "REJECTED"


def registrations_due_on(held_on: date) -> date:
    return held_on - timedelta(days=CONFIRMATION_DAYS)


def circulation_due_on(held_on: date) -> date:
    return held_on - timedelta(days=CIRCULATION_DAYS)


def objections_due_on(held_on: date) -> date:
    return held_on - timedelta(days=1)


def initial_status(kind: StakeholderKind) -> RegistrationStatus:
    return RegistrationStatus.CONFIRMED if kind is StakeholderKind.NGO else RegistrationStatus.APPLIED


def status_after_objection(kind: StakeholderKind) -> RegistrationStatus:
    """A party's objection rejects another stakeholder's application; an NGO goes to the Bureau."""
    if kind is StakeholderKind.NGO:
        return RegistrationStatus.REFERRED_TO_BUREAU
    return RegistrationStatus.REJECTED


def status_after_bureau_decision(upheld: bool) -> RegistrationStatus:
    return RegistrationStatus.REJECTED if upheld else RegistrationStatus.CONFIRMED


def is_approved(status: RegistrationStatus) -> bool:
    """As things stand: no objection stands against it (objections are open until D-1)."""
    return status in (RegistrationStatus.CONFIRMED, RegistrationStatus.APPLIED)


def text_problem(field: str, value: str, maximum: int, *, multiline: bool = False) -> Problem | None:
    if not value.strip():
        return field, "must not be empty"
    if len(value) > maximum:
        return field, f"must be at most {maximum:,} characters"
    allowed = "\n\r\t" if multiline else ""
    if any(unicodedata.category(c) == "Cc" and c not in allowed for c in value):
        return field, "must not contain control characters"
    return None


def email_problem(field: str, email: str) -> Problem | None:
    """The registrant is known by canonical_email(email): an address it refuses is refused."""
    problem = text_problem(field, email.strip(), MAX_EMAIL)
    if problem:
        return problem
    try:
        canonical_email(email)
    except InvalidEmail as invalid:
        return field, invalid.reason
    return None


def _closed_problem(status: DialogueStatus) -> Problem | None:
    if status is DialogueStatus.NOT_CONVENED:
        return "dialogue", "the chair decided not to convene this dialogue"
    if status is DialogueStatus.HELD:
        return "dialogue", "this dialogue was held and its summary filed"
    return None


def schedule_problem(session_ends_on: date, held_on: date, title: str, today: date) -> Problem | None:
    if held_on < session_ends_on:
        return "heldOn", f"must be on or after the end of the session ({session_ends_on}, ¶53)"
    if held_on < today:
        return "heldOn", f"must not be in the past (today is {today})"
    return text_problem("title", title, MAX_TITLE)


def registration_problem(
    kind: StakeholderKind,
    organization: str,
    contact_email: str,
    held_on: date,
    status: DialogueStatus,
    today: date,
) -> Problem | None:
    """An NGO's confirmation of attendance, or another stakeholder's application."""
    problem = text_problem("organization", organization, MAX_ORGANIZATION) or email_problem(
        "contactEmail", contact_email
    )
    if problem:
        return problem
    closed = _closed_problem(status)
    if closed:
        return closed
    due = registrations_due_on(held_on)
    if today > due:
        what = "confirmations" if kind is StakeholderKind.NGO else "applications"
        return "dialogue", f"{what} were due by {due} ({CONFIRMATION_DAYS} days before the dialogue, ¶53)"
    return None


def comments_violation(kind: StakeholderKind, registration: RegistrationStatus) -> Violation | None:
    """Who may submit written comments or views: an NGO whose attendance is confirmed
    (¶53(d)), another stakeholder (private sector, academia) whose application stands
    approved, no party having objected (¶53(e))."""
    if kind is StakeholderKind.NGO and registration is not RegistrationStatus.CONFIRMED:
        return Violation("¶53(d)", "only NGOs whose attendance is confirmed may submit written comments")
    if kind is StakeholderKind.OTHER_STAKEHOLDER and not is_approved(registration):
        return Violation(
            "¶53(e)",
            "only stakeholders whose application is approved (no party objected) may submit written views",
        )
    return None


def comments_problem(status: DialogueStatus, held_on: date, comments: str, today: date) -> Problem | None:
    """Written comments or views (once `comments_violation` lets the registrant submit them),
    until the day of the dialogue."""
    closed = _closed_problem(status)
    if closed:
        return closed
    if today > held_on:
        return "comments", f"comments were due by {held_on} (the day of the dialogue, ¶53)"
    return text_problem("comments", comments, MAX_COMMENTS, multiline=True)


def objection_problem(
    registration: RegistrationStatus,
    objected_before: bool,
    status: DialogueStatus,
    held_on: date,
    reason: str,
    today: date,
) -> Problem | None:
    closed = _closed_problem(status)
    if closed:
        return closed
    if registration is RegistrationStatus.REJECTED:
        return "registration", "is already rejected"
    if registration is RegistrationStatus.REFERRED_TO_BUREAU:
        return "registration", "is already referred to the Bureau of the Conference"
    if objected_before:
        return "registration", "the Bureau of the Conference already dismissed an objection to it"
    due = objections_due_on(held_on)
    if today > due:
        return "registration", f"objections were due by {due} (the day before the dialogue)"
    return text_problem("reason", reason, MAX_REASON, multiline=True)


def bureau_decision_problem(registration: RegistrationStatus, status: DialogueStatus) -> Problem | None:
    closed = _closed_problem(status)
    if closed:
        return closed
    if registration is not RegistrationStatus.REFERRED_TO_BUREAU:
        return "registration", "is not referred to the Bureau of the Conference"
    return None


def circulation_problem(
    held_on: date, circulated_on: date | None, status: DialogueStatus, today: date
) -> Problem | None:
    closed = _closed_problem(status)
    if closed:
        return closed
    if circulated_on is not None:
        return "dialogue", f"the list was circulated on {circulated_on}"
    due = circulation_due_on(held_on)
    if today > due:
        return "dialogue", f"the list was due by {due} ({CIRCULATION_DAYS} days before the dialogue, ¶53)"
    return None


def not_convening_problem(held_on: date, status: DialogueStatus, reason: str, today: date) -> Problem | None:
    """The chair may decide not to convene once the deadlines for applications have passed
    without enough of them, and before the dialogue."""
    closed = _closed_problem(status)
    if closed:
        return closed
    due = registrations_due_on(held_on)
    if today <= due:
        return "dialogue", f"applications and confirmations are open until {due} (¶53)"
    if today >= held_on:
        return "dialogue", f"the dialogue was due on {held_on}: a decision not to convene comes before it"
    return text_problem("reason", reason, MAX_REASON, multiline=True)


def summary_problem(held_on: date, status: DialogueStatus, summary: str, today: date) -> Problem | None:
    """The chair's summary of the discussion, for the next session: on or after the dialogue."""
    closed = _closed_problem(status)
    if closed:
        return closed
    if today < held_on:
        return "dialogue", f"the summary is filed on or after the day of the dialogue ({held_on})"
    return text_problem("summary", summary, MAX_SUMMARY, multiline=True)
