"""The trusted-keys page: this workstation's fingerprint, partner keys, trust and revoke."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hstc_desk.atomic import atomic_write
from hstc_desk.exchange.flows import TrustFlow
from hstc_desk.exchange.keys import key_file_bytes
from hstc_desk.outputs import OutputRefused, guard_output
from hstc_desk.store import Store

# 16 groups of 4 hex digits, as `hstc keys export` prints a fingerprint
FINGERPRINT_SAMPLE = " ".join(["0000"] * 16)


def guard_key_output(path: str, store: Store) -> Path:
    """The key file's path, refused (ValueError) when it would land in a store folder or on a
    store's file: the guard every output goes through (hstc_desk.outputs). The save dialog has
    already asked before replacing a file."""
    try:
        return guard_output(path, force=True, stores=[store.path])
    except OutputRefused as exc:
        raise ValueError(str(exc)) from None


class TrustedKeysPage(QWidget):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.flow = TrustFlow(store)
        self.setObjectName("trustedKeysPage")
        layout = QVBoxLayout(self)
        # the fingerprint in a fixed-width font, its 16 groups aligned for reading aloud
        self.own_label = QLabel(
            f"This workstation: <b>{html.escape(str(store.meta('workstation_name')))}</b><br>"
            f"Fingerprint: <code>{self.flow.own}</code>")
        self.own_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.export_button = QPushButton("Export this workstation's key…",
                                         objectName="exportOwnKey")
        self.export_button.setToolTip("Write this workstation's public key to a file for a "
                                      "partner, as `hstc keys export` does")
        self.export_button.clicked.connect(lambda: self.export_own_key())
        own = QHBoxLayout()
        own.addWidget(self.own_label, 1)
        own.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(own)
        self.store = store
        self.is_admin = store.user.role == "admin"
        # Said before anything is filled in: only an admin may trust or revoke a key.
        self.role_note = QLabel(f"Trusting a key needs an admin; you are signed in as "
                                f"{store.user.role}.", objectName="keysRoleNote")
        self.role_note.setStyleSheet("color: #8a1c00; font-weight: bold;")
        self.role_note.setVisible(not self.is_admin)
        layout.addWidget(self.role_note)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Workstation", "Fingerprint", "State", "Added by"])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.key_path = QLineEdit(placeholderText="Partner key file")
        self.browse_button = QPushButton("Browse…")
        self.browse_button.clicked.connect(self._browse)
        for w in (self.key_path, self.browse_button):
            row.addWidget(w)
        layout.addLayout(row)
        fp_row = QHBoxLayout()
        self.fingerprint = QLineEdit(placeholderText="Fingerprint as read aloud (16 groups of 4)")
        # monospace and wide enough for the whole fingerprint, all 16 groups at once
        self.fingerprint.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        margins = self.fingerprint.textMargins()
        self.fingerprint.setMinimumWidth(
            self.fingerprint.fontMetrics().horizontalAdvance(FINGERPRINT_SAMPLE)
            + margins.left() + margins.right() + 16)
        self.trust_button = QPushButton("Trust key")
        self.trust_button.clicked.connect(self.trust)
        fp_row.addWidget(self.fingerprint, 1)
        fp_row.addWidget(self.trust_button)
        layout.addLayout(fp_row)
        self.revoke_button = QPushButton("Revoke selected key")
        self.revoke_button.clicked.connect(self.revoke_selected)
        layout.addWidget(self.revoke_button)
        for w in (self.key_path, self.browse_button, self.fingerprint, self.trust_button,
                  self.revoke_button):
            w.setEnabled(self.is_admin)
            if not self.is_admin:
                w.setToolTip(self.role_note.text())
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.refresh()

    def refresh(self) -> None:
        keys = self.flow.keys()
        self.table.setRowCount(len(keys))
        for r, k in enumerate(keys):
            state = "trusted" if k.active else f"revoked {k.revoked}"
            for c, text in enumerate((k.name, k.grouped, state, k.added_by)):
                cell = QTableWidgetItem(text)
                cell.setData(256, k.fingerprint)
                self.table.setItem(r, c, cell)

    def export_own_key(self, path: str | None = None) -> bool:
        """Write this workstation's public key file (as `hstc keys export` does), never into
        a store folder; ``path`` None asks with a file dialog."""
        name = str(self.store.meta("workstation_name"))
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Export this workstation's key",
                                                  f"{name}.pub", "Public keys (*.pub);;All (*)")
            if not path:
                return False
        try:
            target = guard_key_output(path, self.store)
            atomic_write(target, key_file_bytes(name, self.flow.own_public_key), mode=0o644)
        except (OSError, ValueError) as exc:
            self.status.setText(f"The key was not written: {exc}")
            self.status.setProperty("error", True)
            return False
        self.status.setText(f"Wrote the public key of {name} to {target}. Read its fingerprint "
                            f"aloud to the partner: {self.flow.own}")
        self.status.setProperty("error", False)
        return True

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Partner key file")
        if path:
            self.key_path.setText(path)

    def _show(self, ok: bool) -> None:
        self.status.setText(self.flow.message if ok else self.flow.error)
        self.status.setProperty("error", not ok)
        self.refresh()

    def trust(self) -> bool:
        ok = self.flow.add(self.key_path.text(), self.fingerprint.text())
        if ok:
            self.fingerprint.clear()
        self._show(ok)
        return ok

    def revoke_selected(self) -> bool:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.status.setText("Select a key to revoke.")
            return False
        ok = self.flow.revoke(self.table.item(rows[0].row(), 1).data(256))
        self._show(ok)
        return ok
