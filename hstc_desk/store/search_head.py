"""Precomputed first pages for head terms: the words so common that scoring every match is slow.

For a one-word query, bm25 must score every item holding the word (160,000 of 200,000 for the
commonest) to find the best 50. The best ``DEPTH`` items of each head term are computed once,
after bulk loads (``Store.optimize``), and kept in the encrypted store. They are valid only while
the FTS index is exactly as it was: each set is stamped with a hash of the index's averages and
structure records, which change on every insert, update or delete. A stale or missing list means
search scores every match, as before, and gets the same answer.
"""

from __future__ import annotations

import hashlib
import unicodedata

import sqlcipher3

DEPTH = 250  # five pages of 50
MAX_TERMS = 64
MIN_SHARE = 0.02  # a head term is held by at least 2% of items...
MIN_DOCS = 2000  # ...and by at least this many


def index_stamp(conn: sqlcipher3.Connection) -> str:
    """A hash of the FTS5 records that every index change rewrites."""
    h = hashlib.sha256()
    rows = conn.execute("SELECT block FROM items_fts_data WHERE id IN (1, 10) ORDER BY id")
    for (block,) in rows:
        h.update(bytes(block))
    return h.hexdigest()


def normalize(word: str) -> str:
    """The form the unicode61 tokenizer stores: lower case, diacritics removed (canonical
    decomposition only: the tokenizer does not fold compatibility forms such as fullwidth)."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def rebuild(conn: sqlcipher3.Connection) -> int:
    """Recompute every head list; the caller holds a write transaction. Returns the term count."""
    conn.execute("DELETE FROM search_head")
    total = conn.execute("SELECT count(*) FROM items").fetchone()[0]
    threshold = max(MIN_DOCS, int(total * MIN_SHARE))
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.head_vocab "
                 "USING fts5vocab(main, items_fts, row)")
    try:
        terms = [t for (t,) in conn.execute(
            "SELECT term FROM temp.head_vocab WHERE doc >= ? ORDER BY doc DESC LIMIT ?",
            (threshold, MAX_TERMS))]
    finally:
        conn.execute("DROP TABLE temp.head_vocab")
    for term in terms:
        rows = conn.execute(
            "SELECT rowid, rank FROM items_fts WHERE items_fts MATCH ? ORDER BY rank, rowid "
            "LIMIT ?", (f'"{term}"', DEPTH)).fetchall()
        conn.executemany("INSERT INTO search_head (term, pos, rid, score) VALUES (?, ?, ?, ?)",
                         [(term, pos, rid, score) for pos, (rid, score) in enumerate(rows)])
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('search_head_stamp', ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (index_stamp(conn),))
    return len(terms)


def fresh(conn: sqlcipher3.Connection) -> bool:
    row = conn.execute("SELECT value FROM meta WHERE key = 'search_head_stamp'").fetchone()
    return row is not None and row[0] == index_stamp(conn)


def lookup(conn: sqlcipher3.Connection, word: str, limit: int,
           after: tuple[float, int] | None) -> list[tuple[int, float]] | None:
    """The next ``limit`` (rid, score) of a head term, or None when the list cannot answer.

    None means: not a head term, a stale list, or a page that runs past the list's depth
    (the caller then scores every match).
    """
    term = normalize(word)
    if after is None:
        rows = conn.execute(
            "SELECT rid, score FROM search_head WHERE term = ? ORDER BY pos LIMIT ?",
            (term, limit)).fetchall()
    else:
        rows = conn.execute(
            "SELECT rid, score FROM search_head WHERE term = ? AND "
            "(score > ? OR (score = ? AND rid > ?)) ORDER BY pos LIMIT ?",
            (term, after[0], after[0], after[1], limit)).fetchall()
    if len(rows) < limit:
        depth = conn.execute("SELECT count(*) FROM search_head WHERE term = ?",
                             (term,)).fetchone()[0]
        if depth == 0 or depth >= DEPTH:  # not a head term, or more matches lie past the list
            return None
    return rows if fresh(conn) else None


def terms(conn: sqlcipher3.Connection) -> frozenset[str]:
    """Every word that has a list (fresh or not)."""
    return frozenset(t for (t,) in conn.execute("SELECT DISTINCT term FROM search_head"))


class HeadTerms:
    """Which words have lists, remembered until the database changes.

    Only a shortcut for words that have none: a word in the set is still looked up and its list
    still checked against the index stamp, so a stale memory can cost time, never correctness.
    """

    def __init__(self) -> None:
        self._key: tuple[int, int] | None = None
        self._terms: frozenset[str] = frozenset()

    def get(self, conn: sqlcipher3.Connection, writes: int) -> frozenset[str]:
        key = (conn.execute("PRAGMA data_version").fetchone()[0], writes)
        if key != self._key:
            self._terms, self._key = terms(conn), key
        return self._terms
