"""Reading products and checking a sign-off, apart from the workflow (``store.products``), so
the workflow's helpers (integrity, referrals, tearlines) use these without importing it back.
``store.products`` re-exports every name here."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from hstc_desk.domain.products import (
    SIGNOFF_CONTEXT,
    Product,
    Signoff,
    content_hash,
    parse_product,
    parse_signoff,
    product_to_json,
)
from hstc_desk.store.errors import NotFound
from hstc_desk.store.rows import marking_columns
from hstc_desk.store.store import Store

MAX_VERSION = (1 << 63) - 1  # SQLite's INTEGER


def fingerprint(public_raw: bytes) -> str:
    """SHA-256 of a raw Ed25519 public key, as the exchange shows workstation keys."""
    return hashlib.sha256(public_raw).hexdigest()


# ---- reading ------------------------------------------------------------------------------------


def _vis(store: Store) -> tuple[str, tuple]:
    return store._visible_sql()


def get(store: Store, product_id: str, version: int | None = None) -> Product:
    """The latest (or a given) version the user's clearance shows; NotFound otherwise."""
    vis, args = _vis(store)
    if version is not None and not 1 <= version <= MAX_VERSION:
        raise NotFound(f"no product {product_id} version {version} (versions run from 1 to "
                       f"{MAX_VERSION})")
    if version is None:
        row = store.conn.execute(
            f"SELECT body FROM products WHERE id = ?{vis} ORDER BY version DESC LIMIT 1",
            (product_id, *args)).fetchone()
    else:
        row = store.conn.execute(f"SELECT body FROM products WHERE id = ? AND version = ?{vis}",
                                 (product_id, version, *args)).fetchone()
    if row is None:
        which = f" version {version}" if version is not None else ""
        raise NotFound(f"no product {product_id}{which}")
    return parse_product(row[0])


def list_products(store: Store, *, status: str | None = None, after: str = "",
                  limit: int = 200) -> list[Product]:
    """The latest visible version of each product, by id, one page (pass the last id on)."""
    vis, args = store._visible_sql(alias="p")
    where, extra = ("", ()) if status is None else (" AND p.status = ?", (status,))
    rows = store.conn.execute(
        f"SELECT p.body FROM products p WHERE p.id > ?{vis}"
        f" AND p.version = (SELECT max(version) FROM products WHERE id = p.id){where}"
        f" ORDER BY p.id LIMIT ?", (after, *args, *extra, limit))
    return [parse_product(r[0]) for r in rows]


@dataclass(frozen=True)
class StoredSignoff:
    signoff: Signoff
    received_from: str | None  # the vouching workstation's fingerprint, for imported ones


def signoff_of(store: Store, product_id: str, version: int) -> StoredSignoff | None:
    row = store.conn.execute(
        "SELECT body, received_from FROM signoffs WHERE product_id = ? AND version = ?",
        (product_id, version)).fetchone()
    return None if row is None else StoredSignoff(parse_signoff(row[0]), row[1])


def product_row(product: Product) -> tuple:
    portion, level, sci, _ = marking_columns(product.marking())
    return (product.id, product.version, product.status, product.product_type, product.title,
            product.author, portion, level, sci, product.updated.isoformat(),
            product_to_json(product))


INSERT = ("INSERT INTO products (id, version, status, ptype, title, author, marking, level, sci, "
          "updated, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


@dataclass
class Verdict:
    ok: bool
    reason: str = ""
    lines: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.ok


def verify(product: Product, signoff: Signoff, public_key: bytes) -> Verdict:
    """Does ``signoff`` sign exactly this ``product`` with ``public_key``? Pure, offline."""
    def bad(reason: str) -> Verdict:
        return Verdict(False, reason)

    if (signoff.product_id, signoff.version) != (product.id, product.version):
        return bad(f"the sign-off is for {signoff.product_id} version {signoff.version}, not "
                   f"{product.id} version {product.version}")
    if product.status != "approved":
        return bad(f"{product.id} version {product.version} is {product.status}, not approved")
    if signoff.signer_public_key != public_key.hex():
        made = fingerprint(bytes.fromhex(signoff.signer_public_key))[:16]
        return bad(f"the sign-off was made with key {made}..., not the signer's key "
                   f"{fingerprint(public_key)[:16]}...")
    if signoff.signer in product.participants():
        return bad(f"separation of duties: the signer {signoff.signer} authored or edited "
                   "this version")
    digest = content_hash(product, signoff)
    if digest != signoff.content_hash:
        return bad("the content, markings, version or audit head differ from what was signed "
                   "(content hash mismatch)")
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(
            bytes.fromhex(signoff.signature), SIGNOFF_CONTEXT + bytes.fromhex(digest))
    except (InvalidSignature, ValueError):
        return bad("the Ed25519 signature does not verify against the signer's key")
    return Verdict(True, "", [
        f"signed off by {signoff.signer} on {signoff.signed_at.isoformat()}",
        f"signer key    {fingerprint(public_key)}",
        f"content hash  {signoff.content_hash}",
        f"audit head    {signoff.audit_head}"])
