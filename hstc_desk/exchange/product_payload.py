"""Approved products in bundles (``data/products.jsonl``): select, read strictly, merge.

Each line is ``{"product":<canonical product>,"signoff":<canonical sign-off>}``, exactly that
text, followed by one line ``{"image":<base64 PNG>,"marking":M,"sha256":H}`` per figure image
the product shows (its name the hash its signed content holds; marked as its figure), so a
partner can print the figures; ``Product-Count`` counts the products.
On arrival every sign-off must verify against the signer key it carries (the bundle's
signature, checked against the trust store, vouches for that key; the key's fingerprint is
reported); a sign-off that fails refuses the whole bundle.

Export vouches for each sign-off it sends, so it runs the same full check as ``hstc product
verify`` on this workstation (the named supervisor's key in the user table and the store's own
audit chain, or for an imported sign-off a still-trusted vouching workstation), not only the
carried key; a version that fails, or whose line is longer than the reader accepts
(bundle_format.MAX_PRODUCT_LINE), or that would take the products past the container's member
limit, is left out with the reason.

Merge, keyed by (id, version): a version not held is added with its sign-off; the same approved
version with the same content is unchanged; the same (id, version) approved here with other
content refuses the bundle (approved versions are immutable and signed, so a difference is a
forgery or a broken workstation, never an edit); a local draft or in-review version with that
number makes way: it is renumbered to the next free version and the renumbering is audited.
Versions are separate records, so no import changes the marking of any version held.

Tearlines (issue 11 §2): to a destination for which an approved version has a tearline, the
version travels as its signed tearline version alone (its own id, title, portions and banner;
nothing of the parent body), after the parent's sign-off, the tearline's match with the
parent, and the tearline's own sign-off all verify here. To a destination without a tearline
the version goes whole, only if all of it is releasable (as before).

On arrival each added version is audited (``product.import``) with the digests of its parts,
so that ``hstc product verify`` later names a part changed behind the app's back; an approved
referral's addressees are recorded for the responses to come.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from hstc_desk import markings
from hstc_desk.domain.errors import DomainError
from hstc_desk.domain.products import (
    Product,
    Signoff,
    change_product,
    field_digests,
    parse_product,
    parse_signoff,
    product_to_json,
    signoff_to_json,
)
from hstc_desk.exchange import bundle_format as bf
from hstc_desk.exchange.errors import BundleError
from hstc_desk.exchange.plan import Excluded, _category, _decide
from hstc_desk.exchange.zipcodec import Limits
from hstc_desk.store import Store, product_images, product_referrals, product_tearlines
from hstc_desk.store import products as store_products
from hstc_desk.store.audit import now_iso
from hstc_desk.store.rows import parse_marking

if TYPE_CHECKING:
    from hstc_desk.exchange.plan import Plan

MAX_LINE = bf.MAX_PRODUCT_LINE
CHECK = "sign-off"


@dataclass(frozen=True)
class ProductRecord:
    product: Product
    signoff: Signoff
    line: str
    sha256: str
    images: dict[str, bytes] = field(default_factory=dict)  # figure PNGs by SHA-256

    @property
    def key(self) -> tuple[str, int]:
        return (self.product.id, self.product.version)

    @property
    def marking(self) -> str:
        return self.product.marking()


def line_of(product: Product, signoff: Signoff) -> str:
    return f'{{"product":{product_to_json(product)},"signoff":{signoff_to_json(signoff)}}}'


def image_line(sha256: str, marking: str, png: bytes) -> str:
    """A figure image, carried on its own line right after its product's line."""
    return (f'{{"image":"{base64.b64encode(png).decode()}","marking":"{marking}",'
            f'"sha256":"{sha256}"}}')


def _image_lines(store: Store, product: Product) -> list[str]:
    """The lines of the figure images ``product`` shows that this store holds (marked as
    the figure is; the same image twice travels once)."""
    out, seen = [], set()
    for f in product.figures():
        if f.image_sha256 is None or f.image_sha256 in seen:
            continue
        seen.add(f.image_sha256)
        row = store.conn.execute("SELECT CAST(png AS BLOB) FROM product_images WHERE "
                                 "sha256 = ?", (f.image_sha256,)).fetchone()
        if row is not None and hashlib.sha256(bytes(row[0])).hexdigest() == f.image_sha256:
            out.append(image_line(f.image_sha256, _figure_marking(product, f.image_sha256),
                                  bytes(row[0])))
    return out


def _figure_marking(product: Product, sha256: str) -> str:
    from hstc_desk.domain.product_portions import rollup_markings

    return rollup_markings(f.marking for f in product.figures()
                           if f.image_sha256 == sha256).portion()


# ---- export -------------------------------------------------------------------------------------


def select(store: Store, p: Plan, chosen: set[str]) -> None:
    """Add the approved, releasable, verifying product versions in scope to the plan."""
    scope = p.scope
    room = Limits().max_member
    rows = store.conn.execute(
        "SELECT p.body, s.body, s.received_from FROM products p JOIN signoffs s ON "
        "s.product_id = p.id AND s.version = p.version WHERE p.status = 'approved' "
        "ORDER BY p.id, p.version")
    for body, so_body, received_from in rows:
        product, so = parse_product(body), parse_signoff(so_body)
        if scope.ids is not None and product.id not in scope.ids:
            continue
        if (scope.case_id or scope.query) and not any(
                c.item_id in chosen for c in product.citations()):
            continue
        if not markings.dominates(store.clearance, parse_marking(product.marking())):
            p.hidden += 1
            continue
        title = f"{product.title} (version {product.version})"
        verdict = store_products.verify_held(
            store, product, store_products.StoredSignoff(so, received_from))
        if verdict.ok and product.tearline(p.destination.code) is not None:
            product, tso, why = _tearline_for(store, product, p.destination.code)
            if why or tso is None:
                verdict = store_products.Verdict(False, why)
            else:
                so = tso
            title = f"{product.title} (tearline for {p.destination.code}, version " \
                    f"{product.version})"
        if not verdict.ok:
            p.excluded.append(Excluded(product.id, "product", title, product.marking(),
                                       "sign-off", verdict.reason))
            continue
        why = _refusal(product, p, _decide, _category)
        if why is not None:
            p.excluded.append(Excluded(product.id, "product", title, product.marking(), *why))
            continue
        # The figure images follow on lines of their own, in the same plan entry (the writer
        # joins entries with newlines; Product-Count counts products, not images).
        lines = [line_of(product, so), *_image_lines(store, product)]
        line = "\n".join(lines)
        size = len(line.encode())
        longest = max(len(x.encode()) for x in lines)
        if longest > MAX_LINE or size + 1 > room:
            limit = (f"a bundle line of it is {longest:,} bytes, over the {MAX_LINE:,} a "
                     "reader accepts" if longest > MAX_LINE else
                     f"the products would pass the bundle's member limit of "
                     f"{Limits().max_member:,} bytes")
            p.excluded.append(Excluded(product.id, "product", title, product.marking(),
                                       "too large", f"too large to travel: {limit}"))
            continue
        room -= size + 1
        p.products.append(line)
        p.markings.add(product.marking())


def _tearline_for(store: Store, parent: Product, dest: str
                  ) -> tuple[Product, Signoff | None, str]:
    """(the signed tearline version of ``parent`` for ``dest``, its sign-off, "") or, when it
    cannot travel, (..., why)."""
    held = product_tearlines.records(store, parent.id, parent.version)
    rec = next((r for r in held if r.destination == dest), None)
    if rec is None:
        return parent, None, f"its tearline for {dest} has no signed tearline version"
    if why := product_tearlines.check(parent, held):
        return parent, rec.signoff, why
    parent_so = store_products.signoff_of(store, parent.id, parent.version)
    why = product_tearlines.verify_against_parent(parent_so.signoff, rec) if parent_so else \
        "the parent has no sign-off"
    if why:
        return rec.product, rec.signoff, f"the tearline version for {dest}: {why}"
    return rec.product, rec.signoff, ""


def _refusal(product: Product, p: Plan,
             decide: Callable[[str, bool, markings.Destination], markings.Decision],
             category: Callable[[str], str]) -> tuple[str, str] | None:
    names = ["the title", *(f"portion {i + 1} ({pt.type})" for i, pt in enumerate(
        product.portions))]
    for name, marking in zip(names, product.markings(), strict=True):
        d = decide(marking, product.leads_only, p.destination)
        if not d.ok:
            return category(d.reason), f"{name}: {d.reason}"
    return None


# ---- import -------------------------------------------------------------------------------------


def _no_dup_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    keys = [k for k, _ in pairs]
    if dup := sorted({k for k in keys if keys.count(k) > 1}):
        raise BundleError("schema", f"duplicate JSON key {dup[0]!r}")
    return dict(pairs)


def read(data: bytes, member: str) -> Iterator[ProductRecord]:
    """Strict parse of products.jsonl; every sign-off verified. BundleError on the first fault.

    A line is a product and its sign-off, or a figure image of the product on the line before
    (an image must be one that product shows, its bytes must hash to its name and be a PNG,
    and its marking must be the figure's)."""
    if not data:
        raise BundleError("schema", f"{member} is present but empty")
    if not data.endswith(b"\n"):
        raise BundleError("schema", f"{member} does not end with a newline")
    seen: set[tuple[str, int]] = set()
    records: list[ProductRecord] = []
    for n, raw in enumerate(data[:-1].split(b"\n"), 1):
        if len(raw) > MAX_LINE:
            raise BundleError("schema", f"{member} line {n} is longer than {MAX_LINE} bytes")
        try:
            obj = json.loads(raw, object_pairs_hook=_no_dup_keys)
            if isinstance(obj, dict) and sorted(obj) == ["image", "marking", "sha256"]:
                if not records:
                    raise DomainError("an image line comes after its product's line")
                _add_image(records[-1], obj, raw)
                continue
            if not isinstance(obj, dict) or sorted(obj) != ["product", "signoff"]:
                raise DomainError("a line holds exactly \"product\" and \"signoff\" (or a "
                                  "figure image of the product before it)")
            product, so = parse_product(obj["product"]), parse_signoff(obj["signoff"])
        except BundleError as exc:
            raise BundleError("schema", f"{member} line {n}: {exc.detail}") from None
        except (ValueError, RecursionError) as exc:
            raise BundleError("schema", f"{member} line {n}: {str(exc)[:300]}") from None
        line = line_of(product, so)
        if line.encode() != raw:
            raise BundleError("schema", f"{member} line {n}: not in canonical form")
        rec = ProductRecord(product, so, line, hashlib.sha256(raw).hexdigest())
        if rec.key in seen:
            raise BundleError("schema", f"{product.id} version {product.version} appears twice")
        seen.add(rec.key)
        if product.status != "approved":
            raise BundleError(CHECK, f"{product.id} version {product.version} is "
                                     f"{product.status}; only approved products travel")
        verdict = store_products.verify(product, so, bytes.fromhex(so.signer_public_key))
        if not verdict.ok:
            raise BundleError(CHECK, f"{product.id} version {product.version}: the sign-off "
                                     f"does not verify: {verdict.reason}")
        records.append(rec)
    yield from records


def _add_image(rec: ProductRecord, obj: dict, raw: bytes) -> None:
    from hstc_desk.store.errors import StoreError
    from hstc_desk.store.product_images import png_size

    sha, marking, b64 = obj["sha256"], obj["marking"], obj["image"]
    if not all(isinstance(v, str) for v in (sha, marking, b64)):
        raise DomainError("an image line holds three strings")
    shown = {f.image_sha256 for f in rec.product.figures()}
    if sha not in shown:
        raise DomainError(f"image {sha[:16]}... is not a figure of {rec.product.id}")
    if sha in rec.images:
        raise DomainError(f"image {sha[:16]}... appears twice")
    try:
        png = base64.b64decode(b64, validate=True)
    except ValueError:
        raise DomainError(f"image {sha[:16]}... is not base64") from None
    if hashlib.sha256(png).hexdigest() != sha:
        raise DomainError(f"image {sha[:16]}...: its bytes do not hash to its name")
    try:
        png_size(png)
    except StoreError as exc:
        raise DomainError(f"image {sha[:16]}...: {exc}") from None
    if marking != _figure_marking(rec.product, sha):
        raise DomainError(f"image {sha[:16]}... is marked {marking[:40]}, not as its figure")
    if image_line(sha, marking, png).encode() != raw:
        raise DomainError(f"image {sha[:16]}...: not in canonical form")
    rec.images[sha] = png


def summary_lines(recs: list[ProductRecord]) -> list[str]:
    return [f"product       {r.product.id} v{r.product.version} {r.product.banner()}: sign-off "
            f"by {r.signoff.signer} verified, key "
            f"{store_products.fingerprint(bytes.fromhex(r.signoff.signer_public_key))}"
            for r in recs]


def merge(store: Store, recs: list[ProductRecord], received_from: str) -> dict[str, int]:
    """Merge inside the caller's transaction; returns counts."""
    counts = {"added": 0, "unchanged": 0, "renumbered_drafts": 0}
    conn = store.conn
    for rec in recs:
        row = conn.execute("SELECT status, body FROM products WHERE id = ? AND version = ?",
                           rec.key).fetchone()
        if row is not None and row[0] == "approved":
            held = conn.execute("SELECT body FROM signoffs WHERE product_id = ? AND version = ?",
                                rec.key).fetchone()
            if row[1] == product_to_json(rec.product) and held is not None \
                    and held[0] == signoff_to_json(rec.signoff):
                counts["unchanged"] += 1
                _keep_images(store, rec)  # an earlier copy may have come without them
                continue
            raise BundleError("merge", f"{rec.product.id} version {rec.product.version} is "
                                       "approved here with other content or another sign-off; "
                                       "an approved version is immutable")
        if row is not None:
            _renumber(store, parse_product(row[1]))
            counts["renumbered_drafts"] += 1
        conn.execute(store_products.INSERT, store_products.product_row(rec.product))
        store_products.insert_signoff(store, rec.signoff, received_from)
        product_referrals.add_addressees(store, rec.product)
        _keep_images(store, rec)
        store.audit("product.import", rec.product.id, {
            "version": rec.product.version, "banner": rec.product.banner(),
            "content_hash": rec.signoff.content_hash, "audit_head": rec.signoff.audit_head,
            "received_from": received_from, "fields": field_digests(rec.product)})
        counts["added"] += 1
    return counts


def _keep_images(store: Store, rec: ProductRecord) -> None:
    for sha, png in sorted(rec.images.items()):
        product_images.keep_received(store, png, sha, _figure_marking(rec.product, sha))


def _renumber(store: Store, local: Product) -> None:
    top = store.conn.execute("SELECT max(version) FROM products WHERE id = ?",
                             (local.id,)).fetchone()[0]
    moved = change_product(local, version=top + 1)
    store.conn.execute("DELETE FROM products WHERE id = ? AND version = ?",
                       (local.id, local.version))
    store.conn.execute(store_products.INSERT, store_products.product_row(moved))
    store.audit("product.renumbered", local.id, {
        "from": local.version, "to": moved.version, "status": local.status, "at": now_iso(),
        "why": "an approved version with this number arrived in a bundle"})
