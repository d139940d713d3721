"""Record an originator's authorization (issue 12 item 2; disclosure officers only): the release
of named ORCON items (one item, or every item of a case) to one destination, or the lifting of
the leads-only use restriction for a named purpose there; with the authorizations recorded so
far listed below. The store refuses anyone who is not a disclosure officer; the form says so
before, with Record disabled."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hstc_desk import markings
from hstc_desk.exchange import authorizations
from hstc_desk.exchange.authorizations import OFFICER
from hstc_desk.exchange.errors import ExchangeError
from hstc_desk.gui.widgets.banner import Banners, clearance_banner
from hstc_desk.store import Store, StoreError

KIND_LABELS = {"orcon_release": "ORCON release of the item(s) to the destination",
               "leads_only_lift": "Lift leads-only for the named purpose"}
COLUMNS = ("Id", "Kind", "Item or case", "To", "Purpose", "Originator", "Reference",
           "Granted", "Officer")


class AuthorizeDialog(QDialog):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("authorizeDialog")
        self.setWindowTitle("Originator authorizations")
        self.store = store
        self.resize(900, 560)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.kind = QComboBox(objectName="authKind")
        for kind in authorizations.KINDS:
            self.kind.addItem(KIND_LABELS[kind], kind)
        self.target_kind = QComboBox(objectName="authTargetKind")
        self.target_kind.addItem("One item", "item")
        self.target_kind.addItem("Every item of a case", "case")
        self.target = QLineEdit(objectName="authTarget", placeholderText="the item's or case's id")
        target_row = QHBoxLayout()
        target_row.addWidget(self.target_kind)
        target_row.addWidget(self.target, 1)
        self.destination = QComboBox(objectName="authDestination")
        for d in markings.destinations().values():
            if d.foreign:
                self.destination.addItem(f"{d.code} — {d.name}", d.code)
        self.originator = QLineEdit(objectName="authOriginator",
                                    placeholderText="the originating agency")
        self.purpose = QLineEdit(objectName="authPurpose",
                                 placeholderText="what it may be used for")
        self.granted = QDateEdit(QDate.currentDate(), objectName="authGranted")
        self.granted.setCalendarPopup(True)
        self.granted.setDisplayFormat("yyyy-MM-dd")
        self.reference = QLineEdit(objectName="authReference",
                                   placeholderText="the originator's message or letter")
        form.addRow("Authorization", self.kind)
        form.addRow("Releases", target_row)
        form.addRow("Destination", self.destination)
        form.addRow("Originator", self.originator)
        form.addRow("Purpose", self.purpose)
        form.addRow("Granted on", self.granted)
        form.addRow("Reference", self.reference)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        self.why = QLabel(objectName="authWhyNot")
        self.why.setWordWrap(True)
        buttons.addWidget(self.why, 1)
        self.record_button = QPushButton("Record authorization", objectName="recordAuthorization")
        self.record_button.clicked.connect(self.record)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        buttons.addWidget(self.record_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.status = QLabel(objectName="authStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        layout.addWidget(QLabel("<b>Recorded authorizations</b> (each is in the audit log)"))
        self.table = QTableWidget(0, len(COLUMNS), objectName="authorizationsTable")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        officer = store.user.role == OFFICER
        self.record_button.setEnabled(officer)
        if not officer:
            self.why.setText(f"You are {store.user.role}: only a disclosure officer records an "
                             "originator's authorization.")
        self.banners = Banners(self, clearance_banner(store.accreditation))
        self.refresh()

    def refresh(self) -> None:
        rows = authorizations.authorizations(self.store)
        self.table.setRowCount(len(rows))
        for r, a in enumerate(rows):
            target = a.item_id or f"case {a.case_id}"
            for c, text in enumerate((a.id, a.kind, target, a.destination, a.purpose,
                                      a.originator, a.reference, a.granted_on, a.officer)):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()

    def record(self) -> bool:
        target = self.target.text().strip()
        if not target:
            self.status.setText("Name the item or the case the originator released.")
            return False
        item = target if self.target_kind.currentData() == "item" else None
        d = self.granted.date()
        try:
            auth = authorizations.authorize(
                self.store, kind=self.kind.currentData(), originator=self.originator.text(),
                destination=self.destination.currentData(), purpose=self.purpose.text(),
                granted_on=date(d.year(), d.month(), d.day()), reference=self.reference.text(),
                item_id=item, case_id=None if item else target)
        except (ExchangeError, StoreError) as exc:
            self.status.setText(f"Not recorded: {exc}")
            return False
        self.status.setText(f"Recorded {auth.id}: {auth.kind} of "
                            f"{auth.item_id or 'case ' + str(auth.case_id)} to "
                            f"{auth.destination}, in the audit log.")
        self.refresh()
        return True
