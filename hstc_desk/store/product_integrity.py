"""What ``hstc product verify`` adds to the signature check (issue 11): it names what was
changed behind the app's back, and checks the signed tearline versions.

- The parts of a version (each top-level field, each portion) have SHA-256 digests written into
  the audit record of its approval (or import); when the content hash no longer matches, the
  parts whose digest differs are named ("changed since signing: portion 3 (paragraph)").
- The columns of the ``products`` and ``signoffs`` rows that lists and queries read must agree
  with the bodies that were signed; one that does not is named.
- Every tearline of an approved version has its signed tearline version, exactly the parent's
  tearline, with a valid sign-off.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING

from hstc_desk.domain.products import Product, differing_fields
from hstc_desk.store import product_tearlines
from hstc_desk.store.store import Store

if TYPE_CHECKING:
    from hstc_desk.store.product_reads import Verdict

_PRODUCT_COLUMNS = ("id", "version", "status", "ptype", "title", "author", "marking", "level",
                    "sci", "updated")
_SIGNOFF_COLUMNS = ("signer", "signer_public_key", "signature", "content_hash", "audit_head",
                    "signed_at")


def signed_digests(store: Store, product_id: str, version: int) -> dict | None:
    """The audit detail of the approval (or import) of ``product_id`` ``version``, if any."""
    rows = store.conn.execute(
        "SELECT detail FROM audit WHERE target = ? AND action IN ('product.approve', "
        "'product.import') ORDER BY seq DESC", (product_id,))
    for (detail,) in rows:
        try:
            d = json.loads(detail)
        except ValueError:
            continue
        if isinstance(d, dict) and d.get("version") == version and isinstance(
                d.get("fields"), dict):
            return d
    return None


def column_faults(store: Store, product: Product) -> list[str]:
    """Columns of the version's rows that disagree with its signed body."""
    from hstc_desk.store.product_reads import product_row

    out: list[str] = []
    row = store.conn.execute(f"SELECT {', '.join(_PRODUCT_COLUMNS)} FROM products WHERE id = ? "
                             "AND version = ?", (product.id, product.version)).fetchone()
    expected = product_row(product)[:len(_PRODUCT_COLUMNS)]
    if row is not None:
        out += [f"the products row's {name} column" for name, a, b in
                zip(_PRODUCT_COLUMNS, row, expected, strict=True) if a != b]
    so = store.conn.execute(f"SELECT {', '.join(_SIGNOFF_COLUMNS)}, body FROM signoffs WHERE "
                            "product_id = ? AND version = ?",
                            (product.id, product.version)).fetchone()
    if so is not None:
        body = json.loads(so[-1])
        out += [f"the signoffs row's {name} column" for name, value in
                zip(_SIGNOFF_COLUMNS, so[:-1], strict=True) if not _same(body.get(name), value)]
    return out


def image_faults(store: Store, product: Product, *, imported: bool = False) -> list[str]:
    """Figures whose stored PNG no longer hashes to the SHA-256 the signature covers, or is
    missing from a version signed here. (Images do not travel in bundles yet: an imported
    version's figure may have no image here, which is no fault of its sign-off.)"""
    import hashlib

    from hstc_desk.domain.product_portions import Figure

    out = []
    for i, f in enumerate(product.portions):
        if isinstance(f, Figure) and f.image_sha256 is not None:
            row = store.conn.execute(
                "SELECT CAST(png AS BLOB) FROM product_images WHERE sha256 = ?",
                (f.image_sha256,)).fetchone()
            if row is None:
                if not imported:
                    out.append(f"the image of portion {i + 1} (figure) is missing")
            elif hashlib.sha256(bytes(row[0])).hexdigest() != f.image_sha256:
                out.append(f"the image of portion {i + 1} (figure)")
    return out


def _same(signed: object, column: object) -> bool:
    if signed == column:
        return True
    try:  # timestamps: the body writes "Z", the column "+00:00"
        return datetime.fromisoformat(str(signed)) == datetime.fromisoformat(str(column))
    except ValueError:
        return False


def explain(store: Store, product: Product, verdict: Verdict) -> Verdict:
    """``verdict`` of verify_held, with what was changed named, and the tearlines checked."""
    from hstc_desk.store.product_reads import Verdict, signoff_of

    where = f"{product.id} version {product.version}"
    held_so = signoff_of(store, product.id, product.version)
    imported = held_so is not None and held_so.received_from is not None
    faults = column_faults(store, product) + image_faults(store, product, imported=imported)
    if not verdict.ok:
        named: list[str] = []
        signed = signed_digests(store, product.id, product.version)
        if signed is not None:
            named = differing_fields(product, signed["fields"])
            stored = signoff_of(store, product.id, product.version)
            if not named and stored is not None and "content hash" in verdict.reason:
                named = (["the sign-off's content hash or audit head"]
                         if (stored.signoff.content_hash, stored.signoff.audit_head)
                         != (signed.get("content_hash"), signed.get("audit_head"))
                         else ["the sign-off's signer, key or time"])
        parts = [*named, *faults]
        if parts:
            verdict.reason += "; changed since signing: " + ", ".join(parts)
        return verdict
    if faults:
        return Verdict(False, f"{where}: {', '.join(faults)} differs from the signed version "
                              "(changed behind the app's back)")
    parent = signoff_of(store, product.id, product.version)
    received = parent.received_from if parent is not None else None
    held = product_tearlines.records(store, product.id, product.version)
    # A version signed here keeps a signed tearline version of each tearline; one that arrived
    # whole in a bundle came without them (it went whole: all of it releasable there).
    if (received is None or held) and (why := product_tearlines.check(product, held)):
        return Verdict(False, f"{where}: {why}")
    for rec in held:
        why = product_tearlines.verify_against_parent(parent.signoff, rec) if parent else \
            "the parent has no sign-off"
        if why:
            return Verdict(False, f"{where}: the tearline version for {rec.destination} "
                                  f"({rec.product.id}): {why}")
        verdict.lines.append(f"tearline      {rec.destination}: {rec.product.id} "
                             f"{rec.product.banner()}, sign-off VALID")
    return verdict
