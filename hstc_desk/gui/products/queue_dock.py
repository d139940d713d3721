"""The supervisors' review queue, a dock of the main window: the products waiting for review
(banner in its colour, title, type, author, how long it has waited), oldest first, and the
approved referrals still awaiting an addressee's response. Both lists are one bounded query
each in the store (``product_history.review_queue``, ``product_referrals.awaiting_response``).

Double-click (or Enter) opens a row: the review view for a product, the responses for a
referral. The lists are read again when the queue is shown and each minute while it shows. The
dock lets go of the store on lock and reads it again on resume."""

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

from hstc_desk.domain.product_templates import TYPE_LABELS
from hstc_desk.gui.widgets.queue_cells import age_text, banner_cell, queue_table
from hstc_desk.store import Store
from hstc_desk.store.product_history import review_queue
from hstc_desk.store.product_referrals import awaiting_response

ID_ROLE = Qt.ItemDataRole.UserRole
LIMIT = 200
REFRESH_MS = 60_000
REVIEW_COLUMNS = ("Marking", "Product")
REFERRAL_COLUMNS = ("Marking", "Referral")


class ReviewQueue(QWidget):
    """The queue's content; ``open_product`` / ``open_referral`` carry a product id."""

    open_product = Signal(str)
    open_referral = Signal(str)

    def __init__(self, store: Store | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewQueue")
        self.store = store
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        head = QHBoxLayout()
        self.review_label = QLabel(objectName="reviewQueueCount")
        head.addWidget(self.review_label, 1)
        self.refresh_button = QPushButton("Refresh", objectName="reviewQueueRefresh")
        self.refresh_button.clicked.connect(self.refresh)
        head.addWidget(self.refresh_button)
        layout.addLayout(head)
        self.reviews = queue_table(REVIEW_COLUMNS, "reviewTable")
        self.reviews.setToolTip("Each product: its title, then type, author, version and how "
                                "long it has waited. Double-click one to review it.")
        layout.addWidget(self.reviews, 3)
        self.referral_label = QLabel(objectName="referralQueueCount")
        layout.addWidget(self.referral_label)
        self.referrals = queue_table(REFERRAL_COLUMNS, "referralTable")
        self.referrals.setToolTip("Each referral: its title, then the addressees yet to respond "
                                  "and when it was approved. Double-click one to record a "
                                  "response.")
        layout.addWidget(self.referrals, 2)
        # activated: a double-click or Enter (connecting doubleClicked too opened two windows)
        self.reviews.itemActivated.connect(
            lambda cell: self.open_product.emit(cell.data(ID_ROLE) or ""))
        self.referrals.itemActivated.connect(
            lambda cell: self.open_referral.emit(cell.data(ID_ROLE) or ""))
        # the ages move on and others submit: read again each minute while the queue shows
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(lambda: self.refresh() if self.isVisible() else None)
        self.timer.start()
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()  # shown again (its dock tab chosen, or toggled on): as the store is now

    def set_store(self, store: Store | None) -> None:
        self.store = store
        self.refresh()

    def selected_product(self) -> str | None:
        for table in (self.reviews, self.referrals):
            rows = table.selectionModel().selectedRows()
            if rows and table.hasFocus():
                return table.item(rows[0].row(), 0).data(ID_ROLE)
        for table in (self.reviews, self.referrals):
            rows = table.selectionModel().selectedRows()
            if rows:
                return table.item(rows[0].row(), 0).data(ID_ROLE)
        return None

    def refresh(self, now: datetime | None = None) -> None:
        for table in (self.reviews, self.referrals):
            table.setRowCount(0)
        if self.store is None:  # locked: nothing of the store stays on screen
            self.review_label.setText("")
            self.referral_label.setText("")
            return
        now = now or datetime.now(UTC)
        waiting = review_queue(self.store, limit=LIMIT)
        self.reviews.setRowCount(len(waiting))
        for r, e in enumerate(waiting):
            kind = TYPE_LABELS.get(e.product_type, e.product_type)
            cells = (banner_cell(e.banner, portion_form=True),
                     QTableWidgetItem(f"{e.title}\nwaiting {age_text(now - e.submitted)} · "
                                      f"{kind} · {e.author} · v{e.version}"))
            cells[1].setToolTip(f"{e.banner}\n{e.product_id} version {e.version}: {e.title}\n"
                                f"{kind} by {e.author}, submitted "
                                f"{e.submitted:%Y-%m-%d %H:%M} UTC")
            for c, cell in enumerate(cells):
                cell.setData(ID_ROLE, e.product_id)
                self.reviews.setItem(r, c, cell)
        more = "+" if len(waiting) == LIMIT else ""
        self.review_label.setText(f"<b>Waiting for review</b>: {len(waiting)}{more}"
                                  if waiting else "<b>Waiting for review</b>: none")
        pending = awaiting_response(self.store, limit=LIMIT)
        self.referrals.setRowCount(len(pending))
        for r, a in enumerate(pending):
            cells = (banner_cell(a.banner, portion_form=True),
                     QTableWidgetItem(f"{a.title}\nawaiting {', '.join(a.pending)} · "
                                      f"approved {str(a.approved_at or '')[:10]}"))
            cells[1].setToolTip(f"{a.banner}\n{a.product_id} version {a.version}: {a.title}\n"
                                f"awaiting a response from {', '.join(a.pending)}")
            for c, cell in enumerate(cells):
                cell.setData(ID_ROLE, a.product_id)
                self.referrals.setItem(r, c, cell)
        self.referral_label.setText(
            f"<b>Referrals awaiting a response</b>: {len(pending)}" if pending else
            "<b>Referrals awaiting a response</b>: none")
