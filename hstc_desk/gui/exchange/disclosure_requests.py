"""The analyst's own release requests, in the export dialog (issue 12 item 2): each with the
banner of what it would release, destination, items, its state and, once decided, the officer
and a refusal's reason. An approved one is written with "Write approved bundle…"; "Show…" opens
its review (read-only for the requester: the two-person rule). Hidden while there are none."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hstc_desk.exchange.disclosure import Request
from hstc_desk.exchange.flows import ExportFlow
from hstc_desk.gui.exchange.disclosure_review import DisclosureReview
from hstc_desk.gui.widgets.queue_cells import banner_cell, keep_banner_colours

COLUMNS = ("Marking", "Request", "To", "Items", "State", "Officer and reason")
STATE_TEXT = {"pending": "waiting for a disclosure officer", "approved": "APPROVED: write it",
              "refused": "REFUSED", "exported": "written"}


class MyRequests(QGroupBox):
    listed = Signal()  # the rows changed: the dialog's banners follow their markings

    def __init__(self, flow: ExportFlow, parent: QWidget | None = None, *,
                 write: Callable[[str], bool]) -> None:
        super().__init__("Your release requests to foreign destinations", parent)
        self.setObjectName("myReleaseRequests")
        self.flow = flow
        self.write = write
        self.rows: list[Request] = []
        self.review: DisclosureReview | None = None
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, len(COLUMNS), objectName="myRequestsTable")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMaximumHeight(130)
        keep_banner_colours(self.table)
        self.table.itemSelectionChanged.connect(self._enable)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.note = QLabel()
        self.note.setWordWrap(True)
        row.addWidget(self.note, 1)
        self.show_button = QPushButton("Show…", objectName="showRequest")
        self.show_button.clicked.connect(self.show_selected)
        self.write_button = QPushButton("Write approved bundle…", objectName="writeApproved")
        self.write_button.clicked.connect(self.write_selected)
        row.addWidget(self.show_button)
        row.addWidget(self.write_button)
        layout.addLayout(row)

    def refresh(self) -> None:
        self.rows = self.flow.my_requests()
        self.table.setRowCount(len(self.rows))
        for r, q in enumerate(self.rows):
            decided = f"{q.officer}" + (f": {q.reason}" if q.reason else "") if q.officer else ""
            cells = (banner_cell(q.banner, portion_form=True), QTableWidgetItem(q.id),
                     QTableWidgetItem(q.destination), QTableWidgetItem(str(q.items)),
                     QTableWidgetItem(STATE_TEXT.get(q.status, q.status)),
                     QTableWidgetItem(decided))
            cells[5].setToolTip(decided)
            for c, cell in enumerate(cells):
                self.table.setItem(r, c, cell)
        approved = sum(q.status == "approved" for q in self.rows)
        refused = sum(q.status == "refused" for q in self.rows)
        self.note.setText(
            (f"{approved} approved: select one and write its bundle. " if approved else "")
            + (f"{refused} refused: the officer's reason is shown. " if refused else ""))
        if self.rows and not self.table.selectionModel().selectedRows():
            self.table.selectRow(next((i for i, q in enumerate(self.rows)
                                       if q.status == "approved"), 0))
        self.setVisible(bool(self.rows))
        self._enable()
        self.listed.emit()

    def listed_marks(self) -> list[str]:
        return [q.banner for q in self.rows]

    def selected(self) -> Request | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def select(self, request_id: str) -> None:
        for r, q in enumerate(self.rows):
            if q.id == request_id:
                self.table.selectRow(r)

    def _enable(self) -> None:
        q = self.selected()
        self.show_button.setEnabled(q is not None)
        self.write_button.setEnabled(q is not None and q.status == "approved")

    def show_selected(self) -> DisclosureReview | None:
        q = self.selected()
        if q is None:
            return None
        self.review = DisclosureReview(self.flow.store, q.id, self.window())
        self.review.decided.connect(lambda _id: self.refresh())
        self.review.open()
        return self.review

    def write_selected(self) -> bool:
        q = self.selected()
        return False if q is None or q.status != "approved" else self.write(q.id)
