"""Verify / import dialog: a report that changes nothing first, then import on request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hstc_desk.exchange.flows import ImportFlow, TrustFlow
from hstc_desk.exchange.sequence import gaps_text
from hstc_desk.gui.widgets.banner import Banners, clearance_banner, rollup_of
from hstc_desk.store import Store

if TYPE_CHECKING:
    from hstc_desk.exchange.reader import Verification

MIN_WIDTH = 640
OWN_KEY = "signed with this workstation's own key: its bundles are imported by partners"


def sequence_note(v: Verification) -> str:
    """The sender's missing bundles and a suspicious jump, for the status line: what the
    security officer must hear of, never only deep in the report."""
    note = f" Bundles {gaps_text(v.gaps)} from this sender have not arrived yet." \
        if v.gaps else ""
    return note + (f" {v.suspicious}: tell the security officer." if v.suspicious else "")


def release_note(v: Verification) -> str:
    """Who released a bundle to a foreign destination (issue 12 item 2), for the status line."""
    a = v.approval
    return "" if a is None else (f" Released by disclosure officer {a.officer} (request "
                                 f"{a.request}, asked by {a.requester}, approved "
                                 f"{a.approved_at}).")


class ImportDialog(QDialog):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Verify and import a bundle")
        self.setMinimumWidth(MIN_WIDTH)  # the path, the checks' details and the report fit
        self.own = TrustFlow(store).own.replace(" ", "")  # this workstation's fingerprint
        self.workstation = str(store.meta("workstation_name"))
        self.flow = ImportFlow(store)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.path = QLineEdit(placeholderText="Bundle file")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        self.verify_button = QPushButton("Verify")
        self.verify_button.clicked.connect(self.verify)
        for w in (self.path, browse, self.verify_button):
            row.addWidget(w)
        layout.addLayout(row)
        self.checks = QTableWidget(0, 3)
        self.checks.setHorizontalHeaderLabels(["Check", "Result", "Detail"])
        self.checks.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.checks.verticalHeader().hide()
        layout.addWidget(self.checks)
        self.report = QPlainTextEdit(readOnly=True)
        layout.addWidget(self.report)
        self.import_button = QPushButton("Import")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.import_)
        layout.addWidget(self.import_button)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        # banners: the system high until a bundle verifies, then the roll-up of what it holds
        self.system_high = clearance_banner(store.accreditation)
        self.banners = Banners(self, self.system_high)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Bundle", "", "Bundles (*.bundle);;All (*)")
        if path:
            self.path.setText(path)

    def verify(self) -> bool:
        ok = self.flow.verify(self.path.text())
        v = self.flow.report
        held = rollup_of([r.marking for r in (*v.items, *v.links, *v.products)]
                         ) if v is not None and ok else None
        self.banners.set_marking(self.system_high if held is None else held)
        if v is None:
            self.status.setText(self.flow.error)
            self.import_button.setEnabled(False)
            return False
        self.checks.setRowCount(len(v.checks))
        for r, c in enumerate(v.checks):
            result = {True: "ok", False: "FAILED", None: "not run"}[c.ok]
            detail = self._detail(v, c.name, c.detail)
            for col, text in enumerate((c.name, result, detail)):
                self.checks.setItem(r, col, QTableWidgetItem(text))
        self.report.setPlainText("\n".join(self.report_lines(v)))
        self.import_button.setEnabled(self.flow.can_import)
        if not ok and v.signer == self.own:
            self.status.setText(f"This bundle was written by this workstation "
                                f"({self.workstation}); it is imported on a partner's "
                                "workstation, not here. Nothing was changed.")
        elif not ok:
            self.status.setText(f"Refused: {self.flow.error}. Nothing was changed.")
        elif v.replay:
            self.status.setText("Already imported: importing it again would change nothing.")
        else:
            self.status.setText("Every check passed. Nothing has been changed yet."
                                + sequence_note(v) + release_note(v))
        return ok

    def report_lines(self, v: Verification) -> list[str]:
        """The verification report, with this workstation's own key named as such (it is
        never in its own trust store, so the report alone calls it unknown)."""
        lines = v.lines()
        if v.signer and v.signer == self.own:
            failed = v.check("signature")
            lines = [f"signer        this workstation ({self.workstation}), its own key"
                     if ln.startswith("signer ") else
                     ln.replace(failed.detail, OWN_KEY) if failed.ok is False and
                     ln.lstrip().startswith("signature") else ln for ln in lines]
        return lines

    def _detail(self, v: Verification, check: str, detail: str) -> str:
        """A check's detail, naming this workstation's own key where the report cannot."""
        own = check == "signature" and v.signer == self.own and v.check(check).ok is False
        return OWN_KEY if own else detail

    def import_(self) -> bool:
        ok = self.flow.import_()
        self.import_button.setEnabled(False)
        if ok:
            assert self.flow.result is not None
            self.report.appendPlainText("\n".join(self.flow.result.lines()[-3:]))
            self.status.setText("Imported." + sequence_note(self.flow.result.verification))
        else:
            self.status.setText(f"Refused: {self.flow.error}. Nothing was changed.")
        return ok
