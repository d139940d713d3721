"""Print/Export PDF: a product version, or one of its tearline versions, written to a PDF file
or sent to a printer (the PDF's own pages, ``review_print``).

The file goes through the guard every output goes through (``hstc_desk.outputs.guard_output``:
never into a store folder or onto a store's files, whatever the spelling; an existing file is
replaced only when "Replace an existing file" is ticked) before anything is rendered, then is
written atomically (``atomic_write``) and read back. What is written is exactly what
``hstc report`` writes for the same version. The dialog's banners cover what it shows (the
version's whole banner); the PDF's own banner is shown beside the choice."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from hstc_desk.atomic import atomic_write, read_back
from hstc_desk.domain.errors import DomainError
from hstc_desk.domain.product_templates import TYPE_LABELS
from hstc_desk.gui.products.review_print import print_pdf
from hstc_desk.gui.products.review_render import printed
from hstc_desk.gui.products.review_text import escape
from hstc_desk.gui.widgets.banner import BannerBar, Banners
from hstc_desk.outputs import OutputRefused, guard_output
from hstc_desk.store import Store
from hstc_desk.store import products as store_products
from hstc_desk.store.errors import StoreError


class ExportPdfDialog(QDialog):
    def __init__(self, store: Store, product_id: str, version: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportPdfDialog")
        self.store = store
        self.product = p = store_products.get(store, product_id, version)
        self.setWindowTitle(f"Export PDF — {p.id} version {p.version}")
        layout = QVBoxLayout(self)
        what = QLabel(f"<b>{escape(p.title_marking)} {escape(p.title)}</b><br>"
                      f"{TYPE_LABELS.get(p.product_type, p.product_type)} · {p.id} · version "
                      f"{p.version} · {p.status.replace('_', ' ')}"
                      + ("" if p.status == "approved" else
                         " — not approved: every page carries DRAFT"))
        what.setWordWrap(True)
        layout.addWidget(what)
        form = QFormLayout()
        self.which = QComboBox(objectName="exportPdfWhich")
        self.which.addItem("The whole product", None)
        for section in p.tearlines():
            self.which.addItem(f"Tearline version for {section.destination} "
                               f"({section.banner()})", section.destination)
        self.which.currentIndexChanged.connect(self._show_banner)
        form.addRow("Print", self.which)
        self.pdf_banner = BannerBar(self, name="exportPdfBanner")
        self.pdf_banner.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        form.addRow("PDF banner", self.pdf_banner)
        out_row = QHBoxLayout()
        self.path = QLineEdit(objectName="exportPdfPath")
        self.path.setPlaceholderText("the PDF file to write")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        out_row.addWidget(self.path, 1)
        out_row.addWidget(browse)
        form.addRow("File", out_row)
        self.force = QCheckBox("Replace an existing file", objectName="exportPdfForce")
        form.addRow("", self.force)
        layout.addLayout(form)
        self.status = QLabel(objectName="exportPdfStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        row = QHBoxLayout()
        row.addStretch(1)
        self.export_button = QPushButton("Export PDF", objectName="exportPdfButton")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export)
        self.print_button = QPushButton("Print…", objectName="printPdfButton")
        self.print_button.clicked.connect(self.ask_to_print)
        row.addWidget(self.print_button)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        row.addWidget(self.export_button)
        row.addWidget(close)
        layout.addLayout(row)
        self.banners = Banners(self, p.banner_marking())
        self.setMinimumWidth(640)
        self._show_banner()
        self.written: Path | None = None

    def _show_banner(self) -> None:
        dest = self.which.currentData()
        section = None if dest is None else self.product.tearline(dest)
        self.pdf_banner.set_marking(self.product.banner_marking() if section is None
                                    else section.banner_marking())

    def _browse(self) -> None:
        suggested = f"{self.product.id}-v{self.product.version}"
        if self.which.currentData():
            suggested += f"-{self.which.currentData()}"
        path, _ = QFileDialog.getSaveFileName(self, "Export PDF", f"{suggested}.pdf",
                                              "PDF files (*.pdf)")
        if path:
            self.path.setText(path)
            self.force.setChecked(Path(path).exists())  # the save dialog asked already

    def export(self) -> bool:
        raw = self.path.text().strip()
        if not raw:
            return self._refused("Choose the PDF file to write.")
        if not raw.lower().endswith(".pdf"):
            return self._refused("The file name must end in .pdf.")
        try:
            target = guard_output(Path(raw).expanduser(), force=self.force.isChecked(),
                                  stores=[self.store.path])
        except OutputRefused as exc:
            return self._refused(str(exc))
        dest = self.which.currentData()
        try:
            out = printed(self.store, self.product.id, version=self.product.version,
                          tearline=dest)
        except (StoreError, DomainError, ValueError) as exc:
            return self._refused(f"the PDF could not be made: {exc} (nothing was written)")
        try:
            atomic_write(target, out.pdf, mode=0o600)
            if read_back(target) != out.pdf:
                return self._refused(f"{target} did not read back as written; the media may "
                                     "be failing")
        except OSError as exc:
            return self._refused(f"cannot write {target}: {exc.strerror or exc} (nothing was "
                                 "written)")
        self.written = target
        doc = out.doc
        state = (f"approved, signed off by {doc.signoff.signer}" if doc.approved and doc.signoff
                 else "DRAFT on every page")
        which = f"the tearline version for {dest}" if dest else "the whole product"
        self.status.setStyleSheet("")
        self.status.setText(f"Wrote {target}: {which}, version {doc.product.version}, {state}; "
                            f"banner {out.banner.banner()}.")
        return True

    def ask_to_print(self) -> bool:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(f"Print {self.product.id} version {self.product.version}")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.print_to(printer)

    def print_to(self, printer: QPrinter) -> bool:
        """Print the chosen version (whole or tearline) on ``printer``, as the PDF has it."""
        dest = self.which.currentData()
        try:
            out = printed(self.store, self.product.id, version=self.product.version,
                          tearline=dest)
            pages = print_pdf(out.pdf, printer)
        except (StoreError, DomainError, ValueError, OSError) as exc:
            return self._refused(f"nothing was printed: {exc}")
        which = f"the tearline version for {dest}" if dest else "the whole product"
        self.status.setStyleSheet("")
        where = printer.printerName() or printer.outputFileName()
        self.status.setText(f"Sent {pages} page(s) of {which} to {where}; banner "
                            f"{out.banner.banner()}.")
        return True

    def _refused(self, why: str) -> bool:
        self.status.setStyleSheet("color: #b00020; font-weight: bold;")
        self.status.setText(f"Refused: {why}")
        return False

