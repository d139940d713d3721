"""The trusted-keys page: this workstation's fingerprint, partner keys, trust and revoke."""

from __future__ import annotations

from PySide6.QtCore import Qt
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

from hstc_desk.exchange.flows import TrustFlow
from hstc_desk.store import Store


class TrustedKeysPage(QWidget):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.flow = TrustFlow(store)
        self.setObjectName("trustedKeysPage")
        layout = QVBoxLayout(self)
        self.own_label = QLabel(f"This workstation: {store.meta('workstation_name')}\n"
                                f"Fingerprint: {self.flow.own}")
        self.own_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.own_label)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Workstation", "Fingerprint", "State", "Added by"])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.key_path = QLineEdit(placeholderText="Partner key file")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        self.fingerprint = QLineEdit(placeholderText="Fingerprint as read aloud (16 groups of 4)")
        self.trust_button = QPushButton("Trust key")
        self.trust_button.clicked.connect(self.trust)
        for w in (self.key_path, browse, self.fingerprint, self.trust_button):
            row.addWidget(w)
        layout.addLayout(row)
        self.revoke_button = QPushButton("Revoke selected key")
        self.revoke_button.clicked.connect(self.revoke_selected)
        layout.addWidget(self.revoke_button)
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
