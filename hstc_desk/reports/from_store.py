"""What a PDF needs from an open store: the version (or its signed tearline version), its
sign-off, the cited items' titles under the user's clearance, the figures' images; and, for
``hstc report verify --store``, which signer keys the store trusts."""

from __future__ import annotations

import contextlib
import importlib
from typing import Any

from hstc_desk.domain.errors import DomainError
from hstc_desk.domain.products import Product, Signoff
from hstc_desk.reports.story import NOT_VISIBLE, Document
from hstc_desk.store import Store
from hstc_desk.store import products as P
from hstc_desk.store.errors import NotFound


def _optional(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError:  # pragma: no cover - present once issue 11's store work has landed
        return None


def _tearline(store: Store, product: Product, destination: str
              ) -> tuple[Product, Signoff | None]:
    """The tearline version for ``destination``: the signed one of an approved version, else
    cut from the draft (so it prints as a draft)."""
    from hstc_desk.domain.products import tearline_version

    code = destination.strip().upper()
    if product.status == "approved":
        tl = _optional("hstc_desk.store.product_tearlines")
        if tl is not None and hasattr(tl, "record_for"):
            rec = tl.record_for(store, product.id, product.version, code)
            if rec is not None:
                return rec.product, rec.signoff
    try:
        return tearline_version(product, code), None
    except DomainError as exc:
        raise NotFound(str(exc)) from None


def document_of(store: Store, product_id: str, *, version: int | None = None,
                tearline: str | None = None) -> Document:
    """The Document that ``hstc report`` renders (NotFound if the user may not see it)."""
    product = P.get(store, product_id, version)
    if tearline is not None:
        product, signoff = _tearline(store, product, tearline)
    else:
        stored = P.signoff_of(store, product.id, product.version)
        signoff = stored.signoff if stored is not None else None
    titles: dict[str, str] = {}
    for c in product.citations():
        if getattr(c, "title", None) or c.item_id in titles:
            continue
        try:
            titles[c.item_id] = store.get_item(c.item_id).title
        except NotFound:
            titles[c.item_id] = NOT_VISIBLE
    images: dict[str, bytes] = {}
    pim = _optional("hstc_desk.store.product_images")
    for f in product.figures() if hasattr(product, "figures") else []:
        sha = getattr(f, "image_sha256", None)
        if sha and pim is not None and sha not in images:
            with contextlib.suppress(NotFound):  # else drawn as "image not available"
                images[sha] = pim.get_image(store, sha)
    return Document(product, signoff if product.status == "approved" else None, titles, images)


def store_trust(store: Store) -> Any:
    """A trust function over ``store``: a signer is trusted when it is a supervisor of this
    store with that very key, or when a sign-off this store holds with that key was vouched
    for by a workstation it still trusts."""
    users = {u.name: u for u in store.users()}
    vouched = {row[0]: row[1] for row in store.conn.execute(
        "SELECT s.signer_public_key, t.name FROM signoffs s JOIN trusted_keys t"
        " ON t.fingerprint = s.received_from WHERE t.revoked IS NULL")}

    def trusted(signer: str, public_hex: str) -> str | None:
        user = users.get(signer)
        if user is not None and user.role == "supervisor" and user.public_key.hex() == public_hex:
            return f"the signer {signer} is a supervisor of this store, with this key"
        if public_hex in vouched:
            return (f"this signer key came with sign-offs vouched for by {vouched[public_hex]}, "
                    "a workstation this store trusts")
        return None

    return trusted
