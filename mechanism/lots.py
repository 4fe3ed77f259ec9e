"""A random stream that is the same on every machine, for reproducible draws.

Python's `random` module may change its algorithms between versions; draws must be
verifiable for years, so the stream is SHA-256 in counter mode, and the operations built
on it (uniform integers by rejection, Fisher-Yates shuffles) are written out here.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def new_seed() -> str:
    """A seed drawn from the operating system's randomness."""
    return secrets.token_hex(16)


class Lots:
    def __init__(self, seed: str, purpose: str) -> None:
        self._key = hashlib.sha256(f"{purpose}\x00{seed}".encode()).digest()
        self._counter = 0
        self._buffer = b""

    def _bytes(self, count: int) -> bytes:
        while len(self._buffer) < count:
            block = hashlib.sha256(self._key + self._counter.to_bytes(8, "big")).digest()
            self._counter += 1
            self._buffer += block
        out, self._buffer = self._buffer[:count], self._buffer[count:]
        return out

    def below(self, bound: int) -> int:
        """A uniform integer in [0, bound), by rejection sampling (no modulo bias)."""
        if bound <= 0:
            raise ValueError("bound must be positive")
        bits = max(bound - 1, 1).bit_length()
        nbytes = (bits + 7) // 8
        mask = (1 << bits) - 1
        while True:
            value = int.from_bytes(self._bytes(nbytes), "big") & mask
            if value < bound:
                return value

    def shuffled(self, items: Sequence[T]) -> list[T]:
        """A Fisher-Yates shuffle of a copy of `items`."""
        result = list(items)
        for i in range(len(result) - 1, 0, -1):
            j = self.below(i + 1)
            result[i], result[j] = result[j], result[i]
        return result
