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
           "#8C8C8C")
"""Okabe-Ito's seven colours, which the common kinds of colour blindness still tell apart (each
arrow drawn over a dark casing, so the yellow reads on pale land), then a quiet grey that keys
past the seventh share, labelled "other" in the legend."""
PALE = frozenset({"#E69F00", "#56B4E9", "#F0E442"})
"""The palette's colours too pale to stand on pale land without a dark casing (less than 3:1
against it): orange, sky blue and yellow."""
MODE_COLOURS = {"sea": "#0072B2", "land": "#D55E00", "air": "#CC79A7", "river": "#56B4E9",
                "foot": "#009E73"}
"""Fixed colours for the modes (sea blue, land vermilion, air purple, river sky blue, foot
green): a mode reads the same on every map."""


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


def chevron(x: np.ndarray, y: np.ndarray, size: float) -> tuple[list[float], list[float]]:
    """Two strokes at the end of a polyline pointing along its last step."""
    ex, ey = x[-1], y[-1]
    dx, dy = ex - x[-2], ey - y[-2]
    norm = math.hypot(dx, dy) or 1.0
    ux, uy = dx / norm, dy / norm
    left = (ex - size * (ux - 0.55 * uy), ey - size * (uy + 0.55 * ux))
    right = (ex - size * (ux + 0.55 * uy), ey - size * (uy - 0.55 * ux))
    return [left[0], ex, right[0]], [left[1], ey, right[1]]


BEND = 0.18
"""How far an arc bows to the left of its chord, as a share of the chord's length."""
FAN = 0.07
"""How much further each next arrow of the same route bows, so a route's networks or modes lie
side by side, the busiest innermost, instead of on top of each other."""
STEPS = 16


def fan(groups: Sequence[LegGroup]) -> np.ndarray:
    """Each group's place among the groups of its route (from, to), in the order given."""
    seen: dict[tuple[str, str], int] = {}
    out = np.empty(len(groups), dtype=np.int64)
    for i, g in enumerate(groups):
        out[i] = seen.get((g.loc_from, g.loc_to), 0)
        seen[(g.loc_from, g.loc_to)] = out[i] + 1
    return out


def arcs(x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray, bend: np.ndarray,
         steps: int = STEPS) -> tuple[np.ndarray, np.ndarray]:
    """``arc`` for many at once: arrays of shape (len(x0), steps)."""
    cx = (x0 + x1) / 2 - (y1 - y0) * bend
    cy = (y0 + y1) / 2 + (x1 - x0) * bend
    t = np.linspace(0.0, 1.0, steps)[None, :]
    a, b, c = (1 - t) ** 2, 2 * (1 - t) * t, t ** 2
    return (a * x0[:, None] + b * cx[:, None] + c * x1[:, None],
            a * y0[:, None] + b * cy[:, None] + c * y1[:, None])


def midpoints(x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray,
              bend: np.ndarray) -> np.ndarray:
    """Where each arc is halfway along (its hover and click point), shape (n, 2)."""
    x, y = arcs(x0, y0, x1, y1, bend, steps=3)
    return np.column_stack([x[:, 1], y[:, 1]])


def ends(groups: Sequence[LegGroup], places: dict[str, Place]
         ) -> tuple[list[int], np.ndarray]:
    """Indexes of the groups drawn (both ends known and apart) and their ends as columns
    x0, y0, x1, y1 plus each one's bend."""
    keep, rows = [], []
    for i, (g, n) in enumerate(zip(groups, fan(groups).tolist(), strict=True)):
        a, b = places.get(g.loc_from), places.get(g.loc_to)
        if a is None or b is None or (a.lon == b.lon and a.lat == b.lat):
            continue
        keep.append(i)
        rows.append((a.lon, a.lat, b.lon, b.lat, BEND + FAN * n))
    return keep, np.array(rows, dtype=float).reshape(-1, 5)


@dataclass(frozen=True)
class Heads:
    """Arrowheads, one per arrow drawn, halfway along it and pointing the way it goes (on
    screen, clockwise from east, y down): drawn at a fixed size in pixels, so the direction
    reads at every zoom and no head piles up on a busy place at the arrow's end."""

    x: np.ndarray
    y: np.ndarray
    angle: np.ndarray
    colour: list[str]
    width: np.ndarray
    dx: np.ndarray
    dy: np.ndarray
    """The chord (destination less origin), so a view can tell how long an arrow is on
    screen."""


def arrows(groups: Sequence[LegGroup], places: dict[str, Place],
           colours: dict[str | None, str], *,
           drawn: tuple[list[int], np.ndarray] | None = None
           ) -> tuple[list[ArrowSet], Heads]:
    """Arcs per (colour, width class) for every group whose ends are both known (each an arc
    then a NaN), and their heads. ``drawn`` is ``ends(groups, places)`` when the caller has it
    already."""
    keep, e = drawn if drawn is not None else ends(groups, places)
    if not keep:
        empty = np.empty(0)
        return [], Heads(empty, empty, empty, [], empty, empty, empty)
    most = max((g.count for g in groups), default=1)
    x, y = arcs(e[:, 0], e[:, 1], e[:, 2], e[:, 3], e[:, 4])
    nan = np.full(len(keep), np.nan)
    px, py = np.column_stack([x, nan]), np.column_stack([y, nan])
    counts = np.array([groups[i].count for i in keep], dtype=float)
    if most > 1:
        share = np.log(np.maximum(counts, 1)) / math.log(most)
        classes = np.minimum(len(WIDTHS) - 1, (share * len(WIDTHS)).astype(int))
    else:
        classes = np.zeros(len(keep), dtype=int)
    colour_of = [colours.get(groups[i].key, PALETTE[-1]) for i in keep]
    sets: dict[tuple[str, int], list[int]] = {}
    for row, (colour, w) in enumerate(zip(colour_of, classes.tolist(), strict=True)):
        sets.setdefault((colour, w), []).append(row)
    mid = midpoints(e[:, 0], e[:, 1], e[:, 2], e[:, 3], e[:, 4])
    # a quadratic arc runs parallel to its chord halfway along
    angle = np.degrees(np.arctan2(-(e[:, 3] - e[:, 1]), e[:, 2] - e[:, 0]))
    heads = Heads(mid[:, 0], mid[:, 1], angle, colour_of, np.array(WIDTHS)[classes],
                  e[:, 2] - e[:, 0], e[:, 3] - e[:, 1])
    return ([ArrowSet(colour, WIDTHS[w], px[rows].reshape(-1), py[rows].reshape(-1),
                      [groups[keep[r]] for r in rows])
             for (colour, w), rows in sorted(sets.items(), key=lambda kv: kv[0][1])], heads)
