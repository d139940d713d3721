"""The route map's colours and arcs (no Qt): who gets a colour, and the arc of a route.

Legs are grouped in SQL (``leg_table``); the seven busiest networks or modes keep a colour of
their own and the rest merge into one "other" group per route (``keep_busiest``); each route is
a gentle arc bowing to the left of travel (so A->B and B->A do not lie on each other), drawn as
a ribbon by ``ribbons``. The projection is equirectangular (x = longitude, y = latitude).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from hstc_desk.movement.query import LegGroup

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#BDBDBD")
"""Okabe-Ito's seven colours, which the common kinds of colour blindness still tell apart (each
ribbon drawn in a dark casing, so the yellow reads on pale land), then a quiet light grey that
keys past the seventh share, labelled "N other networks" in the legend: it recedes behind the
coloured stripes instead of drowning them where many networks share a route."""
MODE_COLOURS = {"sea": "#0072B2", "land": "#D55E00", "air": "#CC79A7", "river": "#56B4E9",
                "foot": "#009E73"}
"""Fixed colours for the modes (sea blue, land vermilion, air purple, river sky blue, foot
green): a mode reads the same on every map."""


OTHER = "\x00other"
"""The key of legs whose network or mode has no colour of its own (past the seventh)."""


def keep_busiest(groups: Sequence[LegGroup], colours: int = len(PALETTE) - 1
                 ) -> list[LegGroup]:
    """Groups of the ``colours`` busiest keys as they are; every other key's legs merged into
    one ``OTHER`` group per (from, to), so the map draws one black arrow under the coloured ones
    instead of a heap of black arrows on top of each other."""
    totals: dict[str | None, int] = {}
    for g in groups:
        totals[g.key] = totals.get(g.key, 0) + g.count
    keep = set(sorted(totals, key=lambda k: (-totals[k], k is None, k or ""))[:colours])
    out = [g for g in groups if g.key in keep]
    merged: dict[tuple[str, str], LegGroup] = {}
    for g in groups:
        if g.key in keep:
            continue
        m = merged.get((g.loc_from, g.loc_to))
        merged[(g.loc_from, g.loc_to)] = g.__class__(
            g.loc_from, g.loc_to, OTHER, g.count + (m.count if m else 0),
            min(g.first, m.first) if m else g.first, max(g.last, m.last) if m else g.last)
    out += merged.values()
    out.sort(key=lambda g: (-g.count, g.loc_from, g.loc_to, g.key or ""))
    return out


def colours_for(keys: Sequence[str | None]) -> dict[str | None, str]:
    """A colour per key, the busiest first (``keys`` in that order); the rest, and ``OTHER``,
    share the last (grey)."""
    out: dict[str | None, str] = {}
    for i, key in enumerate(k for k in dict.fromkeys(keys) if k != OTHER):
        out[key] = PALETTE[min(i, len(PALETTE) - 1)]
    out[OTHER] = PALETTE[-1]
    return out


def arc(x0: float, y0: float, x1: float, y1: float, *, bend: float = 0.18,
        steps: int = 16) -> tuple[np.ndarray, np.ndarray]:
    """A quadratic arc bowing to the left of the direction of travel."""
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    dx, dy = x1 - x0, y1 - y0
    cx, cy = mx - dy * bend, my + dx * bend
    t = np.linspace(0.0, 1.0, steps)
    x = (1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t ** 2 * x1
    y = (1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t ** 2 * y1
    return x, y


STEPS = 16


def arcs(x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray, bend: np.ndarray,
         steps: int = STEPS) -> tuple[np.ndarray, np.ndarray]:
    """``arc`` for many at once: arrays of shape (len(x0), steps)."""
    cx = (x0 + x1) / 2 - (y1 - y0) * bend
    cy = (y0 + y1) / 2 + (x1 - x0) * bend
    t = np.linspace(0.0, 1.0, steps)[None, :]
    a, b, c = (1 - t) ** 2, 2 * (1 - t) * t, t ** 2
    return (a * x0[:, None] + b * cx[:, None] + c * x1[:, None],
            a * y0[:, None] + b * cy[:, None] + c * y1[:, None])
