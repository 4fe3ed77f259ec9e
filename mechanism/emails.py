"""E-mail addresses that identify someone (accounts, stakeholders' registrations) or are
stored (competent authorities' contacts): one canonical form, so that two spellings of one
address are one address, and an address that looks like another is refused.

`canonical_email` takes, in order:
- NFKC: full-width and other compatibility forms become the ordinary characters
  (`ｎｇｏ@example.org` is `ngo@example.org`);
- the whitespace around the address trimmed;
- any control, invisible (format), space or separator character left inside refused, never
  removed (`ngo@example.org` followed by U+200B ZERO WIDTH SPACE looks like
  `ngo@example.org`: taking it apart silently would guess at what was meant);
- the syntax checked by email-validator (no DNS lookup, no quoted local part, no IP
  address for a domain, no special-use domain such as `.local`);
- the part before the @ case-folded, the domain in email-validator's form (lower case,
  IDNA decoded: `xn--bcher-kva.de` is `bücher.de`).

For an ordinary ASCII address (no `xn--` label) this is `address.strip().lower()`, the form
stored before, so the accounts and registrations made then are found as they were.

Third-party email-validator is its only import besides the standard library: the rule has no
database in it.
"""

from __future__ import annotations

import unicodedata

from email_validator import EmailNotValidError, validate_email

MAX_LENGTH = 254  # the longest address SMTP carries (RFC 5321); email-validator's limit

# What a category means to the person reading the refusal; every "other" (C*) and
# "separator" (Z*) category is refused.
_REFUSED = {
    "Cc": "a control character",
    "Cf": "an invisible character",
    "Cs": "an unpaired surrogate",
    "Co": "a private-use character",
    "Cn": "an unassigned character",
    "Zs": "a space character",
    "Zl": "a line separator",
    "Zp": "a paragraph separator",
}


class InvalidEmail(ValueError):
    """Not an address: `reason` says why, to be shown after the name of the field."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _code_point(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X} {name}" if name else f"U+{ord(char):04X}"


def _refusal(char: str) -> str | None:
    """Why `char` has no place inside an address, or None."""
    what = _REFUSED.get(unicodedata.category(char))
    if what is None and not char.isascii():
        # A compatibility character that NFKC turns into a space, such as U+00A8 DIAERESIS
        # (a space and a combining mark).
        folded = unicodedata.normalize("NFKC", char)
        if any(unicodedata.category(c) in _REFUSED for c in folded):
            what = "a character that folds to a space or an invisible character"
    return f"contains {what} ({_code_point(char)})" if what else None


def canonical_email(address: str) -> str:
    """The canonical form of `address`; raises InvalidEmail, with the reason, if it is none."""
    trimmed = address.strip()
    if not trimmed:
        raise InvalidEmail("must not be empty")
    if len(trimmed) > 4 * MAX_LENGTH:  # a bound on the work: NFKC shortens by composing marks only
        raise InvalidEmail(f"is too long (an address has at most {MAX_LENGTH} characters)")
    for char in trimmed:
        reason = _refusal(char)
        if reason:
            raise InvalidEmail(reason)
    folded = unicodedata.normalize("NFKC", trimmed)
    try:
        valid = validate_email(
            folded,
            check_deliverability=False,
            allow_smtputf8=True,
            allow_empty_local=False,
            allow_quoted_local=False,
            allow_domain_literal=False,
            globally_deliverable=True,
            test_environment=False,
        )
    except EmailNotValidError as error:
        raise InvalidEmail(f"is not an e-mail address: {error}") from None
    local = unicodedata.normalize("NFKC", valid.local_part.casefold())
    return f"{local}@{valid.domain}"
