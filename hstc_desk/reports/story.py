"""A product as reportlab flowables: title with its portion mark, the classification authority
block, the use restriction, every portion with its mark in front (paragraphs in the limited rich
text, headings, figures with a mark on the image and on the caption, citations), tearlines as
ruled breaks under their own banner, the cited items with their markings and titles, the source
list when more than one source is cited, and the sign-off block of an approved version.

Everything here is pure: the same ``Document`` gives the same flowables.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    HRFlowable,
    Image,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from hstc_desk import markings
from hstc_desk.domain import rich_text
from hstc_desk.domain.product_portions import portion_summary
from hstc_desk.domain.products import Product, Signoff
from hstc_desk.markings import Marking
from hstc_desk.reports import styles as st
from hstc_desk.reports.page_frame import BOLD, FONT, MARGIN, PAGE, banner_colours
from hstc_desk.reports.rollup import parse_mark, rollup_portions

FRAME_WIDTH = PAGE[0] - 2 * MARGIN
FIGURE_MAX_H = 4.2 * inch
LEADS_ONLY_TEXT = ("USE RESTRICTION: FOR INVESTIGATIVE LEADS ONLY. This product cites information "
                   "from an intelligence-community originator. It may be used only to develop "
                   "investigative leads, not in affidavits, subpoenas, grand jury or court "
                   "proceedings, unless the originator authorizes it.")
TYPE_NAMES = {"intelligence_bulletin": "Intelligence Bulletin",
              "intelligence_report": "Intelligence Report",
              "strategic_assessment": "Strategic Assessment",
              "target_assessment": "Target Assessment", "target_package": "Target Package",
              "referral": "Referral"}
NOT_VISIBLE = "[title not visible to you]"


@dataclass(frozen=True)
class Section:
    """A run of portions under one banner: the body (``divider`` None) or a tearline section
    (its divider names the destination, the tearline's title and its title mark)."""

    divider: Any
    portions: tuple[Any, ...]

    @property
    def destination(self) -> str | None:
        return None if self.divider is None else str(self.divider.destination)

    def marking(self) -> Marking | None:
        """The section's own roll-up (a tearline's: its title mark and its portions)."""
        marks = [p.marking for p in self.portions if _marked(p)]
        if self.divider is not None:
            marks.append(self.divider.marking)
        return rollup_portions(marks) if marks else None


@dataclass(frozen=True)
class Document:
    """What one PDF shows: a product version (a tearline version is a product of its own,
    holding the tearline's portions alone: ``domain.products.tearline_version``), its sign-off
    when approved, the cited items' titles as the user's store resolved them (a citation that
    carries its title prints that one), and figure images by SHA-256."""

    product: Product
    signoff: Signoff | None = None
    titles: Mapping[str, str] = field(default_factory=dict)
    images: Mapping[str, bytes] = field(default_factory=dict)

    @property
    def approved(self) -> bool:
        return self.product.status == "approved" and self.signoff is not None

    @property
    def tearline(self) -> str | None:
        """The destination, when this is a tearline version."""
        of = getattr(self.product, "tearline_of", None)
        return None if of is None else str(of.destination)

    def shown(self) -> list[Section]:
        return split_sections(self.product.portions)

    def banner(self) -> Marking:
        """The page banner: the roll-up of the title and every portion (a tearline version's
        is its own)."""
        return rollup_portions(self.product.markings())

    def cited(self) -> list[Any]:
        """The citations this PDF prints, each item once, in order of first citation."""
        seen: dict[str, Any] = {}
        for section in self.shown():
            for p in section.portions:
                if p.type == "citation" and p.item_id not in seen:
                    seen[p.item_id] = p
        return list(seen.values())

    def title_of(self, citation: Any) -> str:
        carried = getattr(citation, "title", None)
        return carried or self.titles.get(citation.item_id, NOT_VISIBLE)


def _marked(portion: Any) -> bool:
    return bool(getattr(portion, "marking", None))


def split_sections(portions: Sequence[Any]) -> list[Section]:
    """The body, then one section per tearline divider, each holding the portions up to the
    next divider (the rule of ``domain.product_tearlines.split``)."""
    out: list[Section] = [Section(None, ())]
    for p in portions:
        if p.type == "tearline":
            out.append(Section(p, ()))
        else:
            last = out[-1]
            out[-1] = Section(last.divider, (*last.portions, p))
    return [s for s in out if s.portions or s.divider is not None]


# ---- pieces -------------------------------------------------------------------------------------


def mark(portion_mark: str) -> str:
    """A portion mark in its canonical form, with parentheses, as markup."""
    return _mark_markup(portion_mark)


@lru_cache(maxsize=4096)
def _mark_markup(portion_mark: str) -> str:
    return f"<b>{escape(parse_mark(portion_mark).portion())}</b>"


def banner_bar(marking: Marking, *, label: str = "") -> Table:
    """A banner as a flowable (a tearline's own banner)."""
    bg, fg = banner_colours(marking)
    text = escape(marking.banner())
    style = st.TEARLINE.clone("bar", textColor=HexColor(fg))
    t = Table([[Paragraph(text if not label else f"{text}", style)]], colWidths=[FRAME_WIDTH])
    t.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), HexColor(bg)),
                           ("TOPPADDING", (0, 0), (-1, -1), 2),
                           ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
    return t


def _boxed(flowables: list[Flowable], *, border: str = "#555555",
           background: str | None = None) -> Table:
    t = Table([[f] for f in flowables], colWidths=[FRAME_WIDTH])
    commands: list[tuple] = [("BOX", (0, 0), (-1, -1), 0.75, HexColor(border)),
                             ("LEFTPADDING", (0, 0), (-1, -1), 8),
                             ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                             ("TOPPADDING", (0, 0), (-1, -1), 2),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                             ("TOPPADDING", (0, 0), (-1, 0), 6),
                             ("BOTTOMPADDING", (0, -1), (-1, -1), 6)]
    if background:
        commands.append(("BACKGROUND", (0, 0), (-1, -1), HexColor(background)))
    t.setStyle(TableStyle(commands))
    return t


_BODY_TIGHT = st.BODY.clone("body_tight", spaceAfter=3)
_MARK_ONLY = st.BODY.clone("mark_only", spaceAfter=1, keepWithNext=1)


@lru_cache(maxsize=4096)
def _lead_style(portion_mark: str, last: bool) -> ParagraphStyle:
    """A body style whose first line leaves room for ``portion_mark``, drawn bold before it."""
    width = stringWidth(portion_mark, BOLD, st.BODY.fontSize) + 3.5
    return (st.BODY if last else _BODY_TIGHT).clone(
        "lead", firstLineIndent=width, bulletIndent=0, bulletFontName=BOLD,
        bulletFontSize=st.BODY.fontSize)


def paragraph_flowables(portion_mark: str, text: str) -> list[Flowable]:
    """A marked paragraph: its mark before the first block; bullets and numbers as lists."""
    blocks = rich_text.parse(text) or [rich_text.Block("text", (rich_text.Run(""),))]
    out: list[Flowable] = []
    for i, block in enumerate(blocks):
        body = rich_text.to_html(block)
        lead = f"{mark(portion_mark)} " if i == 0 else ""
        last = i == len(blocks) - 1
        if block.kind == "text" and i == 0:  # the mark leads the first line, drawn apart
            pm = parse_mark(portion_mark).portion()  # from the text (a plain text runs fast)
            out.append(Paragraph(body, _lead_style(pm, last), bulletText=pm))
        elif block.kind == "text":
            out.append(Paragraph(body, st.BODY if last else _BODY_TIGHT))
        else:
            bullet = "\u2022" if block.kind == "bullet" else f"{block.number}."
            if i == 0:  # the mark still comes first
                out.append(Paragraph(lead.strip(), _MARK_ONLY))  # kept with its list
            style = st.BULLET if i < len(blocks) - 1 else st.BULLET.clone("bullet_last",
                                                                          spaceAfter=7)
            out.append(Paragraph(body, style, bulletText=bullet))
    return out


def heading_flowable(portion: Any) -> Flowable:
    level = int(getattr(portion, "level", 1) or 1)
    style = st.HEADING if level <= 1 else st.SUBHEADING
    text = escape(getattr(portion, "text", "") or getattr(portion, "title", ""))
    lead = f"{mark(portion.marking)} " if _marked(portion) else ""
    return Paragraph(lead + text, style)


def figure_image(portion: Any, images: Mapping[str, bytes]) -> Flowable | None:
    """The figure's image scaled to the frame (None when it has none, or it was not given)."""
    sha = getattr(portion, "image_sha256", None)
    data = images.get(sha) if sha else None
    if not data:
        return None
    img = Image(io.BytesIO(data))
    w, h = img.imageWidth, img.imageHeight
    scale = min((FRAME_WIDTH - 12) / w, FIGURE_MAX_H / h)
    img.drawWidth, img.drawHeight = w * scale, h * scale
    return img


class MarkedFigure(Flowable):
    """A figure's frame: its portion mark in the top left corner, the image (or a note that
    there is none) centred under it, a thin rule around both."""

    PAD, MARK_H = 4.0, 13.0

    def __init__(self, portion_mark: str, image: Image | None, note: str) -> None:
        super().__init__()
        self.portion_mark, self.image, self.note = portion_mark, image, note
        self.width = FRAME_WIDTH
        body = image.drawHeight if image is not None else 0.9 * inch
        self.height = body + self.MARK_H + 2 * self.PAD

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.setStrokeColor(HexColor("#777777"))
        c.setLineWidth(0.5)
        c.rect(0, 0, self.width, self.height, stroke=1, fill=0)
        c.setFont(BOLD, 8.5)
        c.drawString(self.PAD + 2, self.height - self.PAD - 8.5, self.portion_mark)
        c.restoreState()
        if self.image is not None:
            x = (self.width - self.image.drawWidth) / 2
            self.image.drawOn(c, x, self.PAD)
        else:
            c.saveState()
            c.setFont(FONT, 8.5)
            c.setFillColor(HexColor("#555555"))
            c.drawCentredString(self.width / 2, self.PAD + 0.42 * inch, self.note)
            c.restoreState()


def figure_flowables(portion: Any, number: int, images: Mapping[str, bytes]) -> list[Flowable]:
    """A figure: the portion mark on the figure (in its frame, above the image) and again
    before the caption."""
    pm = parse_mark(portion.marking).portion()
    image = figure_image(portion, images)
    kind = str(getattr(portion, "kind", "figure"))
    missing = "image not available" if getattr(portion, "image_sha256", None) else \
        "no image attached"
    framed = MarkedFigure(pm, image, f"[{kind} figure: {missing}]")
    caption = escape(getattr(portion, "caption", ""))
    depicts = _depicted(portion)
    extra = f" (depicts {depicts})" if depicts else ""
    return [KeepTogether([framed, Paragraph(f"{mark(portion.marking)} Figure {number}: "
                                            f"{caption}{extra}", st.CAPTION)])]


def _depicted(portion: Any) -> str:
    depicted = getattr(portion, "depicted", None)
    items = depicted() if callable(depicted) else [portion.data] if portion.data else []
    if not items:
        return ""
    if len(items) <= 3:
        return ", ".join(escape(i) for i in items)
    return f"{len(items):,} items"


def citation_flowable(doc: Document, portion: Any, number: int) -> Flowable:
    title = escape(doc.title_of(portion))
    note = escape(getattr(portion, "note", "") or "")
    text = (f"{mark(portion.marking)} <i>Cited [{number}]:</i> {title} "
            f"<font name='Courier' size='8.5'>{escape(portion.item_id)}</font>")
    if portion.use_restriction == "leads_only":
        text += " <b>(leads only)</b>"
    if note:
        text += f". {note}"
    return Paragraph(text, st.BODY)


def tearline_break(divider: Any, marking: Marking | None) -> list[Flowable]:
    """A tearline: a ruled, dashed break, its destination, its own banner, and its own title
    with the title's portion mark."""
    out: list[Flowable] = [CondPageBreak(1.5 * inch), Spacer(1, 6),
                           HRFlowable(width="100%", thickness=1.2, dash=(6, 3),
                                      color=HexColor("#000000"), spaceBefore=2, spaceAfter=3),
                           Paragraph(f"TEARLINE: RELEASABLE TO {escape(divider.destination)}",
                                     st.TEARLINE)]
    if marking is not None:
        out.append(banner_bar(marking))
    out += [Spacer(1, 5), Paragraph(f"{mark(divider.marking)} {escape(divider.title)}",
                                    st.HEADING)]
    for f in out[1:]:  # the break, its banner and its title go with the first portion
        f.keepWithNext = 1
    return out


def _end_of_tearline(marking: Marking | None) -> list[Flowable]:
    out: list[Flowable] = [Spacer(1, 2)]
    if marking is not None:
        out.append(banner_bar(marking))
    out += [HRFlowable(width="100%", thickness=1.2, dash=(6, 3), color=HexColor("#000000"),
                       spaceBefore=3, spaceAfter=8)]
    return out


def authority_flowables(doc: Document) -> list[Flowable]:
    """The classification authority block (first page); "Multiple Sources" when more than one
    source is cited."""
    p = doc.product
    a = p.authority
    sources = doc.cited()
    banner = doc.banner()
    if not banner.is_classified:  # an unclassified document carries no authority block
        return []
    if a is None:
        return [_boxed([Paragraph("<b>Classification authority block not given.</b> A classified "
                                  "product is approved only with it (classified by, derived "
                                  "from, declassify on).", st.AUTHORITY)],
                       border="#c8102e")]
    derived = escape(a.derived_from)
    if len(sources) > 1:
        derived = "Multiple Sources (listed under Sources at the end)"
    lines = [f"<b>Classified By:</b> {escape(a.classified_by)}",
             f"<b>Derived From:</b> {derived}",
             f"<b>Declassify On:</b> {escape(a.declassify_on)}"]
    return [_boxed([Paragraph(line, st.AUTHORITY) for line in lines])]


def _title_block(doc: Document) -> list[Flowable]:
    p = doc.product
    title, title_mark = p.title, p.title_marking
    kind = TYPE_NAMES.get(p.product_type, p.product_type.replace("_", " ").title())
    state = "approved" if doc.approved else p.status.replace("_", " ")
    when = (doc.signoff.signed_at if doc.approved and doc.signoff else p.updated)
    sub = (f"{kind}  |  {escape(p.id)} version {p.version}  |  {state}  |  "
           f"{when.strftime('%d %B %Y')}  |  author {escape(p.author)}")
    if doc.tearline is not None:
        sub += f"  |  tearline version for {escape(doc.tearline)}"
    return [Paragraph(f"{mark(title_mark)} {escape(title)}", st.TITLE),
            Paragraph(sub, st.SUBTITLE)]


def body_flowables(doc: Document) -> list[Flowable]:
    out: list[Flowable] = []
    figure_no = cite_no = 0
    cite_numbers = {c.item_id: i + 1 for i, c in enumerate(doc.cited())}
    for section in doc.shown():
        smark = section.marking()
        in_tearline = section.destination is not None
        if in_tearline:
            out += tearline_break(section.divider, smark)
        for portion in section.portions:
            kind = portion.type
            if kind == "paragraph":
                out += paragraph_flowables(portion.marking, portion.text)
            elif kind == "heading":
                out.append(heading_flowable(portion))
            elif kind == "figure":
                figure_no += 1
                out += figure_flowables(portion, figure_no, doc.images)
            elif kind == "citation":
                cite_no = cite_numbers.get(portion.item_id, cite_no + 1)
                out.append(citation_flowable(doc, portion, cite_no))
            else:  # a portion kind this renderer does not know is shown, never dropped
                text = getattr(portion, "text", "") or str(portion.model_dump())
                out += paragraph_flowables(portion.marking, f"[{kind}] {text}")
        if in_tearline:  # the closing banner stays with the tearline's last lines
            end = _end_of_tearline(smark)
            for f in [out[-1], *end[:-1]]:
                f.keepWithNext = 1
            out += end
    return out


def cited_flowables(doc: Document) -> list[Flowable]:
    """The cited items with their markings and titles; headed Sources when there are several
    (the list "Derived From: Multiple Sources" refers to)."""
    cited = doc.cited()
    if not cited:
        return []
    a = doc.product.authority
    head = "Sources" if len(cited) > 1 else "Cited item"
    out: list[Flowable] = [CondPageBreak(1.2 * inch), Paragraph(head, st.SECTION)]
    if len(cited) > 1 and a is not None and a.derived_from.strip().lower() != "multiple sources":
        out.append(Paragraph(f"Classification derived from: {escape(a.derived_from)}",
                             st.LIST_ITEM))
    for i, c in enumerate(cited, 1):
        restriction = " <b>(leads only)</b>" if c.use_restriction == "leads_only" else ""
        out.append(Paragraph(
            f"{i}.&nbsp;&nbsp;{mark(c.marking)} {escape(doc.title_of(c))} "
            f"<font name='Courier' size='8'>{escape(c.item_id)}</font>{restriction}",
            st.LIST_ITEM))
    return out


def group(hex_text: str, size: int = 4) -> str:
    return " ".join(hex_text[i:i + size] for i in range(0, len(hex_text), size))


def signoff_flowables(doc: Document, fingerprint: str | None) -> list[Flowable]:
    so = doc.signoff
    if not doc.approved or so is None:
        comments = list(getattr(doc.product, "comments", []) or [])
        text = (f"{mark(doc.banner().portion())} <b>DRAFT: not approved.</b> Version "
                f"{doc.product.version} is "
                f"{doc.product.status.replace('_', ' ')}; it carries no sign-off and may not be "
                "disseminated.")
        rows = [Paragraph(text, st.AUTHORITY)]
        for c in comments:
            anchor = getattr(c, "anchor", None)
            at = doc.product.index_of(anchor) if anchor and hasattr(doc.product,
                                                                    "index_of") else None
            on = ""
            if at is not None:
                quoted = portion_summary(doc.product.portions[at], 60)
                on = f" on portion {at + 1} (\u201c{escape(quoted)}\u201d)"
            rows.append(Paragraph(f"{mark(doc.banner().portion())} Review comment{on} by "
                                  f"{escape(c.who)}, "
                                  f"{c.when.strftime('%Y-%m-%d %H:%M')} UTC: {escape(c.text)}",
                                  st.SMALL))
        return [Spacer(1, 10), _boxed(rows, border="#c8102e", background="#fff3f3")]
    rows = [Paragraph("<b>APPROVED AND SIGNED OFF</b>", st.NOTICE),
            Paragraph(f"Signed off by: {escape(so.signer)}", st.AUTHORITY),
            Paragraph(f"Signed: {so.signed_at.strftime('%Y-%m-%d %H:%M:%S')} UTC", st.AUTHORITY),
            Paragraph(f"Signer key fingerprint (SHA-256): "
                      f"<font name='Courier'>{group(fingerprint or '')}</font>", st.AUTHORITY),
            Paragraph(f"Content hash (SHA-256): <font name='Courier'>{group(so.content_hash)}"
                      "</font>", st.AUTHORITY),
            Paragraph(f"Audit head at approval: <font name='Courier'>{escape(so.audit_head)}"
                      "</font>", st.SMALL),
            Paragraph("This file carries the signed version; <font name='Courier'>hstc report "
                      "verify FILE.pdf</font> checks the signature and that these pages are "
                      "exactly what it renders to.", st.SMALL)]
    return [Spacer(1, 10), KeepTogether([_boxed(rows, border="#007a33",
                                                background="#f2fbf4")])]


def referral_flowables(doc: Document) -> list[Flowable]:
    """A referral's addressees and recommended action. The model gives the action no portion
    mark of its own, so it is marked at the product's roll-up (never lower than it may be)."""
    p = doc.product
    addressees = list(getattr(p, "addressees", None) or [])
    action = getattr(p, "recommended_action", None)
    if not addressees and not action:
        return []
    names = []
    for code in addressees:
        try:
            names.append(f"{escape(markings.destination(code).name)} ({escape(code)})")
        except KeyError:
            names.append(escape(code))
    rows = [Paragraph(f"<b>Referred to:</b> {'; '.join(names)}", st.AUTHORITY)]
    if action:
        rows.append(Paragraph(f"{mark(doc.banner().portion())} <b>Recommended action:</b> "
                              f"{escape(action)}", st.AUTHORITY))
    return [Spacer(1, 6), _boxed(rows)]


def story(doc: Document, fingerprint: str | None) -> list[Flowable]:
    """The whole flow of one PDF."""
    out = _title_block(doc)
    out += authority_flowables(doc)
    out += referral_flowables(doc)
    if leads_only(doc):
        out += [Spacer(1, 6), _boxed([Paragraph(escape(LEADS_ONLY_TEXT), st.NOTICE)],
                                     border="#000000", background="#fff8d6")]
    out.append(Spacer(1, 12))
    out += body_flowables(doc)
    out += cited_flowables(doc)
    out += signoff_flowables(doc, fingerprint)
    return out


def leads_only(doc: Document) -> bool:
    return doc.product.leads_only or any(c.use_restriction == "leads_only" for c in doc.cited())
