"""Full-text search over the FTS5 index, one page at a time (keyset on rank, rowid)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

import sqlcipher3

_WORD = re.compile(r"[\w][\w'\-]*", re.UNICODE)


def fts_query(text: str, *, prefix_last: bool = False) -> str:
    """Turn what a user typed into a safe FTS5 expression: every word must match.

    Words are quoted, so FTS5 operators and punctuation in the input are plain text, never syntax.
    With ``prefix_last`` the last word matches as a prefix (search as you type).
    """
    words = [w.replace('"', "") for w in _WORD.findall(text)]
    if not words:
        return ""
    parts = [f'"{w}"' for w in words]
    if prefix_last:
        parts[-1] += "*"
    return " ".join(parts)


def query_terms(text: str) -> list[str]:
    """The words a query matches, lower case, for highlighting."""
    return [w.lower() for w in _WORD.findall(text)]


class Hit(NamedTuple):
    """One search result, in the column order of the query that makes it."""

    rid: int
    id: str
    kind: str
    title: str
    marking: str
    day: str
    originator: str
    case_id: str | None
    rank: float


@dataclass(frozen=True)
class SearchCursor:
    """Where the next page starts: after this (rank, rid)."""

    rank: float
    rid: int


_HIT_COLUMNS = "i.rid, i.id, i.kind, i.title, i.marking, i.day, i.originator, i.case_id"

# One statement: rank in FTS5, keep the best ``limit``, and only then join those to items.
# ``ORDER BY rank, rowid`` (not ``rank`` alone) lets SQLite's top-N sorter do the work; FTS5's
# own sorted-by-rank plan is more than twice as slow for common words.
_TOP = (f"SELECT {_HIT_COLUMNS}, t.r FROM (SELECT rowid AS rid, rank AS r FROM items_fts "
        "WHERE items_fts MATCH ?{after} ORDER BY rank, rowid LIMIT ?) AS t "
        "JOIN items AS i ON i.rid = t.rid{visible} ORDER BY t.r, t.rid")
_AFTER = " AND (rank > ? OR (rank = ? AND rowid > ?))"


def ranked(conn: sqlcipher3.Connection, expr: str, limit: int,
           after: SearchCursor | None = None) -> list[tuple[int, float]]:
    """(rowid, rank) of the next ``limit`` matches, best first, after ``after``."""
    if after is None:
        return conn.execute(
            "SELECT rowid, rank FROM items_fts WHERE items_fts MATCH ? ORDER BY rank, rowid "
            "LIMIT ?", (expr, limit)).fetchall()
    return conn.execute(
        f"SELECT rowid, rank FROM items_fts WHERE items_fts MATCH ?{_AFTER} "
        "ORDER BY rank, rowid LIMIT ?", (expr, after.rank, after.rank, after.rid, limit)).fetchall()


def top_hits(conn: sqlcipher3.Connection, expr: str, limit: int, after: SearchCursor | None,
             visible_sql: str, visible_args: tuple) -> tuple[list[Hit], SearchCursor | None]:
    """Up to ``limit`` ranked matches after ``after``, hydrated; and where the scan stopped.

    The cursor is None when the matches are exhausted. Fewer hits than matches scanned means
    some were above the user's clearance.
    """
    args: tuple = (expr,)
    if after is not None:
        args += (after.rank, after.rank, after.rid)
    sql = _TOP.format(after=_AFTER if after else "", visible=visible_sql)
    if not visible_sql:
        rows = conn.execute(sql, (*args, limit)).fetchall()
        hits = list(map(Hit._make, rows))
        last = SearchCursor(hits[-1].rank, hits[-1].rid) if len(hits) == limit else None
        return hits, last
    # With a clearance filter the join drops rows: find where the ranked scan stopped.
    got = ranked(conn, expr, limit, after)
    if not got:
        return [], None
    hits = hydrate(conn, got, visible_sql, visible_args)
    last = SearchCursor(got[-1][1], got[-1][0]) if len(got) == limit else None
    return hits, last


def hydrate(conn: sqlcipher3.Connection, ranked: list[tuple[int, float]],
            visible_sql: str, visible_args: tuple) -> list[Hit]:
    """Hits for known (rid, rank) pairs, in rank order, dropping what the filter hides."""
    if not ranked:
        return []
    rank_of = dict(ranked)
    marks = ",".join("?" * len(ranked))
    rows = conn.execute(
        f"SELECT {_HIT_COLUMNS} FROM items AS i WHERE i.rid IN ({marks}){visible_sql}",
        (*rank_of, *visible_args),
    ).fetchall()
    hits = [Hit(*row, rank_of[row[0]]) for row in rows]
    hits.sort(key=lambda h: (h.rank, h.rid))
    return hits
