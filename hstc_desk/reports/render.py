"""Render a product version to PDF bytes (DESIGN §5; issue 11 items 4 and 5).

One function, ``render``, pure and deterministic: reportlab's invariant mode, the document's
dates taken from the product (its sign-off time when approved, its last change otherwise), no
random ids, base-14 fonts only. So the same version, sign-off and cited titles always give the
same bytes, on any workstation with the same reportlab, and ``reports.verify`` can re-render a
file and compare it byte for byte.
"""

from __future__ import annotations

import base64
import hashlib
import io
import time
import zlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

import PIL
import reportlab
from reportlab.lib.utils import TimeStamp
from reportlab.platypus import BaseDocTemplate, PageTemplate
from reportlab.platypus import Frame as FlowFrame

from hstc_desk.domain.products import Product, Signoff, product_to_json, signoff_to_json
from hstc_desk.reports.fonts import FONTS_ID
from hstc_desk.reports.page_frame import (
    BOTTOM_GAP,
    MARGIN,
    PAGE,
    TOP_GAP,
    Frame,
    draw_page,
    numbered_canvas,
)
from hstc_desk.reports.pdf_attach import Proof, attach
from hstc_desk.reports.story import TYPE_NAMES, Document, leads_only, story

# The layout's version (bump when a change changes the bytes), and what else shapes the bytes:
# the fonts, the zlib that compresses every stream, the Pillow that decodes figure images.
RENDERER: Final = (f"hstc-pdf/1 fonts {FONTS_ID} zlib {zlib.ZLIB_RUNTIME_VERSION} "
                   f"pillow {PIL.__version__}")


def fingerprint(public_hex: str) -> str:
    return hashlib.sha256(bytes.fromhex(public_hex)).hexdigest()


def _stamp(when: datetime) -> TimeStamp:
    """A reportlab time stamp fixed at ``when`` (UTC)."""
    ts = TimeStamp(invariant=1)
    t = when.timestamp()
    ts.t, ts.lt = t, time.gmtime(int(t))
    ts.YMDhms = tuple(ts.lt)[:6]
    return ts


def _header(doc: Document) -> str:
    p = doc.product
    kind = TYPE_NAMES.get(p.product_type, p.product_type)
    out = f"HSTC  |  {kind}  |  {p.id}  version {p.version}"
    if doc.tearline is not None:
        out += f"  |  tearline version for {doc.tearline}"
    return out


def proof_of(doc: Document) -> Proof | None:
    """The proof an approved version's PDF carries; None for a draft."""
    if not doc.approved or doc.signoff is None:
        return None
    titles = {c.item_id: doc.title_of(c) for c in doc.cited()
              if not getattr(c, "title", None)}
    shas = [sha for f in doc.product.portions
            if f.type == "figure" and (sha := getattr(f, "image_sha256", None))]
    images = {sha: base64.b64encode(doc.images[sha]).decode("ascii") for sha in shas
              if sha in doc.images}
    return Proof(product=product_to_json(doc.product), signoff=signoff_to_json(doc.signoff),
                 titles=titles, images=images, renderer=RENDERER, reportlab=reportlab.Version)


def render_document(doc: Document) -> bytes:
    """The PDF of ``doc``."""
    banner = doc.banner()
    frame = Frame(banner=banner, header=_header(doc), draft=not doc.approved,
                  leads_only=leads_only(doc))
    when = doc.signoff.signed_at if doc.approved and doc.signoff else doc.product.updated
    proof = proof_of(doc)
    fp = fingerprint(doc.signoff.signer_public_key) if doc.signoff else None
    title = doc.product.title
    buf = io.BytesIO()
    template = BaseDocTemplate(
        buf, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=TOP_GAP,
        bottomMargin=BOTTOM_GAP, invariant=1,
        title=f"{doc.product.title_marking} {title}", subject=banner.banner(),
        author=doc.product.author, creator="HSTC Desk", producer="HSTC Desk (ReportLab)",
        keywords=f"{doc.product.id} v{doc.product.version} {doc.product.status}")
    body = FlowFrame(MARGIN, BOTTOM_GAP, PAGE[0] - 2 * MARGIN, PAGE[1] - TOP_GAP - BOTTOM_GAP,
                     id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    template.addPageTemplates([PageTemplate(
        id="page", frames=[body], onPage=lambda canvas, _doc: draw_page(canvas, frame))])

    def finish(canvas: Any) -> None:
        if proof is not None:
            attach(canvas, proof)

    canvas_class = numbered_canvas(frame, finish)

    def make_canvas(*args: Any, **kwargs: Any) -> Any:
        canvas = canvas_class(*args, **kwargs)
        canvas._doc._timeStamp = _stamp(when)
        return canvas

    template.build(story(doc, fp), canvasmaker=make_canvas)
    return buf.getvalue()


def render(product: Product, *, signoff: Signoff | None = None,
           titles: Mapping[str, str] | None = None,
           images: Mapping[str, bytes] | None = None) -> bytes:
    """The PDF of one product version (a tearline version is a product of its own)."""
    if signoff is not None and (signoff.product_id, signoff.version) != (product.id,
                                                                         product.version):
        raise ValueError(f"the sign-off is for {signoff.product_id} version {signoff.version}, "
                         f"not {product.id} version {product.version}")
    return render_document(Document(product, signoff, dict(titles or {}), dict(images or {})))
