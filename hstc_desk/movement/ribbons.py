"""Route ribbons (no Qt): each route drawn once, its networks or modes side by side along it.

A map that gives every (route, network) its own arrow becomes a hairball as soon as a route
carries a few networks: arcs on top of one another, or fanned into bulges. Here every route
(from, to) is one arc (bowing to the left of travel, so A->B and B->A lie apart), drawn as a
ribbon: its width in pixels shows how many legs used the route (log scale, ``NARROW`` to
``WIDE``), and it is made of parallel stripes, one per network or mode in the legend's order,
each as wide as its share of the route (at least one pixel). One head per ribbon shows the
direction. Widths and offsets are in pixels, so the ribbon reads the same at every zoom:
``geometry`` places the stripes for the current scale (pixels per degree), a few arrays of
arithmetic, no query.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from hstc_desk.movement.query import LegGroup, Place
from hstc_desk.movement.routes import OTHER, arcs

NARROW, WIDE = 2.0, 9.0
"""A ribbon's width in pixels: the least used route and the busiest."""
BEND = 0.18
STEPS = 17
"""Points along an arc: odd, so the middle one is halfway."""


@dataclass(frozen=True)
class Layout:
    """Routes (R) and their stripes (S), widths and offsets in pixels."""

    drawn: list[int]
    """Indexes of the groups drawn (both ends known and apart), stripe order."""
    routes: list[tuple[str, str]]
    ends: np.ndarray
    """(R, 4): lon and lat of origin and destination."""
    total: np.ndarray
    width: np.ndarray
    stripe_route: np.ndarray
    stripe_width: np.ndarray
    stripe_offset: np.ndarray
    """From the ribbon's middle, positive to the left of travel (the outside of the bow)."""
    stripe_colour: list[str]


def layout(groups: Sequence[LegGroup], places: dict[str, Place],
           colours: dict[str | None, str], order: Sequence[str | None]) -> Layout:
    """Ribbons of ``groups`` between known places; stripes in ``order`` (then ``OTHER``)."""
    rank = {k: i for i, k in enumerate(order)}
    by_route: dict[tuple[str, str], list[int]] = {}
    for i, g in enumerate(groups):
        a, b = places.get(g.loc_from), places.get(g.loc_to)
        if a is None or b is None or (a.lon == b.lon and a.lat == b.lat):
            continue
        by_route.setdefault((g.loc_from, g.loc_to), []).append(i)
    routes = list(by_route)
    totals = np.array([sum(groups[i].count for i in by_route[r]) for r in routes], dtype=float)
    most = float(totals.max()) if len(totals) else 1.0
    share = (np.log(np.maximum(totals, 1)) / math.log(most)) if most > 1 else np.ones(
        len(totals))
    target = NARROW + (WIDE - NARROW) * share
    drawn: list[int] = []
    s_route, s_width, s_offset, s_colour = [], [], [], []
    widths = np.zeros(len(routes))
    for r, route in enumerate(routes):
        members = sorted(by_route[route],
                         key=lambda i: (groups[i].key == OTHER,
                                        rank.get(groups[i].key, len(rank)), groups[i].key or ""))
        # whole pixels: a curve per (colour, width) draws every stripe of that pair
        w = [float(max(1, round(target[r] * groups[i].count / totals[r]))) for i in members]
        widths[r] = sum(w)
        edge = -widths[r] / 2  # the inside of the bow first: the busiest key nearest the chord
        for i, width in zip(members, w, strict=True):
            drawn.append(i)
            s_route.append(r)
            s_width.append(width)
            s_offset.append(edge + width / 2)
            s_colour.append(colours.get(groups[i].key, colours.get(OTHER, "#BDBDBD")))
            edge += width
    ends = np.array([(places[a].lon, places[a].lat, places[b].lon, places[b].lat)
                     for a, b in routes], dtype=float).reshape(-1, 4)
    return Layout(drawn, routes, ends, totals, widths, np.array(s_route, dtype=np.int64),
                  np.array(s_width, dtype=float), np.array(s_offset, dtype=float), s_colour)


def centre_lines(lay: Layout) -> tuple[np.ndarray, np.ndarray]:
    """Each route's arc, shape (R, STEPS)."""
    e = lay.ends
    bend = np.full(len(e), BEND)
    return arcs(e[:, 0], e[:, 1], e[:, 2], e[:, 3], bend, steps=STEPS)


def geometry(lay: Layout, per_degree: float) -> tuple[np.ndarray, np.ndarray]:
    """Every stripe's polyline at a scale of ``per_degree`` pixels per degree (the map keeps
    its aspect, so one scale serves both axes), shape (S, STEPS)."""
    x, y = centre_lines(lay)
    if not len(lay.stripe_route):
        return np.empty((0, STEPS)), np.empty((0, STEPS))
    tx, ty = np.gradient(x, axis=1), np.gradient(y, axis=1)
    norm = np.hypot(tx, ty)
    norm[norm == 0] = 1.0
    nx, ny = -ty / norm, tx / norm  # the left of travel
    r = lay.stripe_route
    shift = (lay.stripe_offset / max(per_degree, 1e-9))[:, None]
    return x[r] + nx[r] * shift, y[r] + ny[r] * shift


def heads(lay: Layout) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each route's head: halfway along its arc, and the way it points on screen (degrees
    clockwise from east, y down; halfway along, a quadratic arc runs parallel to its chord)."""
    x, y = centre_lines(lay)
    e = lay.ends
    angle = np.degrees(np.arctan2(-(e[:, 3] - e[:, 1]), e[:, 2] - e[:, 0]))
    mid = STEPS // 2
    return x[:, mid], y[:, mid], angle


def polyline(x: np.ndarray, y: np.ndarray, rows: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """The rows' polylines end to end, a NaN after each (one curve draws them all)."""
    nan = np.full((len(rows), 1), np.nan)
    return (np.hstack([x[rows], nan]).reshape(-1), np.hstack([y[rows], nan]).reshape(-1))
