"""The canonical form of an e-mail address (mechanism/emails.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from api.auth import normalize_email
from ingest.content.models import Contact
from mechanism.emails import InvalidEmail, canonical_email


@pytest.mark.parametrize(
    ("given_address", "canonical"),
    [
        ("ngo.test@example.org", "ngo.test@example.org"),
        ("NGO.Test@Example.org", "ngo.test@example.org"),
        ("  ngo.test@example.org \t\n", "ngo.test@example.org"),
        ("\u00a0ngo.test@example.org\u3000", "ngo.test@example.org"),  # surrounding spaces trimmed
        ("ｎｇｏ.test@example.org", "ngo.test@example.org"),  # full-width letters
        ("ＮＧＯ．ＴＥＳＴ＠ＥＸＡＭＰＬＥ．ＯＲＧ", "ngo.test@example.org"),  # all full-width, @ too
        ("ﬁnance@example.org", "finance@example.org"),  # the ligature U+FB01
        ("MÜLLER@BÜCHER.DE", "müller@bücher.de"),
        ("Mu\u0308ller@example.org", "müller@example.org"),  # combining diaeresis composed
        ("x@xn--bcher-kva.de", "x@bücher.de"),  # one domain, two spellings
        ("Straße@example.org", "strasse@example.org"),  # case-folded, not only lower-cased
    ],
)
def test_spellings_of_one_address_are_one_address(given_address: str, canonical: str) -> None:
    assert canonical_email(given_address) == canonical
    assert normalize_email(given_address) == canonical


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("ngo.test@example.org\u200b", "contains an invisible character (U+200B ZERO WIDTH SPACE)"),
        ("\u200bngo.test@example.org", "contains an invisible character (U+200B ZERO WIDTH SPACE)"),
        ("ngo.te\u200dst@example.org", "contains an invisible character (U+200D ZERO WIDTH JOINER)"),
        ("\ufeffngo.test@example.org", "contains an invisible character (U+FEFF ZERO WIDTH NO-BREAK SPACE)"),
        ("ngo.test@exam\u00adple.org", "contains an invisible character (U+00AD SOFT HYPHEN)"),
        ("ngo.test@example.org\u202e", "contains an invisible character (U+202E RIGHT-TO-LEFT OVERRIDE)"),
        ("ngo\u00a0test@example.org", "contains a space character (U+00A0 NO-BREAK SPACE)"),
        ("ngo test@example.org", "contains a space character (U+0020 SPACE)"),
        ("ngo.test@\u3000example.org", "contains a space character (U+3000 IDEOGRAPHIC SPACE)"),
        ("ngo\u2028test@example.org", "contains a line separator (U+2028 LINE SEPARATOR)"),
        ("ngo\u2029test@example.org", "contains a paragraph separator (U+2029 PARAGRAPH SEPARATOR)"),
        ("ngo\x00test@example.org", "contains a control character (U+0000)"),
        ("ngo\x1b[31m@example.org", "contains a control character (U+001B)"),
        ("ngo\ud800@example.org", "contains an unpaired surrogate (U+D800)"),
        ("ngo\ue000@example.org", "contains a private-use character (U+E000)"),
        ("ngo\u0378@example.org", "contains an unassigned character (U+0378)"),
        (
            "ngo\u00a8@example.org",  # NFKC makes it a space and a combining mark
            "contains a character that folds to a space or an invisible character (U+00A8 DIAERESIS)",
        ),
        ("", "must not be empty"),
        (" \t ", "must not be empty"),
        ("x" * 1017 + "@x.org", "is too long (an address has at most 254 characters)"),
        ("not-an-address", "is not an e-mail address: An email address must have an @-sign."),
        (
            "a@b",
            "is not an e-mail address: The part after the @-sign is not valid. It should have a period.",
        ),
        (
            "a@@example.org",
            "is not an e-mail address: The part after the @-sign contains invalid characters: '@'.",
        ),
        (
            '"ab"@example.org',
            "is not an e-mail address: Quoting the part before the @-sign is not allowed here.",
        ),
        (
            "a@[192.0.2.1]",
            "is not an e-mail address: A bracketed IP address after the @-sign is not allowed here.",
        ),
        (
            "a@host.local",
            "is not an e-mail address: The part after the @-sign is a special-use or reserved name "
            "that cannot be used with email.",
        ),
        (
            "a" * 245 + "@example.org",
            "is not an e-mail address: The email address is too long (3 characters too many).",
        ),
    ],
)
def test_what_is_not_an_address_is_refused_with_the_reason(address: str, reason: str) -> None:
    with pytest.raises(InvalidEmail) as refused:
        canonical_email(address)
    assert refused.value.reason == reason
    assert str(refused.value) == reason
    assert isinstance(refused.value, ValueError)  # pydantic shows a ValueError's message


def test_the_zero_width_variant_is_refused_not_cleaned() -> None:
    """Removing the invisible character would make the address another one silently."""
    with pytest.raises(InvalidEmail):
        normalize_email("ngo.test@example.org\u200b")


def test_a_competent_authoritys_contact_address_is_stored_in_its_canonical_form() -> None:
    assert Contact(email="Info@MOJ.example.org").email == "info@moj.example.org"
    assert Contact(email="ｉｎｆｏ@moj.example.org").email == "info@moj.example.org"
    for lookalike in ("info@moj.example.org\u200b", "in\u00a8fo@moj.example.org"):
        with pytest.raises(ValidationError):
            Contact(email=lookalike)


_ASCII_LOCAL = st.from_regex(r"\A[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,20}(\.[A-Za-z0-9_+-]{1,10}){0,2}\Z")
_ASCII_DOMAIN = st.from_regex(r"\A([A-Za-z0-9]{1,10}\.){1,3}(org|com|INT|Net|example)\Z")


@given(local=_ASCII_LOCAL, domain=_ASCII_DOMAIN, before=st.sampled_from(["", " ", "\t"]))
def test_an_ordinary_ascii_address_keeps_the_form_stored_before(local: str, domain: str, before: str) -> None:
    """Accounts and registrations were keyed by `strip().lower()`: they are found as they were."""
    address = f"{before}{local}@{domain}{before}"
    assert canonical_email(address) == address.strip().lower()


@given(st.emails())
def test_the_canonical_form_is_its_own_canonical_form(address: str) -> None:
    try:
        canonical = canonical_email(address)
    except InvalidEmail:
        return
    assert canonical_email(canonical) == canonical
    if "xn--" not in address.lower():
        assert canonical == address.strip().lower()


@given(st.text(min_size=1, max_size=40))
def test_anything_is_an_address_or_a_reason(text: str) -> None:
    try:
        canonical = canonical_email(text + "@example.org")
    except InvalidEmail as refused:
        assert refused.reason
        return
    assert canonical_email(canonical) == canonical
    assert all(c.isprintable() and not c.isspace() for c in canonical)
