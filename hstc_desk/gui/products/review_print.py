"""Print a product's PDF: its pages exactly as the file has them (banners, portion marks, DRAFT
or sign-off block), drawn by PDFium at the printer's resolution (at most 300 dpi) onto a
QPrinter whose paper is the PDF's own page size."""

from __future__ import annotations

import pypdfium2 as pdfium
from PySide6.QtCore import QRectF, QSizeF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter

from hstc_desk.gui.products.review_pages import POINTS_PER_INCH, PdfUnreadable

MAX_DPI = 300


def print_pdf(pdf: bytes, printer: QPrinter) -> int:
    """Send every page of ``pdf`` to ``printer``; the number of pages printed."""
    try:
        doc = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as exc:
        raise PdfUnreadable(f"the product's PDF could not be read: {exc}") from None
    try:
        if len(doc) == 0:
            return 0
        width, height = doc.get_page_size(0)
        printer.setPageSize(QPageSize(QSizeF(width, height), QPageSize.Unit.Point,
                                      "product page", QPageSize.SizeMatchPolicy.FuzzyMatch))
        printer.setPageOrientation(QPageLayout.Orientation.Portrait)
        printer.setFullPage(True)  # the PDF page carries its own margins and banners
        dpi = min(MAX_DPI, printer.resolution())
        painter = QPainter()
        if not painter.begin(printer):
            raise OSError("the printer could not be started")
        try:
            for n in range(len(doc)):
                if n:
                    printer.newPage()
                page = doc[n]
                bitmap = page.render(scale=dpi / POINTS_PER_INCH, rev_byteorder=True)
                pixels = bitmap.to_numpy()
                h, w = pixels.shape[:2]
                image = QImage(pixels.data, w, h, bitmap.stride,
                               QImage.Format.Format_RGB888).copy()
                bitmap.close()
                page.close()
                target = QRectF(printer.pageLayout().fullRectPixels(printer.resolution()))
                painter.drawImage(target, image)
            return len(doc)
        finally:
            painter.end()
    finally:
        doc.close()
