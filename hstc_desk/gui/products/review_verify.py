"""Verify PDF…: the window's ``hstc report verify FILE.pdf --store``. The file is read as every
input is (a regular file, up to its limit); the signed version it carries is checked against
the signers this store trusts (its supervisors, and sign-offs vouched for by trusted
workstations), and its pages against what that version renders to. The verdict names the check
that failed. Until a product is read from the file the banners are the store's system high;
after, they are the banner of the version it carries (all the report shows comes from it)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hstc_desk.gui.widgets.banner import Banners, clearance_banner
from hstc_desk.inputs import InputError, read_regular_file
from hstc_desk.reports.from_store import store_trust
from hstc_desk.reports.verify import PdfVerdict, verify_pdf
from hstc_desk.store import Store

MAX_PDF_BYTES = 256 * 1024 * 1024  # as `hstc report verify`


class VerifyPdfDialog(QDialog):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verifyPdfDialog")
        self.setWindowTitle("Verify a product PDF")
        self.store = store
        layout = QVBoxLayout(self)
        intro = QLabel("Checks that a product PDF carries a signed version, that its signer is "
                       "trusted here, that the signature is valid, and that every page is "
                       "exactly what that version renders to.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        self.path = QLineEdit(objectName="verifyPdfPath")
        self.path.setPlaceholderText("the PDF file to check")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        self.verify_button = QPushButton("Verify", objectName="verifyPdfButton")
        self.verify_button.setDefault(True)
        self.verify_button.clicked.connect(self.verify)
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        row.addWidget(self.verify_button)
        layout.addLayout(row)
        self.verdict_label = QLabel(objectName="verifyPdfVerdict")
        self.verdict_label.setWordWrap(True)
        layout.addWidget(self.verdict_label)
        self.report = QPlainTextEdit(objectName="verifyPdfReport", readOnly=True)
        self.report.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        layout.addWidget(self.report, 1)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        end = QHBoxLayout()
        end.addStretch(1)
        end.addWidget(close)
        layout.addLayout(end)
        self.system_high = clearance_banner(store.accreditation)
        self.banners = Banners(self, self.system_high)
        self.resize(760, 420)
        self.verdict: PdfVerdict | None = None

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Verify PDF", "", "PDF files (*.pdf)")
        if path:
            self.path.setText(path)

    def verify(self) -> bool:
        self.report.clear()
        self.banners.set_marking(self.system_high)
        raw = self.path.text().strip()
        if not raw:
            return self._say(False, "Choose the PDF file to check.")
        try:
            pdf = read_regular_file(Path(raw).expanduser(), MAX_PDF_BYTES, "PDF")
        except InputError as exc:
            return self._say(False, f"Not checked: {exc}")
        verdict = verify_pdf(pdf, store_trust(self.store))
        self.verdict = verdict
        if verdict.product is not None:  # what is shown comes from that version alone
            self.banners.set_marking(verdict.product.banner_marking())
        if not verdict.ok:
            lines = [f"check {verdict.failed} failed: {verdict.reason}"]
            if verdict.product is not None:
                p = verdict.product
                lines.append(f"the file says it is {p.id} version {p.version}: "
                             f"{p.title_marking} {p.title}")
            self.report.setPlainText("\n".join(lines))
            return self._say(False, f"PDF INVALID: the {verdict.failed} check failed.")
        self.report.setPlainText("\n".join(verdict.lines))
        return self._say(True, "PDF VALID: signed by a trusted signer, every page as signed.")

    def _say(self, ok: bool, text: str) -> bool:
        colour = "#0b5d1e" if ok else "#b00020"
        self.verdict_label.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.verdict_label.setText(text)
        return ok
