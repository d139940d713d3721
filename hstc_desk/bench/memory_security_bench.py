"""The ``memsec`` section of ``hstc bench``: open and search with ``cipher_memory_security`` on
and off, on the same store file in the same run (issue 12 item 4).

SQLCipher's memory security wipes every block of memory it frees (and locks its own). The
setting is global to a process and, once on, cannot be turned off again, so each setting is
measured in a fresh child process of the same program: a throwaway connection turns it on (or
not) first, then the store's own ``connect()`` opens the store file (its ``OFF`` then has no
effect: the child reports the setting it really ran with).

Figures: ``open`` (the store's connect with the raw key: keying, the schema read, its
pragmas; the password's Argon2id is the same either way and left out), ``search`` for a
common, a medium and a rare term through the store's own ranked search (``top_hits``): warm
(the same connection, page cache full) and cold (a new connection, first search).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from hstc_desk.bench.store_bench import _pick_terms
from hstc_desk.bench.timing import median_ms
from hstc_desk.store import Store

REPEAT = 5


def run(store: Store, work: Path, n: int, progress: Any = None) -> dict[str, Any]:
    terms = {label: term for label, (term, _) in _pick_terms(store).items()}
    job = {"db": str(store.path / "store.db"), "key": store._keys.db_key.hex(), "terms": terms}
    # Twice each, alternating, and the faster of the two kept: drift on a shared machine
    # (another process, the page cache of the file) falls on both settings alike.
    runs: dict[str, list[dict[str, Any]]] = {"off": [], "on": []}
    for setting in ("off", "on", "off", "on"):
        runs[setting].append(_child(job | {"memory_security": setting == "on"}))
    best = {s: _fastest(r) for s, r in runs.items()}
    out: dict[str, Any] = {
        "sqlcipher_reports": {s: best[s]["reported"] for s in best},
        "open": _pair(best["off"]["open_ms"], best["on"]["open_ms"]),
        "search": {label: {"term": term,
                           "warm": _pair(best["off"]["warm"][label], best["on"]["warm"][label]),
                           "cold": _pair(best["off"]["cold"][label], best["on"]["cold"][label])}
                   for label, term in terms.items()},
        "target": "decide: ON if every ratio (on / off) is at most 1.25, else OFF",
    }
    ratios = [out["open"]["ratio"]] + [v[k]["ratio"] for v in out["search"].values()
                                       for k in ("warm", "cold")]
    out["worst_ratio"] = max(r for r in ratios if r is not None)
    return out


def _pair(off_ms: float, on_ms: float) -> dict[str, Any]:
    return {"off_ms": round(off_ms, 3), "on_ms": round(on_ms, 3),
            "ratio": round(on_ms / off_ms, 3) if off_ms else None}


def _fastest(results: list[dict[str, Any]]) -> dict[str, Any]:
    first = results[0]
    return {"reported": first["reported"],
            "open_ms": min(r["open_ms"] for r in results),
            "warm": {k: min(r["warm"][k] for r in results) for k in first["warm"]},
            "cold": {k: min(r["cold"][k] for r in results) for k in first["cold"]}}


def _child(job: dict[str, Any]) -> dict[str, Any]:
    r = subprocess.run([sys.executable, "-m", "hstc_desk.bench.memory_security_bench"],
                       input=json.dumps(job), capture_output=True, text=True, timeout=1800,
                       check=False)
    if r.returncode != 0:
        raise RuntimeError(f"memsec probe failed: {r.stderr.strip()[-400:]}")
    return json.loads(r.stdout)


def probe(job: dict[str, Any]) -> dict[str, Any]:
    """In a fresh process: the figures with memory security as ``job`` says."""
    import sqlcipher3

    from hstc_desk.store.connection import connect
    from hstc_desk.store.search import fts_query, top_hits

    if job["memory_security"]:
        first = sqlcipher3.connect(":memory:")
        first.execute("PRAGMA key = 'memsec'")
        first.execute("PRAGMA cipher_memory_security = ON")
        first.close()
    db, key = Path(job["db"]), bytes.fromhex(job["key"])

    def _open() -> None:
        connect(db, key, access="query").close()

    conn = connect(db, key, access="query")
    reported = conn.execute("PRAGMA cipher_memory_security").fetchone()[0]
    warm: dict[str, float] = {}
    cold: dict[str, float] = {}
    for label, term in job["terms"].items():
        expr = fts_query(term)
        warm[label] = median_ms(lambda e=expr: top_hits(conn, e, 50, None, "", ()),
                                repeat=REPEAT)

        def _cold(e: str = expr) -> None:
            c = connect(db, key, access="query")
            top_hits(c, e, 50, None, "", ())
            c.close()

        cold[label] = median_ms(_cold, repeat=REPEAT)
    conn.close()
    return {"reported": "ON" if str(reported) == "1" else "OFF",
            "open_ms": median_ms(_open, repeat=REPEAT * 2), "warm": warm, "cold": cold}


if __name__ == "__main__":
    print(json.dumps(probe(json.loads(sys.stdin.read()))))
