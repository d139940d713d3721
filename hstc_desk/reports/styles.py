"""The paragraph styles of a product PDF (base-14 fonts only: nothing embedded, so any
workstation re-renders the same bytes whatever fonts it has installed)."""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle

from hstc_desk.reports.page_frame import BOLD, FONT, ITALIC

BODY = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=14, spaceAfter=7)
BULLET = ParagraphStyle("bullet", parent=BODY, leftIndent=34, bulletIndent=20, spaceAfter=3)
TITLE = ParagraphStyle("title", fontName=BOLD, fontSize=17, leading=21, spaceAfter=4)
SUBTITLE = ParagraphStyle("subtitle", fontName=FONT, fontSize=9, leading=12,
                          textColor=HexColor("#444444"), spaceAfter=10)
HEADING = ParagraphStyle("heading", fontName=BOLD, fontSize=12.5, leading=16, spaceBefore=8,
                         spaceAfter=5, keepWithNext=1)
SUBHEADING = ParagraphStyle("subheading", parent=HEADING, fontSize=11, leading=14)
SMALL = ParagraphStyle("small", fontName=FONT, fontSize=8.5, leading=11)
SMALL_BOLD = ParagraphStyle("small_bold", parent=SMALL, fontName=BOLD)
AUTHORITY = ParagraphStyle("authority", fontName=FONT, fontSize=9, leading=12)
CAPTION = ParagraphStyle("caption", fontName=ITALIC, fontSize=9, leading=12, spaceBefore=3,
                         spaceAfter=10, alignment=TA_CENTER)
FIGURE_MARK = ParagraphStyle("figure_mark", fontName=BOLD, fontSize=8.5, leading=11)
NOTICE = ParagraphStyle("notice", fontName=BOLD, fontSize=9, leading=12)
TEARLINE = ParagraphStyle("tearline", fontName=BOLD, fontSize=9, leading=12, alignment=TA_CENTER,
                          spaceBefore=2, spaceAfter=2)
SECTION = ParagraphStyle("section", fontName=BOLD, fontSize=11, leading=14, spaceBefore=12,
                         spaceAfter=5, keepWithNext=1)
LIST_ITEM = ParagraphStyle("list_item", fontName=FONT, fontSize=9, leading=12, leftIndent=18,
                           firstLineIndent=-18, spaceAfter=3)
MONO = ParagraphStyle("mono", fontName="Courier", fontSize=8, leading=10.5)
