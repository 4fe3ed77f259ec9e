"""The rules of the stakeholders' constructive dialogues (¶53), without a database or a clock."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from mechanism.access import (
    Role,
    Viewer,
    may_manage_dialogues,
    may_object_in_dialogue,
    may_read_dialogue_list,
    may_read_stakeholder_contact,
    may_read_stakeholder_objection,
)
from mechanism.dialogues import (
    MAX_COMMENTS,
    DialogueStatus,
    RegistrationStatus,
    StakeholderKind,
    WorkingGroup,
    bureau_decision_problem,
    circulation_due_on,
    circulation_problem,
    comments_problem,
    email_problem,
    initial_status,
    is_approved,
    not_convening_problem,
    objection_problem,
    objections_due_on,
    registration_problem,
    registrations_due_on,
    schedule_problem,
    status_after_bureau_decision,
    status_after_objection,
    summary_problem,
    text_problem,
)
from mechanism.workplan import WORKING_GROUPS

D = date(2026, 12, 16)  # the day of the dialogue
SCHEDULED = DialogueStatus.SCHEDULED
NGO = StakeholderKind.NGO
OTHER = StakeholderKind.OTHER_STAKEHOLDER


def days(n: int) -> timedelta:
    return timedelta(days=n)


def test_the_working_groups_are_those_of_the_workplan() -> None:
    assert len(WorkingGroup) == len(WORKING_GROUPS) == 4


def test_due_dates() -> None:
    assert registrations_due_on(D) == date(2026, 12, 1)
    assert circulation_due_on(D) == date(2026, 12, 6)
    assert objections_due_on(D) == date(2026, 12, 15)


@pytest.mark.parametrize(("kind", "what"), [(NGO, "confirmations"), (OTHER, "applications")])
def test_registrations_are_taken_until_15_days_before(kind: StakeholderKind, what: str) -> None:
    def register(today: date) -> tuple[str, str] | None:
        return registration_problem(kind, "Civil Society Forum", "info@csf.example.org", D, SCHEDULED, today)

    assert register(D - days(30)) is None
    assert register(D - days(15)) is None
    expected = ("dialogue", f"{what} were due by 2026-12-01 (15 days before the dialogue, ¶53)")
    assert register(D - days(14)) == expected
    assert register(D) == expected


def test_registration_input() -> None:
    def problem(organization: str, email: str) -> tuple[str, str] | None:
        return registration_problem(NGO, organization, email, D, SCHEDULED, D - days(20))

    assert problem(" ", "a@b.org") == ("organization", "must not be empty")
    assert problem("x" * 301, "a@b.org") == ("organization", "must be at most 300 characters")
    assert problem("x" * 300, "a@b.org") is None
    assert problem("A\u0007B", "a@b.org") == ("organization", "must not contain control characters")
    assert problem("A\nB", "a@b.org") == ("organization", "must not contain control characters")
    assert problem("A", "not an address") == ("contactEmail", "contains a space character (U+0020 SPACE)")
    assert problem("A", "not-an-address") == (
        "contactEmail",
        "is not an e-mail address: An email address must have an @-sign.",
    )


@pytest.mark.parametrize(
    ("email", "valid"),
    [
        ("info@csf.example.org", True),
        ("  Info@CSF.example.org ", True),
        ("a@b", False),
        ("a b@c.org", False),
        ("@c.org", False),
        ("a@@c.org", False),
        ("a@c..org", False),
        ("a" * 245 + "@c.org.uk", True),  # 254 characters
        ("a" * 246 + "@c.org.uk", False),
        ("a@c.org\u0000", False),
    ],
)
def test_email(email: str, valid: bool) -> None:
    assert (email_problem("contactEmail", email) is None) is valid


def test_a_dialogue_not_convened_or_held_takes_no_registration() -> None:
    for status, message in (
        (DialogueStatus.NOT_CONVENED, "the chair decided not to convene this dialogue"),
        (DialogueStatus.HELD, "this dialogue was held and its summary filed"),
    ):
        assert registration_problem(NGO, "A", "a@b.org", D, status, D - days(20)) == ("dialogue", message)


def test_statuses() -> None:
    assert initial_status(NGO) is RegistrationStatus.CONFIRMED
    assert initial_status(OTHER) is RegistrationStatus.APPLIED
    assert status_after_objection(OTHER) is RegistrationStatus.REJECTED
    assert status_after_objection(NGO) is RegistrationStatus.REFERRED_TO_BUREAU
    assert status_after_bureau_decision(upheld=True) is RegistrationStatus.REJECTED
    assert status_after_bureau_decision(upheld=False) is RegistrationStatus.CONFIRMED
    assert [s for s in RegistrationStatus if is_approved(s)] == [
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.APPLIED,
    ]


def test_comments_until_the_day_of_the_dialogue() -> None:
    """Who may comment is comments_violation's (tests/unit/test_review_course_rules.py)."""

    def comments(today: date, text: str = "Our comments.\n\nSecond paragraph.") -> tuple[str, str] | None:
        return comments_problem(SCHEDULED, D, text, today)

    assert comments(D) is None
    assert comments(D + days(1)) == (
        "comments",
        "comments were due by 2026-12-16 (the day of the dialogue, ¶53)",
    )
    assert comments(D, text="x" * MAX_COMMENTS) is None
    assert comments(D, text="x" * (MAX_COMMENTS + 1)) == ("comments", "must be at most 20,000 characters")
    assert comments(D, text="a\u001bb") == ("comments", "must not contain control characters")


def test_objections_until_the_day_before() -> None:
    def objection(
        today: date, status: RegistrationStatus = RegistrationStatus.APPLIED, before: bool = False
    ) -> tuple[str, str] | None:
        return objection_problem(status, before, SCHEDULED, D, "Not a bona fide organization.", today)

    assert objection(D - days(1)) is None
    assert objection(D) == ("registration", "objections were due by 2026-12-15 (the day before the dialogue)")
    assert objection(D - days(5), RegistrationStatus.REJECTED) == ("registration", "is already rejected")
    assert objection(D - days(5), RegistrationStatus.REFERRED_TO_BUREAU) == (
        "registration",
        "is already referred to the Bureau of the Conference",
    )
    assert objection(D - days(5), RegistrationStatus.CONFIRMED, before=True) == (
        "registration",
        "the Bureau of the Conference already dismissed an objection to it",
    )
    no_reason = objection_problem(RegistrationStatus.CONFIRMED, False, SCHEDULED, D, " ", D - days(5))
    assert no_reason == ("reason", "must not be empty")


def test_bureau_decisions_only_on_referred_registrations() -> None:
    assert bureau_decision_problem(RegistrationStatus.REFERRED_TO_BUREAU, SCHEDULED) is None
    for status in (RegistrationStatus.CONFIRMED, RegistrationStatus.APPLIED, RegistrationStatus.REJECTED):
        assert bureau_decision_problem(status, SCHEDULED) == (
            "registration",
            "is not referred to the Bureau of the Conference",
        )


def test_the_list_is_circulated_no_later_than_10_days_before() -> None:
    assert circulation_problem(D, None, SCHEDULED, D - days(30)) is None
    assert circulation_problem(D, None, SCHEDULED, D - days(10)) is None
    assert circulation_problem(D, None, SCHEDULED, D - days(9)) == (
        "dialogue",
        "the list was due by 2026-12-06 (10 days before the dialogue, ¶53)",
    )
    assert circulation_problem(D, date(2026, 12, 2), SCHEDULED, D - days(12)) == (
        "dialogue",
        "the list was circulated on 2026-12-02",
    )


def test_not_convening_between_the_deadline_and_the_dialogue() -> None:
    def decide(today: date, reason: str = "Two applications only.") -> tuple[str, str] | None:
        return not_convening_problem(D, SCHEDULED, reason, today)

    assert decide(D - days(15)) == (
        "dialogue",
        "applications and confirmations are open until 2026-12-01 (¶53)",
    )
    assert decide(D - days(14)) is None
    assert decide(D - days(1)) is None
    assert decide(D) == (
        "dialogue",
        "the dialogue was due on 2026-12-16: a decision not to convene comes before it",
    )
    assert decide(D - days(5), reason="") == ("reason", "must not be empty")
    assert not_convening_problem(D, DialogueStatus.NOT_CONVENED, "Again.", D - days(5)) == (
        "dialogue",
        "the chair decided not to convene this dialogue",
    )


def test_the_summary_is_filed_on_or_after_the_dialogue() -> None:
    assert summary_problem(D, SCHEDULED, "Summary.", D - days(1)) == (
        "dialogue",
        "the summary is filed on or after the day of the dialogue (2026-12-16)",
    )
    assert summary_problem(D, SCHEDULED, "Summary.", D) is None
    assert summary_problem(D, SCHEDULED, "Summary.", D + days(40)) is None
    assert summary_problem(D, SCHEDULED, "", D) == ("summary", "must not be empty")
    assert summary_problem(D, DialogueStatus.HELD, "Again.", D) == (
        "dialogue",
        "this dialogue was held and its summary filed",
    )
    assert summary_problem(D, DialogueStatus.NOT_CONVENED, "Summary.", D) == (
        "dialogue",
        "the chair decided not to convene this dialogue",
    )


def test_scheduling() -> None:
    today = date(2026, 6, 1)
    assert schedule_problem(D - days(3), D, "Dialogue after the twelfth session", today) is None
    assert schedule_problem(D, D, "Same day", today) is None
    assert schedule_problem(D, D - days(1), "Before", today) == (
        "heldOn",
        "must be on or after the end of the session (2026-12-16, ¶53)",
    )
    assert schedule_problem(today - days(5), today - days(1), "Past", today) == (
        "heldOn",
        "must not be in the past (today is 2026-06-01)",
    )
    assert schedule_problem(today, today, "Today", today) is None
    assert schedule_problem(D, D, "  ", today) == ("title", "must not be empty")
    assert schedule_problem(D, D, "t" * 301, today) == ("title", "must be at most 300 characters")
    assert schedule_problem(D, D, "a\tb", today) == ("title", "must not contain control characters")


def test_text_allows_line_breaks_only_when_multiline() -> None:
    assert text_problem("f", "a\r\n\tb", 10, multiline=True) is None
    assert text_problem("f", "a\u0085b", 10, multiline=True) == ("f", "must not contain control characters")
    assert text_problem("f", "a\nb", 10) == ("f", "must not contain control characters")


SECRETARIAT = Viewer(role=Role.SECRETARIAT, user_id="s")
FOCAL_POINT = Viewer(role=Role.FOCAL_POINT, party="ISL", user_id="f", state_party=True)
EXPERT = Viewer(role=Role.GOVERNMENTAL_EXPERT, party="MLT", user_id="e", state_party=True)
OBSERVER = Viewer(role=Role.OBSERVER, party="ISL", user_id="o", state_party=True)
SIGNATORY = Viewer(role=Role.FOCAL_POINT, party="XXX", user_id="x", state_party=False)
ANONYMOUS = Viewer()


def test_who_may() -> None:
    assert [may_manage_dialogues(v) for v in (SECRETARIAT, FOCAL_POINT, OBSERVER, ANONYMOUS)] == [
        True,
        False,
        False,
        False,
    ]
    assert [may_object_in_dialogue(v) for v in (SECRETARIAT, FOCAL_POINT, EXPERT, OBSERVER, SIGNATORY)] == [
        False,
        True,
        True,
        False,
        False,
    ]
    assert [may_read_stakeholder_contact(v) for v in (SECRETARIAT, FOCAL_POINT, ANONYMOUS)] == [
        True,
        False,
        False,
    ]
    assert may_read_stakeholder_objection(SECRETARIAT, "ISL")
    assert may_read_stakeholder_objection(OBSERVER, "ISL")
    assert not may_read_stakeholder_objection(EXPERT, "ISL")
    assert not may_read_stakeholder_objection(ANONYMOUS, "ISL")


@pytest.mark.parametrize(
    ("viewer", "before", "after"),
    [
        (SECRETARIAT, True, True),
        (FOCAL_POINT, False, True),
        (OBSERVER, False, True),
        (SIGNATORY, False, False),
        (ANONYMOUS, False, False),
    ],
)
def test_who_reads_the_list(viewer: Viewer, before: bool, after: bool) -> None:
    assert may_read_dialogue_list(viewer, circulated=False) is before
    assert may_read_dialogue_list(viewer, circulated=True) is after
