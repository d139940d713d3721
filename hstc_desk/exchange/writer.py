"""Export: write a plan as a signed bundle, atomically, then read it back and verify it."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import repeat
from pathlib import Path

from hstc_desk.atomic import atomic_write, read_back
from hstc_desk.exchange import bundle_format as bf
from hstc_desk.exchange.errors import BundleError, ExchangeError, ExportCancelled
from hstc_desk.exchange.keys import fingerprint, raw_public
from hstc_desk.exchange.plan import Plan
from hstc_desk.exchange.product_payload import read as read_products
from hstc_desk.exchange.reader import Verification, verify
from hstc_desk.exchange.trust import Keyring
from hstc_desk.exchange.zipcodec import write_zip
from hstc_desk.store import Store

DEFAULT_VALIDITY = timedelta(days=30)
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class ExportResult:
    path: Path
    info: bf.BagInfo
    sha256: str
    size: int
    excluded: int
    verification: Verification

    def lines(self) -> list[str]:
        i = self.info
        return [f"wrote {self.path} ({self.size} bytes, sha256 {self.sha256})",
                f"bundle {i.bundle_id}: {i.items} items, {i.links} links"
                + (f", {i.products} approved products" if i.products else "")
                + f" to {i.destination}, "
                f"sequence {i.sequence}, banner {i.banner}, expires {i.expires.isoformat()}",
                f"left out: {self.excluded}",
                "read back and verified: the media may be removed"]


def next_sequence(store: Store, destination: str) -> int:
    row = store.conn.execute("SELECT coalesce(max(sequence), 0) + 1 FROM exports "
                             "WHERE destination = ?", (destination,)).fetchone()
    return int(row[0])


def payload_of(plan: Plan) -> dict[str, bytes]:
    """The payload members of the plan's bundle by name (data/products.jsonl only with
    products), exactly the bytes the bundle holds."""
    items = b"\n".join(plan.items) + b"\n" if plan.items else b""
    links = b"\n".join(plan.links) + b"\n" if plan.links else b""
    products = ("\n".join(plan.products) + "\n").encode() if plan.products else b""
    return {bf.ITEMS: items, bf.LINKS: links, **({bf.PRODUCTS: products} if products else {})}


def build(store: Store, plan: Plan, *, sequence: int, now: datetime,
          validity: timedelta, approval: bytes | None = None) -> tuple[bytes, bf.BagInfo]:
    """The bundle's bytes (in memory) and its bag info. ``approval``: the disclosure
    officer's approval of this payload's manifest, for a foreign destination."""
    payload = payload_of(plan)
    created = now.astimezone(UTC).replace(microsecond=0)
    head = store.audit_head()
    key = store.workstation_key
    fp = fingerprint(raw_public(key))
    info = bf.BagInfo(
        bundle_id=str(uuid.uuid4()), sender=store.meta("workstation_name"), fingerprint=fp,
        destination=plan.destination.code, sequence=sequence, created=created,
        expires=created + validity, banner=plan.banner, audit_head=f"{head.seq}:{head.hash}",
        items=len(plan.items), links=len(plan.links),
        oxum=f"{sum(map(len, payload.values()))}.{len(payload)}",
        products=len(plan.products))
    manifest = bf.manifest_bytes({n: hashlib.sha256(b).hexdigest() for n, b in payload.items()})
    tags = {bf.BAGIT: bf.BAGIT_TEXT, bf.BAG_INFO: info.to_bytes(), bf.MANIFEST: manifest,
            **({bf.APPROVAL: approval} if approval is not None else {})}
    tagmanifest = bf.manifest_bytes({n: hashlib.sha256(b).hexdigest() for n, b in tags.items()})
    signature = key.sign(bf.SIGNATURE_CONTEXT + tagmanifest)
    members = {**tags, bf.TAGMANIFEST: tagmanifest, **payload,
               bf.SIGNATURE: bf.signature_bytes(fp, signature)}
    return write_zip((n, members[n]) for n in bf.FULL_ORDER if n in members), info


def export(store: Store, plan: Plan, out: Path, *, validity: timedelta = DEFAULT_VALIDITY,
           now: datetime | None = None, progress: Progress | None = None,
           cancel: Callable[[], bool] | None = None, approval: bytes | None = None,
           on_commit: Callable[[bf.BagInfo], None] | None = None) -> ExportResult:
    """Write the bundle (temp file, fsync, rename), read it back, verify it, then record it.

    Until this returns, the media must not be removed. The read-back reads the media, not the
    page cache. On any failure nothing is recorded: if writing fails (a full disk) a previous
    file at ``out`` is kept; if the bytes read back are not those written, the new file is
    removed.

    A bundle to a foreign destination needs ``approval``, the disclosure officer's approval
    of exactly this payload (exchange.disclosure.approved_plan gives plan and approval); without
    one nothing is written. ``on_commit`` runs inside the transaction that records the export.
    """
    if plan.destination.foreign and approval is None:
        raise ExchangeError(f"an export to {plan.destination.code} (a foreign destination) is a "
                            "release request: a disclosure officer must approve it first; no "
                            "bundle written")
    if (plan.orcon_released or plan.leads_only_lifted) and approval is None:
        raise ExchangeError(f"{len(plan.orcon_released | plan.leads_only_lifted)} items go to "
                            f"{plan.destination.code} only by an originator's authorization: "
                            "that is a release request a disclosure officer must approve; no "
                            "bundle written")
    if validity <= timedelta(0):
        raise ExchangeError("the bundle's validity must be positive")
    now = now or datetime.now(UTC)
    out = Path(out)
    step = _stepper(progress, cancel)
    step("building", 0)
    data, info = build(store, plan, sequence=next_sequence(store, plan.destination.code),
                       now=now, validity=validity, approval=approval)
    step("writing", 1)
    atomic_write(out, data, mode=0o644)
    step("verifying", 2)
    back = read_back(out)
    check = verify(back, Keyring.of_own(store), now=now, schema=False)
    digest = check.sha256
    why = (str(check.error) if check.error else
           "the bytes read back differ from those written" if back != data else
           _reader_rules(plan))
    if why:
        out.unlink(missing_ok=True)
        raise ExchangeError(f"read-back verification failed ({why}); the bundle was removed, "
                            "do not use this media")
    try:
        _record(store, plan, info, digest, on_commit)
    except BaseException:
        out.unlink(missing_ok=True)  # not recorded: the media must not carry it
        raise
    step("done", 3)
    return ExportResult(out, info, digest, len(data), len(plan.excluded) + plan.hidden, check)


def _record(store: Store, plan: Plan, info: bf.BagInfo, digest: str,
            on_commit: Callable[[bf.BagInfo], None] | None) -> None:
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO exports (destination, sequence, bundle_id, created, items, links, "
            "banner, sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (info.destination, info.sequence, info.bundle_id, info.created.isoformat(),
             info.items, info.links, info.banner, digest))
        store.audit("exchange.export", info.bundle_id, {
            "destination": info.destination, "sequence": info.sequence, "items": info.items,
            "links": info.links, "products": info.products, "banner": info.banner,
            "sha256": digest,
            "scope": plan.scope.describe(), "left_out": len(plan.excluded) + plan.hidden,
            "left_out_by_reason": plan.excluded_by_category()})
        if on_commit is not None:
            on_commit(info)


def _reader_rules(plan: Plan) -> str:
    """The receiver's rules that the container checks leave out: every payload line within the
    reader's limit (bundle_format.LINE_LIMITS) and, for products, the reader's strict parse and
    sign-off check. "" when they hold. Run once the bytes read back are known to be those
    written, so it checks the lines the media holds, without another copy of the bundle."""
    try:
        for name, lines in ((bf.ITEMS, plan.items), (bf.LINKS, plan.links)):
            limit = bf.LINE_LIMITS[name]
            # the quick scans run in C; the line is named only when one fails
            if max(map(len, lines), default=0) > limit:
                n = next(n for n, body in enumerate(lines, 1) if len(body) > limit)
                raise BundleError("schema", f"{name} line {n} is longer than {limit} bytes")
            if any(map(bytes.__contains__, lines, repeat(b"\n"))):  # it would split in two
                n = next(n for n, body in enumerate(lines, 1) if b"\n" in body)
                raise BundleError("schema", f"{name} line {n} holds a line feed")
        if plan.products:  # the reader's own parse, line limit included
            products = ("\n".join(plan.products) + "\n").encode()
            for _ in read_products(products, bf.PRODUCTS):
                pass
    except BundleError as exc:
        return f"the receiver would refuse it: {exc.check}: {exc.detail}"
    return ""


def _stepper(progress: Progress | None, cancel: Callable[[], bool] | None
             ) -> Callable[[str, int], None]:
    def step(stage: str, n: int) -> None:
        if cancel and stage in ("building", "writing") and cancel():
            raise ExportCancelled()
        if progress:
            progress(stage, n, 3)
    return step
