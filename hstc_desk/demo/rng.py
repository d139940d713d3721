"""The demo's random source: `random.Random` with choice and randrange drawn from `random()`.

Drawing everything from the Mersenne Twister's `random()` keeps a seed's sequence the same across
Python versions (the integer helpers of `random` have changed between versions) and is faster.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


class DemoRandom(random.Random):
    """Seeded random source for the demo world (not for anything secret)."""

    def choice(self, seq: Sequence[T]) -> T:
        return seq[int(self.random() * len(seq))]

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:  # type: ignore[override]
        if stop is None:
            start, stop = 0, start
        if step != 1:
            return start + step * int(self.random() * ((stop - start + step - 1) // step))
        if stop <= start:
            raise ValueError(f"empty range for randrange({start}, {stop})")
        return start + int(self.random() * (stop - start))
