"""Full-text search over the FTS5 index, one page at a time (keyset on rank, rowid)."""

from __future__ import annotations

import re
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Hit:
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


_RANKED = "SELECT rowid, rank FROM items_fts WHERE items_fts MATCH ? ORDER BY rank LIMIT ?"
_RANKED_AFTER = (
    "SELECT rowid, rank FROM items_fts WHERE items_fts MATCH ? "
    "AND (rank > ? OR (rank = ? AND rowid > ?)) ORDER BY rank, rowid LIMIT ?")


def ranked_rids(conn: sqlcipher3.Connection, expr: str, limit: int,
                after: SearchCursor | None = None) -> list[tuple[int, float]]:
    if after is None:
        rows = conn.execute(_RANKED, (expr, limit)).fetchall()
        # bm25 ties: make the order total so the keyset of the next page is exact.
        return sorted(rows, key=lambda r: (r[1], r[0]))
    return conn.execute(_RANKED_AFTER, (expr, after.rank, after.rank, after.rid, limit)).fetchall()


def hydrate(conn: sqlcipher3.Connection, ranked: list[tuple[int, float]],
            visible_sql: str, visible_args: tuple) -> list[Hit]:
    if not ranked:
        return []
    rank_of = dict(ranked)
    marks = ",".join("?" * len(ranked))
    rows = conn.execute(
        f"SELECT rid, id, kind, title, marking, day, originator, case_id FROM items "
        f"WHERE rid IN ({marks}){visible_sql}",
        (*rank_of, *visible_args),
    ).fetchall()
    hits = [Hit(*row, rank=rank_of[row[0]]) for row in rows]
    hits.sort(key=lambda h: (h.rank, h.rid))
    return hits
