"""Verify a bundle in memory, check by check, in the order of DESIGN §6; change nothing.

The signature is checked first, against the trust store only; then the tag manifest, the bag
declaration, every payload hash and size; then every line is parsed with the strict schemas and
must be canonical JSON (so duplicate keys, odd spacing or reordered fields are refused); then the
banner, releasability to the declared destination, expiry, accreditation and sequence.
"""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from hstc_desk import markings
from hstc_desk.domain import Item, Link, parse_item, parse_link
from hstc_desk.domain.canonical import canonical_bytes
from hstc_desk.exchange import bundle_format as bf
from hstc_desk.exchange.errors import BundleError
from hstc_desk.exchange.keys import grouped
from hstc_desk.exchange.plan import banner_of
from hstc_desk.exchange.product_payload import ProductRecord, summary_lines
from hstc_desk.exchange.product_payload import read as read_products
from hstc_desk.exchange.release_approval import Approval, check_approval
from hstc_desk.exchange.sequence import Gap, SequenceCheck, gaps_text
from hstc_desk.exchange.trust import Keyring
from hstc_desk.exchange.zipcodec import Limits, read_zip

CHECKS = ("container", "signature", "tag manifest", "bag declaration", "payload", "disclosure",
          "schema", "banner", "releasability", "expiry", "accreditation", "sequence")
CLOCK_SKEW = timedelta(days=1)
MAX_LINE = bf.MAX_RECORD_LINE  # the one set of line limits, shared with the writer


@dataclass(frozen=True)
class Record:
    """One item or link of a bundle: its canonical body and what the merge keys it by."""

    id: str
    version: int
    sha256: str
    marking: str
    body: str
    obj: Item | Link


@dataclass
class Check:
    name: str
    ok: bool | None = None  # None: not run
    detail: str = ""


@dataclass
class Verification:
    """The report of a verification: every check with its result, and what the bundle holds."""

    size: int
    sha256: str
    checks: list[Check] = field(default_factory=lambda: [Check(n) for n in CHECKS])
    signer: str = ""
    signer_name: str = ""
    trusted: bool = False
    info: bf.BagInfo | None = None
    items: list[Record] = field(default_factory=list)
    links: list[Record] = field(default_factory=list)
    products: list[ProductRecord] = field(default_factory=list)
    replay: bool = False
    gaps: tuple[Gap, ...] = ()
    suspicious: str = ""  # a sequence jump for the security officer
    error: BundleError | None = None
    approval: Approval | None = None  # who approved a foreign release

    @property
    def ok(self) -> bool:
        return self.error is None

    def check(self, name: str) -> Check:
        return next(c for c in self.checks if c.name == name)

    def lines(self) -> list[str]:
        """The report as text, for the command line and the import dialog."""
        i = self.info
        out = [f"bundle sha256 {self.sha256} ({self.size} bytes)"]
        if self.signer:
            out.append(f"signer        {self.signer_name or '(unknown)'} "
                       f"{'TRUSTED' if self.trusted else 'NOT TRUSTED'}")
            out.append(f"fingerprint   {grouped(self.signer)}")
        if i is not None:
            out += [f"bundle id     {i.bundle_id}", f"sender        {i.sender}",
                    f"destination   {i.destination}", f"banner        {i.banner}",
                    f"sequence      {i.sequence}", f"created       {i.created.isoformat()}",
                    f"expires       {i.expires.isoformat()}",
                    f"counts        {i.items} items, {i.links} links"
                    + (f", {i.products} approved products" if i.products else ""),
                    f"audit head    {i.audit_head}"]
        if self.approval is not None:
            out.append(f"released by   {self.approval.officer} (disclosure officer), "
                       f"request {self.approval.request} by {self.approval.requester}")
        out += summary_lines(self.products)
        for c in self.checks:
            state = {True: "ok", False: "FAILED", None: "not run"}[c.ok]
            out.append(f"  {c.name:<16} {state:<8} {c.detail}".rstrip())
        if self.gaps:
            out.append(f"sequence gaps from this sender: {gaps_text(self.gaps)} missing")
        if self.suspicious:
            out.append(self.suspicious)
        return out


def verify(data: bytes, keyring: Keyring, *, now: datetime | None = None,
           accreditation: markings.Clearance | None = None,
           sequence: SequenceCheck | None = None, limits: Limits | None = None,
           schema: bool = True) -> Verification:
    """Run every check in order; stop at the first that fails. Never raises for bad input."""
    report = Verification(len(data), hashlib.sha256(data).hexdigest())
    now = now or datetime.now(UTC)
    steps: list[tuple[str, Callable[[], str]]] = []
    state: dict[str, object] = {}

    def container() -> str:
        state["members"] = read_zip(data, bf.ALLOWED, limits)
        missing = [m for m in bf.MEMBER_ORDER if m not in state["members"]]  # type: ignore[operator]
        if missing:
            raise BundleError("container", f"missing members: {', '.join(missing)}")
        return f"{len(state['members'])} members, canonical layout"  # type: ignore[arg-type]

    members = lambda: state["members"]  # type: ignore[return-value]  # noqa: E731

    def signature() -> str:
        fp, sig = bf.parse_signature(members()[bf.SIGNATURE])
        report.signer = fp
        key = keyring.lookup(fp)
        if key is None:
            revoked = keyring.revoked_on(fp)
            if revoked:
                raise BundleError("signature", f"the signer's key {grouped(fp)} was revoked on "
                                               f"{revoked}")
            raise BundleError("signature", f"the signer's key {grouped(fp)} is not in this "
                                           "workstation's trust store")
        report.trusted = True
        try:
            Ed25519PublicKey.from_public_bytes(key).verify(
                sig, bf.SIGNATURE_CONTEXT + members()[bf.TAGMANIFEST])
        except InvalidSignature:
            raise BundleError("signature", "the signature does not verify against the "
                                           f"trusted key {grouped(fp)}") from None
        return f"Ed25519, trusted key {fp[:16]}..."

    def tag_manifest() -> str:
        tags = (*bf.TAG_FILES, bf.APPROVAL) if bf.APPROVAL in members() else bf.TAG_FILES
        listed = bf.parse_manifest(members()[bf.TAGMANIFEST], bf.TAGMANIFEST, tags,
                                   "tag manifest")
        for name, digest in listed.items():
            if hashlib.sha256(members()[name]).hexdigest() != digest:
                raise BundleError("tag manifest", f"{name} does not match its SHA-256")
        return f"{len(listed)} tag files match"

    def declaration() -> str:
        if members()[bf.BAGIT] != bf.BAGIT_TEXT:
            raise BundleError("bag declaration", "bagit.txt is not a BagIt 1.0 declaration")
        info = bf.parse_bag_info(members()[bf.BAG_INFO])
        report.info = info
        report.signer_name = info.sender
        if info.fingerprint != report.signer:
            raise BundleError("bag declaration", "Sender-Fingerprint is not the signer's key "
                                                 f"({grouped(info.fingerprint)})")
        return f"bundle {info.bundle_id}"

    def payload() -> str:
        assert report.info is not None
        expected = report.info.payload()
        if (bf.PRODUCTS in members()) != (bf.PRODUCTS in expected):
            raise BundleError("payload", "data/products.jsonl and Product-Count must come "
                                         "together")
        listed = bf.parse_manifest(members()[bf.MANIFEST], bf.MANIFEST, expected, "payload")
        total = 0
        for name, digest in listed.items():
            body = members()[name]
            total += len(body)
            if hashlib.sha256(body).hexdigest() != digest:
                raise BundleError("payload", f"{name} does not match its SHA-256")
        if report.info is None or report.info.oxum != f"{total}.{len(listed)}":
            raise BundleError("payload", f"Payload-Oxum does not match {total}.{len(listed)}")
        return f"{len(listed)} files, {total} bytes match"

    def disclosure() -> str:
        assert report.info is not None
        approval = check_approval(members().get(bf.APPROVAL),
                                  destination=report.info.destination,
                                  manifest=members()[bf.MANIFEST])
        report.approval = approval
        return approval.describe() if approval else "a US destination: no approval needed"

    def parse() -> str:
        assert report.info is not None
        report.items = list(_records(members()[bf.ITEMS], bf.ITEMS, parse_item))
        report.links = list(_records(members()[bf.LINKS], bf.LINKS, parse_link))
        if (len(report.items), len(report.links)) != (report.info.items, report.info.links):
            raise BundleError("schema", f"{len(report.items)} items and {len(report.links)} "
                                        f"links, but bag-info declares {report.info.items} and "
                                        f"{report.info.links}")
        _no_duplicates(report.items)
        _no_duplicates(report.links)
        if bf.PRODUCTS in members():
            report.products = list(read_products(members()[bf.PRODUCTS], bf.PRODUCTS))
        if len(report.products) != report.info.products:
            raise BundleError("schema", f"{len(report.products)} products, but bag-info "
                                        f"declares {report.info.products}")
        signed = f", {len(report.products)} products with verified sign-offs" \
            if report.products else ""
        return (f"{len(report.items)} items, {len(report.links)} links{signed}, strict and "
                "canonical")

    def banner() -> str:
        assert report.info is not None
        actual = _banner(report)
        if actual != report.info.banner:
            raise BundleError("banner", f"the banner says {report.info.banner!r} but the "
                                        f"content rolls up to {actual!r}")
        return actual

    def releasability() -> str:
        assert report.info is not None
        try:
            dest = markings.destination(report.info.destination)
        except KeyError:
            raise BundleError("releasability", f"unknown destination "
                                               f"{report.info.destination!r}") from None
        released = report.approval  # what the officer released by an originator's leave
        for rec in (*report.items, *report.links):
            if released and (rec.id in released.orcon_released
                             or rec.id in released.leads_only_lifted):
                d = markings.releasable(_parse(rec.marking), dest,
                                        originator_release=rec.id in released.orcon_released,
                                        use_restricted=rec.obj.leads_only
                                        and rec.id not in released.leads_only_lifted)
            else:
                d = _releasable(rec.marking, dest.code, rec.obj.leads_only)
            if not d.ok:
                raise BundleError("releasability", f"{rec.id} is not releasable to "
                                                   f"{dest.code}: {d.reason}")
        for prod in report.products:
            for m in prod.product.markings():
                d = _releasable(m, dest.code, prod.product.leads_only)
                if not d.ok:
                    raise BundleError("releasability", f"{prod.product.id} (a portion marked "
                                                       f"{m}) is not releasable to {dest.code}: "
                                                       f"{d.reason}")
        return f"everything releasable to {dest.code}"

    def expiry() -> str:
        assert report.info is not None
        if now >= report.info.expires:
            raise BundleError("expiry", f"the bundle expired on {report.info.expires.isoformat()}")
        if report.info.created > now + CLOCK_SKEW:
            raise BundleError("expiry", f"the bundle was created in the future "
                                        f"({report.info.created.isoformat()})")
        return f"valid until {report.info.expires.isoformat()}"

    def accredited() -> str:
        if accreditation is None:
            return "not checked (no store)"
        for m in {r.marking for r in (*report.items, *report.links, *report.products)}:
            if not markings.dominates(accreditation, _parse(m)):
                raise BundleError("accreditation", f"content marked {m} is above this "
                                                   "workstation's accreditation")
        return "everything within this workstation's accreditation"

    def seq() -> str:
        assert report.info is not None
        if sequence is None:
            return "not checked (no store)"
        v = sequence(report.info)
        report.replay, report.gaps, report.suspicious = v.replay, v.gaps, v.suspicious
        return v.detail

    steps = [("container", container), ("signature", signature),
             ("tag manifest", tag_manifest), ("bag declaration", declaration),
             ("payload", payload), ("disclosure", disclosure)]
    if schema:
        steps += [("schema", parse), ("banner", banner), ("releasability", releasability),
                  ("expiry", expiry), ("accreditation", accredited), ("sequence", seq)]
    for name, step in steps:
        c = report.check(name)
        try:
            c.detail = step()
            c.ok = True
        except BundleError as exc:
            c.ok, c.detail, report.error = False, exc.detail, exc
            return report
        except (ValueError, KeyError, IndexError, TypeError, OverflowError, UnicodeError,
                RecursionError, MemoryError, struct.error, zlib.error) as exc:
            err = BundleError(name, f"unreadable ({type(exc).__name__}: {str(exc)[:200]})")
            c.ok, c.detail, report.error = False, err.detail, err
            return report
    return report


def _records(data: bytes, member: str, parse: Callable) -> Iterator[Record]:
    if not data:
        return
    if not data.endswith(b"\n"):
        raise BundleError("schema", f"{member} does not end with a newline")
    for n, raw in enumerate(data[:-1].split(b"\n"), 1):
        if len(raw) > MAX_LINE:
            raise BundleError("schema", f"{member} line {n} is longer than {MAX_LINE} bytes")
        try:
            obj = parse(raw)
        except ValueError as exc:
            raise BundleError("schema", f"{member} line {n}: {str(exc)[:300]}") from None
        if canonical_bytes(obj) != raw:
            raise BundleError("schema", f"{member} line {n}: {_why_not_canonical(raw)}")
        yield Record(obj.id, obj.version, hashlib.sha256(raw).hexdigest(), obj.marking,
                     raw.decode(), obj)


def _why_not_canonical(raw: bytes) -> str:
    def hook(pairs: list[tuple[str, object]]) -> dict[str, object]:
        keys = [k for k, _ in pairs]
        if dup := sorted({k for k in keys if keys.count(k) > 1}):
            raise BundleError("schema", f"duplicate JSON key {dup[0]!r}")
        return dict(pairs)

    try:
        json.loads(raw, object_pairs_hook=hook)
    except BundleError as exc:
        return exc.detail
    except ValueError:
        return "not valid JSON"
    return "not in canonical form (key order, spacing or number format)"


def _no_duplicates(recs: list[Record]) -> None:
    seen: dict[str, int] = {}
    bodies: set[str] = set()
    for r in recs:
        if r.sha256 in bodies:
            raise BundleError("schema", f"{r.id} appears twice with the same content")
        bodies.add(r.sha256)
        if seen.setdefault(r.id, r.version) != r.version:
            raise BundleError("schema", f"{r.id} appears in two different versions")


@lru_cache(maxsize=4096)
def _parse(text: str) -> markings.Marking:
    return markings.parse(text)


@lru_cache(maxsize=8192)
def _releasable(marking: str, dest: str, leads_only: bool) -> markings.Decision:
    return markings.releasable(_parse(marking), markings.destination(dest),
                               use_restricted=leads_only)


def _banner(report: Verification) -> str:
    return banner_of({r.marking for r in (*report.items, *report.links, *report.products)})
