"""The disclosure officers' queue, a dock of the main window (issue 12 item 2): the pending
release requests, oldest first, each with the banner of what would go (in its colour), the
destination, the requester, how many items and how long it has waited. One bounded query
(``disclosure.list_requests``). Double-click (or Enter) opens the review of a request.

Read again when shown and each minute while it shows; it lets go of the store on lock."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hstc_desk import markings
from hstc_desk.exchange import disclosure
from hstc_desk.gui.widgets.queue_cells import age_text, banner_cell, queue_table
from hstc_desk.store import Store

ID_ROLE = Qt.ItemDataRole.UserRole
LIMIT = 200
REFRESH_MS = 60_000
COLUMNS = ("Marking", "Release request")


class DisclosureQueue(QWidget):
    """The queue's content; ``open_request`` carries a request id."""

    open_request = Signal(str)

    def __init__(self, store: Store | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("disclosureQueue")
        self.store = store
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        head = QHBoxLayout()
        self.count = QLabel(objectName="disclosureQueueCount")
        head.addWidget(self.count, 1)
        self.refresh_button = QPushButton("Refresh", objectName="disclosureQueueRefresh")
        self.refresh_button.clicked.connect(self.refresh)
        head.addWidget(self.refresh_button)
        layout.addLayout(head)
        table = queue_table(COLUMNS, "disclosureTable")
        table.setToolTip("Each pending release request: destination, requester, what would go "
                         "and how long it has waited. Double-click one to review it.")
        table.itemActivated.connect(lambda cell: self.open_request.emit(cell.data(ID_ROLE) or ""))
        self.table = table
        layout.addWidget(table, 1)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(lambda: self.refresh() if self.isVisible() else None)
        self.timer.start()
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def set_store(self, store: Store | None) -> None:
        self.store = store
        self.refresh()

    def selected_request(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self.table.item(rows[0].row(), 0).data(ID_ROLE) if rows else None

    def refresh(self, now: datetime | None = None) -> None:
        self.table.setRowCount(0)
        if self.store is None:  # locked: nothing of the store stays on screen
            self.count.setText("")
            return
        now = now or datetime.now(UTC)
        pending = disclosure.list_requests(self.store, "pending", limit=LIMIT)
        self.table.setRowCount(len(pending))
        for r, q in enumerate(pending):
            name = markings.destination(q.destination).name
            own = " · yours: another officer decides" if q.requester == self.store.user.name \
                else ""
            cells = (banner_cell(q.banner, portion_form=True),
                     QTableWidgetItem(f"{q.destination} · {q.items} items, {q.links} links"
                                      f"{f', {q.products} products' if q.products else ''}\n"
                                      f"by {q.requester} · waiting "
                                      f"{age_text(now - q.created)}{own}"))
            cells[1].setToolTip(f"{q.banner}\n{q.id} to {q.destination} ({name})\nasked by "
                                f"{q.requester} at {q.created:%Y-%m-%d %H:%M} UTC, scope "
                                f"{q.scope.describe()}\n{q.left_out} left out")
            for c, cell in enumerate(cells):
                cell.setData(ID_ROLE, q.id)
                self.table.setItem(r, c, cell)
        more = "+" if len(pending) == LIMIT else ""
        self.count.setText(f"<b>Release requests pending</b>: {len(pending)}{more}"
                           if pending else "<b>Release requests pending</b>: none")
