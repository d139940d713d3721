"""The ``exchange`` section of ``hstc bench``: export, import and verify of up to 100,000 items,
each beside a raw baseline measured in the same run:

- export: the same canonical JSON lines written into a zip file (zipfile, stored) with hashlib
  SHA-256 and fsync; beside it, the same plus reading the bodies on a bare sqlcipher3
  connection. Against ours: select and filter by releasability from the encrypted store,
  roll up the banner, sign, write atomically, read back and verify;
- import: the same rows inserted with a bare sqlcipher3 ``executemany`` (items, search index,
  links) into the same schema, against ours: verify everything (signature, hashes, strict
  schemas), check accreditation and sequence, merge in one transaction with its audit record;
- verify alone: signature, every hash and size over the bundle in memory, in MB/s (the strict
  schema pass is reported beside it).
"""

from __future__ import annotations

import hashlib
import io
import os
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlcipher3

from hstc_desk.atomic import read_back
from hstc_desk.bench.store_bench import raw_insert, raw_twin
from hstc_desk.domain import parse_item, parse_link
from hstc_desk.exchange.keys import fingerprint, grouped, key_file_bytes, raw_public
from hstc_desk.exchange.merge import import_bundle
from hstc_desk.exchange.plan import Scope
from hstc_desk.exchange.reader import verify
from hstc_desk.exchange.selection import plan
from hstc_desk.exchange.trust import Keyring, trust
from hstc_desk.exchange.writer import export
from hstc_desk.store import TEST_KDF, Store
from hstc_desk.store.rows import item_row, link_row

MAX_ITEMS = 100_000


def _best(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def _raw_export(items: list[str], links: list[str], path: Path) -> None:
    payload = {"data/items.jsonl": "".join(b + "\n" for b in items).encode(),
               "data/links.jsonl": "".join(b + "\n" for b in links).encode()}
    manifest = "".join(f"{hashlib.sha256(d).hexdigest()}  {n}\n" for n, d in payload.items())
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for name, data in payload.items():
            zf.writestr(name, data)
        zf.writestr("manifest-sha256.txt", manifest)
    with open(path, "wb") as fh:
        fh.write(buf.getvalue())
        fh.flush()
        os.fsync(fh.fileno())


def _raw_read_export(store: Store, n: int, path: Path) -> None:
    """The raw baseline plus reading the same bodies on a bare sqlcipher3 connection."""
    conn = sqlcipher3.connect(str(store.path / "store.db"), isolation_level=None)
    try:
        conn.execute(f"PRAGMA key = \"x'{store._keys.db_key.hex()}'\"")
        items = [b for (b,) in conn.execute("SELECT body FROM items ORDER BY rid LIMIT ?", (n,))]
        links = [b for (b,) in conn.execute("SELECT body FROM links ORDER BY rid")]
    finally:
        conn.close()
    _raw_export(items, links, path)


def _raw_import(work: Path, items: list[str], links: list[str]) -> float:
    rows_i = [item_row(i + 1, parse_item(b)) for i, b in enumerate(items)]
    fts = [(r[0], r[4], parse_item(items[k]).search_text()) for k, r in enumerate(rows_i)]
    rows_l = [link_row(i + 1, parse_link(b)) for i, b in enumerate(links)]
    path = work / "exchange-raw.db"
    conn = raw_twin(path)
    took = raw_insert(conn, rows_i, fts, rows_l)
    conn.close()
    path.unlink(missing_ok=True)
    return took


def run(store: Store, work: Path, n: int, progress: Callable[[int], None] | None = None
        ) -> dict[str, Any]:
    n = min(n, MAX_ITEMS)
    scope = Scope()
    if store.count("items") > n:
        scope = Scope(ids=tuple(r[0] for r in store.conn.execute(
            "SELECT id FROM items ORDER BY rid LIMIT ?", (n,))))
    out = work / "exchange.bundle"

    def ours_export() -> Any:
        return export(store, plan(store, "USA", scope), out)

    export_s, result = _best(ours_export, repeat=2)
    p = plan(store, "USA", scope)
    # The baselines hold the JSON as Python strings, as any program would.
    items, links = [b.decode() for b in p.items], [b.decode() for b in p.links]
    raw_export_s, _ = _best(lambda: _raw_export(items, links, work / "raw.zip"))
    read_export_s, _ = _best(lambda: _raw_read_export(store, len(p.items), work / "raw.zip"))
    data = out.read_bytes()
    mb = len(data) / 1e6
    if progress:
        progress(n)

    ring = Keyring.of_own(store)
    plan_s, _ = _best(lambda: plan(store, "USA", scope), repeat=2)
    back_s, _ = _best(lambda: verify(read_back(out), ring, schema=False), repeat=2)
    verify_s, v = _best(lambda: verify(data, ring, schema=False), repeat=5)
    full_s, vf = _best(lambda: verify(data, ring), repeat=1)
    hash_s, _ = _best(lambda: hashlib.sha256(data).digest(), repeat=5)

    pub = raw_public(store.workstation_key)
    key_file = key_file_bytes(store.meta("workstation_name"), pub)
    import_s, raw_import_s, rep, same = float("inf"), float("inf"), None, False
    for k in range(2):  # best of two, each into a new store, beside a raw twin each time
        recv = Store.create(work / f"exchange-recv-{k}", "bench", "bench-only password",
                            kdf=TEST_KDF)
        try:
            trust(recv, key_file, grouped(fingerprint(pub)))
            t = time.perf_counter()
            rep = import_bundle(recv, data)
            import_s = min(import_s, time.perf_counter() - t)
            same = (same or k == 0) and recv.count("items") == len(p.items)
        finally:
            recv.close()
        raw_import_s = min(raw_import_s, _raw_import(work, items, links))
    assert rep is not None
    return {
        "items": len(p.items), "links": len(p.links), "bundle_mb": round(mb, 1),
        "export": {"s": round(export_s, 3), "raw_s": round(raw_export_s, 3),
                   "ratio": round(export_s / raw_export_s, 2), "target": "<= 2",
                   "raw_with_store_read_s": round(read_export_s, 3),
                   "ratio_with_store_read": round(export_s / read_export_s, 2),
                   "verified_read_back": result.verification.ok,
                   # ours = select (read the encrypted store, filter) + the raw work + read the
                   # media back and verify it; the first and last are not in the raw baseline
                   "parts": {"select_s": round(plan_s, 3),
                             "read_back_and_verify_s": round(back_s, 3)}},
        "import": {"s": round(import_s, 3), "raw_s": round(raw_import_s, 3),
                   "ratio": round(import_s / raw_import_s, 2), "target": "<= 2",
                   "added": rep.items.added, "all_items_arrived": same},
        "verify": {"s": round(verify_s, 4), "mb_per_s": round(mb / verify_s),
                   "target": ">= 200 MB/s", "ok": v.ok,
                   "sha256_alone_mb_per_s": round(mb / hash_s)},
        "verify_with_schema": {"s": round(full_s, 3), "mb_per_s": round(mb / full_s),
                               "ok": vf.ok, "target": "reported"},
    }
