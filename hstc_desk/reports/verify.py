"""``hstc report verify``: a product PDF proves itself, offline (issue 11 item 5).

The checks, in order; the first that fails is named and nothing after it is claimed:
1. ``proof``: the file carries exactly one readable proof (the signed version and sign-off);
2. ``form``: the proof's version and sign-off pass the strict schemas, are of one another, the
   version is approved, and every figure image it carries has the SHA-256 the version names;
3. ``trust``: the sign-off's key is one this workstation trusts (a supervisor of the given store
   under that name, a signer vouched for by a workstation that store still trusts, or the
   fingerprint typed in with ``--fingerprint``);
4. ``signature``: the sign-off signs exactly that version with that key (content hash and
   Ed25519; the signer neither authored nor edited it);
5. ``renderer``: this workstation has the renderer and reportlab release that drew the file;
6. ``pages``: re-rendering the signed version gives this file, every byte of it. A difference
   is located: the page whose content differs, or the object.

Pure functions over bytes and keys; the store is only asked which keys it trusts.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import reportlab

from hstc_desk.domain.errors import DomainError
from hstc_desk.domain.products import Product, Signoff, parse_product, parse_signoff
from hstc_desk.reports.pdf_attach import Proof, ProofError, extract
from hstc_desk.reports.render import RENDERER, fingerprint, render

CHECKS = ("proof", "form", "trust", "signature", "renderer", "pages")

# (signer name, signer public key hex) -> why it is trusted, or None when it is not
TrustFn = Callable[[str, str], "str | None"]


@dataclass
class PdfVerdict:
    ok: bool
    failed: str = ""  # the name of the check that failed (one of CHECKS)
    reason: str = ""
    lines: list[str] = field(default_factory=list)
    product: Product | None = None
    signoff: Signoff | None = None

    def __bool__(self) -> bool:
        return self.ok


def _fail(check: str, reason: str, verdict: PdfVerdict | None = None) -> PdfVerdict:
    out = verdict or PdfVerdict(False)
    out.ok, out.failed, out.reason = False, check, reason
    return out


def trust_fingerprint(typed: str) -> TrustFn:
    """Trust exactly the key with this SHA-256 fingerprint (spaces and case ignored)."""
    want = re.sub(r"[\s:]", "", typed).lower()

    def trusted(_signer: str, public_hex: str) -> str | None:
        return "its fingerprint is the one given" if fingerprint(public_hex) == want else None

    return trusted


def verify_pdf(pdf: bytes, trusted: TrustFn | None) -> PdfVerdict:
    """Run every check on ``pdf``; ``trusted`` says whether a signer key is trusted (None: no
    trust anchor was given, and the trust check fails after the form is read)."""
    try:
        proof = extract(pdf)
    except ProofError as exc:
        return _fail("proof", str(exc))
    if proof is None:
        return _fail("proof", "the file carries no signed product version: it is not the PDF "
                              "of an approved product (a draft's PDF carries none)")
    verdict = PdfVerdict(False)
    try:
        product, signoff, images = _read_form(proof)
    except (DomainError, ValueError) as exc:
        return _fail("form", str(exc))
    verdict.product, verdict.signoff = product, signoff
    fp = fingerprint(signoff.signer_public_key)
    if trusted is None:
        return _fail("trust", f"no trusted key to check the signer {signoff.signer} (key "
                              f"{fp}) against: give --store STORE (its supervisors and trusted "
                              "workstations) or --fingerprint FP", verdict)
    why = trusted(signoff.signer, signoff.signer_public_key)
    if why is None:
        return _fail("trust", f"the signer {signoff.signer}'s key {fp[:16]}... is not trusted "
                              "here", verdict)
    from hstc_desk.store.products import verify as verify_signoff

    sig = verify_signoff(product, signoff, bytes.fromhex(signoff.signer_public_key))
    if not sig.ok:
        return _fail("signature", sig.reason, verdict)
    if (proof.renderer, proof.reportlab) != (RENDERER, reportlab.Version):
        return _fail("renderer", f"the file was drawn by {proof.renderer} with reportlab "
                                 f"{proof.reportlab}; this workstation has {RENDERER} with "
                                 f"reportlab {reportlab.Version}, so its pages cannot be "
                                 "compared byte for byte", verdict)
    again = render(product, signoff=signoff, titles=proof.titles, images=images)
    if again != pdf:
        return _fail("pages", "the file is not what the signed version renders to: "
                              + where_different(pdf, again), verdict)
    verdict.ok = True
    verdict.lines = [
        f"{product.id} version {product.version}: PDF VALID",
        f"banner        {product.banner()}",
        f"title         {product.title_marking} {product.title}",
        f"signed off by {signoff.signer} on {signoff.signed_at.isoformat()}",
        f"signer key    {fp}",
        f"trust         {why}",
        f"content hash  {signoff.content_hash}",
        f"pages         every byte is what the signed version renders to ({len(pdf):,} bytes)"]
    of = getattr(product, "tearline_of", None)
    if of is not None:
        verdict.lines.insert(1, f"tearline      the tearline version for {of.destination} of "
                                f"{of.product_id}, signed as a product of its own")
    if proof.titles:
        verdict.lines.append(f"note          {len(proof.titles)} cited title(s) were resolved "
                             "by the printing store and are not covered by the signature")
    return verdict


def _read_form(proof: Proof) -> tuple[Product, Signoff, dict[str, bytes]]:
    product = parse_product(proof.product)
    signoff = parse_signoff(proof.signoff)
    if (signoff.product_id, signoff.version) != (product.id, product.version):
        raise ValueError(f"the sign-off is for {signoff.product_id} version {signoff.version}, "
                         f"not {product.id} version {product.version}")
    if product.status != "approved":
        raise ValueError(f"{product.id} version {product.version} is {product.status}, not "
                         "approved")
    images: dict[str, bytes] = {}
    for sha, text in proof.images.items():
        try:
            data = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError(f"the image {sha[:16]}... is not base64") from None
        if hashlib.sha256(data).hexdigest() != sha:
            raise ValueError(f"the image {sha[:16]}... does not have the SHA-256 the signed "
                             "version names")
        images[sha] = data
    return product, signoff, images


_OBJ = re.compile(rb"(\d+) 0 obj\b")


def where_different(got: bytes, want: bytes) -> str:
    """Where ``got`` first differs from ``want``: the page whose content it is, or the object."""
    n = min(len(got), len(want))
    first = next((i for i in range(n) if got[i] != want[i]), n)
    if first == n and len(got) != len(want):
        return (f"it is {len(got):,} bytes where the signed version renders to {len(want):,} "
                f"(the same up to byte {n:,})")
    starts = [(m.start(), int(m[1])) for m in _OBJ.finditer(want, 0, first + 1)]
    if not starts:
        return f"the first difference is at byte {first:,}, in the file header"
    obj = starts[-1][1]
    contents = [int(m[1]) for m in re.finditer(rb"/Contents (\d+) 0 R", want)]
    if obj in contents:
        return (f"page {contents.index(obj) + 1}'s content differs (object {obj}, byte "
                f"{first:,})")
    pages = [int(m[1]) for m in re.finditer(rb"(\d+) 0 obj\s*<<\s*/Contents", want)]
    if obj in pages:
        return f"page {pages.index(obj) + 1}'s page object differs (object {obj}, byte {first:,})"
    return f"object {obj} differs, first at byte {first:,}"
