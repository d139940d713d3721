"""Movement queries: what moved when, aggregated in SQL under the user's clearance.

The ``movement`` table (schema migration "movement") holds one row per event, route leg and
source report, kept by triggers on ``items`` in the same transaction as every insert, update and
delete: times as Unix seconds, the leg's network, mode and ends, the event's place and type, and
copies of the item's marking columns so that filtering and counting never touch item bodies.
``movement_people`` lists each event's participants.

Nothing here loads a table: counts per bucket and per lane, groups of legs, and the distinct
markings of a view come back from ``GROUP BY``; individual marks only when they fit (``marks``
returns ``None`` past its limit and the caller draws densities from ``lane_bins``).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from hstc_desk import markings
from hstc_desk.markings.destinations import destination as destination_profile
from hstc_desk.store import Store
from hstc_desk.store.browse import visible_sql

KINDS = ("event", "route_leg", "report")
LaneBy = Literal["case", "network", "person", "kind"]
LegBy = Literal["network", "mode"]


@dataclass(frozen=True)
class MovementFilter:
    """What a movement view shows. Empty tuples mean "any"; times are Unix seconds, inclusive.

    ``destination`` is the "view as" mode: only what that destination profile may receive.
    """

    t_from: int | None = None
    t_to: int | None = None
    kinds: tuple[str, ...] = KINDS
    networks: tuple[str, ...] = ()
    persons: tuple[str, ...] = ()
    cases: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    levels: tuple[int, ...] = ()
    destination: str | None = None

    def __post_init__(self) -> None:
        unknown = set(self.kinds) - set(KINDS)
        if unknown:
            raise ValueError(f"not a movement kind: {sorted(unknown)[0]!r}")
        if self.t_from is not None and self.t_to is not None and self.t_to < self.t_from:
            raise ValueError("the time range ends before it starts")

    def between(self, t_from: int | None, t_to: int | None) -> MovementFilter:
        return _replace(self, t_from=t_from, t_to=t_to)


def _replace(flt: MovementFilter, **changes: Any) -> MovementFilter:
    from dataclasses import replace

    return replace(flt, **changes)


@dataclass(frozen=True)
class Mark:
    """One item on the timeline or map."""

    rid: int
    item_id: str
    kind: str
    t0: int
    t1: int
    lane: str | None
    title: str
    marking: str
    loc_from: str | None
    loc_to: str | None


@dataclass(frozen=True)
class LegGroup:
    """Legs from one place to another, grouped by network or mode, with how often and when."""

    loc_from: str
    loc_to: str
    key: str | None
    count: int
    first: int
    last: int


@dataclass(frozen=True)
class Lane:
    key: str | None
    count: int


# ---- the WHERE clause -------------------------------------------------------------------------

def where(store: Store, flt: MovementFilter, alias: str = "m") -> tuple[str, list[Any]]:
    """``WHERE`` text (without the keyword) and arguments for a filter, visibility included.

    A leg is in a time range when it overlaps it; events and reports when they fall in it.
    """
    a = f"{alias}."
    sql: list[str] = []
    args: list[Any] = []

    def any_of(column: str, values: Sequence[Any]) -> None:
        sql.append(f"{a}{column} IN ({','.join('?' * len(values))})")
        args.extend(values)

    if tuple(flt.kinds) != KINDS:
        any_of("kind", flt.kinds)
    if flt.t_to is not None:
        sql.append(f"{a}t0 <= ?")
        args.append(flt.t_to)
    if flt.t_from is not None:
        # t1 >= t0 always, and no leg lasts longer than the longest one stored: the t0 bound
        # keeps the scan to the window and that much before it
        sql.append(f"{a}t0 >= ? AND {a}t1 >= ?")
        args += [flt.t_from - longest_leg(store), flt.t_from]
    if flt.networks:
        any_of("network", flt.networks)
    if flt.modes:
        any_of("mode", flt.modes)
    if flt.cases:
        any_of("case_id", flt.cases)
    if flt.levels:
        any_of("level", flt.levels)
    if flt.persons:
        sql.append(f"{a}rid IN (SELECT rid FROM movement_people WHERE person IN "
                   f"({','.join('?' * len(flt.persons))}))")
        args += flt.persons
    if flt.countries:
        places = (f"SELECT id FROM items WHERE kind = 'location' AND "
                  f"json_extract(body, '$.country') IN ({','.join('?' * len(flt.countries))})")
        sql.append(f"({a}loc_from IN ({places}) OR {a}loc_to IN ({places}))")
        args += list(flt.countries) * 2
    vis, vargs = visible_sql(store, alias)
    if vis:
        sql.append(vis.removeprefix(" AND "))
        args += vargs
    if flt.destination:
        allowed = releasable_markings(store, flt.destination)
        if not allowed:
            sql.append("0")
        else:
            any_of("marking", sorted(allowed))
        if destination_profile(flt.destination).prosecution_use:
            sql.append(f"{a}restricted = 0")
        if destination_profile(flt.destination).foreign:
            sql.append(f"{a}conflict = 0")
    return (" AND ".join(sql) or "1"), args


def longest_leg(store: Store) -> int:
    """Seconds of the longest leg ever stored (kept by a trigger; never shrinks)."""
    return int(store.conn.execute("SELECT longest FROM movement_span").fetchone()[0])


def releasable_markings(store: Store, code: str) -> set[str]:
    """The distinct markings in the movement table that ``code`` may receive (a few dozen)."""
    dest = destination_profile(code)
    out = set()
    for (text,) in store.conn.execute("SELECT DISTINCT marking FROM movement"):
        if markings.releasable(markings.parse(text), dest):
            out.add(text)
    return out


# ---- aggregates -------------------------------------------------------------------------------

def extent(store: Store, flt: MovementFilter) -> tuple[int, int] | None:
    """The first and last moment of what the filter shows (legs to their end): the first and
    last rows in time order, and the latest end among rows begun within the longest leg of the
    last start, so nothing is scanned end to end."""
    w, args = where(store, flt)
    first = store.conn.execute(f"SELECT m.t0 FROM movement m WHERE {w} ORDER BY m.t0 LIMIT 1",
                               args).fetchone()
    if first is None:
        return None
    last = store.conn.execute(f"SELECT m.t0 FROM movement m WHERE {w} ORDER BY m.t0 DESC "
                              f"LIMIT 1", args).fetchone()[0]
    end = store.conn.execute(f"SELECT max(m.t1) FROM movement m WHERE {w} AND m.t0 >= ?",
                             [*args, last - longest_leg(store)]).fetchone()[0]
    return int(first[0]), int(end)


def count(store: Store, flt: MovementFilter, *, by: LaneBy | None = None) -> int:
    """Items the filter shows; with ``by``, the rows they make in those lanes (in person lanes an
    event counts once per participant)."""
    join = _lane_expr(by, flt)[1] if by else ""
    w, args = where(store, flt)
    return int(store.conn.execute(f"SELECT count(*) FROM movement m{join} WHERE {w}",
                                  args).fetchone()[0])


def _bucket_expr(t0: int, t1: int, buckets: int) -> tuple[str, list[Any]]:
    if buckets < 1 or t1 <= t0:
        raise ValueError("a histogram needs at least one bucket over a range that is not empty")
    width = (t1 - t0) / buckets
    return "min(CAST((m.t0 - ?) / ? AS INTEGER), ?)", [t0, width, buckets - 1]


def histogram(store: Store, flt: MovementFilter, t0: int, t1: int, buckets: int, *,
              by: LaneBy | None = None) -> np.ndarray:
    """Counts of items starting in each of ``buckets`` equal slices of [t0, t1] (with ``by``, of
    the lane rows they make, as ``count``)."""
    join = _lane_expr(by, flt)[1] if by else ""
    w, args = where(store, flt.between(t0, t1))
    expr, eargs = _bucket_expr(t0, t1, buckets)
    out = np.zeros(buckets, dtype=np.int64)
    sql = (f"SELECT {expr} AS b, count(*) FROM movement m{join} WHERE {w} AND m.t0 >= ? "
           f"GROUP BY b")
    for b, n in store.conn.execute(sql, [*eargs, *args, t0]):
        out[int(b)] = n
    return out


def _lane_expr(by: LaneBy, flt: MovementFilter) -> tuple[str, str]:
    """(column expression, extra FROM) for lanes. In person lanes an event stands in the lane of
    each participant (of each one the filter names, when it names some); an item with no
    participant stands in the ``None`` lane."""
    if by == "case":
        return "m.case_id", ""
    if by == "network":
        return "m.network", ""
    if by == "kind":
        return "m.kind", ""
    if by == "person":
        only = ""
        if flt.persons:
            quoted = ",".join("'" + p.replace("'", "''") + "'" for p in flt.persons)
            only = f" AND p.person IN ({quoted})"
        return "p.person", f" LEFT JOIN movement_people p ON p.rid = m.rid{only}"
    raise ValueError(f"cannot lay out lanes by {by!r}")


def lanes(store: Store, flt: MovementFilter, by: LaneBy, *, limit: int = 40) -> list[Lane]:
    """The busiest ``limit`` lanes (most items first; ties by key)."""
    col, join = _lane_expr(by, flt)
    w, args = where(store, flt)
    sql = (f"SELECT {col} AS lane, count(*) AS n FROM movement m{join} WHERE {w} "
           f"GROUP BY lane ORDER BY n DESC, lane LIMIT ?")
    return [Lane(k, n) for k, n in store.conn.execute(sql, [*args, limit])]


def _lane_in(col: str, keys: Sequence[str | None]) -> tuple[str, list[str]]:
    named = [k for k in keys if k is not None]
    sql = f"({col} IN ({','.join('?' * len(named))})" if named else "(0"
    sql += f" OR {col} IS NULL)" if None in keys else ")"
    return sql, named


def lane_counts(store: Store, flt: MovementFilter, by: LaneBy,
                keys: Sequence[str | None]) -> dict[str | None, int]:
    """How many items stand in each of the lanes ``keys`` (0 for a lane with none)."""
    col, join = _lane_expr(by, flt)
    w, args = where(store, flt)
    lane_sql, named = _lane_in(col, keys)
    out: dict[str | None, int] = dict.fromkeys(keys, 0)
    sql = (f"SELECT {col} AS lane, count(*) FROM movement m{join} WHERE {w} AND {lane_sql} "
           f"GROUP BY lane")
    for lane, n in store.conn.execute(sql, [*args, *named]):
        out[lane] = n
    return out


def lane_bins(store: Store, flt: MovementFilter, by: LaneBy, t0: int, t1: int, buckets: int,
              keys: Sequence[str | None]) -> dict[str | None, np.ndarray]:
    """For each lane in ``keys``, the count of items starting in each bucket of [t0, t1]."""
    col, join = _lane_expr(by, flt)
    w, args = where(store, flt.between(t0, t1))
    expr, eargs = _bucket_expr(t0, t1, buckets)
    out = {k: np.zeros(buckets, dtype=np.int64) for k in keys}
    lane_sql, named = _lane_in(col, keys)
    sql = (f"SELECT {col} AS lane, {expr} AS b, count(*) FROM movement m{join} "
           f"WHERE {w} AND m.t0 >= ? AND {lane_sql} GROUP BY lane, b")
    for lane, b, n in store.conn.execute(sql, [*eargs, *args, t0, *named]):
        out[lane][int(b)] = n
    return out


def marks(store: Store, flt: MovementFilter, *, by: LaneBy = "case",
          limit: int = 5000, described: bool = True) -> list[Mark] | None:
    """The individual items in view, oldest first, or ``None`` when more than ``limit`` match
    (draw ``lane_bins`` then). Never reads more than ``limit + 1`` rows. With ``described``
    False the marks carry no id or title (``describe`` fetches them for the one hovered or
    clicked): a redraw then never touches the items table."""
    col, join = _lane_expr(by, flt)
    w, args = where(store, flt)
    if described:
        sql = (f"SELECT m.rid, i.id, m.kind, m.t0, m.t1, {col}, i.title, m.marking, m.loc_from, "
               f"m.loc_to FROM movement m{join} JOIN items i ON i.rid = m.rid WHERE {w} "
               f"ORDER BY m.t0, m.rid LIMIT ?")
    else:
        sql = (f"SELECT m.rid, '', m.kind, m.t0, m.t1, {col}, '', m.marking, m.loc_from, "
               f"m.loc_to FROM movement m{join} WHERE {w} ORDER BY m.t0, m.rid LIMIT ?")
    rows = store.conn.execute(sql, [*args, limit + 1]).fetchall()
    if len(rows) > limit:
        return None
    return [Mark(*r) for r in rows]


def describe(store: Store, rid: int) -> tuple[str, str, str] | None:
    """(item id, title, portion mark) of one visible movement item, by row id."""
    extra, args = visible_sql(store)
    row = store.conn.execute(f"SELECT id, title, marking FROM items WHERE rid = ?{extra}",
                             (rid, *args)).fetchone()
    return (row[0], row[1], row[2]) if row else None


def leg_groups(store: Store, flt: MovementFilter, by: LegBy = "network",
               *, limit: int = 2000) -> list[LegGroup]:
    """Legs grouped by (from, to, network or mode), the most used first."""
    if by not in ("network", "mode"):
        raise ValueError(f"cannot group legs by {by!r}")
    if "route_leg" not in flt.kinds:
        return []
    w, args = where(store, _replace(flt, kinds=("route_leg",)))
    # the literal kind lets the planner use the partial index of legs
    sql = (f"SELECT m.loc_from, m.loc_to, m.{by}, count(*) AS n, min(m.t0), max(m.t1) "
           f"FROM movement m WHERE m.kind = 'route_leg' AND {w} "
           f"GROUP BY m.loc_from, m.loc_to, m.{by} "
           f"ORDER BY n DESC, m.loc_from, m.loc_to, m.{by} LIMIT ?")
    return [LegGroup(*r) for r in store.conn.execute(sql, [*args, limit])]


def view_markings(store: Store, flt: MovementFilter) -> list[str]:
    """The distinct markings of everything the filter shows."""
    w, args = where(store, flt)
    return sorted(r[0] for r in store.conn.execute(
        f"SELECT DISTINCT m.marking FROM movement m WHERE {w}", args))


def view_banner(store: Store, flt: MovementFilter, *, extra: Sequence[str] = ()) -> str:
    """The banner of a view: the roll-up of exactly what it shows (and of ``extra``, such as the
    locations drawn), UNCLASSIFIED when it shows nothing."""
    found = view_markings(store, flt) + list(extra)
    if not found:
        return "UNCLASSIFIED"
    return markings.rollup([markings.parse(m) for m in found]).banner()


@dataclass(frozen=True)
class Place:
    """A location drawn on the map."""

    item_id: str
    title: str
    marking: str
    lat: float
    lon: float
    country: str


def places(store: Store, ids: Sequence[str], *,
           destination: str | None = None) -> dict[str, Place]:
    """The visible locations among ``ids`` (a map's leg ends), in chunks of 500; with
    ``destination``, only those it may receive (a place it may not see is not drawn, nor are
    the legs that end there)."""
    extra, extra_args = visible_sql(store)
    out: dict[str, Place] = {}
    wanted = sorted({i for i in ids if i})
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        sql = (f"SELECT id, title, marking, json_extract(body, '$.lat'), "
               f"json_extract(body, '$.lon'), json_extract(body, '$.country') FROM items "
               f"WHERE kind = 'location' AND id IN ({','.join('?' * len(chunk))}){extra}")
        for row in store.conn.execute(sql, [*chunk, *extra_args]):
            out[row[0]] = Place(*row)
    if destination:
        dest = destination_profile(destination)
        ok = {m for m in {p.marking for p in out.values()}
              if markings.releasable(markings.parse(m), dest)}
        out = {k: p for k, p in out.items() if p.marking in ok}
    return out


def item_ids(store: Store, flt: MovementFilter, *,
             places: Sequence[str] | None = None) -> Iterator[str]:
    """The ids of everything the filter shows, sorted, streamed (a figure's record). With
    ``places`` (a map), only legs between those places, and the places themselves."""
    w, args = where(store, flt)
    if places is not None:
        marks = ",".join("?" * len(places)) or "NULL"
        w += f" AND m.loc_from IN ({marks}) AND m.loc_to IN ({marks})"
        args = [*args, *places, *places]
    cur = store.conn.execute(f"SELECT i.id FROM movement m JOIN items i ON i.rid = m.rid "
                             f"WHERE {w} ORDER BY i.id", args)
    rows = (item_id for (item_id,) in cur)
    yield from heapq.merge(rows, sorted(set(places or ())))


def filter_record(flt: MovementFilter) -> dict[str, Any]:
    """A filter as plain data (what a figure records of how it was made)."""
    from dataclasses import asdict

    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(flt).items()
            if v not in (None, ())}
