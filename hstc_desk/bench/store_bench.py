"""The ``store`` section of ``hstc bench``: insert, search and open, each beside a raw baseline.

Baselines run in the same process on the same machine at the same time:
- insert: the same rows through a bare sqlcipher3 ``executemany`` into the same schema;
- search: the same FTS5 ``MATCH ... ORDER BY bm25 LIMIT 50`` on a bare sqlcipher3 connection
  with default settings, over the same database file;
- open: the Argon2id derivation alone.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import sqlcipher3

from hstc_desk.bench.timing import compare, median_ms
from hstc_desk.demo import generate
from hstc_desk.domain import Link
from hstc_desk.store import KdfParams, Store
from hstc_desk.store.rows import FTS_INSERT, ITEM_INSERT, LINK_INSERT, item_row, link_row
from hstc_desk.store.schema import MIGRATIONS
from hstc_desk.store.search import fts_query, top_hits

BENCH_USER, BENCH_PW = "bench", "bench-only password"
CHUNK = 5000


def _chunks(n: int, seed: int) -> Iterator[list]:
    it = generate(n, seed)
    while chunk := list(islice(it, CHUNK)):
        yield chunk


def _raw_connect(path: Path, key: bytes) -> sqlcipher3.Connection:
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return conn


def raw_twin(path: Path) -> sqlcipher3.Connection:
    """A bare sqlcipher3 database with default settings and the items, FTS and links tables."""
    path.unlink(missing_ok=True)
    conn = _raw_connect(path, secrets.token_bytes(32))
    for stmt in (s for s in MIGRATIONS[0].split(";") if s.strip()):
        conn.execute(stmt)
    return conn


def raw_insert(conn: sqlcipher3.Connection, items: list[tuple], fts: list[tuple],
               links: list[tuple]) -> float:
    """Seconds to insert ready-made rows in one transaction: the raw baseline's database work."""
    t = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany(ITEM_INSERT, items)
    conn.executemany(FTS_INSERT, fts)
    conn.executemany(LINK_INSERT, links)
    conn.execute("COMMIT")
    return time.perf_counter() - t


def bench_insert(work: Path, n: int, seed: int, progress: Any = None) -> tuple[Store, dict]:
    """Build the store (timed) and a raw twin (timed) from the same rows, chunk by chunk."""
    store = Store.create(work / "store", BENCH_USER, BENCH_PW, role="admin",
                         kdf=KdfParams())
    raw = raw_twin(work / "raw.db")
    ours_s = raw_s = 0.0
    items = 0
    rid_item = rid_link = 0
    for chunk in _chunks(n, seed):
        # The raw rows are made outside the clock: the baseline is the database work alone.
        item_rows, fts_rows, link_rows = [], [], []
        for obj in chunk:
            if isinstance(obj, Link):
                rid_link += 1
                link_rows.append(link_row(rid_link, obj))
            else:
                rid_item += 1
                item_rows.append(item_row(rid_item, obj))
                fts_rows.append((rid_item, obj.title, obj.search_text()))
        raw_s += raw_insert(raw, item_rows, fts_rows, link_rows)
        t = time.perf_counter()
        store.insert_items(chunk, batch=CHUNK, action="bench.load")
        ours_s += time.perf_counter() - t
        items += len(item_rows)
        if progress:
            progress(items)
    raw.close()
    os.unlink(work / "raw.db")
    store.optimize()
    ours_rate, raw_rate = items / ours_s, items / raw_s
    return store, {
        "items": items,
        "items_per_s": round(ours_rate), "raw_items_per_s": round(raw_rate),
        "ratio": round(ours_rate / raw_rate, 3), "target": ">= 0.5 (throughput vs raw)",
    }


def _pick_terms(store: Store) -> dict[str, tuple[str, int]]:
    """A common, a medium and a rare term, by how many items hold them."""
    n = store.count("items")
    conn = store.conn
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.bench_vocab "
                 "USING fts5vocab(main, items_fts, row)")
    common = conn.execute(
        "SELECT term, doc FROM temp.bench_vocab ORDER BY doc DESC LIMIT 1").fetchone()
    medium = conn.execute(
        "SELECT term, doc FROM temp.bench_vocab WHERE doc BETWEEN ? AND ? "
        "ORDER BY abs(doc - ?) LIMIT 1", (n // 400, n // 25, n // 100)).fetchone()
    rare = conn.execute(
        "SELECT term, doc FROM temp.bench_vocab WHERE doc BETWEEN 3 AND 30 "
        "AND length(term) > 4 ORDER BY doc DESC, term LIMIT 1").fetchone()
    conn.execute("DROP TABLE temp.bench_vocab")
    return {k: (v[0], v[1]) for k, v in (("common", common), ("medium", medium), ("rare", rare))
            if v}


def bench_search(store: Store) -> dict[str, Any]:
    raw = _raw_connect(store.path / "store.db", store._keys.db_key)
    raw_sql = ("SELECT rowid, bm25(items_fts) FROM items_fts WHERE items_fts MATCH ? "
               "ORDER BY bm25(items_fts) LIMIT 50")
    out: dict[str, Any] = {}
    for label, (term, docs) in _pick_terms(store).items():
        expr = fts_query(term)
        ours = store.search(term, limit=50)
        base = raw.execute(raw_sql, (expr,)).fetchall()
        same = [h.rid for h in ours] == [r[0] for r in sorted(base, key=lambda r: (r[1], r[0]))]
        ours_ms = median_ms(lambda t=term: store.search(t, limit=50))
        raw_ms = median_ms(lambda e=expr: raw.execute(raw_sql, (e,)).fetchall())
        target = "<= 0.25" if label == "common" else "<= 1.5"
        out[label] = {"term": term, "items_matching": docs, "same_results_as_raw": same,
                      **compare(ours_ms, raw_ms, target)}
    # The same common word with its precomputed list bypassed: what any uncached common query
    # costs on the store's connection (its page cache) against the bare one.
    if "common" in out:
        term = out["common"]["term"]
        expr = fts_query(term)
        ours_ms = median_ms(lambda: top_hits(store.conn, expr, 50, None, "", ()))
        raw_ms = median_ms(lambda: raw.execute(raw_sql, (expr,)).fetchall())
        out["common_full_scoring"] = {"term": term, **compare(ours_ms, raw_ms, "reported")}
    raw.close()
    return out


def bench_open(store: Store) -> dict[str, Any]:
    path = store.path
    kdf = KdfParams()
    salt = os.urandom(16)
    raw_ms = median_ms(lambda: kdf.derive(BENCH_PW, salt), repeat=3)

    def _open() -> None:
        Store.open(path, BENCH_USER, BENCH_PW).close()

    ours_ms = median_ms(_open, repeat=3)
    return {**compare(ours_ms, raw_ms, "KDF dominates (ratio near 1)"),
            "kdf": f"Argon2id t={kdf.iterations} m={kdf.memory_kib} KiB p={kdf.lanes}"}


def run(work: Path, n: int, seed: int = 1, progress: Any = None) -> tuple[Store, dict]:
    store, insert = bench_insert(work, n, seed, progress)
    result = {"insert": insert, "search": bench_search(store), "open": bench_open(store),
              "store_bytes": (store.path / "store.db").stat().st_size}
    return store, result
