"""Signed tearline versions (issue 11 §2): made and signed when their parent is approved, kept
beside it, and what travels to a tearline's destination instead of the parent.

A tearline version is ``domain.products.tearline_version(parent, destination)``: a product of
its own (derived id, the tearline's title, title mark and portions alone), signed by the same
supervisor with the same key, time and audit head as the parent, in the same transaction.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from hstc_desk.domain.products import (
    SIGNOFF_CONTEXT,
    Product,
    Signoff,
    parse_product,
    parse_signoff,
    product_to_json,
    signoff_message,
    signoff_to_json,
    tearline_version,
)
from hstc_desk.store.store import Store


@dataclass(frozen=True)
class TearlineRecord:
    destination: str
    product: Product  # the tearline version
    signoff: Signoff


def sign(product: Product, key: Ed25519PrivateKey, signer: str, audit_head: str,
         when: datetime) -> Signoff:
    """A sign-off of ``product`` (the same form approval makes)."""
    pub = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()
    digest = hashlib.sha256(signoff_message(
        product, signer=signer, signer_public_key=pub, audit_head=audit_head,
        signed_at=when)).digest()
    return parse_signoff({
        "audit_head": audit_head, "content_hash": digest.hex(), "product_id": product.id,
        "signature": key.sign(SIGNOFF_CONTEXT + digest).hex(), "signed_at": when,
        "signer": signer, "signer_public_key": pub, "version": product.version})


def sign_all(store: Store, parent: Product, key: Ed25519PrivateKey, audit_head: str,
             when: datetime) -> dict[str, dict[str, str]]:
    """Sign and keep every tearline version of the approved ``parent`` (inside the caller's
    transaction). Returns {destination: {"id", "content_hash", "banner"}} for the audit."""
    out: dict[str, dict[str, str]] = {}
    for section in parent.tearlines():
        tv = tearline_version(parent, section.destination)
        so = sign(tv, key, store.user.name, audit_head, when)
        insert(store, parent, section.destination, tv, so)
        out[section.destination] = {"id": tv.id, "content_hash": so.content_hash,
                                    "banner": tv.banner()}
    return out


def insert(store: Store, parent: Product, destination: str, tv: Product, so: Signoff) -> None:
    store.conn.execute(
        "INSERT INTO product_tearlines (product_id, version, destination, tearline_id, "
        "marking, body, signoff) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (parent.id, parent.version, destination, tv.id, tv.marking(), product_to_json(tv),
         signoff_to_json(so)))


def records(store: Store, product_id: str, version: int) -> list[TearlineRecord]:
    """The signed tearline versions of one approved version, in destination order."""
    rows = store.conn.execute(
        "SELECT destination, body, signoff FROM product_tearlines WHERE product_id = ? AND "
        "version = ? ORDER BY destination", (product_id, version))
    return [TearlineRecord(d, parse_product(b), parse_signoff(s)) for d, b, s in rows]


def record_for(store: Store, product_id: str, version: int,
               destination: str) -> TearlineRecord | None:
    row = store.conn.execute(
        "SELECT destination, body, signoff FROM product_tearlines WHERE product_id = ? AND "
        "version = ? AND destination = ?", (product_id, version, destination)).fetchone()
    return None if row is None else TearlineRecord(row[0], parse_product(row[1]),
                                                   parse_signoff(row[2]))


def check(parent: Product, held: list[TearlineRecord]) -> str:
    """Why the held tearline versions are not exactly the parent's tearlines, or ""."""
    by_dest = {r.destination: r for r in held}
    for section in parent.tearlines():
        rec = by_dest.pop(section.destination, None)
        if rec is None:
            return f"the tearline for {section.destination} has no signed tearline version"
        expected = tearline_version(parent, section.destination)
        if product_to_json(rec.product) != product_to_json(expected):
            return (f"the tearline version for {section.destination} differs from the "
                    "parent's tearline")
    if by_dest:
        return f"a signed tearline version for {sorted(by_dest)[0]} has no tearline in the parent"
    return ""


def verify_against_parent(parent_signoff: Signoff, rec: TearlineRecord) -> str:
    """Why the tearline sign-off is not the parent's signer signing this tearline version with
    the parent's key, time and audit head, or "". (The parent's own sign-off, checked by the
    full verify, is what vouches for that key; its approval record lists the tearline's
    content hash.)"""
    from hstc_desk.store.product_reads import verify

    so = rec.signoff
    same = ("signer", "signer_public_key", "audit_head", "signed_at", "version")
    if differs := [n for n in same if getattr(so, n) != getattr(parent_signoff, n)]:
        return f"its sign-off differs from the parent's in {', '.join(differs)}"
    verdict = verify(rec.product, so, bytes.fromhex(parent_signoff.signer_public_key))
    return "" if verdict.ok else verdict.reason
