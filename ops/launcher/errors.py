from __future__ import annotations

from pathlib import Path


class LauncherError(Exception):
    """A problem a user can fix; the message says what and how, `log` where to read more."""

    def __init__(self, message: str, log: Path | None = None) -> None:
        super().__init__(message)
        self.log = log

    def __str__(self) -> str:
        message = super().__str__()
        return f"{message} (log: {self.log})" if self.log else message
