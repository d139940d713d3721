"""Browse queries over a store: filtered, sorted, paged lists of items, cases and audit records.

Plain functions over a :class:`Store` (no Qt). Sorting and filtering happen in SQL. Lists page by
keyset; reaching an arbitrary row (a scroll bar dragged to row 500,000) starts from the nearest
known keyset *anchor* and skips with ``OFFSET`` along the sort index, so no code path brings
every row into Python. Every query hides what the user's clearance does not dominate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from hstc_desk.store.rows import CONTROL_BITS, SCI_BITS, sci_bits
from hstc_desk.store.search import SearchCursor, fts_query, ranked

if TYPE_CHECKING:
    from hstc_desk.store.store import Store

PAGE = 256

# Sort column -> the key expressions, matching an index (schema migrations) so ORDER BY and the
# keyset comparison walk that index. The last key is always rid, so every order is total.
SORT_KEYS: dict[str, tuple[str, ...]] = {
    "kind": ("kind", "day", "rid"),
    "title": ("title COLLATE NOCASE", "rid"),
    # by classification level, then SCI and dissemination controls, then the text (REL TO lists)
    "marking": ("level", "sci", "controls", "marking", "rid"),
    "originator": ("originator", "day", "rid"),
    "day": ("day", "rid"),
    "case": ("ifnull(case_id, '')", "day", "rid"),
}
SORT_COLUMNS = tuple(SORT_KEYS)

_ROW_COLUMNS = ("rid, id, kind, title, marking, originator, day, case_id, level, restricted, "
                "conflict")


class Row(NamedTuple):
    """One line of a browse list or of search hits: what the table shows, plus its keyset key
    (the sort columns' values for a browse list, (rank, rid) for search hits)."""

    rid: int
    id: str
    kind: str
    title: str
    marking: str
    originator: str
    day: str
    case_id: str | None
    level: int
    restricted: int
    conflict: int
    key: tuple


@dataclass(frozen=True)
class BrowseFilter:
    """What the analyst narrowed the list to. Empty fields do not filter."""

    kinds: tuple[str, ...] = ()
    levels: tuple[int, ...] = ()
    controls: tuple[str, ...] = ()  # tokens every row must carry: "NF", "SI", "REL", "LES", ...
    originator: str = ""
    day_from: str = ""  # ISO dates, inclusive
    day_to: str = ""
    case_id: str = ""
    text: str = ""  # full-text search words (last word a prefix)

    def is_empty(self) -> bool:
        return self == BrowseFilter()


@dataclass(frozen=True)
class Sort:
    column: str = "day"
    descending: bool = True

    def __post_init__(self) -> None:
        if self.column not in SORT_KEYS:
            raise ValueError(f"cannot sort by {self.column!r}")


def visible_sql(store: Store, alias: str = "") -> tuple[str, tuple]:
    """SQL (`` AND ...``) that hides items this user's clearance does not dominate."""
    cl, acc = store.clearance, store.accreditation
    if cl.level >= acc.level and cl.sci >= acc.sci:
        return "", ()
    a = f"{alias}." if alias else ""
    return (f" AND {a}level <= ? AND ({a}sci & ?) = 0",
            (int(cl.level), 7 & ~sci_bits(cl.sci)))


def filter_sql(store: Store, flt: BrowseFilter) -> tuple[str, list[Any]]:
    """The WHERE clause (always starting ``1``) of a filter plus visibility, and its arguments."""
    sql, args = ["1"], []
    if flt.kinds:
        sql.append(f"kind IN ({','.join('?' * len(flt.kinds))})")
        args += flt.kinds
    if flt.levels:
        sql.append(f"level IN ({','.join('?' * len(flt.levels))})")
        args += flt.levels
    sci = sum(SCI_BITS[t] for t in flt.controls if t in SCI_BITS)
    ctl = sum(CONTROL_BITS[t] for t in flt.controls if t in CONTROL_BITS)
    unknown = [t for t in flt.controls if t not in SCI_BITS and t not in CONTROL_BITS]
    if unknown:
        raise ValueError(f"unknown control token {unknown[0]!r}")
    if sci:
        sql.append("(sci & ?) = ?")
        args += [sci, sci]
    if ctl:
        sql.append("(controls & ?) = ?")
        args += [ctl, ctl]
    if flt.originator:
        sql.append("originator = ?")
        args.append(flt.originator)
    if flt.day_from:
        sql.append("day >= ?")
        args.append(flt.day_from)
    if flt.day_to:
        sql.append("day <= ?")
        args.append(flt.day_to)
    if flt.case_id:
        sql.append("case_id = ?")
        args.append(flt.case_id)
    if flt.text:
        expr = fts_query(flt.text, prefix_last=True)
        if expr:
            sql.append("rid IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ?)")
            args.append(expr)
    vis, vargs = visible_sql(store)
    return " AND ".join(sql) + vis, args + list(vargs)


def count(store: Store, flt: BrowseFilter) -> int:
    where, args = filter_sql(store, flt)
    return store.conn.execute(f"SELECT count(*) FROM items WHERE {where}", args).fetchone()[0]


def _order(sort: Sort) -> tuple[tuple[str, ...], str, str]:
    keys = SORT_KEYS[sort.column]
    direction = " DESC" if sort.descending else ""
    return keys, ", ".join(k + direction for k in keys), "<" if sort.descending else ">"


def _keyset(keys: tuple[str, ...], op: str, key: tuple,
            inclusive: bool) -> tuple[str, list[Any]]:
    """`` AND`` the rows past ``key`` in sort order. Written as ``k1 <= ? AND (k1 < ? OR
    (k2, ...) < (?, ...))`` rather than one row value, so SQLite seeks the index on k1 (a row
    value holding a COLLATE term is scanned, not searched)."""
    first, rest = keys[0], keys[1:]
    eq = "=" if inclusive else ""
    cond = (f" AND {first} {op}= ? AND ({first} {op} ? OR "
            f"({', '.join(rest)}) {op}{eq} ({', '.join('?' * len(rest))}))")
    return cond, [key[0], key[0], *key[1:]]


def page(store: Store, flt: BrowseFilter, sort: Sort, *, after: tuple | None = None,
         anchor: tuple | None = None, skip: int = 0, limit: int = PAGE) -> list[Row]:
    """One page in sort order.

    ``after``: the key of the row before the page (keyset). ``anchor``: the key of a row known to
    be in the list; the page then starts ``skip`` rows past it (the anchor row is row 0).
    With neither, ``skip`` counts from the top.
    """
    keys, order, op = _order(sort)
    where, args = filter_sql(store, flt)
    if after is not None:
        cond, cargs = _keyset(keys, op, after, inclusive=False)
        where += cond
        args += cargs
    elif anchor is not None:
        cond, cargs = _keyset(keys, op, anchor, inclusive=True)
        where += cond
        args += cargs
    sql = (f"SELECT {_ROW_COLUMNS}, {', '.join(keys)} FROM items WHERE {where} "
           f"ORDER BY {order} LIMIT ? OFFSET ?")
    rows = store.conn.execute(sql, (*args, limit, skip)).fetchall()
    n = len(keys)
    return [Row(*r[:-n], key=tuple(r[-n:])) for r in rows]


def position(store: Store, flt: BrowseFilter, sort: Sort, item_id: str) -> int | None:
    """The list index of ``item_id`` under this filter and sort, or None if it is not listed.

    Counts the rows that sort before it, along the sort index: no rows are fetched.
    """
    keys, _, op = _order(sort)
    where, args = filter_sql(store, flt)
    row = store.conn.execute(f"SELECT {', '.join(keys)} FROM items WHERE {where} AND id = ?",
                             (*args, item_id)).fetchone()
    if row is None:
        return None
    before, bargs = _keyset(keys, "<" if op == ">" else ">", tuple(row), inclusive=False)
    return store.conn.execute(f"SELECT count(*) FROM items WHERE {where}{before}",
                              (*args, *bargs)).fetchone()[0]


@dataclass
class Window:
    """A sparse, bounded cache of one browse list: blocks of PAGE rows fetched on demand.

    Holds at most ``max_blocks`` blocks; remembers the first key of every block it ever loaded
    (anchors), so a jump far down the list skips from the nearest anchor, not from the top.
    """

    store: Store
    flt: BrowseFilter = field(default_factory=BrowseFilter)
    sort: Sort = field(default_factory=Sort)
    max_blocks: int = 64
    total: int = 0
    _blocks: dict[int, list[Row]] = field(default_factory=dict)
    _anchors: dict[int, tuple] = field(default_factory=dict)

    def reset(self, flt: BrowseFilter | None = None, sort: Sort | None = None) -> None:
        if flt is not None:
            self.flt = flt
        if sort is not None:
            self.sort = sort
        self._blocks.clear()
        self._anchors.clear()
        self.total = count(self.store, self.flt)

    def row(self, index: int) -> Row | None:
        if not 0 <= index < self.total:
            return None
        block = self.block(index // PAGE)
        offset = index % PAGE
        return block[offset] if offset < len(block) else None

    def cached_block(self, index: int) -> list[Row]:
        """The cached block holding list index ``index`` (empty if it is not cached)."""
        return self._blocks.get(index // PAGE, [])

    @property
    def blocks_cached(self) -> int:
        return len(self._blocks)

    def cached(self, index: int) -> Row | None:
        block = self._blocks.get(index // PAGE)
        if block is None or index % PAGE >= len(block):
            return None
        return block[index % PAGE]

    def block(self, b: int) -> list[Row]:
        hit = self._blocks.pop(b, None)
        if hit is None:
            hit = self._load(b)
            if len(self._blocks) >= self.max_blocks:
                self._blocks.pop(next(iter(self._blocks)))  # least recently used first
        self._blocks[b] = hit
        return hit

    def _load(self, b: int) -> list[Row]:
        prev = self._blocks.get(b - 1)
        if prev and len(prev) == PAGE:
            rows = page(self.store, self.flt, self.sort, after=prev[-1].key)
        else:
            below = [a for a in self._anchors if 0 < a <= b]  # block 0 is the top anyway
            if below:
                a = max(below)
                rows = page(self.store, self.flt, self.sort, anchor=self._anchors[a],
                            skip=(b - a) * PAGE)
            else:
                rows = page(self.store, self.flt, self.sort, skip=b * PAGE)
        if rows:
            self._anchors[b] = rows[0].key
        return rows

    def find(self, item_id: str) -> int | None:
        """The list index of an item: from the cached blocks, else counted in SQL; None when
        the current filter does not list it."""
        for b, rows in self._blocks.items():
            for i, r in enumerate(rows):
                if r.id == item_id:
                    return b * PAGE + i
        return position(self.store, self.flt, self.sort, item_id)


# ---- search ---------------------------------------------------------------------------------

def _ranked_rids(conn: Any, expr: str, limit: int,
                 after: tuple[float, int] | None) -> list[tuple[int, float]]:
    return ranked(conn, expr, limit, SearchCursor(*after) if after else None)


def _newest_rids(conn: Any, expr: str, limit: int,
                 after: tuple[float, int] | None) -> list[tuple[int, float]]:
    if after is None:
        rows = conn.execute("SELECT rowid FROM items_fts WHERE items_fts MATCH ? "
                            "ORDER BY rowid DESC LIMIT ?", (expr, limit))
    else:
        rows = conn.execute("SELECT rowid FROM items_fts WHERE items_fts MATCH ? AND rowid < ? "
                            "ORDER BY rowid DESC LIMIT ?", (expr, after[1], limit))
    return [(r[0], 0.0) for r in rows]


def search_expr(text: str) -> str:
    """The FTS5 expression for what the analyst typed: every word, the last one as a prefix
    once it has two letters (a one-letter prefix matches most of the index)."""
    words = text.split()
    return fts_query(text, prefix_last=bool(words) and len(words[-1]) >= 2)


def search_page(store: Store, flt: BrowseFilter, *, after: tuple[float, int] | None = None,
                limit: int = 100, ranked: bool = True) -> list[Row]:
    """One page of full-text hits for ``flt.text``, narrowed by the rest of the filter.

    ``ranked``: best first (bm25, which scores every match before the first page); otherwise
    the latest added first (row id descending, not by date), which FTS5 streams (search as you
    type). ``after`` is (rank, rid) of the last hit shown (its ``key``).
    """
    expr = search_expr(flt.text)
    if not expr:
        return []
    rest = BrowseFilter(**{**flt.__dict__, "text": ""})
    where, wargs = filter_sql(store, rest)
    narrowed = where != "1"
    cursor = after
    out: list[Row] = []
    while len(out) < limit:
        want = limit - len(out) if not narrowed else max(limit, 400)
        if ranked:
            got = _ranked_rids(store.conn, expr, want, cursor)
        else:
            got = _newest_rids(store.conn, expr, want, cursor)
        if not got:
            break
        rank_of = dict(got)
        marks = ",".join("?" * len(got))
        rows = store.conn.execute(
            f"SELECT {_ROW_COLUMNS} FROM items WHERE rid IN ({marks}) AND {where}",
            (*rank_of, *wargs)).fetchall()
        hits = (Row(*r, key=(rank_of[r[0]], r[0])) for r in rows)
        out += sorted(hits, key=(lambda h: h.key) if ranked else (lambda h: -h.rid))
        cursor = (got[-1][1], got[-1][0])
        if len(got) < want:
            break
    return out[:limit]


# ---- cases and audit --------------------------------------------------------------------------

class CaseRow(NamedTuple):
    rid: int
    id: str
    title: str
    marking: str
    day: str


def cases_page(store: Store, *, after: tuple[str, int] | None = None,
               limit: int = PAGE) -> list[CaseRow]:
    """Cases, newest first, keyset on (day, rid)."""
    vis, vargs = visible_sql(store)
    where, args = "kind = 'case'" + vis, list(vargs)
    if after is not None:
        where += " AND (day, rid) < (?, ?)"
        args += list(after)
    rows = store.conn.execute(
        f"SELECT rid, id, title, marking, day FROM items WHERE {where} "
        "ORDER BY kind DESC, day DESC, rid DESC LIMIT ?", (*args, limit))
    return [CaseRow(*r) for r in rows]


def case_kinds(store: Store, case_id: str) -> list[tuple[str, int]]:
    """(kind, count) of the items of one case."""
    vis, vargs = visible_sql(store)
    rows = store.conn.execute(
        f"SELECT kind, count(*) FROM items WHERE case_id = ?{vis} GROUP BY kind ORDER BY kind",
        (case_id, *vargs))
    return [(k, n) for k, n in rows]


def originators(store: Store, limit: int = 500) -> list[str]:
    """Distinct originators (walks the originator index, skipping from one value to the next)."""
    out: list[str] = []
    last = ""
    conn = store.conn
    while len(out) < limit:
        row = conn.execute("SELECT originator FROM items WHERE originator > ? "
                           "ORDER BY originator LIMIT 1", (last,)).fetchone()
        if row is None:
            break
        last = row[0]
        out.append(last)
    return out


class AuditRow(NamedTuple):
    seq: int
    at: str
    actor: str
    action: str
    target: str
    detail: str


def audit_page(store: Store, *, before: int | None = None, limit: int = PAGE) -> list[AuditRow]:
    """Audit records, newest first, keyset on seq."""
    if before is None:
        rows = store.conn.execute(
            "SELECT seq, at, actor, action, target, detail FROM audit ORDER BY seq DESC LIMIT ?",
            (limit,))
    else:
        rows = store.conn.execute(
            "SELECT seq, at, actor, action, target, detail FROM audit WHERE seq < ? "
            "ORDER BY seq DESC LIMIT ?", (before, limit))
    return [AuditRow(*r) for r in rows]


def item_version(store: Store, item_id: str) -> int | None:
    """The stored version of an item (to notice an import changed it), or None."""
    row = store.conn.execute("SELECT version FROM items WHERE id = ?", (item_id,)).fetchone()
    return None if row is None else row[0]


def rid_of(store: Store, item_id: str) -> int | None:
    row = store.conn.execute("SELECT rid FROM items WHERE id = ?", (item_id,)).fetchone()
    return None if row is None else row[0]


def titles_of(store: Store, ids: list[str]) -> dict[str, tuple[str, str, str]]:
    """id -> (kind, title, marking) for the visible items among ``ids``."""
    if not ids:
        return {}
    vis, vargs = visible_sql(store)
    rows = store.conn.execute(
        f"SELECT id, kind, title, marking FROM items WHERE id IN ({','.join('?' * len(ids))})"
        f"{vis}", (*ids, *vargs))
    return {r[0]: (r[1], r[2], r[3]) for r in rows}
