"""A progress line for long files: percentage, records and rate, on standard error."""

from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, name: str, total_bytes: int, enabled: bool = True) -> None:
        self.name = name
        self.total = max(total_bytes, 1)
        self.enabled = enabled
        self.tty = sys.stderr.isatty()
        self.started = time.monotonic()
        self.last_shown = self.started
        self.records = 0
        self.read = 0
        # On a terminal the line is redrawn twice a second; in a log, a line every 10 s.
        self.every = 0.5 if self.tty else 10.0

    def update(self, bytes_read: int) -> None:
        self.records += 1
        self.read = bytes_read
        now = time.monotonic()
        if self.enabled and now - self.last_shown >= self.every:
            self.last_shown = now
            self._show(now)

    def done(self) -> None:
        if self.enabled and (self.tty or time.monotonic() - self.started >= self.every):
            self._show(time.monotonic())
            if self.tty:
                sys.stderr.write("\n")

    def _show(self, now: float) -> None:
        elapsed = max(now - self.started, 1e-6)
        line = (
            f"{self.name}: {100 * self.read / self.total:5.1f}%  {self.records:,} records  "
            f"{self.records / elapsed:,.0f}/s"
        )
        sys.stderr.write(f"\r{line}" if self.tty else f"{line}\n")
        sys.stderr.flush()
