"""The movement pyramid: counts per bucket of four widths, so a zoomed-out view of a million
items reads a few thousand rows instead of a million (no Qt).

``movement_bins`` holds, per width (a day, a week, eight weeks, a year), lane (case, network or
all), bucket, kind, marking and flags (use-restricted, in conflict), how many movement rows
start in that bucket. Triggers append every change to ``movement_log``; ``fold`` adds the log to
the pyramid in grouped statements before it is read (a write: a store opened read-only with an
unfolded log answers from the movement table instead).

Answers are exact: a window [a, b] is cut into whole buckets (the widest that fit, then narrower
ones towards its edges, as a segment tree does) read from the pyramid, and the two edge slivers
narrower than a day read from the movement table itself; legs under way at the window's start
(begun before it) are read from the table too, looking back no further than the longest leg.
Per-lane densities place each whole bucket at the display bucket holding its middle: a bucket
is never wider than a display bucket, so nothing moves by more than one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import sqlcipher3

from hstc_desk import markings
from hstc_desk.movement import query as mq
from hstc_desk.store import Store, movement_bins
from hstc_desk.store.browse import visible_sql
from hstc_desk.store.errors import StoreError
from hstc_desk.store.schema import BIN_WIDTHS

FINEST = BIN_WIDTHS[0]


def fold(store: Store) -> bool:
    """Add the change log to the pyramid; True when the pyramid is current afterwards (False on
    a store open for reading only, or when the write fails: then ask the table)."""
    if not movement_bins.pending(store.conn):
        return True
    if store.readonly:
        return False
    try:
        with store.transaction() as conn:
            movement_bins.fold(conn)
    except (StoreError, OSError, sqlcipher3.Error):  # a full disk, a busy writer
        return False
    return True


def usable(store: Store, flt: mq.MovementFilter, by: str | None) -> bool:
    """Can the pyramid answer for this filter and lane choice?"""
    if flt.persons or flt.countries or flt.modes or by == "person":
        return False
    if flt.cases and flt.networks:
        return False
    if (by == "case" and flt.networks) or (by == "network" and flt.cases):
        return False
    return fold(store)


def _lane_by(flt: mq.MovementFilter, by: str | None) -> str:
    if by in ("case", "network"):
        return by
    if flt.cases:
        return "case"
    if flt.networks:
        return "network"
    return "all"


def plain(store: Store, flt: mq.MovementFilter) -> bool:
    """True when the plain rows (all kinds and markings summed) answer: the filter restricts no
    kind, level or destination, and the user sees everything the workstation holds."""
    cl, acc = store.clearance, store.accreditation
    return (tuple(flt.kinds) == mq.KINDS and not flt.levels and not flt.destination
            and cl.level >= acc.level and cl.sci >= acc.sci)


def _where(store: Store, flt: mq.MovementFilter, lane_by: str, *,
           detailed: bool = False) -> tuple[str, list[Any]]:
    """The pyramid's WHERE for everything but width and bucket (``detailed``: the rows per kind
    and marking even where the plain rows would do, as for the markings in view)."""
    sql = ["lane_by = ?"]
    args: list[Any] = [lane_by]
    if lane_by == "all":
        sql.append("lane = ''")  # lets the key reach the bucket range

    def any_of(column: str, values: Sequence[Any]) -> None:
        sql.append(f"{column} IN ({','.join('?' * len(values))})")
        args.extend(values)

    if plain(store, flt) and not detailed:
        sql.append("kind = '*'")
    else:
        sql.append("kind != '*'")
    if tuple(flt.kinds) != mq.KINDS:
        any_of("kind", flt.kinds)
    if flt.cases:
        any_of("lane", flt.cases)
    if flt.networks:
        any_of("lane", flt.networks)
    if flt.levels:
        any_of("level", flt.levels)
    vis, vargs = visible_sql(store)
    if vis:
        sql.append(vis.removeprefix(" AND "))
        args += vargs
    if flt.destination:
        from hstc_desk.markings.destinations import destination as profile

        allowed = sorted(mq.releasable_markings(store, flt.destination))
        if allowed:
            any_of("marking", allowed)
        else:
            sql.append("0")
        dest = profile(flt.destination)
        if dest.prosecution_use:
            sql.append("(flags & 1) = 0")
        if dest.foreign:
            sql.append("(flags & 2) = 0")
    return " AND ".join(sql), args


def _only(w: str, args: list[Any], keys: Sequence[str | None]) -> tuple[str, list[Any]]:
    lanes = sorted({k or "" for k in keys})
    return f"{w} AND lane IN ({','.join('?' * len(lanes))})", [*args, *lanes]


@dataclass(frozen=True)
class Piece:
    width: int
    first: int  # whole buckets first..last inclusive
    last: int


def decompose(a: int, b: int, top: int = len(BIN_WIDTHS) - 1
              ) -> tuple[list[Piece], list[tuple[int, int]]]:
    """Cut [a, b] (inclusive seconds) into whole buckets no wider than ``BIN_WIDTHS[top]``,
    widest first, and the slivers at the edges narrower than a day (inclusive ranges)."""
    pieces: list[Piece] = []
    raw: list[tuple[int, int]] = []

    def cut(lo: int, hi: int, level: int) -> None:  # [lo, hi)
        if lo >= hi:
            return
        if level < 0:
            raw.append((lo, hi - 1))
            return
        w = BIN_WIDTHS[level]
        first, last = -((-lo) // w), hi // w  # whole buckets first .. last - 1
        if first < last:
            pieces.append(Piece(w, first, last - 1))
            cut(lo, first * w, level - 1)
            cut(last * w, hi, level - 1)
        else:
            cut(lo, hi, level - 1)

    if top >= 0:
        cut(a, b + 1, top)
    else:
        raw.append((a, b))
    return pieces, raw


def _pieces_sql(pieces: list[Piece]) -> tuple[str, list[int]]:
    if not pieces:
        return "0", []
    parts, args = [], []
    for p in pieces:
        parts.append("(width = ? AND bucket BETWEEN ? AND ?)")
        args += [p.width, p.first, p.last]
    return "(" + " OR ".join(parts) + ")", args


def _table_rows_sql(store: Store, flt: mq.MovementFilter, a: int, b: int,
                    raw: list[tuple[int, int]]) -> tuple[str, list[Any]]:
    """A WHERE over the movement table for what the pyramid leaves out of [a, b]: rows starting
    in the edge slivers, and legs begun before ``a`` still under way at it."""
    w, args = mq.where(store, flt.between(None, None))
    longest = store.conn.execute("SELECT longest FROM movement_span").fetchone()[0]
    parts = ["(m.t0 BETWEEN ? AND ?)" for _ in raw]
    pargs = [x for r in raw for x in r]
    parts.append("(m.t0 BETWEEN ? AND ? AND m.t1 >= ?)")
    pargs += [a - longest, a - 1, a]
    return f"{w} AND ({' OR '.join(parts)})", [*args, *pargs]


def count(store: Store, flt: mq.MovementFilter, a: int, b: int) -> int:
    """Items the filter shows in [a, b] (legs overlapping it), from the pyramid."""
    if not usable(store, flt, None):
        return mq.count(store, flt.between(a, b))
    pieces, raw = decompose(a, b)
    w, args = _where(store, flt, _lane_by(flt, None))
    ps, pargs = _pieces_sql(pieces)
    n = store.conn.execute(f"SELECT ifnull(sum(n), 0) FROM movement_bins WHERE {w} AND {ps}",
                           [*args, *pargs]).fetchone()[0]
    tw, targs = _table_rows_sql(store, flt, a, b, raw)
    n += store.conn.execute(f"SELECT count(*) FROM movement m WHERE {tw}", targs).fetchone()[0]
    return int(n)


def markings_in(store: Store, flt: mq.MovementFilter, a: int, b: int) -> list[str]:
    """The distinct markings of what the filter shows in [a, b]."""
    if not usable(store, flt, None):
        return mq.view_markings(store, flt.between(a, b))
    pieces, raw = decompose(a, b)
    w, args = _where(store, flt, _lane_by(flt, None), detailed=True)
    ps, pargs = _pieces_sql(pieces)
    found = {r[0] for r in store.conn.execute(
        f"SELECT DISTINCT marking FROM movement_bins WHERE {w} AND {ps}", [*args, *pargs])}
    tw, targs = _table_rows_sql(store, flt, a, b, raw)
    found |= {r[0] for r in store.conn.execute(
        f"SELECT DISTINCT m.marking FROM movement m WHERE {tw}", targs)}
    return sorted(found)


def banner(store: Store, flt: mq.MovementFilter, *, extra: Sequence[str] = ()) -> str:
    """``query.view_banner`` from the pyramid: the roll-up of what the filter shows over its
    time range (all of time when it has none) and of ``extra``."""
    a = flt.t_from if flt.t_from is not None else -(1 << 40)
    b = flt.t_to if flt.t_to is not None else 1 << 40
    found = markings_in(store, flt.between(None, None), a, b) + list(extra)
    if not found:
        return "UNCLASSIFIED"
    return markings.rollup([markings.parse(m) for m in found]).banner()


def lane_counts(store: Store, flt: mq.MovementFilter, by: str, a: int, b: int,
                keys: Sequence[str | None]) -> dict[str | None, int]:
    """Items per lane (case, network or kind) in [a, b]."""
    if not usable(store, flt, by):
        return mq.lane_counts(store, flt.between(a, b), by, keys)  # type: ignore[arg-type]
    pieces, raw = decompose(a, b)
    lane_by = _lane_by(flt, by)
    col = "kind" if by == "kind" else "lane"
    w, args = _where(store, flt, lane_by, detailed=by == "kind")
    if col == "lane":  # only the lanes asked for: the key reaches each one's bucket range
        w, args = _only(w, args, keys)
    ps, pargs = _pieces_sql(pieces)
    out: dict[str | None, int] = dict.fromkeys(keys, 0)
    for lane, n in store.conn.execute(
            f"SELECT {col}, sum(n) FROM movement_bins WHERE {w} AND {ps} GROUP BY {col}",
            [*args, *pargs]):
        key = (lane or None) if col == "lane" else lane
        if key in out:
            out[key] += n
    tcol = {"case": "m.case_id", "network": "m.network", "kind": "m.kind"}[by]
    tw, targs = _table_rows_sql(store, flt, a, b, raw)
    for lane, n in store.conn.execute(
            f"SELECT {tcol}, count(*) FROM movement m WHERE {tw} GROUP BY {tcol}", targs):
        if lane in out:
            out[lane] += n
    return out


def busiest(store: Store, flt: mq.MovementFilter, by: str, limit: int) -> list[mq.Lane]:
    """The ``limit`` busiest lanes of all time (the filter's range is not read: a view keeps its
    lanes while it zooms), most items first, ties by key, from the widest buckets."""
    if not usable(store, flt, by):
        return mq.lanes(store, flt, by, limit=limit)  # type: ignore[arg-type]
    lane_by = _lane_by(flt, by)
    col = "kind" if by == "kind" else "lane"
    w, args = _where(store, flt, lane_by, detailed=by == "kind")
    top = BIN_WIDTHS[-1]
    rows = store.conn.execute(
        f"SELECT {col}, sum(n) AS total FROM movement_bins WHERE {w} AND width = ? "
        f"GROUP BY {col} ORDER BY total DESC, {col} LIMIT ?", [*args, top, limit]).fetchall()
    out = [mq.Lane((k or None) if col == "lane" else k, n) for k, n in rows]
    out.sort(key=lambda ln: (-ln.count, ln.key is not None, ln.key or ""))
    return out


def lane_bins(store: Store, flt: mq.MovementFilter, by: str | None, a: int, b: int,
              buckets: int, keys: Sequence[str | None] | None) -> dict[str | None, np.ndarray]:
    """Per lane (or the total, ``keys=None``), items starting in each of ``buckets`` equal
    slices of [a, b]: whole pyramid buckets no wider than a slice go to the slice holding their
    middle, the slivers at the edges come from the table."""
    if not usable(store, flt, by):
        window = flt.between(a, b)
        if keys is None:
            return {None: mq.histogram(store, window, a, max(b, a + 1), buckets)}
        return mq.lane_bins(store, window, by or "kind", a, max(b, a + 1), buckets,  # type: ignore[arg-type]
                            keys)
    span = (b - a + 1) / buckets
    top = max([i for i, w in enumerate(BIN_WIDTHS) if w <= span], default=-1)
    pieces, raw = decompose(a, b, top)
    total = keys is None
    out = {k: np.zeros(buckets, dtype=np.int64) for k in ([None] if total else list(keys))}

    def add(key: str | None, starts: np.ndarray, counts: np.ndarray) -> None:
        if key in out:
            idx = np.clip(((starts - a) / span).astype(np.int64), 0, buckets - 1)
            np.add.at(out[key], idx, counts)

    lane_by = _lane_by(flt, None if total else by)
    col = "''" if total else ("kind" if by == "kind" else "lane")
    if pieces:
        w, args = _where(store, flt, lane_by, detailed=by == "kind" and not total)
        if col == "lane":
            w, args = _only(w, args, list(out))
        ps, pargs = _pieces_sql(pieces)
        grouped: dict[str | None, list[tuple[int, int]]] = {}
        for lane, width, bucket, n in store.conn.execute(
                f"SELECT {col}, width, bucket, sum(n) FROM movement_bins WHERE {w} AND {ps} "
                f"GROUP BY {col}, width, bucket", [*args, *pargs]):
            key = None if total else ((lane or None) if col == "lane" else lane)
            grouped.setdefault(key, []).append((bucket * width + width // 2, n))
        for key, pairs in grouped.items():
            arr = np.array(pairs, dtype=np.int64)
            add(key, arr[:, 0], arr[:, 1])
    if raw:
        tw, targs = mq.where(store, flt.between(None, None))
        tcol = "NULL" if total else {"case": "m.case_id", "network": "m.network",
                                     "kind": "m.kind"}[by or "kind"]
        ranges = " OR ".join("(m.t0 BETWEEN ? AND ?)" for _ in raw)
        starts: dict[str | None, list[int]] = {}
        for lane, t0 in store.conn.execute(
                f"SELECT {tcol}, m.t0 FROM movement m WHERE {tw} AND ({ranges})",
                [*targs, *[x for r in raw for x in r]]):
            starts.setdefault(lane, []).append(t0)
        for key, ts in starts.items():
            add(key, np.array(ts, dtype=np.int64), np.ones(len(ts), dtype=np.int64))
    return out
