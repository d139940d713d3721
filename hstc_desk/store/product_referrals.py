"""Referrals (issue 11 §6): after approval, each addressee's response is recorded as it comes
back (acknowledged, acted on, declined, with a note and date). Responses are local facts, not
part of the signed content; every one is audited. The supervisors' queue asks which approved
referrals still await a response.

``referral_addressees`` holds the addressees of each approved referral (filled at approval and
on import of an approved referral); ``referral_responses`` every response, in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Final

from hstc_desk.domain.plain_text import prose
from hstc_desk.domain.products import Product, parse_product
from hstc_desk.store.audit import now_iso
from hstc_desk.store.errors import StoreError
from hstc_desk.store.store import Store

RESPONSES: Final = ("acknowledged", "acted_on", "declined")
MAX_NOTE: Final = 2000


@dataclass(frozen=True)
class Response:
    addressee: str
    response: str
    note: str
    on: date
    recorded_by: str
    recorded_at: str


@dataclass(frozen=True)
class Awaiting:
    product_id: str
    version: int
    title: str
    banner: str
    approved_at: str
    pending: list[str]


def add_addressees(store: Store, product: Product) -> None:
    """Record an approved referral's addressees (inside the caller's transaction)."""
    if product.product_type != "referral" or product.status != "approved":
        return
    for a in product.addressees or ():
        store.conn.execute(
            "INSERT INTO referral_addressees (product_id, addressee, version, approved) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (product_id, addressee) DO UPDATE SET "
            "version = max(version, excluded.version)",
            (product.id, a, product.version, product.updated.isoformat()))


def _approved_referral(store: Store, product_id: str) -> Product:
    from hstc_desk.store.product_reads import get

    vis, args = store._visible_sql()
    row = store.conn.execute(
        f"SELECT body FROM products WHERE id = ? AND status = 'approved' AND ptype = "
        f"'referral'{vis} ORDER BY version DESC LIMIT 1", (product_id, *args)).fetchone()
    if row is None:
        latest = get(store, product_id)  # NotFound if not visible at all
        raise StoreError(f"{product_id} is not an approved referral ({latest.product_type}, "
                         f"{latest.status.replace('_', ' ')})")
    return parse_product(row[0])


def record_response(store: Store, product_id: str, addressee: str, response: str, *,
                    note: str = "", on: date | None = None) -> Response:
    """Record ``addressee``'s response to the approved referral ``product_id``."""
    store.require_role("analyst", "supervisor", "admin")
    if response not in RESPONSES:
        raise StoreError(f"a response is one of {', '.join(RESPONSES)}, not {response!r}")
    if len(note) > MAX_NOTE:
        raise StoreError(f"the note is {len(note):,} characters, over the {MAX_NOTE:,} allowed")
    try:
        prose(note)
    except ValueError as exc:
        raise StoreError(f"note: {exc}") from None
    product = _approved_referral(store, product_id)
    code = addressee.strip().upper()
    if code not in (product.addressees or ()):
        raise StoreError(f"{code} is not an addressee of {product_id} (its addressees: "
                         f"{', '.join(product.addressees or ())})")
    day = on or datetime.now(UTC).date()
    if day < product.updated.date():
        raise StoreError(f"a response dated {day} is before the referral's approval on "
                         f"{product.updated.date()}")
    at = now_iso()
    with store.transaction() as conn:
        add_addressees(store, product)
        seq = conn.execute("SELECT coalesce(max(seq), 0) + 1 FROM referral_responses WHERE "
                           "product_id = ? AND addressee = ?", (product_id, code)).fetchone()[0]
        conn.execute(
            "INSERT INTO referral_responses (product_id, addressee, seq, response, note, "
            "responded, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (product_id, code, seq, response, note, day.isoformat(), store.user.name, at))
        store.audit("product.referral_response", product_id, {
            "addressee": code, "response": response, "on": day.isoformat(),
            "note": note[:500], "version": product.version})
    return Response(code, response, note, day, store.user.name, at)


def responses(store: Store, product_id: str) -> list[Response]:
    """Every recorded response to ``product_id``, by addressee, oldest first."""
    _approved_referral(store, product_id)
    rows = store.conn.execute(
        "SELECT addressee, response, note, responded, recorded_by, recorded_at FROM "
        "referral_responses WHERE product_id = ? ORDER BY addressee, seq", (product_id,))
    return [Response(a, r, n, date.fromisoformat(d), by, at) for a, r, n, d, by, at in rows]


def awaiting_response(store: Store, *, limit: int = 200) -> list[Awaiting]:
    """Approved referrals the user may see with an addressee that has not responded, oldest
    approval first; ``pending`` lists those addressees."""
    vis, args = store._visible_sql(alias="p")
    rows = store.conn.execute(
        f"SELECT a.product_id, a.version, group_concat(a.addressee, ' '), min(a.approved) "
        f"FROM referral_addressees a JOIN products p ON p.id = a.product_id "
        f"AND p.version = a.version WHERE NOT EXISTS (SELECT 1 FROM referral_responses r "
        f"WHERE r.product_id = a.product_id AND r.addressee = a.addressee){vis} "
        f"GROUP BY a.product_id ORDER BY min(a.approved), a.product_id LIMIT ?",
        (*args, limit)).fetchall()
    out = []
    for pid, version, pending, approved in rows:
        body = store.conn.execute("SELECT body FROM products WHERE id = ? AND version = ?",
                                  (pid, version)).fetchone()[0]
        p = parse_product(body)
        out.append(Awaiting(pid, version, p.title, p.banner(), approved,
                            sorted(pending.split(" "))))
    return out
