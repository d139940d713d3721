"""A product's version history: every version the user may see, oldest first, with its status,
banner, author and editors, when it last changed, and who signed it when (an imported sign-off
says so). Double-click a version to open it in the review view. The banners are the roll-up of
every version listed."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hstc_desk import markings
from hstc_desk.gui.widgets.banner import Banners
from hstc_desk.gui.widgets.queue_cells import banner_cell, keep_banner_colours
from hstc_desk.store import Store
from hstc_desk.store.errors import NotFound
from hstc_desk.store.product_history import history

COLUMNS = ("Version", "Status", "Banner", "Title", "Author / editors", "Changed", "Signed by",
           "Signed at")
VERSION_ROLE = Qt.ItemDataRole.UserRole


def _when(value: object) -> str:
    return "" if value is None else f"{value:%Y-%m-%d %H:%M} UTC"


class HistoryDialog(QDialog):
    def __init__(self, store: Store, product_id: str, parent: QWidget | None = None, *,
                 open_version: Callable[[str, int], object] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyDialog")
        self.store = store
        self.product_id = product_id
        self._open_version = open_version
        layout = QVBoxLayout(self)
        self.heading = QLabel(objectName="historyHeading")
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.table = QTableWidget(0, len(COLUMNS), objectName="historyTable")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.itemActivated.connect(self._open)
        keep_banner_colours(self.table, 2)
        layout.addWidget(self.table, 1)
        hint = QLabel("An approved version never changes; editing it makes the next version. "
                      "Double-click a version to see it as it prints.")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        for b in buttons.buttons():
            b.setAutoDefault(False)  # Enter on a version opens it; it does not close the list
        layout.addWidget(buttons)
        self.banners = Banners(self)
        self.resize(1060, 420)
        self.refresh()

    def refresh(self) -> None:
        versions = history(self.store, self.product_id)
        if not versions:  # unknown, or above this user's clearance: the same words either way
            raise NotFound(f"no product {self.product_id}")
        self.versions = versions
        self.table.setRowCount(len(versions))
        for r, v in enumerate(versions):
            people = v.author + (f" / {', '.join(v.editors)}" if v.editors else "")
            signer = "" if v.signer is None else v.signer + (" (imported)" if v.imported else "")
            cells = (QTableWidgetItem(str(v.version)),
                     QTableWidgetItem(v.status.replace("_", " ")), banner_cell(v.banner),
                     QTableWidgetItem(v.title), QTableWidgetItem(people),
                     QTableWidgetItem(_when(v.updated)), QTableWidgetItem(signer),
                     QTableWidgetItem(_when(v.signed_at)))
            for c, cell in enumerate(cells):
                cell.setData(VERSION_ROLE, v.version)
                self.table.setItem(r, c, cell)
        title = versions[-1].title if versions else ""
        self.setWindowTitle(f"Version history of {self.product_id}")
        self.heading.setText(f"{self.product_id}: {title} — {len(versions)} version(s)")
        shown = [markings.parse(v.banner) for v in versions]
        self.banners.set_marking(markings.rollup(shown) if shown else None)

    def _open(self, cell: QTableWidgetItem) -> None:
        if self._open_version is not None:
            self._open_version(self.product_id, int(cell.data(VERSION_ROLE)))
