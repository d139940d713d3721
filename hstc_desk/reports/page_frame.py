"""What every page of a product PDF carries, whatever flows on it: the banner top and bottom in
the standard classification colour, a running header, the leads-only line, the DRAFT watermark of
an unapproved version, and "Page X of Y" (the two-pass "NumberedCanvas" pattern: pages are kept
until the count is known, then each is finished and written).

The colours are the GUI banner's (``gui/widgets/banner.py`` ``COLOURS``; the core cannot import
it, and ``tests/test_reports_render.py`` holds the two tables equal).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas

from hstc_desk.markings import Level, Marking
from hstc_desk.reports.fonts import BOLD, BOLD_ITALIC, FONT, ITALIC

# (background, text): UNCLASSIFIED green, CONFIDENTIAL blue, SECRET red, TOP SECRET orange,
# TOP SECRET with SCI yellow. The same table as the GUI's banner bars.
COLOURS: dict[str, tuple[str, str]] = {
    "U": ("#007a33", "#ffffff"),
    "C": ("#0033a0", "#ffffff"),
    "S": ("#c8102e", "#ffffff"),
    "TS": ("#ff8c00", "#000000"),
    "TS-SCI": ("#fce83a", "#000000"),
}

PAGE = LETTER
MARGIN = 0.75 * inch
BANNER_H = 18.0
TOP_GAP = BANNER_H + 34.0  # banner, header line, space
BOTTOM_GAP = BANNER_H + 34.0  # page number, leads-only line, banner
LEADS_ONLY_LINE = "FOR INVESTIGATIVE LEADS ONLY: not for affidavits, subpoenas, grand jury or " \
                  "court proceedings without the originator's authorization"


def colour_key(marking: Marking) -> str:
    if marking.level == Level.TS and marking.sci:
        return "TS-SCI"
    return marking.level.name


def banner_colours(marking: Marking) -> tuple[str, str]:
    return COLOURS[colour_key(marking)]


@dataclass(frozen=True)
class Frame:
    """What the page frame draws: ``banner`` (a Marking) on every page, the header text, whether
    the version is a draft (watermark) and whether the leads-only line applies."""

    banner: Marking
    header: str
    draft: bool
    leads_only: bool


def draw_banner(canvas: Canvas, marking: Marking, y: float, *, x: float = 0.0,
                width: float | None = None, height: float = BANNER_H) -> None:
    """One banner bar: the banner text centred on its classification colour."""
    bg, fg = banner_colours(marking)
    w = PAGE[0] if width is None else width
    canvas.saveState()
    canvas.setFillColor(HexColor(bg))
    canvas.rect(x, y, w, height, stroke=0, fill=1)
    canvas.setFillColor(HexColor(fg))
    canvas.setFont(BOLD, 10)
    canvas.drawCentredString(x + w / 2, y + (height - 10) / 2 + 2, marking.banner())
    canvas.restoreState()


def draw_page(canvas: Canvas, frame: Frame) -> None:
    """The top of the page, drawn before the page's flowables: the banner, the running header
    and the watermark (under the text)."""
    width, height = PAGE
    draw_banner(canvas, frame.banner, height - BANNER_H)
    canvas.saveState()
    canvas.setFont(FONT, 8)
    canvas.setFillColor(HexColor("#333333"))
    canvas.drawString(MARGIN, height - BANNER_H - 14, frame.header)
    if frame.draft:
        canvas.setFillColor(HexColor("#c8102e"))
        canvas.setFont(BOLD, 8)
        canvas.drawRightString(width - MARGIN, height - BANNER_H - 14,
                               "DRAFT: NOT APPROVED, NOT SIGNED OFF")
    canvas.setStrokeColor(HexColor("#999999"))
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, height - BANNER_H - 19, width - MARGIN, height - BANNER_H - 19)
    canvas.restoreState()
    if frame.draft:
        canvas.saveState()
        canvas.setFillColor(HexColor("#b0b0b0"))
        canvas.setFillAlpha(0.35)
        canvas.setFont(BOLD, 120)
        canvas.translate(width / 2, height / 2)
        canvas.rotate(45)
        canvas.drawCentredString(0, -40, "DRAFT")
        canvas.restoreState()


def draw_foot(canvas: Canvas, frame: Frame, page: int, total: int) -> None:
    """The foot of the page, drawn once the page count is known: "Page X of Y", the
    leads-only line where it applies, and the bottom banner (last, so a text extractor reads
    the page from banner to banner)."""
    width = PAGE[0]
    canvas.saveState()
    canvas.setFont(FONT, 8)
    canvas.setFillColor(HexColor("#333333"))
    canvas.drawRightString(width - MARGIN, BANNER_H + 18, f"Page {page} of {total}")
    if frame.leads_only:
        canvas.setFillColor(HexColor("#000000"))
        canvas.setFont(BOLD, 7)
        canvas.drawCentredString(width / 2, BANNER_H + 6, LEADS_ONLY_LINE)
    canvas.restoreState()
    draw_banner(canvas, frame.banner, 0)


def numbered_canvas(frame: Frame, after_pages: Callable[[Canvas], None] | None = None
                    ) -> type[Canvas]:
    """A Canvas class that finishes every page with its foot (``draw_foot``) once the page
    count is known, then calls ``after_pages(canvas)`` (to attach files) before the document
    is written."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._saved_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved_pages)
            for state in self._saved_pages:
                self.__dict__.update(state)
                draw_foot(self, frame, self._pageNumber, total)
                Canvas.showPage(self)
            if after_pages is not None:
                after_pages(self)
            Canvas.save(self)

    return NumberedCanvas


__all__ = ["BANNER_H", "BOLD", "BOLD_ITALIC", "BOTTOM_GAP", "COLOURS", "FONT", "ITALIC",
           "LEADS_ONLY_LINE", "MARGIN", "PAGE", "TOP_GAP", "Frame", "banner_colours",
           "draw_banner", "draw_foot", "draw_page", "numbered_canvas"]
