"""The timeline's level of detail: what to draw for a time window at a given width (no Qt).

A frame is the busiest lanes in the window (by case, network, person or kind) and either the
individual items, when they fit, or per-lane counts in buckets a few pixels wide, when they do not.
Everything the window holds is drawn: lanes past the limit share one "other" row. The frame's
banner is the roll-up of exactly what the window holds.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from hstc_desk import markings
from hstc_desk.movement import bins
from hstc_desk.movement import query as mq
from hstc_desk.movement.timeline_cache import OTHER, FrameCache
from hstc_desk.store import Store

DAY_FLOOR_ITEMS = 20_000
"""Past this many items in a window, its densities are binned by whole days at the finest."""

DAY_BUCKET_PX = 9
"""A window whose days are at most this many pixels wide is binned by whole days at the finest
(from the pyramid alone), whatever it holds."""


@dataclass(frozen=True)
class Frame:
    """What the timeline draws for [t0, t1].

    ``rows`` are lane keys top to bottom (``None``: items with no case, network or person;
    ``OTHER``: every lane past the limit). With ``marks`` set, each mark's row is
    ``row_of[mark.lane]`` (``OTHER`` for a lane not listed); with ``bins`` set, ``bins[row]``
    counts items starting in each of ``bins.shape[1]`` buckets of ``bucket_seconds``. Either
    or both: with both, the crowded lanes are in ``bins`` (the other rows zero) and the rest
    are marks.
    """

    t0: int
    t1: int
    by: mq.LaneBy
    rows: list[str | None]
    counts: list[int]
    marks: list[mq.Mark] | None
    bins: np.ndarray | None
    bucket_seconds: float
    total: int
    banner: str

    @property
    def row_of(self) -> dict[str | None, int]:
        return {key: i for i, key in enumerate(self.rows)}

    def row(self, lane: str | None) -> int:
        rows = self.row_of
        return rows.get(lane, rows.get(OTHER, len(self.rows) - 1))


def lane_rows(store: Store, flt: mq.MovementFilter, by: mq.LaneBy, *,
              max_lanes: int = 24, cache: FrameCache | None = None) -> list[str | None]:
    """The rows for a view: its busiest lanes over the whole filter, then ``OTHER`` when there
    are more. A view keeps these while it zooms, so lanes do not jump about."""
    if flt.t_from is None and flt.t_to is None and cache is not None:
        busiest = cache.busiest(flt, by, max_lanes + 1)
    elif flt.t_from is None and flt.t_to is None:
        busiest = bins.busiest(store, flt, by, max_lanes + 1)
    else:
        busiest = mq.lanes(store, flt, by, limit=max_lanes + 1)
    rows: list[str | None] = [ln.key for ln in busiest[:max_lanes]]
    return [*rows, OTHER] if len(busiest) > max_lanes else rows


def frame(store: Store, flt: mq.MovementFilter, by: mq.LaneBy, t0: int, t1: int,
          width_px: int, *, max_marks: int = 4000, max_lanes: int = 24,
          px_per_bucket: int = 3, rows: list[str | None] | None = None,
          described: bool = True, cache: FrameCache | None = None,
          mark_px: float = 0) -> Frame:
    """The frame for the window [t0, t1] drawn ``width_px`` wide, in ``rows`` when given (from
    ``lane_rows``), else in the window's own busiest lanes. With a ``cache`` (one per view)
    the pyramid's answers come from what it read before: the same frame, fewer reads."""
    if t1 <= t0:
        t1 = t0 + 1
    window = flt.between(t0, t1)
    if rows is None:
        rows = lane_rows(store, window, by, max_lanes=max_lanes)
    rows = list(rows)
    named = [k for k in rows if k != OTHER]
    buckets = max(1, width_px // px_per_bucket)
    cached = cache is not None and cache.usable(flt, by)
    if cached:
        assert cache is not None
        total, per_lane, found = cache.window(flt, by, t0, t1, named)
        rows_total = total
    elif bins.usable(store, flt, by):  # the pyramid: a few thousand counts, whatever the size
        per_lane = bins.lane_counts(store, flt, by, t0, t1, named)
        total = bins.count(store, flt, t0, t1)
        rows_total = total
        found = bins.markings_in(store, flt, t0, t1)
    else:
        per_lane = mq.lane_counts(store, window, by, named)
        total = mq.count(store, window)
        rows_total = mq.count(store, window, by=by) if OTHER in rows else total
        found = mq.view_markings(store, window)
    counts = [per_lane[k] for k in named]
    if OTHER in rows:
        rows = [*named, OTHER]
        # in person lanes an event counts once per participant: count rows, not items
        counts.append(rows_total - sum(counts))
    # marks when they fit: no more than max_marks in the window, and (with mark_px) only in
    # lanes holding at most one per mark_px pixels; a lane more crowded than that, where dots
    # would overlap into a solid bar, is drawn as densities beside the others' marks
    crowded = {i for i, n in enumerate(counts) if mark_px and n * mark_px > width_px}
    marks = None
    if total <= max_marks and len(crowded) < len(rows):
        marks = mq.marks(store, window, by=by, limit=max_marks, described=described)
        if marks is not None and crowded:
            at = {k: i for i, k in enumerate(rows)}
            other = at.get(OTHER, len(rows) - 1)
            marks = [m for m in marks if at.get(m.lane, other) not in crowded]
    density = None
    if marks is None or crowded:
        days = (t1 - t0 + 1) // bins.FINEST
        if (total > DAY_FLOOR_ITEMS or days * DAY_BUCKET_PX >= width_px) and (
                cached or bins.usable(store, flt, by)):
            # a crowded window, or one whose days are no more than DAY_BUCKET_PX wide, is
            # never binned finer than the pyramid's days: a few pixels wider buckets rather
            # than reading every item in it from the table
            buckets = max(1, min(buckets, days))
        if cached:
            assert cache is not None
            density = cache.density(flt, by, t0, t1, buckets, rows)
        else:
            density = _density(store, flt, by, t0, t1, buckets, rows, named)
        if marks is not None:  # the lanes that fit are drawn as marks, not twice
            density[[i for i in range(len(rows)) if i not in crowded]] = 0
    banner = _banner(tuple(sorted(found)))
    return Frame(t0, t1, by, rows, counts, marks, density, (t1 - t0) / buckets, total, banner)


@functools.lru_cache(maxsize=512)
def _banner(found: tuple[str, ...]) -> str:
    """The roll-up of these markings (parsed once: a zoom sees the same few again and again)."""
    return (markings.rollup([markings.parse(m) for m in found]).banner() if found
            else "UNCLASSIFIED")


def _density(store: Store, flt: mq.MovementFilter, by: mq.LaneBy, t0: int, t1: int,
             buckets: int, rows: list[str | None], named: list[str | None]) -> np.ndarray:
    """Lane rows by buckets: items starting in each bucket, the "other" row the remainder."""
    out = np.zeros((len(rows), buckets), dtype=np.int64)
    window = flt.between(t0, t1)
    if bins.usable(store, flt, by):
        per = bins.lane_bins(store, flt, by, t0, t1, buckets, named)
        everything = (bins.lane_bins(store, flt, None, t0, t1, buckets, None)[None]
                      if OTHER in rows else None)
    else:
        per = mq.lane_bins(store, window, by, t0, t1, buckets, named)
        everything = (mq.histogram(store, window, t0, t1, buckets, by=by)
                      if OTHER in rows else None)
    for i, key in enumerate(rows):
        if key != OTHER:
            out[i] = per[key]
    if everything is not None:
        out[rows.index(OTHER)] = np.maximum(everything - out[:-1].sum(axis=0), 0)
    return out
