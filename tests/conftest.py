"""Every test runs against the `test` profile: its own ports and data directory."""

from __future__ import annotations

import os

os.environ["SHERLOC_PROFILE"] = "test"
