"""The timeline's memory of the pyramid, so a zoom, a pan or a change of kinds asks the store
for almost nothing (no Qt).

``timeline.frame`` asks the pyramid five or six questions a redraw; a view that zooms and pans
asks them about the same buckets again and again. A ``FrameCache`` keeps what it read: per
filter (its time range and kinds aside), per pyramid width and per block of ``BLOCK`` buckets,
the counts per kind of everything (rows of kind and marking summed in SQL), the markings present
per kind and bucket, and the counts per kind of each lane it was asked about; and per lane
choice the all-time count of every lane per kind (for the busiest lanes). A window is cut into
whole buckets as ``bins`` does and summed in numpy; only its edge slivers (under a day) and the
legs under way at its start come from the movement table, so counts stay exact. Kinds are a
mask over the cached arrays: a change of kinds reads nothing again.

What the cache holds was read under the store's own ``visible_sql`` and the filter's destination
(both in the pyramid query), so it never holds what the user may not see. It forgets everything
when the store changes (its connection's changes or ``PRAGMA data_version``) or the store is
another one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from hstc_desk.movement import bins
from hstc_desk.movement import query as mq
from hstc_desk.store import Store
from hstc_desk.store.schema import BIN_WIDTHS

BLOCK = 256
"""Buckets per block read at once (256 days: some 8 months at the finest width)."""

KEEP_FILTERS = 4
"""Filters remembered at once (a few: back and forth between filters is served from memory)."""

READ_LANES = 48
"""With the lanes asked for, the counts of this many of the busiest lanes are read too."""

OTHER = "\x00other"
"""The key of the row that holds every lane past the limit (``timeline.OTHER``)."""

_KIND = {k: i for i, k in enumerate(mq.KINDS)}
_TABLE_LANE = {"case": "m.case_id", "network": "m.network", "kind": "m.kind"}
_KINDS_SQL = "kind IN (" + ",".join(f"'{k}'" for k in mq.KINDS) + ")"


@dataclass
class _Block:
    """One block of ``BLOCK`` buckets of one width: counts per kind and bucket, the markings
    present (one entry per kind, marking and bucket), and counts per lane as asked for."""

    total: np.ndarray  # (kinds, BLOCK)
    mk_kind: np.ndarray
    mk_index: np.ndarray
    mk_offset: np.ndarray
    lanes: dict[tuple[str, str | None], np.ndarray] = field(default_factory=dict)


@dataclass
class _Filtered:
    """Everything cached for one filter (time range and kinds aside)."""

    blocks: dict[tuple[int, int], _Block] = field(default_factory=dict)
    lane_totals: dict[str, dict[str | None, np.ndarray]] = field(default_factory=dict)


def _kind_mask(flt: mq.MovementFilter) -> np.ndarray:
    mask = np.zeros(len(mq.KINDS), dtype=bool)
    for k in flt.kinds:
        mask[_KIND[k]] = True
    return mask


class FrameCache:
    """Frames and busiest lanes for one view, from what it read before where it can."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._version: tuple[int, int, int] | None = None
        self._filtered: dict[mq.MovementFilter, _Filtered] = {}
        self._markings: list[str] = []
        self._marking_index: dict[str, int] = {}
        self.reads = 0  # pyramid queries so far (tests watch it)

    # ---- keeping current ------------------------------------------------------------------

    def _current(self, flt: mq.MovementFilter) -> _Filtered:
        conn = self.store.conn
        version = (id(conn), conn.total_changes,
                   conn.execute("PRAGMA data_version").fetchone()[0])
        if version != self._version:
            self._filtered.clear()
            self._version = version
        key = replace(flt, t_from=None, t_to=None, kinds=mq.KINDS)
        got = self._filtered.pop(key, None) or _Filtered()
        self._filtered[key] = got  # the latest last: the oldest go first past KEEP_FILTERS
        while len(self._filtered) > KEEP_FILTERS:
            del self._filtered[next(iter(self._filtered))]
        return got

    def usable(self, flt: mq.MovementFilter, by: str | None) -> bool:
        """The pyramid answers (``bins.usable``: it also folds a pending log, a write)."""
        return by != "person" and bins.usable(self.store, flt, by)

    def _mark(self, text: str) -> int:
        i = self._marking_index.get(text)
        if i is None:
            i = self._marking_index[text] = len(self._markings)
            self._markings.append(text)
        return i

    # ---- reading blocks -------------------------------------------------------------------

    def _where(self, flt: mq.MovementFilter, lane_by: str) -> tuple[str, list[Any]]:
        every = replace(flt, t_from=None, t_to=None, kinds=mq.KINDS)  # kinds: a mask here
        w, args = bins._where(self.store, every, lane_by, detailed=True)
        return f"{w} AND {_KINDS_SQL}", args  # every kind: the key reaches the bucket range

    def _runs(self, got: _Filtered, width: int, first: int, last: int,
              need: Any) -> list[tuple[int, int]]:
        """Runs of consecutive block numbers over buckets first..last for which ``need``."""
        runs: list[tuple[int, int]] = []
        for bi in range(first // BLOCK, last // BLOCK + 1):
            if need(got.blocks.get((width, bi))):
                if runs and runs[-1][1] == bi - 1:
                    runs[-1] = (runs[-1][0], bi)
                else:
                    runs.append((bi, bi))
        return runs

    def _load(self, got: _Filtered, flt: mq.MovementFilter, width: int, first: int,
              last: int, by: str | None, lanes: Sequence[str | None]) -> None:
        """Read what is missing for buckets first..last of ``width``: the blocks' totals and
        markings, and the counts of ``lanes`` (lanes by case or network)."""
        for b0, b1 in self._runs(got, width, first, last, lambda blk: blk is None):
            w, args = self._where(flt, bins._lane_by(flt, None))
            # grouped in the key's own order (kind, bucket, marking): no sort, flags summed
            rows = self.store.conn.execute(
                f"SELECT kind, marking, bucket, sum(n) FROM movement_bins WHERE {w} "
                f"AND width = ? AND bucket BETWEEN ? AND ? GROUP BY kind, bucket, marking",
                [*args, width, b0 * BLOCK, (b1 + 1) * BLOCK - 1]).fetchall()
            self.reads += 1
            arr = (np.array([(_KIND[k], self._mark(m), b, n) for k, m, b, n in rows],
                            dtype=np.int64).reshape(-1, 4))
            for bi in range(b0, b1 + 1):
                sel = (arr[:, 2] // BLOCK) == bi
                part = arr[sel]
                total = np.zeros((len(mq.KINDS), BLOCK), dtype=np.int64)
                off = part[:, 2] - bi * BLOCK
                np.add.at(total, (part[:, 0], off), part[:, 3])
                present = part[:, 3] > 0
                got.blocks[(width, bi)] = _Block(total, part[present, 0], part[present, 1],
                                                 off[present])
        if by not in ("case", "network") or not lanes:
            return
        for b0, b1 in self._runs(got, width, first, last,
                                 lambda blk: any((by, k) not in blk.lanes for k in lanes)):
            # the busiest lanes of all kinds come along: another choice of kinds mostly
            # draws from them, and then reads nothing
            ahead = [k for k, _ in sorted(got.lane_totals.get(by, {}).items(),
                                          key=lambda kv: -int(kv[1].sum()))[:READ_LANES]]
            missing = sorted({k for bi in range(b0, b1 + 1) for k in [*lanes, *ahead]
                              if (by, k) not in got.blocks[(width, bi)].lanes},
                             key=lambda k: k or "")
            w, args = self._where(flt, bins._lane_by(flt, by))
            w, args = bins._only(w, args, missing)
            # grouped in the key's order (lane, kind, bucket): markings summed without a sort
            rows = self.store.conn.execute(
                f"SELECT kind, lane, bucket, sum(n) FROM movement_bins WHERE {w} "
                f"AND width = ? AND bucket BETWEEN ? AND ? GROUP BY lane, kind, bucket",
                [*args, width, b0 * BLOCK, (b1 + 1) * BLOCK - 1]).fetchall()
            self.reads += 1
            index = {k: i for i, k in enumerate(missing)}
            arr = np.array([(_KIND[k], index.get(lane or None, -1), b, n)
                            for k, lane, b, n in rows], dtype=np.int64).reshape(-1, 4)
            arr = arr[arr[:, 1] >= 0]
            for bi in range(b0, b1 + 1):
                blk = got.blocks[(width, bi)]
                part = arr[(arr[:, 2] // BLOCK) == bi]
                counts = np.zeros((len(missing), len(mq.KINDS), BLOCK), dtype=np.int64)
                np.add.at(counts, (part[:, 1], part[:, 0], part[:, 2] - bi * BLOCK), part[:, 3])
                for k, i in index.items():
                    blk.lanes.setdefault((by, k), counts[i])

    def _span(self, got: _Filtered, width: int, first: int, last: int, by: str | None,
              lanes: Sequence[str | None]) -> tuple[np.ndarray, np.ndarray, list[int]]:
        """Buckets first..last of ``width`` (loaded): the totals (kinds, n), the lanes'
        counts (lanes, kinds, n) and the blocks read, for the markings."""
        parts_t, parts_l, blocks = [], [], []
        for bi in range(first // BLOCK, last // BLOCK + 1):
            blk = got.blocks[(width, bi)]
            lo = max(first - bi * BLOCK, 0)
            hi = min(last - bi * BLOCK, BLOCK - 1) + 1
            parts_t.append(blk.total[:, lo:hi])
            if lanes and by in ("case", "network"):
                parts_l.append(np.stack([blk.lanes[(by, k)][:, lo:hi] for k in lanes]))
            blocks.append(bi)
        total = np.concatenate(parts_t, axis=1)
        lane = (np.concatenate(parts_l, axis=2) if parts_l
                else np.zeros((0, len(mq.KINDS), total.shape[1]), dtype=np.int64))
        return total, lane, blocks

    def _markings_of(self, got: _Filtered, width: int, first: int, last: int,
                     kinds: np.ndarray) -> set[int]:
        found: set[int] = set()
        for bi in range(first // BLOCK, last // BLOCK + 1):
            blk = got.blocks[(width, bi)]
            off = blk.mk_offset + bi * BLOCK
            sel = (off >= first) & (off <= last) & kinds[blk.mk_kind]
            found.update(int(i) for i in np.unique(blk.mk_index[sel]))
        return found

    def prefetch(self, flt: mq.MovementFilter, by: str, rows: Sequence[str | None], a: int,
                 b: int, *, blocks: int = 2) -> bool:
        """Read ahead, a little at a time: up to ``blocks`` missing blocks of the week and day
        widths over [a, b] (with the lanes of ``rows``), then the busiest lanes of the other
        lane choice (case or network) at the week and wider widths. True when nothing is left
        to read."""
        if not self.usable(flt, by):
            return True
        got = self._current(flt)
        lanes = [k for k in rows if k != OTHER] if by in ("case", "network") else []
        plan = [(by, lanes, (BIN_WIDTHS[1], BIN_WIDTHS[0]))]
        # then the other of case and network lanes, at the widths a whole-range view reads,
        # so the first switch of lanes finds them too
        for other in ("case", "network"):
            if other != by and self.usable(flt, other):
                plan.append((other, None, tuple(reversed(BIN_WIDTHS[1:]))))
        for lane_by, keys, widths in plan:
            if keys is None:
                keys = [ln.key for ln in self.busiest(flt, lane_by, READ_LANES)]
            for width in widths:
                first, last = a // width, b // width
                runs = self._runs(got, width, first, last, lambda blk, ln=keys, lb=lane_by: (
                    blk is None or any((lb, k) not in blk.lanes for k in ln)))
                if runs:
                    b0 = runs[0][0]
                    b1 = min(runs[0][1], b0 + blocks - 1)
                    self._load(got, flt, width, max(first, b0 * BLOCK),
                               min(last, (b1 + 1) * BLOCK - 1), lane_by, keys)
                    return False
        return True

    # ---- answers --------------------------------------------------------------------------

    def busiest(self, flt: mq.MovementFilter, by: str, limit: int) -> list[mq.Lane]:
        """``bins.busiest`` from the cache: the all-time counts per lane and kind are read once
        per filter and lane choice, and summed over the filter's kinds here."""
        if by == "kind" or not self.usable(flt, by):
            return bins.busiest(self.store, flt, by, limit)
        got = self._current(flt)
        totals = got.lane_totals.get(by)
        if totals is None:
            w, args = self._where(flt, bins._lane_by(flt, by))
            totals = {}
            for kind, lane, n in self.store.conn.execute(
                    f"SELECT kind, lane, sum(n) FROM movement_bins WHERE {w} AND width = ? "
                    f"GROUP BY kind, lane", [*args, BIN_WIDTHS[-1]]):
                totals.setdefault(lane or None, np.zeros(len(mq.KINDS), dtype=np.int64))[
                    _KIND[kind]] += n
            self.reads += 1
            got.lane_totals[by] = totals
        mask = _kind_mask(flt)
        out = [mq.Lane(k, int(v[mask].sum())) for k, v in totals.items()]
        out = [ln for ln in out if ln.count > 0]
        out.sort(key=lambda ln: (-ln.count, ln.key is not None, ln.key or ""))
        return out[:limit]

    def window(self, flt: mq.MovementFilter, by: str, a: int, b: int,
               named: Sequence[str | None]) -> tuple[int, dict[str | None, int], list[str]]:
        """Items in [a, b] (legs overlapping it), per named lane, and their distinct markings:
        whole buckets from the cache, edge slivers and legs under way from the table."""
        got = self._current(flt)
        kinds = _kind_mask(flt)
        pieces, raw = bins.decompose(a, b)
        lanes = list(named) if by in ("case", "network") else []
        total = 0
        per = np.zeros(len(named), dtype=np.int64)
        found: set[int] = set()
        for p in pieces:
            self._load(got, flt, p.width, p.first, p.last, by, lanes)
            t, ln, _ = self._span(got, p.width, p.first, p.last, by, lanes)
            total += int(t[kinds].sum())
            if by == "kind":
                per += np.array([int(t[_KIND[k]].sum()) if k in _KIND and kinds[_KIND[k]]
                                 else 0 for k in named], dtype=np.int64)
            elif lanes:
                per += ln[:, kinds].sum(axis=(1, 2))
            found |= self._markings_of(got, p.width, p.first, p.last, kinds)
        out = dict(zip(named, (int(n) for n in per), strict=True))
        texts = {self._markings[i] for i in found}
        tw, targs = bins._table_rows_sql(self.store, flt, a, b, raw)
        col = _TABLE_LANE.get(by, "NULL")
        for lane, marking, n in self.store.conn.execute(
                f"SELECT {col}, m.marking, count(*) FROM movement m WHERE {tw} "
                f"GROUP BY {col}, m.marking", targs):
            total += n
            texts.add(marking)
            if lane in out:
                out[lane] += n
        return total, out, sorted(texts)

    def density(self, flt: mq.MovementFilter, by: str | None, a: int, b: int, buckets: int,
                rows: Sequence[str | None]) -> np.ndarray:
        """``timeline._density`` from the cache: rows by ``buckets`` equal slices of [a, b],
        items starting in each; whole pyramid buckets no wider than a slice at the slice that
        holds their middle, edge slivers from the table; the "other" row the remainder."""
        got = self._current(flt)
        kinds = _kind_mask(flt)
        named = [k for k in rows if k != OTHER]
        lanes = named if by in ("case", "network") else []
        out = np.zeros((len(rows), buckets), dtype=np.int64)
        everything = np.zeros(buckets, dtype=np.int64)
        span = (b - a + 1) / buckets
        top = max([i for i, w in enumerate(BIN_WIDTHS) if w <= span], default=-1)
        pieces, raw = bins.decompose(a, b, top)
        row_of = {k: i for i, k in enumerate(rows)}
        for p in pieces:
            self._load(got, flt, p.width, p.first, p.last, by, lanes)
            t, ln, _ = self._span(got, p.width, p.first, p.last, by, lanes)
            mids = np.arange(p.first, p.last + 1, dtype=np.int64) * p.width + p.width // 2
            idx = np.clip(((mids - a) / span).astype(np.int64), 0, buckets - 1)
            tk = t * kinds[:, None]
            np.add.at(everything, idx, tk.sum(axis=0))
            if by == "kind":
                for k in named:
                    if k in _KIND:
                        np.add.at(out[row_of[k]], idx, tk[_KIND[k]])
            elif lanes:
                lk = (ln * kinds[None, :, None]).sum(axis=1)
                for i, k in enumerate(lanes):
                    np.add.at(out[row_of[k]], idx, lk[i])
        if raw:
            tw, targs = mq.where(self.store, flt.between(None, None))
            col = _TABLE_LANE.get(by or "", "NULL")
            ranges = " OR ".join("(m.t0 BETWEEN ? AND ?)" for _ in raw)
            got_rows = self.store.conn.execute(
                f"SELECT {col}, m.t0 FROM movement m WHERE {tw} AND ({ranges})",
                [*targs, *[x for r in raw for x in r]]).fetchall()
            if got_rows:
                t0s = np.fromiter((r[1] for r in got_rows), dtype=np.int64, count=len(got_rows))
                idx = np.clip(((t0s - a) / span).astype(np.int64), 0, buckets - 1)
                np.add.at(everything, idx, 1)
                which = np.fromiter((row_of.get(r[0], -1) for r in got_rows),
                                    dtype=np.int64, count=len(got_rows))
                keep = which >= 0
                np.add.at(out, (which[keep], idx[keep]), 1)
        if OTHER in row_of:
            other = row_of[OTHER]
            out[other] = np.maximum(everything - out.sum(axis=0) + out[other], 0)
        return out

    def histogram(self, flt: mq.MovementFilter, a: int, b: int, buckets: int) -> np.ndarray:
        """Items starting in each of ``buckets`` slices of [a, b] (the overview's bars)."""
        return self.density(flt, None, a, b, buckets, [OTHER])[0]
