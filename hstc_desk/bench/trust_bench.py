"""The ``trust`` section of ``hstc bench`` (issue 12): what signing every audit record costs.

- bulk: the same items inserted chunk by chunk, alternately, into a store that signs its audit
  records (the program) and one that writes them unsigned (audit as it was before issue 12),
  each timed on its own; the ratio is signed time over unsigned (target at most 1.15). A bulk
  load writes one audit record per batch of 5,000 items, so a record is signed per
  transaction, not per item;
- edits: single-item saves (one transaction, one record each), signed against unsigned;
- sign and verify: one Ed25519 audit signature, and a full ``verify_audit`` of the bulk store.
"""

from __future__ import annotations

import shutil
import statistics
import time
from collections.abc import Callable
from itertools import islice
from pathlib import Path
from typing import Any

from hstc_desk.demo import generate
from hstc_desk.store import KdfParams, Store, audit

CHUNK = 5000
EDITS = 300


class _Unsigned(Store):
    """The store as it was before signed audit: records chained but not signed."""

    def audit(self, action: str, target: str, detail: dict[str, Any]) -> audit.AuditHead:
        return audit.append(self.conn, self.store_id, self.user.name, action, target, detail)


def _timed(fn: Callable[[], Any]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def run(store: Store, work: Path, n: int, progress: Callable[[int], None] | None = None
        ) -> dict[str, Any]:
    del store  # this section builds its own pair of stores
    base = work / "trust"
    shutil.rmtree(base, ignore_errors=True)
    kdf = KdfParams(iterations=1, memory_kib=8, lanes=1)  # opening is not what is measured
    signed = Store.create(base / "signed", "bench", "bench-only password", kdf=kdf)
    unsigned = _Unsigned.create(base / "unsigned", "bench", "bench-only password", kdf=kdf)
    try:
        t_signed = t_unsigned = 0.0
        it = generate(n, 11)
        done = 0
        flip = False
        while chunk := list(islice(it, CHUNK)):
            order = (signed, unsigned) if flip else (unsigned, signed)
            flip = not flip
            for s in order:
                dt = _timed(lambda s=s, c=chunk: s.insert_items(c, batch=CHUNK,
                                                              action="bench.load"))
                if s is signed:
                    t_signed += dt
                else:
                    t_unsigned += dt
            done += len(chunk)
            if progress:
                progress(done)
        edits = {}
        for label, s in (("signed", signed), ("unsigned", unsigned)):
            ids = [r[0] for r in s.conn.execute("SELECT id FROM items ORDER BY rid LIMIT ?",
                                                (EDITS,))]
            runs = []
            for item_id in ids:
                item = s.get_item(item_id)
                changed = item.model_copy(update={"title": item.title + " (rev)",
                                                  "version": item.version + 1})
                runs.append(_timed(lambda s=s, c=changed: s.save_item(c)) * 1000)
            edits[label] = statistics.median(runs)
        key = signed.signing_key
        msg = audit.signed_message(signed.store_id, 1, "0" * 64, "bench")
        sign_us = statistics.median(_timed(lambda: key.sign(msg)) for _ in range(2000)) * 1e6
        verify_s = _timed(signed.verify_audit)
        ok = signed.verify_audit().ok
        records = signed.audit_head().seq
    finally:
        signed.close()
        unsigned.close()
        shutil.rmtree(base, ignore_errors=True)
    return {
        "bulk_insert": {"items": n, "signed_s": round(t_signed, 2),
                        "unsigned_s": round(t_unsigned, 2),
                        "ratio": round(t_signed / t_unsigned, 3) if t_unsigned else None,
                        "target": "<= 1.15 (signed time / unsigned)",
                        "signed": "one record per transaction (a batch of 5,000 items)"},
        "edit": {"signed_ms": round(edits["signed"], 3),
                 "unsigned_ms": round(edits["unsigned"], 3),
                 "ratio": round(edits["signed"] / edits["unsigned"], 3),
                 "edits": EDITS, "signed": "one record per edit"},
        "sign_one_record_us": round(sign_us, 1),
        "verify_audit": {"records": records, "s": round(verify_s, 3), "ok": ok},
    }
