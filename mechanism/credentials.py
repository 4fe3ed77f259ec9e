"""The password policy and the throttling of failed logins: plain rules, no database.

Password policy, length first (NIST SP 800-63B): at least 12 characters and at most 256;
any characters, spaces and emoji included; not one character repeated, not the e-mail
address or its local part, not a well-known password. No composition rules and no expiry.

Failed logins are counted per e-mail address, whether or not an account has it, so that a
wrong address and a wrong password behave alike: from the 4th failure in a row each
answer is delayed (1, 2, 4 s, at most 8 s); the 10th locks logins for that address for 15
minutes. A success resets the count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256

_COMMON = frozenset(
    {
        "password1234",
        "123456789012",
        "qwertyuiop12",
        "iloveyou1234",
        "passwordpassword",
        "sherlocsherloc",
        "administrator",
        "unodc2024unodc",
        "letmein12345",
        "changeme1234",
    }
)


def password_problems(password: str, email: str) -> list[str]:
    """Why a password is refused; empty when it is acceptable."""
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"must have at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        problems.append(f"must have at most {MAX_PASSWORD_LENGTH} characters")
    if password and len(set(password)) == 1:
        problems.append("must not repeat a single character")
    lowered = password.lower()
    local = email.lower().split("@")[0]
    if lowered in {email.lower(), local} or (len(local) >= 4 and local in lowered):
        problems.append("must not contain the e-mail address")
    if lowered in _COMMON:
        problems.append("is a well-known password")
    return problems


@dataclass(frozen=True)
class Throttle:
    slow_after: int = 3
    lock_after: int = 10
    max_delay_seconds: float = 8.0
    lock_minutes: int = 15

    def delay_seconds(self, failures: int) -> float:
        """How long to wait before answering, after `failures` failures in a row."""
        if failures <= self.slow_after:
            return 0.0
        return min(2.0 ** (failures - self.slow_after - 1), self.max_delay_seconds)

    def locked_until(self, failures: int, now: datetime) -> datetime | None:
        return now + timedelta(minutes=self.lock_minutes) if failures >= self.lock_after else None
