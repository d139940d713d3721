"""Conflicts dialog: items two workstations edited at the same version; keep one of them."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hstc_desk.exchange.flows import ConflictFlow
from hstc_desk.store import Store

_ROLE = 256


class ConflictsDialog(QDialog):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Conflicting edits")
        self.flow = ConflictFlow(store)
        layout = QVBoxLayout(self)
        lists = QHBoxLayout()
        self.items = QListWidget()
        self.items.currentItemChanged.connect(self._show_item)
        self.versions = QListWidget()
        self.versions.currentItemChanged.connect(self._show_version)
        lists.addWidget(self.items)
        lists.addWidget(self.versions)
        layout.addLayout(lists)
        self.body = QPlainTextEdit(readOnly=True)
        layout.addWidget(self.body)
        self.keep_button = QPushButton("Keep this version")
        self.keep_button.clicked.connect(self.keep)
        layout.addWidget(self.keep_button)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.refresh()

    def refresh(self) -> None:
        self.items.clear()
        self.versions.clear()
        for item_id, marking, title in self.flow.items():
            entry = QListWidgetItem(f"{marking} {title} ({item_id})")
            entry.setData(_ROLE, item_id)
            self.items.addItem(entry)
        if not self.items.count():
            self.status.setText("No conflicting edits.")

    def _show_item(self, current: QListWidgetItem | None, _prev: object = None) -> None:
        self.versions.clear()
        if current is None:
            return
        for alt in self.flow.alternatives(current.data(_ROLE)):
            shown = " (shown now)" if alt.in_table else ""
            entry = QListWidgetItem(f"{alt.marking} {alt.title} — {alt.updated}{shown}")
            entry.setData(_ROLE, alt)
            self.versions.addItem(entry)

    def _show_version(self, current: QListWidgetItem | None, _prev: object = None) -> None:
        self.body.setPlainText(current.data(_ROLE).body if current is not None else "")

    def keep(self) -> bool:
        item, version = self.items.currentItem(), self.versions.currentItem()
        if item is None or version is None:
            self.status.setText("Choose an item and the version to keep.")
            return False
        ok = self.flow.keep(item.data(_ROLE), version.data(_ROLE).sha256)
        self.status.setText(self.flow.message if ok else self.flow.error)
        if ok:
            self.refresh()
        return ok
