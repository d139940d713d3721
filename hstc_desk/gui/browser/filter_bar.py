"""The filter bar over the item list: search box, kind, classification, controls, originator,
date range and case. It only gathers the analyst's choices into a BrowseFilter."""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from hstc_desk.domain import KINDS
from hstc_desk.gui.widgets.flow_layout import FlowLayout
from hstc_desk.store.browse import BrowseFilter

CONTROL_TOKENS = ("HCS", "SI", "TK", "FOUO", "OC", "IMC", "NF", "PR", "REL", "RELIDO", "LES",
                  "LES-NF")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
SEARCH_DEBOUNCE_MS = 120
DATE_SAMPLE, DATE_PAD = "2026-12-03", 18  # a date field's width: this text, frame and margins
_DATE_HINT = "A date: YYYY, YYYY-MM or YYYY-MM-DD"
# The Controls button's menu arrow sits in padding of its own, never over the label.
_CONTROLS_QSS = ("QToolButton#controlsButton { padding: 2px 18px 2px 6px; }"
                 "QToolButton#controlsButton::menu-indicator { subcontrol-origin: padding;"
                 " subcontrol-position: center right; right: 4px; }")
CLEAR_FILTERS_SHORTCUT = "Ctrl+Shift+F"
# An active filter is never silent: its control is drawn in this colour and it has a chip.
_ACTIVE = "font-weight: bold; color: #1a4fb5;"
_CHIP = ("QToolButton { background: #dbe8ff; border: 1px solid #8fb0e8; border-radius: 9px; "
         "padding: 1px 8px; }")


class FilterBar(QWidget):
    """Emits ``changed(filter, ranked)``: ranked is True when the analyst pressed Enter in the
    search box (best matches first), False while typing (newest matches first)."""

    changed = Signal(object, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.case_id = ""
        self.search = QLineEdit(self, objectName="searchEdit", clearButtonEnabled=True)
        self.search.setPlaceholderText("Search (Ctrl+F): words match as you type; Enter ranks")
        self.kind = QComboBox(self, objectName="kindCombo")
        self.kind.addItem("All kinds", "")
        for k in KINDS:
            self.kind.addItem(k.replace("_", " ").capitalize(), k)
        self.level = QComboBox(self, objectName="levelCombo")
        self.level.addItem("Any classification", -1)
        for i, word in enumerate(("UNCLASSIFIED", "CONFIDENTIAL", "SECRET", "TOP SECRET")):
            self.level.addItem(word, i)
        self.controls_button = QToolButton(self, objectName="controlsButton", text="Controls")
        self.controls_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.controls_button)
        self.control_actions: dict[str, QAction] = {}
        for token in CONTROL_TOKENS:
            act = menu.addAction(token)
            act.setCheckable(True)
            act.toggled.connect(self._emit)
            self.control_actions[token] = act
        self.controls_button.setMenu(menu)
        self.setStyleSheet(_CONTROLS_QSS)  # on the bar: the button's own sheet may change
        self.originator = QComboBox(self, objectName="originatorCombo", editable=True)
        self.originator.lineEdit().setPlaceholderText("Originator")
        self.day_from = QLineEdit(self, objectName="dayFrom", placeholderText="From date")
        self.day_to = QLineEdit(self, objectName="dayTo", placeholderText="To date")
        for w in (self.day_from, self.day_to):
            # wide enough for a whole date (and its placeholder), whatever else the row holds
            fm = w.fontMetrics()
            w.setFixedWidth(max(fm.horizontalAdvance(DATE_SAMPLE),
                                fm.horizontalAdvance(w.placeholderText())) + DATE_PAD)
            w.setToolTip(_DATE_HINT)
        self.case_button = QToolButton(self, objectName="caseButton")
        self.case_button.setToolTip("Items of one case; click to show all cases")
        self.case_button.setStyleSheet(_CHIP)
        self.case_button.clicked.connect(lambda: self.set_case(""))
        self.case_button.hide()
        # the chips: one per active filter, each removes its filter; then "Clear filters"
        self.chips = QWidget(self, objectName="filterChips")
        self.chips_layout = FlowLayout(self.chips)  # wraps: never widens the window
        self.chips_layout.setContentsMargins(0, 0, 0, 0)
        self.chips_layout.addWidget(QLabel("Filtered by:", self.chips))
        self.chips_layout.addWidget(self.case_button)
        self._chip_buttons: list[QToolButton] = []
        self.clear_action = QAction("Clear &filters", self, objectName="clearFilters")
        self.clear_action.setShortcut(QKeySequence(CLEAR_FILTERS_SHORTCUT))
        self.clear_action.setToolTip(f"Show every item again: remove all filters "
                                     f"({CLEAR_FILTERS_SHORTCUT}); the search words stay")
        self.clear_action.triggered.connect(self.clear_filters)
        self.addAction(self.clear_action)
        self.clear_button = QToolButton(self.chips, objectName="clearFiltersButton")
        self.clear_button.setDefaultAction(self.clear_action)
        self.chips_layout.addWidget(self.clear_button)
        self.chips.hide()

        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._emit)
        self.search.textChanged.connect(self._debounce.start)
        self.search.returnPressed.connect(lambda: self._emit(ranked=True))
        self.kind.currentIndexChanged.connect(self._emit)
        self.level.currentIndexChanged.connect(self._emit)
        self.originator.lineEdit().editingFinished.connect(self._emit)
        self.originator.activated.connect(self._emit)
        self.day_from.editingFinished.connect(self._emit)
        self.day_to.editingFinished.connect(self._emit)

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for w in (self.kind, self.level, self.controls_button, self.originator, self.day_from,
                  self.day_to):
            row.addWidget(w)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addLayout(row)
        layout.addWidget(self.chips)
        self._last: tuple[BrowseFilter, bool] | None = None

    def set_originators(self, names: list[str]) -> None:
        current = self.originator.currentText()
        self.originator.blockSignals(True)
        self.originator.clear()
        self.originator.addItem("")
        self.originator.addItems(names)
        self.originator.setCurrentText(current)
        self.originator.blockSignals(False)

    def set_case(self, case_id: str, label: str = "", kind: str = "") -> None:
        self.case_id = case_id
        self.case_button.setText(f"Case: {label or case_id}  ✕")
        self.case_button.setVisible(bool(case_id))
        if kind:
            self.kind.blockSignals(True)
            self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
            self.kind.blockSignals(False)
        self._emit()

    def set_days(self, day_from: str, day_to: str) -> None:
        """Filter by dates (YYYY-MM-DD, inclusive), as the timeline's range brush does."""
        for edit, day in ((self.day_from, day_from), (self.day_to, day_to)):
            edit.blockSignals(True)
            edit.setText(day)
            edit.blockSignals(False)
        self._emit()

    def _date(self, edit: QLineEdit) -> str:
        text = edit.text().strip()
        ok = not text or bool(_DATE.match(text))
        edit.setStyleSheet("" if ok else "background: #ffd7d7;")
        edit.setToolTip(_DATE_HINT if ok else "Use YYYY, YYYY-MM or YYYY-MM-DD")
        return text if ok else ""

    def current(self) -> BrowseFilter:
        level = self.level.currentData()
        day_to = self._date(self.day_to)
        if day_to and len(day_to) < 10:
            day_to += "-99"  # a year or month includes its last day
        return BrowseFilter(
            kinds=(self.kind.currentData(),) if self.kind.currentData() else (),
            levels=(level,) if level is not None and level >= 0 else (),
            controls=tuple(t for t, a in self.control_actions.items() if a.isChecked()),
            originator=self.originator.currentText().strip(),
            day_from=self._date(self.day_from), day_to=day_to,
            case_id=self.case_id, text=self.search.text().strip())

    def active_filters(self) -> list[tuple[str, Callable[[], None]]]:
        """(chip text, how to remove it) for every active filter but the case (its own chip)
        and the search words (in the search box)."""
        out: list[tuple[str, Callable[[], None]]] = []
        if self.kind.currentIndex() > 0:
            out.append((f"Kind: {self.kind.currentText()}",
                        lambda: self.kind.setCurrentIndex(0)))
        if self.level.currentIndex() > 0:
            out.append((f"Classification: {self.level.currentText()}",
                        lambda: self.level.setCurrentIndex(0)))
        for token, act in self.control_actions.items():
            if act.isChecked():
                out.append((f"Controls: {token}", lambda a=act: a.setChecked(False)))
        if self.originator.currentText().strip():
            out.append((f"Originator: {self.originator.currentText().strip()}",
                        lambda: self._clear_edit(self.originator.lineEdit())))
        for edit, word in ((self.day_from, "From"), (self.day_to, "To")):
            if self._date(edit):
                out.append((f"{word}: {edit.text().strip()}",
                            lambda e=edit: self._clear_edit(e)))
        return out

    def _clear_edit(self, edit: QLineEdit) -> None:
        edit.clear()
        self._emit()

    def _show_filters(self) -> None:
        """Chips for the active filters, highlighted controls, a count on Controls."""
        for b in self._chip_buttons:
            self.chips_layout.removeWidget(b)
            b.deleteLater()
        self._chip_buttons = []
        active = self.active_filters()
        for i, (text, remove) in enumerate(active):
            chip = QToolButton(self.chips, objectName="filterChip", text=f"{text}  ✕")
            chip.setToolTip(f"Remove this filter ({text})")
            chip.setStyleSheet(_CHIP)
            chip.clicked.connect(lambda _checked=False, f=remove: f())
            self.chips_layout.insertWidget(1 + i, chip)
            chip.show()  # now, not when the layout next runs
            self._chip_buttons.append(chip)
        ticked = sum(a.isChecked() for a in self.control_actions.values())
        self.controls_button.setText(f"Controls ({ticked})" if ticked else "Controls")
        self.controls_button.setStyleSheet(f"QToolButton {{ {_ACTIVE} }}" if ticked else "")
        for combo in (self.kind, self.level):
            combo.setStyleSheet(f"QComboBox {{ {_ACTIVE} }}" if combo.currentIndex() > 0
                                else "")
        self.originator.setStyleSheet(f"QComboBox {{ {_ACTIVE} }}"
                                      if self.originator.currentText().strip() else "")
        any_active = bool(active) or bool(self.case_id)
        self.clear_action.setEnabled(any_active)
        self.chips.setVisible(any_active)

    def clear_filters(self) -> None:
        """Remove every filter (the case too) at once; the search words stay."""
        widgets = [self.kind, self.level, self.originator, self.day_from, self.day_to,
                   *self.control_actions.values()]
        for w in widgets:
            w.blockSignals(True)
        try:
            self.kind.setCurrentIndex(0)
            self.level.setCurrentIndex(0)
            for act in self.control_actions.values():
                act.setChecked(False)
            self.originator.setCurrentText("")
            self.day_from.clear()
            self.day_to.clear()
            self.case_id = ""
            self.case_button.hide()
        finally:
            for w in widgets:
                w.blockSignals(False)
        self._emit()

    def _emit(self, *_: object, ranked: bool = False) -> None:
        self._debounce.stop()
        self._show_filters()
        state = (self.current(), ranked)
        if state == self._last and not ranked:
            return
        self._last = state
        self.changed.emit(*state)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
