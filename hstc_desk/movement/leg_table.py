"""The route map's legs, grouped once in SQL and regrouped in memory (no Qt).

``load`` asks the store one ``GROUP BY`` for a filter with its mode left out: one row per
(from, to, network, mode) with the legs' count, first start, last end and distinct markings
(a bit set), under the user's clearance (``query.where``), so a leg the user may not see is in
no row, no count and no banner. The rows are held as small numpy columns of codes. A mode
filter, a change of colouring (network or mode) and the roll-up of what is drawn are then
masks, sorts and ``reduceat`` over those rows, never another query: some ten thousand rows for
the 200,000 legs of the million-event bench world.

Groups come back in ``query.leg_groups``'s order (most legs first, then from, to and key, a
missing key first) with the same counts, so the two can be checked against each other.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from hstc_desk.movement import query as mq
from hstc_desk.movement.routes import OTHER
from hstc_desk.store import Store


def _codes(values: Sequence[str | None]) -> tuple[list[str | None], np.ndarray]:
    """Distinct values sorted as SQLite sorts them (NULL first) and each value's code, so code
    order is the SQL order."""
    distinct = sorted(set(values), key=lambda v: (v is not None, v or ""))
    index = {v: i for i, v in enumerate(distinct)}
    return distinct, np.fromiter((index[v] for v in values), dtype=np.int32, count=len(values))


@dataclass(frozen=True)
class LegTable:
    """Rows of (route, network, mode) with counts, first starts, last ends and markings."""

    flt: mq.MovementFilter
    routes: list[tuple[str | None, str | None]]
    networks: list[str | None]
    modes: list[str | None]
    markings: list[str]
    route: np.ndarray
    network: np.ndarray
    mode: np.ndarray
    marks: np.ndarray
    """(rows, words) bit sets over ``markings``: which markings each row's legs carry."""
    n: np.ndarray
    first: np.ndarray
    last: np.ndarray
    _orders: dict = field(default_factory=dict, compare=False, repr=False)

    def __len__(self) -> int:
        return len(self.n)

    @property
    def legs(self) -> int:
        return int(self.n.sum())

    def mask(self, modes: Sequence[str] = (), places: set[str] | None = None) -> np.ndarray:
        """Rows of legs by one of ``modes`` (any when empty) between two of ``places`` (any
        when None)."""
        keep = np.ones(len(self), dtype=bool)
        if modes:
            wanted = np.array([m in set(modes) for m in self.modes], dtype=bool)
            keep &= wanted[self.mode] if len(self.modes) else keep
        if places is not None:
            ok = np.array([a in places and b in places for a, b in self.routes], dtype=bool)
            keep &= ok[self.route] if len(self.routes) else keep
        return keep

    def _sorted(self, by: mq.LegBy, keep: tuple[str | None, ...] | None
                ) -> tuple[list[str | None], np.ndarray, np.ndarray]:
        """Key names, each row's group code (route and key) and the rows in code order, for a
        grouping: sorted once, then a mask of rows keeps that order."""
        cached = self._orders.get((by, keep))
        if cached is None:
            names, key = self._keys(by)
            key = key.astype(np.int64)
            if keep is not None:
                kept = set(keep)
                remap = np.array([i if k in kept else len(names) for i, k in enumerate(names)]
                                 + [len(names)], dtype=np.int64)
                names.append(OTHER)
                key = remap[key] if len(key) else key
            combo = self.route.astype(np.int64) * len(names) + key
            cached = (names, combo, np.argsort(combo, kind="stable"))
            self._orders[(by, keep)] = cached
        return cached

    def _keys(self, by: mq.LegBy) -> tuple[list[str | None], np.ndarray]:
        if by == "network":
            return list(self.networks), self.network
        if by == "mode":
            return list(self.modes), self.mode
        raise ValueError(f"cannot group legs by {by!r}")

    def busiest(self, by: mq.LegBy, rows: np.ndarray, n: int) -> list[str | None]:
        """The ``n`` networks or modes with the most legs in ``rows`` (ties by key, a missing
        key last), busiest first: those that get a colour of their own."""
        names, key = self._keys(by)
        totals = np.bincount(key[rows], weights=self.n[rows], minlength=len(names))
        ranked = sorted((i for i in range(len(names)) if totals[i] > 0),
                        key=lambda i: (-totals[i], names[i] is None, names[i] or ""))
        return [names[i] for i in ranked[:n]]

    def keys_in(self, by: mq.LegBy, rows: np.ndarray) -> int:
        """How many networks or modes have legs in ``rows``."""
        names, key = self._keys(by)
        return int(np.count_nonzero(np.bincount(key[rows], minlength=len(names))))

    def groups(self, by: mq.LegBy, rows: np.ndarray, *,
               keep: Sequence[str | None] | None = None
               ) -> tuple[list[mq.LegGroup], np.ndarray]:
        """The rows ``rows`` (a mask) grouped by (from, to, network or mode) in
        ``query.leg_groups`` order, and for each row the index of its group (-1 outside).

        With ``keep``, only those keys keep groups of their own; every other key's legs merge
        into one ``routes.OTHER`` group per route (as ``routes.keep_busiest`` does), so no leg
        is left out of a count."""
        names, combo, order = self._sorted(by, tuple(keep) if keep is not None else None)
        which = np.full(len(self), -1, dtype=np.int64)
        picked = order[rows[order]]  # the rows asked for, in group order
        if not len(picked):
            return [], which
        width = len(names)
        combo_sorted = combo[picked]
        starts = np.flatnonzero(np.r_[True, combo_sorted[1:] != combo_sorted[:-1]])
        counts = np.add.reduceat(self.n[picked], starts)
        firsts = np.minimum.reduceat(self.first[picked], starts)
        lasts = np.maximum.reduceat(self.last[picked], starts)
        uniq = combo_sorted[starts]
        route, k = uniq // width, uniq % width
        # most legs first; ties by from, to, key: the codes are in SQL order
        rank = np.lexsort((k, route, -counts))
        position = np.empty(len(rank), dtype=np.int64)
        position[rank] = np.arange(len(rank))
        which[picked] = np.repeat(position, np.diff(np.r_[starts, len(combo_sorted)]))
        out = [mq.LegGroup(*self.routes[int(route[i])], names[int(k[i])], int(counts[i]),
                           int(firsts[i]), int(lasts[i])) for i in rank]
        return out, which

    def markings_of(self, rows: np.ndarray) -> list[str]:
        """The distinct markings of the legs in ``rows`` (a mask): the union of the rows'
        bit sets."""
        if not rows.any():
            return []
        union = np.bitwise_or.reduce(self.marks[rows], axis=0)
        return [m for i, m in enumerate(self.markings)
                if int(union[i // 64]) >> (i % 64) & 1]


def load(store: Store, flt: mq.MovementFilter) -> LegTable:
    """The legs ``flt`` shows, whatever their mode, grouped by route, network and mode in one
    query (visibility and the "view as" destination in its ``WHERE``), with each group's
    distinct markings: the banner needs which markings a stripe draws, not how many of each,
    and grouping by marking too would hold five times the rows."""
    base = replace(flt, modes=(), kinds=("route_leg",))
    rows: list[tuple] = []
    if "route_leg" in flt.kinds:
        w, args = mq.where(store, base)
        # the literal kind lets the planner walk the partial index of legs in group order
        rows = store.conn.execute(
            f"SELECT m.loc_from, m.loc_to, m.network, m.mode, "
            f"json_group_array(DISTINCT m.marking), count(*), min(m.t0), max(m.t1) "
            f"FROM movement m WHERE m.kind = 'route_leg' AND {w} "
            f"GROUP BY m.loc_from, m.loc_to, m.network, m.mode", args).fetchall()
    pairs = [(r[0], r[1]) for r in rows]
    routes = sorted(set(pairs), key=lambda p: (p[0] is not None, p[0] or "",
                                                p[1] is not None, p[1] or ""))
    index = {p: i for i, p in enumerate(routes)}
    networks, network = _codes([r[2] for r in rows])
    modes, mode = _codes([r[3] for r in rows])
    lists: dict[str, list[str]] = {}  # a few dozen distinct lists: parse each once
    for r in rows:
        if r[4] not in lists:
            lists[r[4]] = json.loads(r[4])
    names = sorted({m for found in lists.values() for m in found})
    code = {m: i for i, m in enumerate(names)}
    words = max(1, (len(names) + 63) // 64)
    bits: dict[str, np.ndarray] = {}
    for text, found in lists.items():
        row = np.zeros(words, dtype=np.uint64)
        for m in found:
            row[code[m] // 64] |= np.uint64(1) << np.uint64(code[m] % 64)
        bits[text] = row
    marks = (np.stack([bits[r[4]] for r in rows]) if rows
             else np.zeros((0, words), dtype=np.uint64))
    return LegTable(
        flt=base, routes=routes, networks=networks, modes=modes, markings=names,
        route=np.fromiter((index[p] for p in pairs), dtype=np.int32, count=len(pairs)),
        network=network, mode=mode, marks=marks,
        n=np.fromiter((r[5] for r in rows), dtype=np.int64, count=len(rows)),
        first=np.fromiter((r[6] for r in rows), dtype=np.int64, count=len(rows)),
        last=np.fromiter((r[7] for r in rows), dtype=np.int64, count=len(rows)))
