"""Open product…: the products the user may see (latest version of each, one page of them), by
title, with their banner, type, status and author; typing filters the page by title. Choosing
one hands its id to ``chosen`` (the menu opens the review view, History or Export on it). The
banners are the roll-up of the products listed."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hstc_desk import markings
from hstc_desk.domain.product_templates import TYPE_LABELS
from hstc_desk.gui.widgets.banner import Banners
from hstc_desk.gui.widgets.queue_cells import banner_cell, keep_banner_colours
from hstc_desk.store import Store
from hstc_desk.store import products as store_products

LIMIT = 500
COLUMNS = ("Banner", "Title", "Type", "Status", "Version", "Author")
ID_ROLE = Qt.ItemDataRole.UserRole


class OpenProductDialog(QDialog):
    def __init__(self, store: Store, chosen: Callable[[str], object], *, action: str = "Open",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("openProductDialog")
        self.setWindowTitle(f"{action} a product")
        self._chosen = chosen
        self._done = False
        layout = QVBoxLayout(self)
        self.filter = QLineEdit(objectName="openProductFilter")
        self.filter.setPlaceholderText("type words of a product's title")
        self.filter.textChanged.connect(self._filter)
        layout.addWidget(self.filter)
        self.table = QTableWidget(0, len(COLUMNS), objectName="openProductTable")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemActivated.connect(lambda _cell: self.choose())
        keep_banner_colours(self.table, 0)
        layout.addWidget(self.table, 1)
        self.count = QLabel(objectName="openProductCount")
        layout.addWidget(self.count)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.choose)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.banners = Banners(self)
        self.resize(900, 520)
        products = store_products.list_products(store, limit=LIMIT)
        self.table.setRowCount(len(products))
        for r, p in enumerate(products):
            cells = (banner_cell(p.banner()), QTableWidgetItem(f"{p.title_marking} {p.title}"),
                     QTableWidgetItem(TYPE_LABELS.get(p.product_type, p.product_type)),
                     QTableWidgetItem(p.status.replace("_", " ")),
                     QTableWidgetItem(str(p.version)), QTableWidgetItem(p.author))
            for c, cell in enumerate(cells):
                cell.setData(ID_ROLE, p.id)
                self.table.setItem(r, c, cell)
        more = f" (the first {LIMIT})" if len(products) == LIMIT else ""
        self.count.setText(f"{len(products)} product(s){more}")
        shown = [p.banner_marking() for p in products]
        self.banners.set_marking(markings.rollup(shown) if shown else None)
        if products:
            self.table.selectRow(0)

    def _filter(self, text: str) -> None:
        words = text.lower().split()
        shown = []
        for r in range(self.table.rowCount()):
            title = self.table.item(r, 1).text().lower()
            self.table.setRowHidden(r, not all(w in title for w in words))
            if not self.table.isRowHidden(r):
                shown.append(r)
        if shown and self.selected() is None:
            self.table.selectRow(shown[0])  # Enter opens the first that matches
        self.count.setText(f"{len(shown)} of {self.table.rowCount()} product(s) match"
                           if words else f"{self.table.rowCount()} product(s)")

    def selected(self) -> str | None:
        rows = [i.row() for i in self.table.selectionModel().selectedRows()
                if not self.table.isRowHidden(i.row())]
        return self.table.item(rows[0], 0).data(ID_ROLE) if rows else None

    def choose(self) -> bool:
        if self._done:  # Enter in the list activates the row and then the default button too
            return False
        pid = self.selected()
        if pid is None:
            self.count.setText("Choose a product first.")
            return False
        self._done = True
        self.accept()
        self._chosen(pid)
        return True
