"""The ``rekey`` section of ``hstc bench`` (issue 12): a whole rekey of the bench's store (a new
database key, every slot resealed, the journal, the checkpoints, the audit record) against a
bare ``PRAGMA rekey`` on the same file through a bare sqlcipher3 connection with default
settings, closed afterwards (its close checkpoints the rewritten pages into the file, as the
rekey's own final checkpoint does). Runs alternate, ours first, and the medians are compared.
"""

from __future__ import annotations

import secrets
import statistics
import time
from pathlib import Path
from typing import Any

from hstc_desk.bench.store_bench import _raw_connect
from hstc_desk.store import Store, rekey
from hstc_desk.store.connection import connect
from hstc_desk.store.keyslots import Unlocked


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
