"""Every test runs against the `test` profile: its own ports and data directory."""

from __future__ import annotations

import os

os.environ["SHERLOC_PROFILE"] = "test"
# The API catches up the search index every second in tests (5 s by default).
os.environ.setdefault("SHERLOC_INDEX_RETRY_SECONDS", "1")
