"""Classification levels."""

from __future__ import annotations

from enum import IntEnum


class Level(IntEnum):
    """Classification level, ordered: U < C < S < TS. ``name`` is the portion (short) form."""

    U = 0
    C = 1
    S = 2
    TS = 3

    @property
    def word(self) -> str:
        """The banner word: UNCLASSIFIED, CONFIDENTIAL, SECRET, TOP SECRET."""
        from .registry import registry

        return registry().level_long[self]
