"""Two-person foreign disclosure (issue 12 item 2).

An export to a foreign destination (any profile that is not a US agency) is a release request:
the analyst prepares it (destination, scope, the preview of what goes and what is left out), and a
disclosure officer who is not the requester reviews exactly those items and approves or refuses
it with a reason. "Exactly those items" is made precise by the bundle manifest: the request
records the SHA-256 of the manifest its preview makes (every item, link and product version
that would travel, byte for byte); the officer's preview must make the same manifest, or the
approval is refused ("the items changed since the request"); and the export must make it once
more, or no bundle is written. The officer's Ed25519 approval covers that manifest digest, the
destination, the request and both people; the bundle carries it (``disclosure-approval.json``, a
tag file, so the workstation's signature covers it too), and the receiving workstation checks it
and shows who approved the release. Exports to US agencies stay one-person.

Originator authorizations: the officer records an originator's release of named ORCON items (an
item, or every item of a case) to one destination, or the lifting of the leads-only restriction
for a named purpose; the selection honours them (``authorizations_for``), the audit log records
them, and without one nothing ORCON or leads-only leaves, as before.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final

from hstc_desk import markings
from hstc_desk.exchange import bundle_format as bf
from hstc_desk.exchange.authorizations import OFFICER
from hstc_desk.exchange.errors import BundleError, ExchangeError
from hstc_desk.exchange.keys import fingerprint, raw_public
from hstc_desk.exchange.plan import Plan, Scope
from hstc_desk.exchange.release_approval import (
    APPROVAL_MEMBER,
    approval_message,
    check_approval,
    needs_approval,
)
from hstc_desk.exchange.selection import plan
from hstc_desk.exchange.writer import DEFAULT_VALIDITY, ExportResult, Progress, export, payload_of
from hstc_desk.store import Store, certificates
from hstc_desk.store.errors import NotFound, PermissionDenied

STATUSES: Final = ("pending", "approved", "refused", "exported")
REASON_MAX: Final = 2000


class DisclosureError(ExchangeError):
    """A release request refused or not found; the message says why."""


@dataclass(frozen=True)
class Request:
    id: str
    requester: str
    destination: str
    scope: Scope
    manifest_sha256: str
    banner: str
    items: int
    links: int
    products: int
    left_out: int
    created: datetime
    status: str
    officer: str | None
    reason: str | None
    decided: datetime | None
    approval: bytes | None

    def lines(self) -> list[str]:
        out = [f"request     {self.id}",
               f"status      {self.status}",
               f"requester   {self.requester}",
               f"destination {self.destination}",
               f"scope       {self.scope.describe()}",
               f"goes        {self.items} items, {self.links} links, {self.products} products",
               f"left out    {self.left_out}",
               f"banner      {self.banner}",
               f"manifest    sha256 {self.manifest_sha256}",
               f"created     {self.created.isoformat()}"]
        if self.officer:
            out.append(f"officer     {self.officer}, {self.status} "
                       f"{self.decided.isoformat() if self.decided else ''}".rstrip())
        if self.reason:
            out.append(f"reason      {self.reason}")
        return out


def _scope_json(scope: Scope) -> str:
    return json.dumps({"case_id": scope.case_id, "query": scope.query,
                       "ids": list(scope.ids) if scope.ids is not None else None},
                      sort_keys=True, separators=(",", ":"))


def _scope(text: str) -> Scope:
    d = json.loads(text)
    return Scope(case_id=d["case_id"], query=d["query"],
                 ids=tuple(d["ids"]) if d["ids"] is not None else None)


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


_COLUMNS = ("id, requester, destination, scope, manifest_sha256, banner, items, links, "
            "products, left_out, created, status, officer, reason, decided, approval")


def _row(r: tuple) -> Request:
    return Request(r[0], r[1], r[2], _scope(r[3]), r[4], r[5], r[6], r[7], r[8], r[9],
                   datetime.fromisoformat(r[10]), r[11], r[12], r[13], _when(r[14]),
                   r[15].encode() if r[15] else None)


def manifest_of(plan: Plan) -> bytes:
    """The manifest the plan's bundle would carry (its payload bytes are exact)."""
    payload = payload_of(plan)
    return bf.manifest_bytes({n: hashlib.sha256(b).hexdigest() for n, b in payload.items()})


def manifest_digest(plan: Plan) -> str:
    return hashlib.sha256(manifest_of(plan)).hexdigest()


def _plan(store: Store, destination: str, scope: Scope) -> Plan:
    return plan(store, destination, scope)


def prepare(store: Store, destination: str, scope: Scope, *,
            now: datetime | None = None) -> tuple[Request, Plan]:
    """A new release request for ``destination`` (a foreign one), from the preview of what
    would go. Anyone who may export may ask; nothing is written to media."""
    dest = markings.destination(destination)
    p = _plan(store, dest.code, scope)
    if not dest.foreign and not (p.orcon_released or p.leads_only_lifted):
        raise DisclosureError(f"{dest.code} is a US agency: an export there needs no release "
                              "request (none of it goes by an originator's authorization)")
    now = (now or datetime.now(UTC)).astimezone(UTC)  # to the microsecond: "oldest first"
    request_id = f"REL-{secrets.token_hex(8)}"
    digest = manifest_digest(p)
    left_out = len(p.excluded) + p.hidden
    with store.transaction() as conn:
        conn.execute(
            f"INSERT INTO release_requests ({_COLUMNS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', NULL, NULL, NULL, NULL)",
            (request_id, store.user.name, dest.code, _scope_json(scope), digest, p.banner,
             len(p.items), len(p.links), len(p.products), left_out, now.isoformat()))
        store.audit("disclosure.request", request_id, {
            "destination": dest.code, "scope": scope.describe(), "items": len(p.items),
            "links": len(p.links), "products": len(p.products), "left_out": left_out,
            "banner": p.banner, "manifest_sha256": digest})
    return get(store, request_id), p


def get(store: Store, request_id: str) -> Request:
    row = store.conn.execute(f"SELECT {_COLUMNS} FROM release_requests WHERE id = ?",
                             (request_id,)).fetchone()
    if row is None:
        raise NotFound(f"no release request {request_id}")
    return _row(row)


def list_requests(store: Store, status: str | None = None, limit: int = 200) -> list[Request]:
    if status is not None and status not in STATUSES:
        raise DisclosureError(f"unknown status {status!r}: one of {', '.join(STATUSES)}")
    sql = f"SELECT {_COLUMNS} FROM release_requests"
    args: tuple[Any, ...] = ()
    if status:
        sql += " WHERE status = ?"
        args = (status,)
    sql += " ORDER BY created, id LIMIT ?"
    return [_row(r) for r in store.conn.execute(sql, (*args, limit))]


def review(store: Store, request_id: str) -> tuple[Request, Plan, bool]:
    """The request, the preview made now under this user's clearance, and whether it still
    makes the manifest the request fixed (False: the items changed, or this user does not see
    all of them)."""
    req = get(store, request_id)
    p = _plan(store, req.destination, req.scope)
    return req, p, manifest_digest(p) == req.manifest_sha256


def _officer_may_decide(store: Store, req: Request, doing: str) -> None:
    if store.user.role != OFFICER:
        raise PermissionDenied(f"{store.user.name} is {store.user.role}; only a disclosure "
                               f"officer may {doing} a release request")
    if store.user.name == req.requester:
        raise PermissionDenied(f"{store.user.name} asked for release request {req.id}: the "
                               f"requester may not {doing} it (two-person rule); another "
                               "disclosure officer must")
    if req.status != "pending":
        raise DisclosureError(f"release request {req.id} is {req.status}, not pending")


def approve(store: Store, request_id: str, *, now: datetime | None = None) -> Request:
    """The officer's approval: the preview made now must be exactly what the requester saw."""
    req = get(store, request_id)
    _officer_may_decide(store, req, "approve")
    _req, p, same = review(store, request_id)
    if not same:
        raise DisclosureError(
            f"release request {req.id}: the items to go are not those the requester saw (an "
            "item changed since, or some are above your clearance); refuse it and ask for a "
            "new request")
    now = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    key = store.signing_key
    doc: dict[str, Any] = {"approved_at": now.isoformat(), "destination": req.destination,
           "manifest_sha256": req.manifest_sha256, "officer": store.user.name,
           "officer_public_key": raw_public(key).hex(), "request": req.id,
           "requester": req.requester, "orcon_released": sorted(p.orcon_released),
           "leads_only_lifted": sorted(p.leads_only_lifted)}
    doc["signature"] = key.sign(approval_message(doc)).hex()
    approval = json.dumps(doc, sort_keys=True, indent=1) + "\n"
    with store.transaction() as conn:
        changed = conn.execute(
            "UPDATE release_requests SET status = 'approved', officer = ?, decided = ?, "
            "approval = ? WHERE id = ? AND status = 'pending'",
            (store.user.name, now.isoformat(), approval, req.id)).rowcount
        if changed != 1:
            raise DisclosureError(f"release request {req.id} is no longer pending")
        store.audit("disclosure.approve", req.id, {
            "destination": req.destination, "requester": req.requester,
            "manifest_sha256": req.manifest_sha256, "items": len(p.items)})
    return get(store, req.id)


def refuse(store: Store, request_id: str, reason: str, *,
           now: datetime | None = None) -> Request:
    req = get(store, request_id)
    _officer_may_decide(store, req, "refuse")
    reason = " ".join(reason.split())
    if not reason:
        raise DisclosureError("a refusal needs a reason the requester can read")
    if len(reason) > REASON_MAX:
        raise DisclosureError(f"the reason is longer than {REASON_MAX} characters")
    now = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    with store.transaction() as conn:
        changed = conn.execute(
            "UPDATE release_requests SET status = 'refused', officer = ?, decided = ?, "
            "reason = ? WHERE id = ? AND status = 'pending'",
            (store.user.name, now.isoformat(), reason, req.id)).rowcount
        if changed != 1:
            raise DisclosureError(f"release request {req.id} is no longer pending")
        store.audit("disclosure.refuse", req.id, {"destination": req.destination,
                                                  "requester": req.requester,
                                                  "reason": reason})
    return get(store, req.id)


def approved_plan(store: Store, request_id: str) -> tuple[Request, Plan]:
    """For the export of an approved request: its plan, made now, which must still make the
    approved manifest. Only the requester or an officer writes the bundle."""
    req = get(store, request_id)
    if req.status != "approved" or req.approval is None:
        raise DisclosureError(f"release request {req.id} is {req.status}: only an approved "
                              "request writes a bundle")
    if store.user.name != req.requester and store.user.role != OFFICER:
        raise PermissionDenied(f"release request {req.id} is {req.requester}'s; only they or a "
                               "disclosure officer may write its bundle")
    p = _plan(store, req.destination, req.scope)
    if manifest_digest(p) != req.manifest_sha256:
        raise DisclosureError(f"release request {req.id}: the items changed since the officer "
                              "approved them; no bundle written (ask for a new request)")
    _check_stored_approval(store, req, p)
    return req, p


def _check_stored_approval(store: Store, req: Request, p: Plan) -> None:
    """The approval kept with the request is checked as the receiver will check it, and
    against the officer's certificate here: a row set to "approved" by SQL, or an approval
    signed by anyone but a certified, active disclosure officer other than the requester, writes
    nothing."""
    assert req.approval is not None
    try:
        approval = check_approval(req.approval, destination=req.destination,
                                  manifest=manifest_of(p))
    except BundleError as exc:
        raise DisclosureError(f"release request {req.id}: its approval does not hold "
                              f"({exc.detail}); no bundle written") from None
    if approval is None or approval.request != req.id or approval.requester != req.requester \
            or approval.officer != req.officer:
        raise DisclosureError(f"release request {req.id}: its approval was given for another "
                              "request; no bundle written")
    if (sorted(approval.orcon_released), sorted(approval.leads_only_lifted)) != (
            sorted(p.orcon_released), sorted(p.leads_only_lifted)):
        raise DisclosureError(f"release request {req.id}: the items released by an originator's "
                              "authorization are not those approved; no bundle written")
    cert = certificates.current(store.conn, store.store_id, approval.officer)
    if (cert is None or cert.role != OFFICER or cert.state != "active"
            or fingerprint(cert.public_key) != approval.officer_fingerprint):
        raise DisclosureError(f"release request {req.id}: the approval is not signed by a "
                              f"certified, active disclosure officer ({approval.officer}); no "
                              "bundle written")


def export_request(store: Store, request_id: str, out: Path, *,
                   validity: timedelta = DEFAULT_VALIDITY, now: datetime | None = None,
                   progress: Progress | None = None,
                   cancel: Callable[[], bool] | None = None) -> ExportResult:
    """Write the bundle of an approved request (only such a request writes one): the plan made
    now must still be exactly what the officer approved; the bundle carries the approval; the
    request is marked exported in the transaction that records the export."""
    req, p = approved_plan(store, request_id)
    assert req.approval is not None

    def exported(info: bf.BagInfo) -> None:
        done = store.conn.execute("UPDATE release_requests SET status = 'exported' "
                                  "WHERE id = ? AND status = 'approved'", (req.id,)).rowcount
        if done != 1:  # another export of the same approval got there first
            raise DisclosureError(f"release request {req.id} was exported meanwhile; this "
                                  "bundle is not recorded and was removed")
        store.audit("disclosure.export", req.id, {"bundle_id": info.bundle_id,
                                                  "destination": req.destination})

    return export(store, p, out, validity=validity, now=now, progress=progress, cancel=cancel,
                  approval=req.approval, on_commit=exported)


__all__ = ["APPROVAL_MEMBER", "needs_approval"]
