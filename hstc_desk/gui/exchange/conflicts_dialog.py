"""Conflicts dialog: items two workstations edited at the same version; keep one of them."""

from __future__ import annotations

import json

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
from hstc_desk.gui.widgets.banner import Banners, clearance_banner, rollup_of
from hstc_desk.store import Store

_ROLE = 256
NOTHING = "No conflicts: nothing to resolve."
MIN_WIDTH = 820


def readable(body: str) -> str:
    """A version's canonical JSON as one field a line, title and marking first, then its
    portions each with its mark, then the rest by name."""
    try:
        data = json.loads(body)
    except ValueError:
        return body
    if not isinstance(data, dict):
        return body

    def shown(value: object) -> str:
        if value is None or value == []:
            return "—"
        return ", ".join(map(str, value)) if isinstance(value, list) else str(value)

    lines = [f"{key}: {shown(data[key])}" for key in ("title", "marking") if key in data]
    for portion in data.get("portions") or []:
        if isinstance(portion, dict):
            lines.append(f"portion: {portion.get('marking', '')} {portion.get('text', '')}")
    lines += [f"{key.replace('_', ' ')}: {shown(value)}" for key, value in sorted(data.items())
              if key not in ("title", "marking", "portions")]
    return "\n".join(lines)


def _labelled(title: str | QLabel, widget: QWidget) -> QVBoxLayout:
    """A pane under its label (the pane is the label's buddy, for keyboard users)."""
    column = QVBoxLayout()
    label = title if isinstance(title, QLabel) else QLabel(title)
    label.setStyleSheet("font-weight: bold;")
    label.setBuddy(widget)
    column.addWidget(label)
    column.addWidget(widget, 1)
    return column


class ConflictsDialog(QDialog):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Conflicting edits")
        self.setMinimumWidth(MIN_WIDTH)  # room for a version's title, date and "shown now"
        self.flow = ConflictFlow(store)
        layout = QVBoxLayout(self)
        # With nothing to resolve, one sentence says so in place of the (empty) panes.
        self.empty_label = QLabel(NOTHING, objectName="noConflicts")
        self.empty_label.setStyleSheet("font-size: 12pt; padding: 24px;")
        layout.addWidget(self.empty_label)
        self.panes = QWidget(objectName="conflictPanes")
        panes = QVBoxLayout(self.panes)
        panes.setContentsMargins(0, 0, 0, 0)
        lists = QHBoxLayout()
        self.items = QListWidget(objectName="conflictedItems")
        self.items.currentItemChanged.connect(self._show_item)
        self.versions = QListWidget(objectName="conflictVersions")
        self.versions.currentItemChanged.connect(self._show_version)
        for title, widget in (("Conflicted items", self.items),
                              ("Versions of the chosen item", self.versions)):
            lists.addLayout(_labelled(title, widget))
        panes.addLayout(lists, 1)
        self.body = QPlainTextEdit(readOnly=True, objectName="versionBody")
        self.body_label = QLabel("The chosen version")
        panes.addLayout(_labelled(self.body_label, self.body), 1)
        layout.addWidget(self.panes, 1)
        self.keep_button = QPushButton("Keep this version")
        self.keep_button.setToolTip("Keep the chosen version as the item's next version")
        self.keep_button.clicked.connect(self.keep)
        layout.addWidget(self.keep_button)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        # banners: the roll-up of every marking listed (the system high while none is)
        self.system_high = clearance_banner(store.accreditation)
        self.banners = Banners(self, self.system_high)
        self.refresh()

    def _update_banners(self) -> None:
        lists = (self.items, self.versions)
        shown = rollup_of([str(lst.item(r).data(_ROLE + 1)) for lst in lists
                           for r in range(lst.count())])
        self.banners.set_marking(self.system_high if shown is None else shown)

    def refresh(self) -> None:
        self.items.clear()
        self.versions.clear()
        for item_id, marking, title in self.flow.items():
            entry = QListWidgetItem(f"{marking} {title} ({item_id})")
            entry.setToolTip(entry.text())
            entry.setData(_ROLE, item_id)
            entry.setData(_ROLE + 1, marking)
            self.items.addItem(entry)
        empty = not self.items.count()
        self.empty_label.setVisible(empty)
        self.panes.setVisible(not empty)
        self._enable()
        self._update_banners()

    def _show_item(self, current: QListWidgetItem | None, _prev: object = None) -> None:
        self.versions.clear()
        self._enable()
        if current is None:
            self._update_banners()
            return
        for alt in self.flow.alternatives(current.data(_ROLE)):
            # what tells the versions apart first: when, and which one the store shows now
            shown = ", shown now" if alt.in_table else ""
            entry = QListWidgetItem(f"{alt.updated}{shown}: {alt.marking} {alt.title}")
            entry.setToolTip(entry.text())
            entry.setData(_ROLE, alt)
            entry.setData(_ROLE + 1, alt.marking)
            self.versions.addItem(entry)
        self._update_banners()

    def _enable(self) -> None:
        """Keep is offered only once an item and one of its versions are chosen."""
        self.keep_button.setEnabled(self.items.currentItem() is not None
                                    and self.versions.currentItem() is not None)

    def _show_version(self, current: QListWidgetItem | None, _prev: object = None) -> None:
        self.body.setPlainText(readable(current.data(_ROLE).body) if current is not None
                               else "")
        alt = current.data(_ROLE) if current is not None else None
        self.body_label.setText("The chosen version" if alt is None else
                                "The chosen version: the one shown now" if alt.in_table else
                                "The chosen version: the other edit")
        self._enable()

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
