"""The audit chain: every change appends a record that hashes the one before it.

A record's hash is SHA-256 over the canonical JSON of (seq, at, actor, action, target, detail,
prev). The head (last hash and sequence number) is also kept in ``meta`` in the same transaction,
so a truncated tail shows as well as an edited, deleted or reordered record.

Every record is signed (issue 12, item 3): Ed25519 over ``hstc-audit|store id|seq|hash|signer``
by the key of the user who acted (``signer`` is the actor's name), or by the workstation key for
system actions (actor ``system``, signer ``@workstation``). A record is checked against the key
of the actor's certificate in force at its seq (certificates.py), so a password holder, who can
sign only with their own key and the workstation's, can no longer rewrite another user's record
nor any record before the last one of someone else: each record's hash is in the next one's link.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlcipher3
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

SYSTEM = "system"
WORKSTATION = "@workstation"


def genesis(store_id: str) -> str:
    return hashlib.sha256(f"hstc-audit-genesis|{store_id}".encode()).hexdigest()


def record_hash(seq: int, at: str, actor: str, action: str, target: str, detail: str,
                prev: str) -> str:
    canon = json.dumps([seq, at, actor, action, target, detail, prev], ensure_ascii=False,
                       separators=(",", ":"))
    return hashlib.sha256(canon.encode()).hexdigest()


def signed_message(store_id: str, seq: int, digest: str, signer: str) -> bytes:
    return f"hstc-audit|{store_id}|{seq}|{digest}|{signer}".encode()


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class AuditRecord:
    seq: int
    at: str
    actor: str
    action: str
    target: str
    detail: dict[str, Any]
    hash: str
    signer: str = ""


@dataclass(frozen=True)
class AuditHead:
    seq: int
    hash: str


def head(conn: sqlcipher3.Connection, store_id: str) -> AuditHead:
    row = conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    return AuditHead(row[0], row[1]) if row else AuditHead(0, genesis(store_id))


def append(conn: sqlcipher3.Connection, store_id: str, actor: str, action: str, target: str,
           detail: dict[str, Any], key: Ed25519PrivateKey | None = None) -> AuditHead:
    """Append one record, signed with ``key`` (the actor's own; the workstation key when the
    actor is ``system``). The caller holds the write transaction the change is made in."""
    last = head(conn, store_id)
    seq = last.seq + 1
    at = now_iso()
    detail_json = json.dumps(detail, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    digest = record_hash(seq, at, actor, action, target, detail_json, last.hash)
    signer = WORKSTATION if actor == SYSTEM else actor
    signature = "" if key is None else key.sign(
        signed_message(store_id, seq, digest, signer)).hex()
    conn.execute(
        "INSERT INTO audit (seq, at, actor, action, target, detail, prev, hash, signer, "
        "signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (seq, at, actor, action, target, detail_json, last.hash, digest,
         signer if key is not None else "", signature),
    )
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('audit_head', ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (f"{seq}:{digest}",),
    )
    return AuditHead(seq, digest)


@dataclass(frozen=True)
class AuditVerdict:
    ok: bool
    records: int
    head: AuditHead
    bad_seq: int | None = None
    problem: str = ""

    def message(self) -> str:
        if self.ok:
            head = f"{self.head.seq}:{self.head.hash}"
            return f"audit chain intact: {self.records} records, head {head}"
        return f"audit chain broken at record {self.bad_seq}: {self.problem}"


# Who may have signed record ``seq`` as ``signer`` for ``actor``: (public key, "") or (None, why).
KeyLookup = Callable[[str, str, int], tuple[bytes | None, str]]
# Called with every record that verified: (seq, actor, action, target, detail json, hash).
Seen = Callable[[int, str, str, str, str, str], None]


@functools.lru_cache(maxsize=256)
def _public_key(raw: bytes) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(raw)


def check_signature(store_id: str, seq: int, digest: str, signer: str, signature: str,
                    key: bytes) -> bool:
    try:
        _public_key(bytes(key)).verify(
            bytes.fromhex(signature), signed_message(store_id, seq, digest, signer))
    except (InvalidSignature, ValueError, TypeError):  # TypeError: a row edited to a non-text
        return False
    return True


def verify(conn: sqlcipher3.Connection, store_id: str,
           anchors: Iterable[tuple[str, str]] = (), *, keys: KeyLookup | None = None,
           seen: Seen | None = None, unsigned_through: int = 0) -> AuditVerdict:
    """Recompute the whole chain, streaming; name the first record that does not hold.

    ``anchors`` are (what, "seq:hash") heads written elsewhere (in sign-offs): each must still
    be a record of the chain, so a chain cut and rebuilt below them shows. With ``keys``, every
    record's signature is checked too, against the key ``keys`` names for its signer then,
    except records up to ``unsigned_through`` (written before the store had certificates).
    """
    prev = genesis(store_id)
    expected = 1
    count = 0
    cur = conn.execute(
        "SELECT seq, at, actor, action, target, detail, prev, hash, signer, signature "
        "FROM audit ORDER BY seq")
    for (seq, at, actor, action, target, detail, stored_prev, stored_hash, signer,
         signature) in cur:
        if seq != expected:
            return AuditVerdict(False, count, AuditHead(expected - 1, prev), expected,
                                f"record {expected} is missing (the next record is {seq})")
        if stored_prev != prev:
            return AuditVerdict(False, count, AuditHead(seq - 1, prev), seq,
                                "its link to the previous record does not match "
                                "(a record was removed, reordered or edited)")
        if record_hash(seq, at, actor, action, target, detail, prev) != stored_hash:
            return AuditVerdict(False, count, AuditHead(seq - 1, prev), seq,
                                f"its content was altered ({action} {target} at {at})")
        if keys is not None and seq > unsigned_through:
            why = _signature_problem(store_id, keys, seq, actor, stored_hash, signer, signature)
            if why:
                return AuditVerdict(False, count, AuditHead(seq - 1, prev), seq,
                                    f"{why} ({action} {target} by {actor} at {at})")
        if seen is not None:
            seen(seq, actor, action, target, detail, stored_hash)
        prev = stored_hash
        expected += 1
        count += 1
    row = conn.execute("SELECT value FROM meta WHERE key = 'audit_head'").fetchone()
    recorded = row[0] if row else "0:" + genesis(store_id)
    if recorded != f"{count}:{prev}":
        return AuditVerdict(False, count, AuditHead(count, prev), count + 1,
                            f"the chain ends at record {count} but the recorded head is "
                            f"{recorded.split(':')[0]} (records were cut from the end)")
    for what, anchored in anchors:
        seq_text, _, digest = anchored.partition(":")
        seq = int(seq_text) if seq_text.isdigit() else -1
        if seq == 0:
            found = genesis(store_id)
        else:
            row = conn.execute("SELECT hash FROM audit WHERE seq = ?", (seq,)).fetchone()
            found = row[0] if row else None
        if found != digest:
            return AuditVerdict(False, count, AuditHead(count, prev), seq,
                                f"{what} records the chain head {anchored}, which the chain "
                                "no longer holds (records were removed or rewritten)")
    return AuditVerdict(True, count, AuditHead(count, prev))


def _signature_problem(store_id: str, keys: KeyLookup, seq: int, actor: str, digest: str,
                       signer: str, signature: str) -> str:
    if not signer or not signature:
        return "it is unsigned"
    if signer != (WORKSTATION if actor == SYSTEM else actor):
        return (f"it is signed by {signer}, not by the user who acted"
                + (" (the workstation key signs only system actions)"
                   if signer == WORKSTATION else ""))
    key, why = keys(signer, actor, seq)
    if key is None:
        return why
    if not check_signature(store_id, seq, digest, signer, signature, key):
        return f"its signature is not by {signer}'s certified key"
    return ""


def records(conn: sqlcipher3.Connection, *, after: int = 0, limit: int = 100,
            newest_first: bool = False) -> Iterator[AuditRecord]:
    """A page of records for viewers (keyset on seq)."""
    if newest_first:
        sql = ("SELECT seq, at, actor, action, target, detail, hash, signer FROM audit "
               "WHERE seq < ? ORDER BY seq DESC LIMIT ?")
        after = after or (1 << 62)
    else:
        sql = ("SELECT seq, at, actor, action, target, detail, hash, signer FROM audit "
               "WHERE seq > ? ORDER BY seq LIMIT ?")
    for seq, at, actor, action, target, detail, digest, signer in conn.execute(
            sql, (after, limit)):
        yield AuditRecord(seq, at, actor, action, target, json.loads(detail), digest, signer)
