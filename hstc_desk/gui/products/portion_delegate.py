"""How a portion looks in the list: its portion mark on its classification colour, then the
portion as it will read (a heading bold, a paragraph's first lines, a figure's thumbnail and
caption, a citation's item title and id, a tearline as a dashed rule naming its destination).

Row heights are fixed per kind, so a list of hundreds of portions lays out without measuring
text; a figure's thumbnail is decoded once, when its row is first painted."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from hstc_desk.domain import rich_text
from hstc_desk.gui.products.portion_model import COMMENTS_ROLE, ENTRY_ROLE, SECTION_BANNER_ROLE
from hstc_desk.gui.products.portion_state import Entry
from hstc_desk.gui.widgets.banner import banner_colours
from hstc_desk.markings import Marking
from hstc_desk.reports.rollup import parse_mark

HEIGHTS = {"heading": 34, "paragraph": 70, "figure": 92, "citation": 50, "tearline": 46}
MARK_W = 156
THUMB = QSize(136, 76)
_Index = QModelIndex | QPersistentModelIndex


class PortionDelegate(QStyledItemDelegate):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._thumbs: dict[str, QPixmap] = {}  # by image SHA-256
        self._section_banner: Marking | None = None

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        e: Entry | None = index.data(ENTRY_ROLE)
        return QSize(200, HEIGHTS.get(e.kind, 40) if e else 40)

    def thumbnail(self, e: Entry) -> QPixmap | None:
        if not e.image:
            return None
        key = e.image_sha256
        if key not in self._thumbs:
            image = QImage.fromData(e.image)
            self._thumbs[key] = QPixmap.fromImage(image.scaled(
                THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation)) if not image.isNull() else QPixmap()
        pix = self._thumbs[key]
        return None if pix.isNull() else pix

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        e: Entry | None = index.data(ENTRY_ROLE)
        if e is None:
            return
        self._section_banner = index.data(SECTION_BANNER_ROLE) if e.kind == "tearline" else None
        painter.save()
        r = option.rect  # type: ignore[attr-defined]
        selected = bool(option.state & QStyle.StateFlag.State_Selected)  # type: ignore[attr-defined]
        pal = option.palette  # type: ignore[attr-defined]
        if selected:
            painter.fillRect(r, pal.highlight())
        elif index.row() % 2:
            painter.fillRect(r, pal.alternateBase())
        fg = pal.highlightedText().color() if selected else pal.text().color()
        top = r.top() + (max(5, (r.height() - painter.fontMetrics().height() - 4) // 2)
                         if e.kind == "heading" else 5)  # level with a heading's one line
        self._mark(painter, QRect(r.left() + 4, top, MARK_W - 10, r.bottom() - top - 4), e)
        body = QRect(r.left() + MARK_W, r.top() + 4, r.width() - MARK_W - 8, r.height() - 8)
        painter.setPen(fg)
        font = QFont(option.font)  # type: ignore[attr-defined]
        getattr(self, f"_paint_{e.kind}")(painter, body, e, font, fg)
        comments = index.data(COMMENTS_ROLE) or 0
        if comments:  # the reviewer's comments anchored here: a tag at the mark's foot
            tag = QRect(r.left() + 4, r.bottom() - 18, 70, 15)
            small = QFont(font)
            small.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
            painter.setFont(small)
            painter.fillRect(tag, QColor("#fff2a8"))
            painter.setPen(QColor("#5a4a00"))
            painter.drawText(tag, Qt.AlignmentFlag.AlignCenter,
                             f"{comments} comment{'s' if comments > 1 else ''}")
        painter.setPen(QPen(QColor("#d0d0d0")))
        painter.drawLine(r.left(), r.bottom(), r.right(), r.bottom())
        if option.state & QStyle.StateFlag.State_HasFocus:  # type: ignore[attr-defined]
            painter.setPen(QPen(fg, 1, Qt.PenStyle.DotLine))
            painter.drawRect(r.adjusted(1, 1, -2, -2))
        painter.restore()

    @staticmethod
    def _mark(painter: QPainter, rect: QRect, e: Entry) -> None:
        """The portion mark on its colour, whole: a long mark wraps onto a second line
        (a mark is never cut short where it can be read whole)."""
        font = QFont(painter.font())
        font.setBold(True)
        painter.setFont(font)
        if not e.marking:
            painter.setPen(QColor("#b00020"))
            painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             "not marked")
            return
        bg, fg = banner_colours(parse_mark(e.marking))
        draw_chip(painter, rect, e.marking, bg, fg)

    @staticmethod
    def _lines(painter: QPainter, rect: QRect, lines: list[str], max_lines: int) -> None:
        fm = painter.fontMetrics()
        y = rect.top()
        for line in lines[:max_lines]:
            if y + fm.height() > rect.bottom() + 2:
                break
            painter.drawText(QRect(rect.left(), y, rect.width(), fm.height()),
                             Qt.AlignmentFlag.AlignLeft,
                             fm.elidedText(line, Qt.TextElideMode.ElideRight, rect.width()))
            y += fm.height() + 1

    def _paint_heading(self, painter: QPainter, rect: QRect, e: Entry, font: QFont,
                       fg: QColor) -> None:
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        painter.setFont(font)
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         e.text or "(heading)")

    def _paint_paragraph(self, painter: QPainter, rect: QRect, e: Entry, font: QFont,
                         fg: QColor) -> None:
        painter.setFont(font)
        lines = []
        for b in rich_text.parse(e.text):
            prefix = "•  " if b.kind == "bullet" else f"{b.number}.  " if b.kind == "number" \
                else ""
            lines.append(prefix + b.text)
        if not lines:
            painter.setPen(QColor("#888888"))
            lines = ["(empty paragraph: type its text on the right)"]
        self._wrapped(painter, rect, lines)

    @staticmethod
    def _wrapped(painter: QPainter, rect: QRect, lines: list[str]) -> None:
        """Word-wrapped by Qt itself and clipped to the row (what does not fit is cut)."""
        fm = painter.fontMetrics()
        rows = max(1, (rect.height() + 1) // fm.lineSpacing())
        box = QRect(rect.left(), rect.top(), rect.width(), rows * fm.lineSpacing())
        budget = int(rows * rect.width() / max(1, fm.averageCharWidth()) * 1.3) + 20
        text = "\n".join(lines)[:budget]  # never lay out more than the row can show
        painter.save()
        painter.setClipRect(box)
        painter.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
                         | Qt.TextFlag.TextWordWrap, text)
        painter.restore()

    def _paint_figure(self, painter: QPainter, rect: QRect, e: Entry, font: QFont,
                      fg: QColor) -> None:
        pix = self.thumbnail(e)
        left = rect.left()
        if pix is not None:
            painter.drawPixmap(left, rect.top(), pix)
            painter.setPen(QColor("#999999"))
            painter.drawRect(left, rect.top(), pix.width() - 1, pix.height() - 1)
            left += THUMB.width() + 8
        painter.setPen(fg)
        text = QRect(left, rect.top(), rect.right() - left, rect.height())
        bold = QFont(font)
        bold.setBold(True)
        painter.setFont(bold)
        self._lines(painter, text, [f"Figure ({e.figure_kind or 'image'}): {e.text}"], 1)
        painter.setFont(font)
        n = e.depicted_count or len(e.depicted)
        self._lines(painter, text.adjusted(0, painter.fontMetrics().height() + 4, 0, 0),
                    [f"depicts {n} item{'s' if n != 1 else ''}"], 1)

    def _paint_citation(self, painter: QPainter, rect: QRect, e: Entry, font: QFont,
                        fg: QColor) -> None:
        bold = QFont(font)
        bold.setBold(True)
        painter.setFont(bold)
        self._lines(painter, rect, [f"Cited: {e.item_title or e.item_id}"], 1)
        painter.setFont(font)
        tail = e.item_id + ("   ·   LEADS ONLY" if e.leads_only else "") + (
            f"   ·   {e.text}" if e.text else "")
        self._lines(painter, rect.adjusted(0, painter.fontMetrics().height() + 3, 0, 0),
                    [tail], 1)

    def _paint_tearline(self, painter: QPainter, rect: QRect, e: Entry, font: QFont,
                        fg: QColor) -> None:
        banner = self._section_banner
        if banner is not None:  # the tearline version's own banner, at the right
            bg, text_fg = banner_colours(banner)
            painter.setFont(font)
            w = min(rect.width() // 2, painter.fontMetrics().horizontalAdvance(
                banner.banner()) + 16)
            draw_chip(painter, QRect(rect.right() - w, rect.top() + 14, w, 20), banner.banner(),
                      bg, text_fg)
            rect = rect.adjusted(0, 0, -w - 8, 0)
        y = rect.top() + 6
        painter.setPen(QPen(fg, 2, Qt.PenStyle.DashLine))
        painter.drawLine(rect.left(), y, rect.right(), y)
        bold = QFont(font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(fg)
        self._lines(painter, rect.adjusted(0, 12, 0, 0),
                    [f"TEARLINE for {e.destination or '(no destination)'}: "
                     f"{e.text or '(untitled)'}"], 1)


def draw_chip(painter: QPainter, rect: QRect, text: str, bg: str, fg: str) -> None:
    """``text`` on a ``bg`` chip at the top left of ``rect``: one line if it fits, else
    wrapped onto as many lines as the rect holds (cut with an ellipsis only past those)."""
    fm = painter.fontMetrics()
    one = fm.horizontalAdvance(text) + 10
    if one <= rect.width():
        chip = QRect(rect.left(), rect.top(), one, min(rect.height(), fm.height() + 4))
        painter.fillRect(chip, QColor(bg))
        painter.setPen(QColor(fg))
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, text)
        return
    lines = max(1, min(3, (rect.height() - 4) // fm.lineSpacing()))
    text = text.replace("//", "//\u200b").replace(", ", ",\u00a0")  # break after a category
    flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
    inner = QRect(rect.left() + 5, rect.top() + 2, rect.width() - 10, lines * fm.lineSpacing())
    need = fm.boundingRect(inner.adjusted(0, 0, 0, 1000), flags, text)
    if need.height() > inner.height():
        text = fm.elidedText(text, Qt.TextElideMode.ElideRight, inner.width() * lines - 10)
        need = fm.boundingRect(inner.adjusted(0, 0, 0, 1000), flags, text)
    chip = QRect(rect.left(), rect.top(), rect.width(), min(inner.height(), need.height()) + 4)
    painter.fillRect(chip, QColor(bg))
    painter.setPen(QColor(fg))
    painter.drawText(inner, flags, text)
