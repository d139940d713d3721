"""The proof an approved product's PDF carries: its signed canonical form and sign-off, as a
PDF attached file (``/EmbeddedFiles``, readable by any viewer or ``pdfdetach``).

The attachment is one uncompressed ASCII JSON stream, so it is found again without a general
PDF parser: a verifier takes it from the file, re-renders what it says, and compares every byte
of the result with the file (``reports.verify``). Anything a looser reader might miss, a second
copy or an edit elsewhere, fails that comparison.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Final

from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFStream, PDFString
from reportlab.pdfgen.canvas import Canvas

ATTACHMENT_NAME: Final = "hstc-product-proof.json"
FORMAT: Final = "hstc-pdf-proof/1"
_START: Final = b'stream\n{"format":"' + FORMAT.encode() + b'"'
MAX_PROOF_BYTES: Final = 64 * 1024 * 1024


class ProofError(ValueError):
    """The attached proof is missing, repeated or malformed."""


@dataclass(frozen=True)
class Proof:
    """What the attachment holds. ``product`` and ``signoff`` are their canonical JSON text
    (what the signature covers); ``titles`` the cited items' titles as printed (those not
    carried by the citations themselves); ``images`` the figures' PNG bytes by SHA-256 (the
    hash is what the signature covers), base64; ``renderer`` and ``reportlab`` what drew the
    pages."""

    product: str
    signoff: str
    titles: dict[str, str]
    images: dict[str, str]
    renderer: str
    reportlab: str

    def to_bytes(self) -> bytes:
        body = {"format": FORMAT, "images": dict(sorted(self.images.items())),
                "product": self.product, "renderer": self.renderer,
                "reportlab": self.reportlab, "signoff": self.signoff,
                "titles": dict(sorted(self.titles.items()))}
        # "format" first (the marker), the rest sorted; ASCII only, so bytes are text.
        first = json.dumps({"format": FORMAT}, separators=(",", ":"))[:-1]
        rest = json.dumps({k: v for k, v in body.items() if k != "format"}, sort_keys=True,
                          separators=(",", ":"), ensure_ascii=True)[1:]
        return (first + "," + rest).encode("ascii") + b"\n"


def attach(canvas: Canvas, proof: Proof) -> None:
    """Add ``proof`` to the document as its one attached file (call before ``save``)."""
    doc = canvas._doc
    data = proof.to_bytes()
    stream = PDFStream(PDFDictionary({"Type": "/EmbeddedFile", "Subtype": "/application#2Fjson",
                                      "Params": PDFDictionary({"Size": len(data)})}),
                       content=data, filters=None)
    ref = doc.Reference(stream)
    spec = PDFDictionary({
        "Type": "/Filespec", "F": PDFString(ATTACHMENT_NAME), "UF": PDFString(ATTACHMENT_NAME),
        "Desc": PDFString("HSTC Desk: the signed product version and its sign-off"),
        "AFRelationship": "/Source", "EF": PDFDictionary({"F": ref})})
    spec_ref = doc.Reference(spec)
    doc.Catalog.Names = PDFDictionary({"EmbeddedFiles": PDFDictionary(
        {"Names": PDFArray([PDFString(ATTACHMENT_NAME), spec_ref])})})


def extract(pdf: bytes) -> Proof | None:
    """The proof attached to ``pdf``; None when there is none (a draft's PDF, or a PDF from
    elsewhere). ProofError when it is repeated or not readable."""
    found = [m.start() for m in re.finditer(re.escape(_START), pdf)]
    if not found:
        return None
    if len(found) > 1:
        raise ProofError(f"the file carries {len(found)} product proofs, not one")
    start = found[0] + len(b"stream\n")
    end = pdf.find(b"\nendstream", start)
    if end < 0 or end - start > MAX_PROOF_BYTES:
        raise ProofError("the attached proof has no end")
    raw = pdf[start:end]
    try:
        body: Any = json.loads(raw.decode("ascii"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ProofError(f"the attached proof is not JSON ({exc})") from None
    fields = {"format", "images", "product", "renderer", "reportlab", "signoff", "titles"}
    if not isinstance(body, dict) or set(body) != fields or body["format"] != FORMAT:
        raise ProofError("the attached proof does not have the fields of " + FORMAT)
    strings = all(isinstance(body[k], str) for k in ("product", "signoff", "renderer",
                                                      "reportlab"))
    if not strings or not _text_map(body["titles"]) or not _text_map(body["images"]):
        raise ProofError("the attached proof has a field of the wrong type")
    return Proof(product=body["product"], signoff=body["signoff"], titles=body["titles"],
                 images=body["images"], renderer=body["renderer"], reportlab=body["reportlab"])


def _text_map(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str)
                                           for k, v in value.items())
