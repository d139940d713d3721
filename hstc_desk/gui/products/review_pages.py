"""A product's PDF pages as images, and a scrolling column that shows them: the review view
shows the product exactly as it will print (the real PDF, rasterised by PDFium), not a look-alike.

PySide6-Essentials carries no QtPdf, so pages are drawn by pypdfium2 into numpy arrays and
copied into QImages (the copy owns its pixels, so nothing outlives the PDFium bitmap)."""

from __future__ import annotations

import pypdfium2 as pdfium
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
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


class PageColumn(QScrollArea):
    """The pages one under the other, on a grey desk, each with a drop of space around it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pdfPages")
        self.setWidgetResizable(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._inner = QWidget(objectName="pdfDesk")
        self._inner.setStyleSheet("QWidget#pdfDesk { background: #5a5a5a; }")
        self._layout = QVBoxLayout(self._inner)
        self._layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self._layout.setSpacing(12)
        self.setWidget(self._inner)
        self.pages: list[QLabel] = []
        self.message = QLabel(self._inner, objectName="pdfMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: white;")
        self._layout.addWidget(self.message)
        self.message.hide()

    def show_pdf(self, pdf: bytes, *, width: int | None = None) -> int:
        """Show every page of ``pdf``, ``width`` pixels across (default: as wide as the column
        shows without a horizontal scroll bar); the number of pages shown."""
        self.clear()
        if width is None:
            width = self.page_width()
        try:
            images = render_pages(pdf, width=width)
        except PdfUnreadable as exc:
            self.show_message(str(exc))
            return 0
        for n, image in enumerate(images):
            label = QLabel(self._inner, objectName=f"pdfPage{n + 1}")
            label.setPixmap(QPixmap.fromImage(image))
            label.setToolTip(f"page {n + 1} of {len(images)}")
            label.setStyleSheet("border: 1px solid #333;")
            self._layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.pages.append(label)
        return len(images)

    def page_width(self) -> int:
        """How wide a page fits in the column now (its scroll bar and margins left out)."""
        room = self.viewport().width() - self.verticalScrollBar().sizeHint().width() - 28
        return max(360, room)

    def show_message(self, text: str) -> None:
        self.clear()
        self.message.setText(text)
        self.message.show()

    def clear(self) -> None:
        for label in self.pages:
            self._layout.removeWidget(label)
            label.deleteLater()
        self.pages = []
        self.message.hide()
