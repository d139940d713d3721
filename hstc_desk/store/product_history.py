"""A product's versions, its review comments, what changed since the last approved version,
and the supervisors' review queue (issue 11 §3). Reads only what the user's clearance shows;
one product's versions at a time, the queue a page at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hstc_desk.domain.product_diff import ProductDiff, diff
from hstc_desk.domain.product_portions import portion_label
from hstc_desk.domain.products import Product, ReviewComment, parse_product, parse_signoff
from hstc_desk.store.errors import NotFound
from hstc_desk.store.store import Store


@dataclass(frozen=True)
class VersionInfo:
    version: int
    status: str
    author: str
    editors: tuple[str, ...]
    title: str
    banner: str
    updated: datetime
    signer: str | None
    signed_at: datetime | None
    imported: bool  # the sign-off arrived in a bundle


@dataclass(frozen=True)
class CommentInfo:
    version: int
    comment: ReviewComment
    portion_index: int | None  # 0-based, in that version (None: on the whole product)
    portion_label: str  # "portion 3 (S//NF)", or "" for the whole product


@dataclass(frozen=True)
class QueueEntry:
    product_id: str
    version: int
    title: str
    product_type: str
    banner: str
    author: str
    submitted: datetime
    age: timedelta


def _versions(store: Store, product_id: str) -> list[tuple[Product, str | None, str | None]]:
    vis, args = store._visible_sql(alias="p")
    rows = store.conn.execute(
        f"SELECT p.body, s.body, s.received_from FROM products p LEFT JOIN signoffs s ON "
        f"s.product_id = p.id AND s.version = p.version WHERE p.id = ?{vis} "
        f"ORDER BY p.version", (product_id, *args)).fetchall()
    if not rows:
        raise NotFound(f"no product {product_id}")
    return [(parse_product(b), so, rf) for b, so, rf in rows]


def history(store: Store, product_id: str) -> list[VersionInfo]:
    """Every version the user may see, oldest first: status, author, editors, signer, time."""
    out = []
    for p, so_body, received in _versions(store, product_id):
        so = parse_signoff(so_body) if so_body else None
        out.append(VersionInfo(p.version, p.status, p.author, tuple(p.editors), p.title,
                               p.banner(), p.updated, so.signer if so else None,
                               so.signed_at if so else None, received is not None))
    return out


def comments(store: Store, product_id: str) -> list[CommentInfo]:
    """The review comments of every version, oldest first, each with the portion it is on.
    A comment is carried from version to version while it stays a draft of that version, so
    each comment is listed once, under the first version that holds it."""
    out: list[CommentInfo] = []
    seen: set[tuple[str, str, str, str | None]] = set()
    for p, _, _ in _versions(store, product_id):
        for c in p.comments:
            key = (c.who, c.when.isoformat(), c.text, c.anchor)
            if key in seen:
                continue
            seen.add(key)
            idx = p.index_of(c.anchor) if c.anchor else None
            label = portion_label(idx, p.portions[idx]) if idx is not None else ""
            out.append(CommentInfo(p.version, c, idx, label))
    return out


def last_approved(store: Store, product_id: str, before: int | None = None) -> Product | None:
    """The latest approved version (below ``before`` if given) the user may see."""
    vis, args = store._visible_sql()
    extra, eargs = ("", ()) if before is None else (" AND version < ?", (before,))
    row = store.conn.execute(
        f"SELECT body FROM products WHERE id = ? AND status = 'approved'{extra}{vis} "
        f"ORDER BY version DESC LIMIT 1", (product_id, *eargs, *args)).fetchone()
    return None if row is None else parse_product(row[0])


def changes_since_approved(store: Store, product_id: str,
                           version: int | None = None) -> ProductDiff:
    """What ``version`` (default: the latest) changed against the last approved version
    below it; every portion "added" when there is none."""
    from hstc_desk.store.products import get

    new = get(store, product_id, version)
    return diff(last_approved(store, product_id, before=new.version), new)


def review_queue(store: Store, *, limit: int = 200, now: datetime | None = None
                 ) -> list[QueueEntry]:
    """Versions waiting in review that the user may see, oldest submission first."""
    vis, args = store._visible_sql(alias="p")
    rows = store.conn.execute(
        f"SELECT p.body FROM products p WHERE p.status = 'in_review'{vis} "
        f"ORDER BY p.updated, p.id LIMIT ?", (*args, limit))
    when = (now or datetime.now(UTC)).astimezone(UTC)
    out = []
    for (body,) in rows:
        p = parse_product(body)
        out.append(QueueEntry(p.id, p.version, p.title, p.product_type, p.banner(), p.author,
                              p.updated, max(timedelta(0), when - p.updated)))
    return out
