"""A signed extract of the audit chain for the security officer's media, and the proof that a
store's chain still holds it (issue 12, item 3).

``export`` writes every record up to the head (all columns, signatures included), the root
certificate, and who exported it, signed by the exporting user's key. ``verify_against`` checks
the extract's own signature against the exporter's certificate in the store, that the store is
the same one (store id and root certificate), and that each record of the extract is still in
the chain unchanged at its seq: a chain cut back below the extract's head, even consistently
(meta head rewritten), or any record rewritten since, is named by its seq. What the extract
cannot see is what came after it; the next extract covers that.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlcipher3
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from hstc_desk.atomic import atomic_write
from hstc_desk.store import audit, certificates
from hstc_desk.store.errors import StoreError

if TYPE_CHECKING:
    from hstc_desk.store.store import Store

FORMAT = "hstc-audit-extract"
CONTEXT = b"hstc-audit-extract|"
MAX_BYTES = 1 << 30
COLUMNS = ("seq", "at", "actor", "action", "target", "detail", "prev", "hash", "signer",
           "signature")


def _canonical(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


@dataclass(frozen=True)
class Extract:
    records: int
    head: str
    path: Path


def build(store: Store) -> dict[str, Any]:
    conn = store.conn
    root = conn.execute("SELECT body, signature FROM certificates WHERE serial = 1").fetchone()
    if root is None:
        raise StoreError("this store holds no root certificate; its audit chain is not signed")
    records = [list(r) for r in conn.execute(
        f"SELECT {', '.join(COLUMNS)} FROM audit ORDER BY seq")]
    head = store.audit_head()
    doc = {"format": FORMAT, "version": 1, "store_id": store.store_id,
           "root_certificate": {"body": root[0], "signature": root[1]},
           "exported_at": audit.now_iso(), "exported_by": store.user.name,
           "columns": list(COLUMNS), "records": records, "head": f"{head.seq}:{head.hash}"}
    doc["signature"] = store.signing_key.sign(CONTEXT + _canonical(doc)).hex()
    return doc


def export(store: Store, out: Path) -> Extract:
    """Write the signed extract (atomically) and record the export in the chain."""
    doc = build(store)
    atomic_write(Path(out), _canonical(doc) + b"\n")
    store.record("audit.export", doc["head"], {"records": len(doc["records"]),
                                                "file": Path(out).name})
    return Extract(len(doc["records"]), doc["head"], Path(out))


def parse(data: bytes) -> dict[str, Any]:
    if len(data) > MAX_BYTES:
        raise StoreError("the extract is larger than any this program writes")
    try:
        doc = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StoreError(f"not an audit extract: {exc}") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or doc.get("version") != 1:
        raise StoreError("not an HSTC audit extract (version 1)")
    need = {"store_id", "root_certificate", "exported_by", "columns", "records", "head",
            "signature", "exported_at"}
    if not need <= set(doc) or doc["columns"] != list(COLUMNS) or \
            not isinstance(doc["records"], list):
        raise StoreError("the audit extract is malformed (fields or columns)")
    return doc


def verify_against(conn: sqlcipher3.Connection, store_id: str, data: bytes) -> list[str]:
    """Problems ([] when the chain still holds every record of the extract unchanged)."""
    doc = parse(data)
    if doc["store_id"] != store_id:
        return [f"the extract is of store {doc['store_id']}, not this one ({store_id})"]
    root = conn.execute("SELECT body, signature FROM certificates WHERE serial = 1").fetchone()
    if root is None or [root[0], root[1]] != [doc["root_certificate"].get("body"),
                                              doc["root_certificate"].get("signature")]:
        return ["the store's root certificate is not the one the extract recorded"]
    records = doc["records"]
    head_seq = int(str(doc["head"]).partition(":")[0] or 0)
    ch = certificates.chain(conn, store_id)
    exporter = ch.at(str(doc["exported_by"]), head_seq + 1)
    body = {k: v for k, v in doc.items() if k != "signature"}
    try:
        if exporter is None:
            raise InvalidSignature
        Ed25519PublicKey.from_public_bytes(exporter.public_key).verify(
            bytes.fromhex(str(doc["signature"])), CONTEXT + _canonical(body))
    except (InvalidSignature, ValueError):
        return [f"the extract's signature is not by {doc['exported_by']}'s certified key (the "
                "file was altered, or the store's certificates were)"]
    if len(records) != head_seq or any(
            not isinstance(r, list) or len(r) != len(COLUMNS) or r[0] != i
            for i, r in enumerate(records, 1)):
        return ["the extract's records do not run from 1 to its head"]
    problems: list[str] = []
    cur = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM audit WHERE seq <= ? ORDER BY seq",
                       (head_seq,))
    expected = 1
    for row in cur:
        seq = row[0]
        if seq != expected:
            problems.append(f"record {expected} of the extract is missing from the chain")
            break
        if list(row) != records[seq - 1]:
            diff = [c for c, a, b in zip(COLUMNS, row, records[seq - 1], strict=True) if a != b]
            problems.append(f"record {seq} was rewritten since the extract ({', '.join(diff)} "
                            "differ)")
            break
        expected += 1
    else:
        if expected <= head_seq:
            problems.append(f"record {expected} of the extract is missing from the chain: the "
                            f"chain was cut back to record {expected - 1} (the extract runs to "
                            f"{head_seq})")
    return problems
