"""Responses to an approved referral, per addressee: each agency's latest response
(acknowledged, acted on, declined) with its note and date, or "awaiting"; and a form to record
one as it comes back. A response is audited in the store; it is not part of the signed
content. The banners are the referral's own."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
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

from hstc_desk.domain.errors import DomainError
from hstc_desk.gui.products.review_text import escape
from hstc_desk.gui.widgets.banner import Banners
from hstc_desk.store import Store
from hstc_desk.store import products as store_products
from hstc_desk.store.errors import StoreError
from hstc_desk.store.product_referrals import RESPONSES, record_response, responses

RESPONSE_LABELS = {"acknowledged": "Acknowledged", "acted_on": "Acted on",
                   "declined": "Declined"}
COLUMNS = ("Addressee", "Response", "On", "Note", "Recorded by")


class ReferralDialog(QDialog):
    def __init__(self, store: Store, product_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("referralDialog")
        self.store = store
        self.product_id = product_id
        layout = QVBoxLayout(self)
        self.heading = QLabel(objectName="referralHeading")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.heading)
        self.table = QTableWidget(0, len(COLUMNS), objectName="referralTable")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._pick_selected)
        layout.addWidget(self.table, 1)
        form = QFormLayout()
        self.addressee = QComboBox(objectName="responseAddressee")
        self.response = QComboBox(objectName="responseKind")
        for r in RESPONSES:
            self.response.addItem(RESPONSE_LABELS.get(r, r), r)
        self.on = QDateEdit(objectName="responseDate")
        self.on.setCalendarPopup(True)
        self.on.setDisplayFormat("yyyy-MM-dd")
        self.on.setDate(QDate.currentDate())
        self.note = QLineEdit(objectName="responseNote")
        self.note.setPlaceholderText("what the agency said or did (optional)")
        form.addRow("Addressee", self.addressee)
        form.addRow("Response", self.response)
        form.addRow("Date", self.on)
        form.addRow("Note", self.note)
        layout.addLayout(form)
        row = QHBoxLayout()
        self.status = QLabel(objectName="responseStatus")
        self.status.setWordWrap(True)
        row.addWidget(self.status, 1)
        self.record_button = QPushButton("Record response", objectName="recordResponse")
        self.record_button.clicked.connect(self.record)
        row.addWidget(self.record_button)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        row.addWidget(close)
        layout.addLayout(row)
        self.banners = Banners(self)
        self.resize(820, 460)
        self.refresh()

    def refresh(self) -> None:
        p = store_products.get(self.store, self.product_id)
        self.product = p
        self.setWindowTitle(f"Referral responses — {p.id}")
        action = p.recommended_action or ""
        self.heading.setText(
            f"<b>{escape(p.title_marking)} {escape(p.title)}</b> ({p.id}, version {p.version}, "
            f"{p.status.replace('_', ' ')})<br>Recommended action: {escape(action)}")
        self.banners.set_marking(p.banner_marking())
        approved = p.status == "approved" and p.product_type == "referral"
        # the latest response per addressee (responses come oldest first)
        latest = {r.addressee: r for r in responses(self.store, p.id)} if approved else {}
        addressees = list(p.addressees or [])
        current = self.addressee.currentData()
        self.addressee.clear()
        for a in addressees:
            self.addressee.addItem(a, a)
        if current in addressees:
            self.addressee.setCurrentIndex(addressees.index(current))
        self.table.setRowCount(len(addressees))
        for row, a in enumerate(addressees):
            r = latest.get(a)
            cells = (a, "awaiting" if r is None else RESPONSE_LABELS.get(r.response, r.response),
                     "" if r is None else f"{r.on:%Y-%m-%d}", "" if r is None else r.note,
                     "" if r is None else f"{r.recorded_by} {_minute(r.recorded_at)}")
            for c, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if r is None and c == 1:
                    font = cell.font()
                    font.setItalic(True)
                    cell.setFont(font)
                self.table.setItem(row, c, cell)
        self.record_button.setEnabled(approved and bool(addressees))
        if not approved:
            self.status.setText("Responses are recorded once the referral is approved."
                                if p.product_type == "referral" else
                                "Only a referral has addressees and their responses.")

    def _pick_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.addressee.setCurrentIndex(rows[0].row())

    def record(self) -> bool:
        addressee = self.addressee.currentData()
        qd = self.on.date()
        try:
            record_response(self.store, self.product_id, addressee, self.response.currentData(),
                            note=self.note.text().strip(),
                            on=date(qd.year(), qd.month(), qd.day()))
        except (StoreError, DomainError, ValueError) as exc:
            self.status.setStyleSheet("color: #b00020; font-weight: bold;")
            self.status.setText(f"Refused: {exc}")
            return False
        self.status.setStyleSheet("")
        self.status.setText(f"Recorded: {addressee} {self.response.currentText().lower()}.")
        self.note.clear()
        self.refresh()
        return True


def _minute(when: object) -> str:
    """An ISO time (text or datetime) to the minute, as the tables show times."""
    return str(when).replace("T", " ")[:16]

