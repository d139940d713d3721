"""Anchors: what ties certificates, approved versions and sign-offs to the signed audit trail,
and the evidence that vouches for an imported sign-off (issue 12, item 0).

- A sign-off made here verifies only against its signer's certificate in force at the audit seq
  it was made (a supervisor, active, with that key), and its ``product.approve`` record must be
  the very next record after the head it signed, signed by the same supervisor.
- A sign-off that arrived in a bundle verifies against the bundle evidence kept with it: the
  sender's tag manifest and Ed25519 signature, the bag's manifest and products member, so that
  later, "this sign-off travelled in a bundle signed by a workstation trusted here" is checked
  again, byte for byte, never read from a column. ``signoffs.received_from`` is a label.
- Both directions are checked: every certificate, approved version and sign-off has its signed
  record in the chain, and every ``user.certify``, ``product.approve`` and ``exchange.import``
  record still finds what it recorded; so deleting an approved version and its sign-off, rolling
  one back, or cutting the chain after the last sign-off is named.

No import of the exchange package (which imports the store): the few bundle names and the
signature context are repeated here, and tests/test_trust_forgery.py proves they agree.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import sqlcipher3
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from hstc_desk.domain.products import (
    Product,
    Signoff,
    parse_product,
    parse_signoff,
    product_to_json,
    signoff_to_json,
)
from hstc_desk.store import audit, certificates

if TYPE_CHECKING:  # typed by what they use of it: store.py imports this module
    from hstc_desk.store.open_store import OpenStore as Store

BUNDLE_CONTEXT = b"HSTC-BUNDLE-SIGNATURE-V1\x00"
TAGMANIFEST = "tagmanifest-sha256.txt"
MANIFEST = "manifest-sha256.txt"
SIGNATURE = "signature.ed25519"
PRODUCTS = "data/products.jsonl"
EVIDENCE_MEMBERS = ("bagit.txt", "bag-info.txt", MANIFEST, TAGMANIFEST, SIGNATURE, PRODUCTS)
ANCHORED = ("store.create", "trust.bootstrap", "user.certify", "product.approve",
            "exchange.import", "keys.trust", "keys.revoke")


# ---- keeping evidence ----------------------------------------------------------------------


def keep_evidence(store: Store, bundle_id: str, fingerprint: str,
                  members: Mapping[str, bytes], keys: list[tuple[str, int]]) -> None:
    """Keep the signed parts of an imported bundle and tie its sign-offs to it (inside the
    import's transaction)."""
    kept = {n: base64.b64encode(members[n]).decode() for n in EVIDENCE_MEMBERS if n in members}
    store.conn.execute(
        "INSERT INTO bundle_evidence (bundle_id, fingerprint, members) VALUES (?, ?, ?) "
        "ON CONFLICT (bundle_id) DO NOTHING", (bundle_id, fingerprint, json.dumps(kept)))
    store.conn.executemany(
        "INSERT INTO signoff_evidence (product_id, version, bundle_id) VALUES (?, ?, ?) "
        "ON CONFLICT (product_id, version) DO NOTHING", [(p, v, bundle_id) for p, v in keys])


def _manifest(data: bytes) -> dict[str, str]:
    out = {}
    for line in data.decode("utf-8", "replace").splitlines():
        m = re.fullmatch(r"([0-9a-f]{64})  (\S+)", line)
        if m:
            out[m[2]] = m[1]
    return out


def trusted_key_problem(conn: sqlcipher3.Connection, store_id: str, fp: str,
                        public_key: bytes) -> str:
    """Why a trusted_keys row is not one an admin trusted here ("" when it is): its
    ``keys.trust`` record, by an admin certified then, must be in the chain, the key must be
    the one with that fingerprint, and no ``keys.revoke`` record may name it."""
    if hashlib.sha256(public_key).hexdigest() != fp:
        return f"the trusted key {fp[:16]}... is not the key with that fingerprint"
    rows = conn.execute("SELECT seq, actor, action FROM audit WHERE target = ? AND action IN "
                        "('keys.trust', 'keys.revoke') ORDER BY seq", (fp,)).fetchall()
    if any(action == "keys.revoke" for _, _, action in rows):
        return f"the key {fp[:16]}... was revoked (the audit chain records it)"
    ch = certificates.chain(conn, store_id) if certificates.has_root(conn) else None
    for seq, actor, _ in rows:
        cert = ch.at(actor, seq) if ch is not None else None
        if cert is not None and cert.role == "admin" and cert.state == "active":
            return ""
    return (f"the key {fp[:16]}... is in the trust store, but no admin trusted it (no signed "
            "keys.trust record: the row was added outside the program)")


def evidence_problem(conn: sqlcipher3.Connection, store_id: str, product: Product,
                     signoff: Signoff, bundle_id: str) -> tuple[str, str]:
    """("", trust line) when the kept bundle evidence still proves this sign-off came signed by
    a workstation trusted here; (problem, "") otherwise."""
    row = conn.execute("SELECT fingerprint, members FROM bundle_evidence WHERE bundle_id = ?",
                       (bundle_id,)).fetchone()
    if row is None:
        return f"the evidence of bundle {bundle_id} it is tied to is missing", ""
    fp, kept = row
    try:
        members = {n: base64.b64decode(b) for n, b in json.loads(kept).items()}
        sig_text = members[SIGNATURE].decode()
        m = re.fullmatch(r"fingerprint ([0-9a-f]{64})\nsignature ([0-9a-f]{128})\n", sig_text)
        if m is None or m[1] != fp:
            return f"the kept signature of bundle {bundle_id} is not by {fp[:16]}...", ""
        key = conn.execute("SELECT public_key, name, revoked FROM trusted_keys WHERE "
                           "fingerprint = ?", (fp,)).fetchone()
        if key is None or key[2]:
            return (f"the workstation {fp[:16]}... that signed bundle {bundle_id} is no longer "
                    "trusted"), ""
        if why := trusted_key_problem(conn, store_id, fp, bytes(key[0])):
            return why, ""
        Ed25519PublicKey.from_public_bytes(bytes(key[0])).verify(
            bytes.fromhex(m[2]), BUNDLE_CONTEXT + members[TAGMANIFEST])
        if _manifest(members[TAGMANIFEST]).get(MANIFEST) != \
                hashlib.sha256(members[MANIFEST]).hexdigest():
            return f"the kept manifest of bundle {bundle_id} is not the signed one", ""
        if _manifest(members[MANIFEST]).get(PRODUCTS) != \
                hashlib.sha256(members[PRODUCTS]).hexdigest():
            return f"the kept products of bundle {bundle_id} are not the signed ones", ""
    except (KeyError, ValueError, TypeError, InvalidSignature, UnicodeDecodeError):
        return f"the kept evidence of bundle {bundle_id} does not verify", ""
    line = (f'{{"product":{product_to_json(product)},"signoff":{signoff_to_json(signoff)}}}'
            .encode())
    if line not in members[PRODUCTS].split(b"\n"):
        return (f"bundle {bundle_id} did not carry this version and sign-off (its signed "
                "products differ)"), ""
    return "", (f"imported: bundle {bundle_id} signed by {key[1]} ({fp[:16]}...), trusted here; "
                "its signed manifest is kept and re-verified")


def evidence_of(conn: sqlcipher3.Connection, product_id: str, version: int) -> str | None:
    row = conn.execute("SELECT bundle_id FROM signoff_evidence WHERE product_id = ? AND "
                       "version = ?", (product_id, version)).fetchone()
    return None if row is None else row[0]


# ---- a sign-off's trust --------------------------------------------------------------------


def signoff_trust(store: Store, product: Product, signoff: Signoff,
                  received_from: str | None) -> tuple[bytes | None, str]:
    """(the key the sign-off must verify against, the trust line), or (None, the problem)."""
    conn = store.conn
    later = latest_recorded_approval(conn, product.id)
    if later is not None and later > product.version and conn.execute(
            "SELECT 1 FROM products WHERE id = ? AND version = ? AND status = 'approved'",
            (product.id, later)).fetchone() is None:
        return None, (f"the audit trail records {product.id} version {later} approved, which "
                      "the store no longer holds (deleted or rolled back)")
    bundle = evidence_of(conn, product.id, product.version)
    if bundle is not None:
        problem, line = evidence_problem(conn, store.store_id, product, signoff, bundle)
        return (None, problem) if problem else (bytes.fromhex(signoff.signer_public_key), line)
    if received_from is not None:
        return None, (f"it is marked as received from {received_from[:16]}..., but no bundle "
                      "evidence vouches for it (the column was set by hand)")
    if not certificates.has_root(conn):
        return None, "this store holds no user certificates (no root of trust)"
    seq_text, _, digest = signoff.audit_head.partition(":")
    seq = int(seq_text) if seq_text.isdigit() else -1
    ch = certificates.chain(conn, store.store_id)
    cert = ch.at(signoff.signer, seq)
    if cert is None:
        return None, (f"the signer {signoff.signer} held no valid certificate when it was "
                      "signed")
    if cert.role != "supervisor":
        return None, (f"the signer {signoff.signer} is {cert.role}, not a supervisor (the "
                      f"certificate in force when it was signed, serial {cert.serial})")
    if cert.state != "active":
        return None, f"the signer {signoff.signer} was {cert.state} when it was signed"
    trust = (f"the signer is {signoff.signer}, a supervisor of this store, certified "
             f"(certificate {cert.serial}) when it was signed")
    if signoff.signer_public_key != cert.public_key.hex():
        return cert.public_key, trust  # verify() names the key that is not the signer's
    row = conn.execute("SELECT hash FROM audit WHERE seq = ?", (seq,)).fetchone()
    if row is None or row[0] != digest:
        return None, (f"the audit head {signoff.audit_head[:24]}... is not a record of this "
                      "store's audit chain")
    why = _approval_record(conn, store.store_id, seq, product, signoff, cert.public_key)
    if why:
        return None, why

    return cert.public_key, trust


def _approval_record(conn: sqlcipher3.Connection, store_id: str, head_seq: int,
                     product: Product, signoff: Signoff, key: bytes) -> str:
    """The approval must be recorded after the head it signed (in the same transaction), by
    the signer, over this content."""
    row = conn.execute(
        "SELECT seq, actor, detail, hash, signer, signature FROM audit WHERE seq > ? AND "
        "action = 'product.approve' AND target = ? AND json_extract(detail, '$.version') = ? "
        "ORDER BY seq LIMIT 1", (head_seq, product.id, product.version)).fetchone()
    if row is None:
        return (f"the audit record that approves {product.id} version {product.version} is "
                "not in the chain (the chain was cut or rewritten after the sign-off)")
    seq, actor, detail, digest, signer, signature = row
    if _detail(detail).get("content_hash") != signoff.content_hash:
        return f"the audit record {seq} approves other content than this sign-off"
    if actor != signoff.signer or not audit.check_signature(store_id, seq, digest, signer,
                                                            signature, key):
        return f"the audit record {seq} of the approval is not signed by {signoff.signer}"
    return ""


def _detail(text: object) -> dict:
    """An audit record's detail as an object; {} for one edited by hand into anything else
    (its record is then named by the check that needs a field of it, never a crash)."""
    try:
        value = json.loads(text) if isinstance(text, str | bytes) else None
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def latest_recorded_approval(conn: sqlcipher3.Connection, product_id: str) -> int | None:
    """The highest version the audit trail says was approved (scans approval records only)."""
    best = None
    for (detail,) in conn.execute("SELECT detail FROM audit WHERE action = 'product.approve' "
                                  "AND target = ?", (product_id,)):
        v = _detail(detail).get("version")
        if isinstance(v, int) and (best is None or v > best):
            best = v
    return best


# ---- the whole check -----------------------------------------------------------------------


@dataclass(frozen=True)
class TrustVerdict(audit.AuditVerdict):
    problems: tuple[str, ...] = field(default=())

    def message(self) -> str:
        if self.ok:
            return (f"audit chain intact and signed: {self.records} records, head "
                    f"{self.head.seq}:{self.head.hash}; certificates and anchors hold")
        first = super().message() if self.bad_seq is not None else self.problems[0]
        more = [p for p in self.problems if p != first and p != self.problem]
        return first + "".join(f"\n  also: {p}" for p in more[:20])


def verify_store(conn: sqlcipher3.Connection, store_id: str) -> TrustVerdict:
    """The chain with every signature, the certificates, and every anchor both ways."""
    ch = certificates.chain(conn, store_id)
    problems = list(ch.problems) + certificates.row_problems(conn, ch)
    by_subject: dict[str, list[certificates.Certificate]] = {}
    for c in ch.certs:
        by_subject.setdefault(c.subject, []).append(c)

    def keys(signer: str, actor: str, seq: int) -> tuple[bytes | None, str]:
        if signer == audit.WORKSTATION:
            return (ch.workstation_key, "") if ch.workstation_key else (
                None, "signed by the workstation, whose key the root certificate no longer names")
        cert = None
        for c in by_subject.get(signer, ()):
            if c.audit_seq <= seq:
                cert = c
        if cert is None:
            return None, f"its signer {signer} held no valid certificate then"
        if cert.state != "active":
            return None, f"its signer {signer} was {cert.state} then"
        return cert.public_key, ""

    found: dict[str, list[tuple[int, str, str]]] = {a: [] for a in ANCHORED}

    def seen(seq: int, actor: str, action: str, target: str, detail: str, digest: str) -> None:
        if action in found:
            found[action].append((seq, target, detail))

    anchors = [(f"the sign-off of {pid} version {v}", head) for pid, v, head in conn.execute(
        "SELECT product_id, version, audit_head FROM signoffs s WHERE NOT EXISTS (SELECT 1 "
        "FROM signoff_evidence e WHERE e.product_id = s.product_id AND e.version = s.version) "
        "ORDER BY signed_at")]
    legacy = next((certificates.legacy_unsigned_through(c.body) for c in ch.certs
                   if c.serial == 1), None) or 0
    chain_verdict = audit.verify(conn, store_id, anchors, keys=keys, seen=seen,
                                 unsigned_through=legacy)
    if chain_verdict.ok:
        problems += _anchor_problems(conn, store_id, ch, found)
    else:
        problems.insert(0, chain_verdict.message())
    ok = chain_verdict.ok and not problems
    return TrustVerdict(ok, chain_verdict.records, chain_verdict.head, chain_verdict.bad_seq,
                        chain_verdict.problem, tuple(problems))


def _anchor_problems(conn: sqlcipher3.Connection, store_id: str, ch: certificates.Chain,
                     found: dict[str, list[tuple[int, str, str]]]) -> list[str]:
    out: list[str] = []
    # Certificates <-> their records.
    issued = {_detail(d).get("certificate_sha256"): (seq, t) for seq, t, d in
              found["user.certify"] + found["store.create"] + found["trust.bootstrap"]}
    for c in ch.certs:
        rec = issued.pop(c.digest, None)
        if rec is None or rec[0] != c.audit_seq:
            out.append(f"certificate {c.serial} ({c.subject}) has no record of its issue in the "
                       "audit chain")
    for digest, (seq, target) in issued.items():
        if digest is not None:
            out.append(f"the audit record {seq} certified {target}, whose certificate the store "
                       "no longer holds (removed or replaced)")
    # Approval records <-> approved versions and sign-offs.
    for seq, pid, detail in found["product.approve"]:
        d = _detail(detail)
        row = conn.execute(
            "SELECT p.status, s.content_hash FROM products p LEFT JOIN signoffs s ON "
            "s.product_id = p.id AND s.version = p.version WHERE p.id = ? AND p.version = ?",
            (pid, d.get("version"))).fetchone()
        if row is None or row[0] != "approved" or row[1] != d.get("content_hash"):
            what = ("no longer holds it" if row is None else
                    f"holds it {row[0].replace('_', ' ')}" if row[0] != "approved" else
                    "holds another or no sign-off for it")
            out.append(f"the audit record {seq} approves {pid} version {d.get('version')}, but "
                       f"the store {what} (deleted or rolled back)")
    approved = {(pid, _detail(d).get("version")) for _, pid, d in found["product.approve"]}
    imports = {t for _, t, _ in found["exchange.import"]}
    for pid, v in conn.execute("SELECT product_id, version FROM signoffs"):
        bundle = evidence_of(conn, pid, v)
        if bundle is None and (pid, v) not in approved:
            out.append(f"the sign-off of {pid} version {v} has no approval record in the audit "
                       "chain (made outside the program, or the chain was cut after it)")
        elif bundle is not None and bundle not in imports:
            out.append(f"the sign-off of {pid} version {v} came in bundle {bundle}, whose import "
                       "is not recorded in the audit chain")
    for pid, v, rf in conn.execute(
            "SELECT s.product_id, s.version, s.received_from FROM signoffs s WHERE "
            "s.received_from IS NOT NULL AND NOT EXISTS (SELECT 1 FROM signoff_evidence e "
            "WHERE e.product_id = s.product_id AND e.version = s.version)"):
        out.append(f"the sign-off of {pid} version {v} is marked as received from "
                   f"{rf[:16]}..., but no bundle evidence vouches for it (set by hand)")
    for pid, v, bundle in conn.execute("SELECT product_id, version, bundle_id FROM "
                                       "signoff_evidence"):
        prow = conn.execute("SELECT body FROM products WHERE id = ? AND version = ?",
                            (pid, v)).fetchone()
        srow = conn.execute("SELECT body FROM signoffs WHERE product_id = ? AND version = ?",
                            (pid, v)).fetchone()
        if prow is None or srow is None:
            out.append(f"{pid} version {v} came in bundle {bundle} but is no longer held")
            continue
        problem, _ = evidence_problem(conn, store_id, parse_product(prow[0]),
                                      parse_signoff(srow[0]), bundle)
        if problem:
            out.append(f"the sign-off of {pid} version {v}: {problem}")
    # Trusted partner keys <-> their keys.trust and keys.revoke records.
    revoked = {t for _, t, _ in found["keys.revoke"]}
    for fp, key, when in conn.execute("SELECT fingerprint, public_key, revoked FROM "
                                      "trusted_keys ORDER BY fingerprint"):
        if fp in revoked and when is None:
            out.append(f"the trusted key {fp[:16]}... was revoked (audit chain) but is active "
                       "again in the trust store (set by hand)")
        elif fp not in revoked and (why := trusted_key_problem(conn, store_id, fp, bytes(key))):
            out.append(why)
    return out
