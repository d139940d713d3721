"""Classification levels."""

from __future__ import annotations

from enum import IntEnum


class Level(IntEnum):
    """Classification level, ordered: U < C < S < TS. ``name`` is the portion (short) form; the
    banner word comes from the registry (``registry.level_word``)."""

    U = 0
    C = 1
    S = 2
    TS = 3
