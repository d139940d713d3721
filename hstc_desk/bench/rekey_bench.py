"""The ``rekey`` section of ``hstc bench`` (issue 12): a whole rekey of the bench's store (a new
database key, every slot resealed, the journal, the checkpoints, the audit record) against a
bare ``PRAGMA rekey`` on the same file through a bare sqlcipher3 connection with default
settings, closed afterwards (its close checkpoints the rewritten pages into the file, as the
rekey's own final checkpoint does). Runs alternate, ours first, and the medians are compared.

A rekey's cost is the store's pages, not how its rows were made, so ``python -m
hstc_desk.bench.rekey_bench --items 1000000`` measures the same on a store built fast
(``build_fast``): 20,000 generated items and their links through the store, then copied in SQL
under new ids (movement triggers firing, search index fed with each copy's title and text) up
to the count asked for.
"""

from __future__ import annotations

import secrets
import statistics
import time
from pathlib import Path
from typing import Any

from hstc_desk.bench.store_bench import BENCH_PW, BENCH_USER, _raw_connect
from hstc_desk.demo import generate
from hstc_desk.domain import Link
from hstc_desk.store import KdfParams, Store, rekey
from hstc_desk.store.connection import connect
from hstc_desk.store.keyslots import Unlocked
from hstc_desk.store.rows import FTS_INSERT, ITEM_COLUMNS

BASE = 20_000


def _bare_rekey(store: Store) -> tuple[float, float]:
    """Seconds for a bare PRAGMA rekey, and for it with the bare connection's close. The store
    is handed the new key afterwards (slots resealed, a fresh connection), outside the clock."""
    db = store.path / "store.db"
    store.conn.close()
    new_key = secrets.token_bytes(32)
    conn = _raw_connect(db, store._keys.db_key)
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    start = time.perf_counter()
    conn.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
    pragma = time.perf_counter() - start
    conn.close()
    whole = time.perf_counter() - start
    slots = store._slots
    for user in slots.users():
        if slots.sealed(user):
            slots.seal(user, new_key)
    slots.save()
    store.conn = connect(db, new_key)
    store._keys = Unlocked(new_key, store._keys.signing_key)
    return pragma, whole


def run(store: Store, work: Path, n: int, progress: Any = None) -> dict[str, Any]:
    repeat = 3 if n <= 200_000 else 1
    ours: list[float] = []
    bare: list[float] = []
    bare_pragma: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        rekey.rekey(store, "bench")
        ours.append(time.perf_counter() - start)
        pragma, whole = _bare_rekey(store)
        bare.append(whole)
        bare_pragma.append(pragma)
    ours_s, bare_s = statistics.median(ours), statistics.median(bare)
    size = (store.path / "store.db").stat().st_size
    return {
        "store_bytes": size, "items": store.count("items"), "runs": repeat,
        "rekey_s": round(ours_s, 3), "bare_rekey_s": round(bare_s, 3),
        "bare_pragma_alone_s": round(statistics.median(bare_pragma), 3),
        "ratio": round(ours_s / bare_s, 3) if bare_s else None,
        "mb_per_s": round(size / ours_s / 1e6, 1) if ours_s else None,
        "target": "<= 1.2x a bare PRAGMA rekey",
    }


def build_fast(work: Path, n: int, seed: int = 1) -> Store:
    """A store of ``n`` items built fast (see the module's docstring): a million took 15 min
    on the shared 2-core machine, against over an hour through the store section."""
    store = Store.create(work / "rekey-store", BENCH_USER, BENCH_PW, kdf=KdfParams())
    base = list(generate(min(n, BASE), seed))
    store.insert_items(base, action="bench.load")
    texts = [(o.title, o.search_text()) for o in base if not isinstance(o, Link)]
    cols = ITEM_COLUMNS.replace(" ", "").split(",")
    copied = ", ".join("rid + ?" if c == "rid" else "id || ?" if c == "id" else c for c in cols)
    count, round_ = len(texts), 0
    while count < n:
        round_ += 1
        take = min(len(texts), n - count)
        with store.transaction() as conn:
            conn.execute(f"INSERT INTO items ({', '.join(cols)}) SELECT {copied} FROM items "
                         "WHERE rid <= ?", (count, f"-c{round_}", take))
            conn.executemany(FTS_INSERT, ((count + i + 1, t, b)
                                          for i, (t, b) in enumerate(texts[:take])))
            conn.execute("INSERT INTO links (rid, id, src, dst, link_type, version, marking, "
                         "level, sci, body) SELECT rid + ?, id || ?, src || ?, dst || ?, "
                         "link_type, version, marking, level, sci, body FROM links WHERE rid <= ?",
                         (round_ * 10 ** 8, f"-c{round_}", f"-c{round_}", f"-c{round_}",
                          take))
            store.audit("bench.copy", f"{take} items", {"round": round_, "items": take})
        count += take
    store.optimize()
    return store


def main() -> None:
    import argparse
    import json
    import shutil
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--dir", help="work folder (default: a temp folder, removed after)")
    args = parser.parse_args()
    work = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="hstc-rekey-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        start = time.perf_counter()
        store = build_fast(work, args.items)
        built = time.perf_counter() - start
        try:
            result = run(store, work, args.items)
        finally:
            store.close()
        result["build_s"] = round(built, 1)
        print(json.dumps(result, indent=2))
    finally:
        if not args.dir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
