"""Originator authorizations (issue 12 item 2): the charter makes sharing "subject to the
applicable originator and classification restraints". A disclosure officer records an
originator's release of named ORCON items (one item, or every item of a case) to one destination,
or the lifting of the leads-only use restriction for a named purpose there. The export selection
honours them (``authorizations_for``); the audit log records each; without one, nothing ORCON or
leads-only leaves, as before.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Final

from hstc_desk import markings
from hstc_desk.exchange.errors import ExchangeError
from hstc_desk.store import Store
from hstc_desk.store.errors import NotFound, PermissionDenied

OFFICER: Final = "disclosure_officer"


KINDS: Final = ("orcon_release", "leads_only_lift")


@dataclass(frozen=True)
class Authorization:
    id: str
    kind: str
    originator: str
    item_id: str | None
    case_id: str | None
    destination: str
    purpose: str
    granted_on: str
    reference: str
    officer: str


def authorize(store: Store, *, kind: str, originator: str, destination: str, purpose: str,
              granted_on: date, reference: str, item_id: str | None = None,
              case_id: str | None = None, now: datetime | None = None) -> Authorization:
    """Record an originator's authorization (officer only): an ORCON release of an item or
    a case's items to one destination, or a lift of leads-only for a named purpose there."""
    if store.user.role != OFFICER:
        raise PermissionDenied(f"{store.user.name} is {store.user.role}; only a disclosure "
                               "officer records an originator's authorization")
    if kind not in KINDS:
        raise ExchangeError(f"unknown kind {kind!r}: one of {', '.join(KINDS)}")
    if (item_id is None) == (case_id is None):
        raise ExchangeError("name one item or one case, not both or neither")
    dest = markings.destination(destination)
    fields = {"originator": originator, "purpose": purpose, "reference": reference}
    for name, value in fields.items():
        if not value.strip() or len(value) > 200 or any(ord(c) < 32 for c in value):
            raise ExchangeError(f"the {name} must be one line of 1 to 200 characters")
    target = item_id or case_id or ""
    row = store.conn.execute("SELECT originator FROM items WHERE id = ?", (target,)).fetchone()
    if row is None:
        raise NotFound(f"no item {target}")
    if item_id is not None and row[0] != originator.strip():
        raise ExchangeError(f"{item_id} is {row[0]}'s: only its originator's authorization "
                            f"releases it, not {originator.strip()}'s")
    now = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    auth = Authorization(f"AUTH-{secrets.token_hex(8)}", kind, originator.strip(), item_id,
                         case_id, dest.code, purpose.strip(), granted_on.isoformat(),
                         reference.strip(), store.user.name)
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO originator_authorizations (id, kind, originator, item_id, case_id, "
            "destination, purpose, granted_on, reference, officer, recorded) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (auth.id, kind, auth.originator, item_id, case_id, dest.code, auth.purpose,
             auth.granted_on, auth.reference, auth.officer, now.isoformat()))
        store.audit("disclosure.authorize", auth.id, {
            "kind": kind, "originator": auth.originator, "item": item_id, "case": case_id,
            "destination": dest.code, "purpose": auth.purpose, "granted_on": auth.granted_on,
            "reference": auth.reference})
    return auth


def authorizations(store: Store, destination: str | None = None) -> list[Authorization]:
    sql = ("SELECT id, kind, originator, item_id, case_id, destination, purpose, granted_on, "
           "reference, officer FROM originator_authorizations")
    args: tuple[str, ...] = ()
    if destination:
        sql += " WHERE destination = ?"
        args = (destination,)
    return [Authorization(*r) for r in store.conn.execute(sql + " ORDER BY recorded, id", args)]


@dataclass(frozen=True)
class Releases:
    """What the authorizations for one destination release: (item or case id, originator)
    pairs. An originator releases only its own items: a case authorization covers the items of
    that case that the same originator gave."""

    orcon_pairs: frozenset[tuple[str, str]] = frozenset()
    lift_pairs: frozenset[tuple[str, str]] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.orcon_pairs or self.lift_pairs)

    @staticmethod
    def _covers(pairs: frozenset[tuple[str, str]], item_id: str, case_id: str | None,
                originator: str) -> bool:
        return (item_id, originator) in pairs or (
            case_id is not None and (case_id, originator) in pairs)

    def orcon(self, item_id: str, case_id: str | None, originator: str) -> bool:
        return self._covers(self.orcon_pairs, item_id, case_id, originator)

    def lifted(self, item_id: str, case_id: str | None, originator: str) -> bool:
        return self._covers(self.lift_pairs, item_id, case_id, originator)


def authorizations_for(store: Store, destination: str) -> Releases:
    """The releases recorded for ``destination`` (an empty Releases on a store without any)."""
    orcon: set[tuple[str, str]] = set()
    lift: set[tuple[str, str]] = set()
    for kind, item_id, case_id, originator in store.conn.execute(
            "SELECT kind, item_id, case_id, originator FROM originator_authorizations "
            "WHERE destination = ?", (destination,)):
        (orcon if kind == "orcon_release" else lift).add((item_id or case_id, originator))
    return Releases(frozenset(orcon), frozenset(lift))
