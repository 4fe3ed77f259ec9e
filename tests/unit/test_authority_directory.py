"""The directory of competent authorities as the States keep it (issue #17; report of the
ninth session, ¶116): who may change and read what, an entry's rules and its audit, the
ingest format's new fields, and the checks of what a State sends. Pure logic."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import strawberry

from api.graphql.errors import InvalidInput
from api.graphql.knowledge.directory_inputs import (
    AuthorityContactChanges,
    CompetentAuthorityChanges,
    EntryChanges,
    LocalizedTextInput,
    checked_changes,
    key_problem,
)
from graph.authorities import entry_of, entry_row
from ingest.content.models import Authority
from ingest.content.pipeline import parse_line
from ingest.content.rows import content_hash, to_row
from mechanism.access import (
    ANONYMOUS,
    Role,
    Viewer,
    may_follow_up_authority_entries,
    may_keep_authority_entries,
    may_read_authority_changes,
)
from mechanism.authorities import (
    AuthorityEntry,
    AuthorityFunction,
    changes_between,
    confirmation_problem,
    fields_of,
    is_stale,
    older_than_problem,
    phone_problem,
    stale_cutoff,
    text_problem,
)
from mechanism.languages import language_problem, normalized

DEMO = Path(__file__).parents[2] / "ingest" / "demo" / "authorities.jsonl"
TODAY = date(2026, 12, 8)


def _viewer(role: Role, party: str | None, state_party: bool = True) -> Viewer:
    return Viewer(role, party, "u-1", state_party)


@pytest.mark.parametrize("role", list(Role))
def test_a_party_s_authority_and_focal_point_accounts_and_the_secretariat_keep_its_entries(
    role: Role,
) -> None:
    own = _viewer(role, None if role is Role.SECRETARIAT else "BOL")
    keeps = role in (Role.SECRETARIAT, Role.AUTHORITY, Role.FOCAL_POINT)
    assert may_keep_authority_entries(own, "BOL") is keeps
    # Never another party's entries, whatever the role (a signatory's accounts keep their own).
    if role is not Role.SECRETARIAT:
        assert not may_keep_authority_entries(_viewer(role, "ECU"), "BOL")
        assert may_keep_authority_entries(_viewer(role, "COG", state_party=False), "COG") is keeps
    assert not may_keep_authority_entries(ANONYMOUS, "BOL")


def test_the_log_is_the_secretariat_s_and_each_party_s_own() -> None:
    assert may_read_authority_changes(_viewer(Role.SECRETARIAT, None), None)
    assert may_read_authority_changes(_viewer(Role.SECRETARIAT, None), "BOL")
    for role in (Role.FOCAL_POINT, Role.AUTHORITY, Role.GOVERNMENTAL_EXPERT, Role.OBSERVER):
        assert may_read_authority_changes(_viewer(role, "BOL"), "BOL")
        assert not may_read_authority_changes(_viewer(role, "BOL"), "ECU")
        assert not may_read_authority_changes(_viewer(role, "BOL"), None)
    assert not may_read_authority_changes(ANONYMOUS, None)
    assert not may_read_authority_changes(ANONYMOUS, "BOL")


def test_only_the_secretariat_follows_up_stale_entries() -> None:
    assert may_follow_up_authority_entries(_viewer(Role.SECRETARIAT, None))
    assert not any(
        may_follow_up_authority_entries(_viewer(role, "BOL")) for role in Role if role is not Role.SECRETARIAT
    )
    assert not may_follow_up_authority_entries(ANONYMOUS)


def test_an_entry_is_stale_after_a_year_without_confirmation() -> None:
    assert stale_cutoff(TODAY) == date(2025, 12, 8)
    assert is_stale(None, TODAY)
    assert not is_stale(date(2025, 12, 8), TODAY)  # a year to the day: still kept
    assert is_stale(date(2025, 12, 7), TODAY)
    assert not is_stale(date(2026, 12, 1), TODAY, older_than_days=30)
    assert is_stale(date(2026, 11, 7), TODAY, older_than_days=30)
    assert older_than_problem(0) is None and older_than_problem(36_500) is None
    assert older_than_problem(-1) == "must be between 0 and 36500, not -1"
    assert older_than_problem(36_501) is not None


def test_a_confirmation_is_never_in_the_future() -> None:
    assert confirmation_problem(TODAY, TODAY) is None
    assert (
        confirmation_problem(date(2027, 1, 1), TODAY) == "2027-01-01 is in the future (today is 2026-12-08)"
    )


def test_languages_are_bcp_47_tags_of_known_languages() -> None:
    for known in ("en", "fr", "zh-Hant", "fil", "be", "sw", "pt-BR"):
        assert language_problem(known) is None, known
    assert "not a known language" in (language_problem("zz") or "")
    assert "not a known language" in (language_problem("und") or "")  # names no language
    for malformed in ("English", "EN", "e", "en_GB", "x" * 40, ""):
        assert "not a BCP 47 language tag" in (language_problem(malformed) or ""), malformed
    assert normalized(" EN-gb ") == "en-gb"
    assert normalized("zh-Hant") == "zh-Hant"


def test_texts_and_phones_of_an_entry() -> None:
    assert text_problem("  A name ", 10) is None
    assert text_problem("   ", 10) == "must not be empty"
    assert text_problem("x" * 11, 10) == "must have at most 10 characters"
    assert text_problem("tab\tand\nnewline", 100) is None
    assert text_problem("bell\x07", 100) == "contains control characters"
    assert phone_problem("+591 (2) 211-1111") is None
    assert phone_problem("call us") is not None
    assert phone_problem("1" * 101) is not None


ENTRY = AuthorityEntry(
    key="TEST-AUTH-U1",
    party="BOL",
    name={"es": "Fiscalía", "en": "Prosecutor's Office"},
    functions=(AuthorityFunction.EXTRADITION, AuthorityFunction.MUTUAL_LEGAL_ASSISTANCE),
    accepted_languages=("es",),
    accepts_interpol=True,
    requirements={"en": "In writing."},
    contact={"email": "central@bol.example.org", "phone": "+591 2"},
    confirmed_on=date(2026, 1, 5),
    confirmed_by="u-9",
)


def test_the_audit_names_each_changed_field_with_its_old_and_new_value() -> None:
    after = EntryChanges(
        {"name": {"es": "Fiscalía General"}, "accepts_interpol": None, "accepted_languages": ("es", "en")},
        {"email": None, "address": "Calle 1"},
    ).applied_to(ENTRY)
    changes = changes_between(ENTRY, after)
    assert [(c.field, c.old, c.new, c.of_contact) for c in changes] == [
        ("acceptedLanguages", ["es"], ["es", "en"], False),
        ("acceptsInterpol", True, None, False),
        ("contact.address", None, "Calle 1", True),
        ("contact.email", "central@bol.example.org", None, True),
        ("name.en", "Prosecutor's Office", None, False),
        ("name.es", "Fiscalía", "Fiscalía General", False),
    ]
    assert changes_between(ENTRY, ENTRY) == []
    # Who confirmed is the record's "who", not a field of the entry.
    assert "confirmedBy" not in fields_of(ENTRY) and fields_of(ENTRY)["confirmedOn"] == "2026-01-05"
    created = changes_between(None, ENTRY)
    assert {c.field for c in created} == set(fields_of(ENTRY)) and all(c.old is None for c in created)
    assert all(c.new is None for c in changes_between(ENTRY, None))


def test_an_entry_is_one_shape_in_the_graph_whoever_writes_it() -> None:
    row = entry_row(ENTRY)
    assert row["articles"] == ["UNTOC:16", "UNTOC:18"]
    assert row["contact"] == {"email": "central@bol.example.org", "phone": "+591 2"}
    assert "acceptsConventionRequests" not in row["props"]  # not stated: no property
    node = {**row["props"], "key": row["key"], "party": row["party"]}
    assert entry_of(node, row["contact"]) == ENTRY
    assert (
        entry_row(AuthorityEntry("K", "BOL", {"en": "A"}, (AuthorityFunction.FIREARMS,)))["contact"] is None
    )


def _line(**fields: object) -> bytes:
    record = {"kind": "authority", "id": "TEST-AUTH-U2", "party": "BOL", "name": {"es": "Fiscalía"}}
    return json.dumps({**record, "functions": ["EXTRADITION"], **fields}).encode()


def test_the_ingest_format_takes_the_new_fields_and_writes_them() -> None:
    record = parse_line(
        "a.jsonl",
        1,
        _line(
            accepts_convention_requests=True,
            accepts_interpol=False,
            requirements={"en": " In writing. ", "es": "Por escrito."},
            confirmed_on="2026-01-05",
            accepted_languages=["es", "fil"],
        ),
    )
    assert isinstance(record, Authority), record
    props = to_row(record, content_hash(record))["props"]
    assert props["acceptsConventionRequests"] is True and props["acceptsInterpol"] is False
    assert props["requirements.en"] == "In writing." and props["requirements.es"] == "Por escrito."
    assert props["confirmedOn"] == date(2026, 1, 5)
    assert props["acceptedLanguages"] == ["es", "fil"]


@pytest.mark.parametrize(
    ("fields", "field", "reason"),
    [
        ({"confirmed_on": "2999-01-01"}, "confirmed_on", "2999-01-01 is in the future"),
        ({"accepted_languages": ["es", "zz"]}, "accepted_languages.1", "is not a known language"),
        ({"name": {"qq": "Fiscalía"}}, "name.qq.[key]", "is not a known language"),
        ({"requirements": {}}, "requirements", "at least 1 item"),
        ({"requirements": {"en": "   "}}, "requirements.en", "at least 1 character"),
        ({"accepts_interpol": "perhaps"}, "accepts_interpol", "valid boolean"),
    ],
)
def test_the_ingest_format_refuses_bad_new_fields_whole(
    fields: dict[str, object], field: str, reason: str
) -> None:
    rejection = parse_line("a.jsonl", 3, _line(**fields))
    assert getattr(rejection, "field", None) == field, rejection
    assert reason in str(rejection)


def test_the_demo_entries_use_the_new_fields() -> None:
    records = [json.loads(line) for line in DEMO.read_text(encoding="utf-8").splitlines()]
    with_fields = [r for r in records if "requirements" in r]
    assert len(with_fields) > len(records) * 3 / 4
    confirmed = [date.fromisoformat(r["confirmed_on"]) for r in records if "confirmed_on" in r]
    assert any(is_stale(day, TODAY) for day in confirmed) and any(
        not is_stale(day, TODAY) for day in confirmed
    )
    assert any("confirmed_on" not in r for r in with_fields)
    assert all(r["sample"] for r in records)


def _changes(**given: object) -> CompetentAuthorityChanges:
    return CompetentAuthorityChanges(**given)  # type: ignore[arg-type]


def test_what_a_state_sends_is_checked_field_by_field() -> None:
    checked = checked_changes(
        _changes(
            name=[LocalizedTextInput(lang="ES", text=" Fiscalía ")],
            functions=[AuthorityFunction.EXTRADITION, AuthorityFunction.EXTRADITION],
            accepted_languages=["es", "EN", "es"],
            requirements=None,
            contact=AuthorityContactChanges(email=" Central@BOL.example.org ", phone=""),
        ),
        "changes",
    )
    assert isinstance(checked, EntryChanges)
    assert checked.fields == {
        "name": {"es": "Fiscalía"},
        "functions": (AuthorityFunction.EXTRADITION,),
        "accepted_languages": ("es", "en"),
        "requirements": {},
    }
    assert checked.contact == {"email": "central@bol.example.org", "phone": None}
    after = checked.applied_to(ENTRY)
    assert after.contact == {"email": "central@bol.example.org"} and after.requirements == {}
    assert after.accepts_interpol is True  # not given: kept
    assert checked_changes(_changes(contact=None), "c") == EntryChanges({}, clear_contact=True)
    assert checked_changes(_changes(), "c") == EntryChanges()
    assert strawberry.UNSET is CompetentAuthorityChanges().name


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"name": []}, "changes.name"),
        ({"name": None}, "changes.name"),
        ({"name": [LocalizedTextInput(lang="english", text="A")]}, "changes.name.0.lang"),
        ({"name": [LocalizedTextInput(lang="en", text="")]}, "changes.name.0.text"),
        ({"functions": []}, "changes.functions"),
        ({"accepted_languages": ["es"] * 51}, "changes.acceptedLanguages"),
        ({"accepted_languages": ["es", "zz"]}, "changes.acceptedLanguages.1"),
        ({"requirements": [LocalizedTextInput(lang="en", text="x" * 50_001)]}, "changes.requirements.0.text"),
        ({"contact": AuthorityContactChanges(email="nobody")}, "changes.contact.email"),
        ({"contact": AuthorityContactChanges(office_hours="\x00")}, "changes.contact.officeHours"),
    ],
)
def test_bad_values_are_refused_naming_the_field(given: dict[str, object], field: str) -> None:
    refused = checked_changes(_changes(**given), "changes")
    assert isinstance(refused, InvalidInput) and refused.field == field, refused


def test_keys_are_the_ingest_format_s_ids() -> None:
    assert key_problem("BOL-CA-1A2B") is None
    assert key_problem("bad key") is not None
    assert key_problem("x" * 129) is not None
