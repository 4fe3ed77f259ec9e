"""Every test runs against the `test` profile: its own ports and data directory."""

from __future__ import annotations

import os

os.environ["SHERLOC_PROFILE"] = "test"
# The API catches up the search index every second in tests (5 s by default).
os.environ.setdefault("SHERLOC_INDEX_RETRY_SECONDS", "1")
# Failed logins: slow down and lock sooner and shorter than in production, so that the
# lockout tests run in seconds (the rule itself is mechanism/credentials.py).
os.environ.setdefault("SHERLOC_LOGIN_SLOW_AFTER", "2")
os.environ.setdefault("SHERLOC_LOGIN_LOCK_AFTER", "5")
os.environ.setdefault("SHERLOC_LOGIN_MAX_DELAY_SECONDS", "0.2")
