"""A product's PDF pages as images, and a scrolling column that shows them: the review view
shows the product exactly as it will print (the real PDF, rasterised by PDFium), not a look-alike.

PySide6-Essentials carries no QtPdf, so pages are drawn by pypdfium2 into numpy arrays and
copied into QImages (the copy owns its pixels, so nothing outlives the PDFium bitmap)."""

from __future__ import annotations

import re

import pypdfium2 as pdfium
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

POINTS_PER_INCH = 72


class PdfUnreadable(ValueError):
    """Bytes that PDFium cannot open as a PDF."""


def page_count(pdf: bytes) -> int:
    doc = _open(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def _open(pdf: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as exc:
        raise PdfUnreadable(f"the product's PDF could not be read: {exc}") from None


def render_pages(pdf: bytes, *, dpi: float = 96, width: int | None = None, first: int = 0,
                 limit: int | None = None) -> list[QImage]:
    """Pages ``first`` .. ``first + limit`` of ``pdf`` as RGB images at ``dpi``, or each scaled
    to ``width`` pixels across when that is given."""
    doc = _open(pdf)
    try:
        last = len(doc) if limit is None else min(len(doc), first + limit)
        images = []
        for n in range(first, last):
            page = doc[n]
            scale = dpi / POINTS_PER_INCH if width is None else width / page.get_width()
            bitmap = page.render(scale=scale, rev_byteorder=True)
            pixels = bitmap.to_numpy()  # (height, width, 3) RGB, rows padded to its stride
            height, width = pixels.shape[:2]
            image = QImage(pixels.data, width, height, bitmap.stride,
                           QImage.Format.Format_RGB888).copy()
            images.append(image)
            bitmap.close()
            page.close()
        return images
    finally:
        doc.close()


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


class PageColumn(QScrollArea):
    """The pages one under the other, on a grey desk. Each page is drawn when it scrolls near
    the view and let go of when it is far away, so a 50-page product opens at once and holds a
    few pages' pixels, not fifty."""

    SPACING = 12
    AHEAD = 1.0  # viewports drawn ahead above and below
    KEEP = 3.0  # pixels let go of beyond this many viewports

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pdfPages")
        self.setWidgetResizable(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._inner = QWidget(objectName="pdfDesk")
        self._inner.setStyleSheet("QWidget#pdfDesk { background: #5a5a5a; }")
        self._layout = QVBoxLayout(self._inner)
        self._layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self._layout.setSpacing(self.SPACING)
        self.setWidget(self._inner)
        self.pages: list[QLabel] = []
        self._doc: pdfium.PdfDocument | None = None
        self._pdf = b""
        self._tops: list[int] = []
        self._texts: list[str] | None = None
        self.message = QLabel(self._inner, objectName="pdfMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: white;")
        self._layout.addWidget(self.message)
        self.message.hide()
        self.verticalScrollBar().valueChanged.connect(lambda _v: self.draw_near())

    def show_pdf(self, pdf: bytes, *, width: int | None = None) -> int:
        """Show ``pdf``, each page ``width`` pixels across (default: as wide as the column
        shows without a horizontal scroll bar); the number of pages."""
        self.clear()
        if width is None:
            width = self.page_width()
        try:
            doc = _open(pdf)
        except PdfUnreadable as exc:
            self.show_message(str(exc))
            return 0
        self._doc, self._pdf = doc, pdf  # PDFium reads the bytes in place: keep them alive
        top = self._layout.contentsMargins().top()
        count = len(doc)
        for n in range(count):
            pw, ph = doc.get_page_size(n)
            label = QLabel(self._inner, objectName=f"pdfPage{n + 1}")
            label.setFixedSize(width, round(ph * width / pw))
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setText(f"page {n + 1} of {count}")
            label.setToolTip(f"page {n + 1} of {count}")
            label.setStyleSheet("QLabel { background: white; color: #888; "
                                "border: 1px solid #333; }")
            self._layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.pages.append(label)
            self._tops.append(top)
            top += label.height() + self.SPACING
        self.draw_near()
        return count

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.draw_near()

    def page_width(self) -> int:
        """How wide a page fits in the column now (its scroll bar and margins left out)."""
        room = self.viewport().width() - self.verticalScrollBar().sizeHint().width() - 28
        return max(360, room)

    def find_page(self, snippet: str) -> int | None:
        """The first page (0-based) whose text holds ``snippet`` (spaces and line breaks left
        out of both, as a PDF's text runs across lines), or None."""
        if self._doc is None:
            return None
        want = _squeeze(snippet)
        if not want:
            return None
        if self._texts is None:
            self._texts = []
            for n in range(len(self._doc)):
                page = self._doc[n]
                text = page.get_textpage()
                self._texts.append(_squeeze(text.get_text_range()))
                text.close()
                page.close()
        return next((n for n, t in enumerate(self._texts) if want in t), None)

    def show_page(self, n: int) -> None:
        """Scroll so that page ``n`` starts at the top of the view."""
        if 0 <= n < len(self._tops):
            self.verticalScrollBar().setValue(self._tops[n])
            self.draw_near()

    def drawn(self) -> list[int]:
        """The pages (0-based) whose pixels are held now."""
        return [n for n, label in enumerate(self.pages) if not label.pixmap().isNull()]

    def draw_near(self) -> None:
        """Draw the pages in or near the view; let go of those far from it."""
        if self._doc is None:
            return
        view = max(self.viewport().height(), 400)
        at = self.verticalScrollBar().value()
        near = (at - view * self.AHEAD, at + view * (1 + self.AHEAD))
        keep = (at - view * self.KEEP, at + view * (1 + self.KEEP))
        for n, label in enumerate(self.pages):
            top, bottom = self._tops[n], self._tops[n] + label.height()
            held = not label.pixmap().isNull()
            if bottom >= near[0] and top <= near[1]:
                if not held:
                    self._draw(n, label)
            elif held and (bottom < keep[0] or top > keep[1]):
                label.setPixmap(QPixmap())
                label.setText(f"page {n + 1} of {len(self.pages)}")

    def _draw(self, n: int, label: QLabel) -> None:
        assert self._doc is not None
        page = self._doc[n]
        try:
            bitmap = page.render(scale=label.width() / page.get_width(), rev_byteorder=True)
            pixels = bitmap.to_numpy()
            height, width = pixels.shape[:2]
            image = QImage(pixels.data, width, height, bitmap.stride,
                           QImage.Format.Format_RGB888).copy()
            bitmap.close()
        finally:
            page.close()
        label.setPixmap(QPixmap.fromImage(image))

    def show_message(self, text: str) -> None:
        self.clear()
        self.message.setText(text)
        self.message.show()

    def clear(self) -> None:
        for label in self.pages:
            self._layout.removeWidget(label)
            label.deleteLater()
        self.pages, self._tops, self._texts = [], [], None
        if self._doc is not None:
            self._doc.close()
        self._doc, self._pdf = None, b""
        self.message.hide()
