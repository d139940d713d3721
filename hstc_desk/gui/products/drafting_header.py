"""The head of a product: its type, its title with the title's own portion mark, the
classification authority block (classified by, derived from, declassify on; "derived from"
offers the sources the product cites) and, for a referral, its addressees and recommended
action.

Emits ``edited(field, value)`` for each change; ``show_state`` fills it from a DraftState
without emitting."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from hstc_desk import markings
from hstc_desk.domain.product_templates import TYPE_LABELS
from hstc_desk.gui.products.drafting_marking import MarkButton
from hstc_desk.gui.products.portion_state import DraftState
from hstc_desk.gui.products.portion_text_edit import MarkedCopies

MULTIPLE = "Multiple Sources"


class DraftingHeader(QWidget):
    edited = Signal(str, object)  # field of DraftState, new value

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._quiet = False
        self.type_combo = QComboBox(self, objectName="typeCombo")
        self.type_combo.setAccessibleName("Product type")
        for code, label in TYPE_LABELS.items():
            self.type_combo.addItem(label, code)
        self.title_mark = MarkButton("the title", self)
        self.title_mark.setObjectName("titleMarkButton")
        self.title_edit = QLineEdit(self, objectName="titleEdit")
        self.title_edit.setAccessibleName("Title")
        self.title_edit.setPlaceholderText("The product's title")
        self.classified_by = QLineEdit(self, objectName="classifiedByEdit")
        self.classified_by.setPlaceholderText("Name and position, or identifier")
        self.derived_from = QComboBox(self, objectName="derivedFromCombo", editable=True)
        self.derived_from.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.derived_from.lineEdit().setPlaceholderText("A cited source, or Multiple Sources")
        self.declassify_on = QLineEdit(self, objectName="declassifyOnEdit")
        self.declassify_on.setPlaceholderText("YYYYMMDD, or an exemption such as 25X1")
        self.addressees = QLineEdit(self, objectName="addresseesEdit")
        codes = ", ".join(markings.destinations())
        self.addressees.setPlaceholderText(f"Destination codes, comma separated: {codes}")
        self.addressees.setToolTip(f"The agencies referred to, by destination profile: {codes}")
        self.recommended = QLineEdit(self, objectName="recommendedActionEdit")
        self.recommended.setPlaceholderText("What the addressees are asked to do")

        top = QGridLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(_buddy("T&ype:", self.type_combo), 0, 0)
        top.addWidget(self.type_combo, 0, 1)
        top.addWidget(_buddy("&Title:", self.title_edit), 0, 2)
        title_row = QHBoxLayout()
        title_row.addWidget(self.title_mark)
        title_row.addWidget(self.title_edit, 1)
        top.addLayout(title_row, 0, 3)
        top.setColumnStretch(3, 1)

        self.authority = QGroupBox("Classification authority", self, objectName="authorityBox")
        auth = QGridLayout(self.authority)
        auth.setContentsMargins(8, 4, 8, 6)
        self.authority_hint = QLabel("The product is classified: a supervisor approves it only "
                                     "with its authority block.", self.authority,
                                     objectName="authorityHint")
        self.authority_hint.setStyleSheet("color: #8a1c00;")
        auth.addWidget(self.authority_hint, 1, 0, 1, 6)
        for col, (label, field) in enumerate((("Classified &by:", self.classified_by),
                                              ("&Derived from:", self.derived_from),
                                              ("Declassify &on:", self.declassify_on))):
            auth.addWidget(_buddy(label, field), 0, col * 2)
            auth.addWidget(field, 0, col * 2 + 1)
            auth.setColumnStretch(col * 2 + 1, 2 if col == 1 else 1)

        self.referral = QWidget(self, objectName="referralBox")
        ref = QFormLayout(self.referral)
        ref.setContentsMargins(0, 0, 0, 0)
        ref.addRow(_buddy("&Addressees:", self.addressees), self.addressees)
        ref.addRow(_buddy("&Recommended action:", self.recommended), self.recommended)

        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setVerticalSpacing(4)
        layout.addLayout(top, 0, 0)
        layout.addWidget(self.authority, 1, 0)
        layout.addWidget(self.referral, 2, 0)

        self.type_combo.activated.connect(
            lambda _i: self._emit("product_type", self.type_combo.currentData()))
        self.title_mark.picked.connect(lambda m: self._emit("title_marking", m))
        self.title_edit.textEdited.connect(lambda t: self._emit("title", t))
        self.classified_by.textEdited.connect(lambda t: self._emit("classified_by", t))
        self.derived_from.lineEdit().textEdited.connect(lambda t: self._emit("derived_from", t))
        self.derived_from.activated.connect(
            lambda _i: self._emit("derived_from", self.derived_from.currentText()))
        self.declassify_on.textEdited.connect(lambda t: self._emit("declassify_on", t))
        self.addressees.textEdited.connect(lambda t: self._emit("addressees", t))
        self.recommended.textEdited.connect(lambda t: self._emit("recommended_action", t))

    def guard_copies(self, title_mark: Callable[[], str], banner: Callable[[], str]) -> None:
        """Copies of the title carry the title's mark; of "derived from", the product's."""
        self._title_copies = MarkedCopies(title_mark, self)
        self.title_edit.installEventFilter(self._title_copies)
        self._source_copies = MarkedCopies(banner, self)
        self.derived_from.lineEdit().installEventFilter(self._source_copies)

    def _emit(self, name: str, value: object) -> None:
        if not self._quiet:
            self.edited.emit(name, value)

    def show_state(self, s: DraftState, *, type_fixed: bool) -> None:
        self._quiet = True
        try:
            self.type_combo.setCurrentIndex(max(0, self.type_combo.findData(s.product_type)))
            self.type_combo.setEnabled(not type_fixed)
            self.title_mark.show_marking(s.title_marking)
            _set(self.title_edit, s.title)
            _set(self.classified_by, s.classified_by)
            _set(self.declassify_on, s.declassify_on)
            _set(self.addressees, s.addressees)
            _set(self.recommended, s.recommended_action)
            self.referral.setVisible(s.product_type == "referral")
            banner = s.banner_marking()
            blank = not all(v.strip() for v in (s.classified_by, s.derived_from,
                                                 s.declassify_on))
            self.authority_hint.setVisible(banner is not None and banner.is_classified
                                           and blank)
            self._offer_sources(s)
            if self.derived_from.currentText() != s.derived_from:
                self.derived_from.setEditText(s.derived_from)
        finally:
            self._quiet = False

    def _offer_sources(self, s: DraftState) -> None:
        """"Derived from" offers each cited source and, when several are cited, Multiple
        Sources (the PDF then lists them)."""
        sources = s.cited_sources()
        offers = [f"{title} ({item_id})" if title else item_id for item_id, title in sources]
        if len(sources) > 1:
            offers.insert(0, MULTIPLE)
        current = [self.derived_from.itemText(i) for i in range(self.derived_from.count())]
        if current != offers:
            text = self.derived_from.currentText()
            self.derived_from.clear()
            self.derived_from.addItems(offers)
            self.derived_from.setEditText(text)


def _buddy(text: str, field: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(field)
    return label


def _set(edit: QLineEdit, text: str) -> None:
    if edit.text() != text:
        edit.setText(text)
