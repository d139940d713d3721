"""The route map's geometry (no Qt): leg groups as curved, directed arrows in map coordinates.

Legs are already grouped in SQL (``query.leg_groups``); this turns the groups into polylines a
single curve per (colour, width class) can draw: a gentle arc from origin to destination (so
A->B and B->A do not lie on each other), and a chevron at the destination end. Width classes
follow how often a leg was used, on a log scale, so the busiest routes stand out without a
thousand widths. The projection is equirectangular (x = longitude, y = latitude).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from hstc_desk.movement.query import LegGroup, Place

WIDTHS = (1.0, 2.0, 3.5, 5.0)
"""Pen widths in pixels of the four traffic classes, least used first."""

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000")
"""Okabe-Ito: eight colours the common kinds of colour blindness still tell apart. Keys past
the seventh share the last (black), labelled "other" in the legend."""


@dataclass(frozen=True)
class ArrowSet:
    """Polylines of one colour and width class: NaN between arrows."""

    colour: str
    width: float
    x: np.ndarray
    y: np.ndarray
    groups: list[LegGroup]


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


def width_class(count: int, most: int) -> int:
    """0..3: the log-scaled share of the busiest group's count."""
    if most <= 1:
        return 0
    share = math.log(max(count, 1)) / math.log(most)
    return min(len(WIDTHS) - 1, int(share * len(WIDTHS)))


def colours_for(keys: Sequence[str | None]) -> dict[str | None, str]:
    """A colour per key, the busiest first (``keys`` in that order); the rest, and ``OTHER``,
    share black."""
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


def chevron(x: np.ndarray, y: np.ndarray, size: float) -> tuple[list[float], list[float]]:
    """Two strokes at the end of a polyline pointing along its last step."""
    ex, ey = x[-1], y[-1]
    dx, dy = ex - x[-2], ey - y[-2]
    norm = math.hypot(dx, dy) or 1.0
    ux, uy = dx / norm, dy / norm
    left = (ex - size * (ux - 0.55 * uy), ey - size * (uy + 0.55 * ux))
    right = (ex - size * (ux + 0.55 * uy), ey - size * (uy - 0.55 * ux))
    return [left[0], ex, right[0]], [left[1], ey, right[1]]


def arrows(groups: Sequence[LegGroup], places: dict[str, Place],
           colours: dict[str | None, str]) -> list[ArrowSet]:
    """Arrow polylines per (colour, width class) for every group whose ends are both known."""
    most = max((g.count for g in groups), default=1)
    sets: dict[tuple[str, int], tuple[list[np.ndarray], list[np.ndarray], list[LegGroup]]] = {}
    for g in groups:
        a, b = places.get(g.loc_from), places.get(g.loc_to)
        if a is None or b is None or (a.lon, a.lat) == (b.lon, b.lat):
            continue
        x, y = arc(a.lon, a.lat, b.lon, b.lat)
        length = math.hypot(b.lon - a.lon, b.lat - a.lat)
        hx, hy = chevron(x, y, min(max(length * 0.08, 0.15), 1.5))
        key = (colours.get(g.key, PALETTE[-1]), width_class(g.count, most))
        xs, ys, gs = sets.setdefault(key, ([], [], []))
        xs += [x, np.array([np.nan]), np.array(hx), np.array([np.nan])]
        ys += [y, np.array([np.nan]), np.array(hy), np.array([np.nan])]
        gs.append(g)
    return [ArrowSet(colour, WIDTHS[w], np.concatenate(xs), np.concatenate(ys), gs)
            for (colour, w), (xs, ys, gs) in sorted(sets.items(), key=lambda kv: kv[0][1])]
