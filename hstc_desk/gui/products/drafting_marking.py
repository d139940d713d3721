"""The title's portion mark: a button showing the mark on its colour; clicking it (or Space)
opens the marking picker of gui/editing in a small dialog."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton, QVBoxLayout, QWidget

from hstc_desk import markings
from hstc_desk.gui.editing.marking_picker import MarkingPicker
from hstc_desk.gui.widgets.banner import banner_colours


class MarkingDialog(QDialog):
    def __init__(self, marking: str, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Mark {what}")
        self.picker = MarkingPicker(self)
        self.picker.setObjectName("titlePicker")
        self.picker.set_marking(marking)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.picker.changed.connect(lambda p: ok.setEnabled(bool(p)))
        ok.setEnabled(bool(self.picker.portion()))
        layout = QVBoxLayout(self)
        layout.addWidget(self.picker)
        layout.addWidget(self.buttons)


class MarkButton(QPushButton):
    """Emits ``picked(portion)`` when the user chooses a marking in the dialog."""

    picked = Signal(str)

    def __init__(self, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.what = what
        self.marking = ""
        self.setAccessibleName(f"Portion mark of {what}")
        self.setToolTip(f"The portion mark of {what}: click to choose it")
        self.clicked.connect(self.choose)
        self.show_marking("")

    def show_marking(self, marking: str) -> None:
        if marking == self.marking and self.text():
            return  # a style sheet costs a repolish: only on change
        self.marking = marking
        if not marking:
            self.setText("Mark…")
            self.setStyleSheet("QPushButton { color: #b00020; font-weight: bold; }")
            return
        bg, fg = banner_colours(markings.parse(marking))
        self.setText(marking)
        self.setStyleSheet(f"QPushButton {{ background: {bg}; color: {fg}; font-weight: bold; "
                           "padding: 3px 8px; }")

    def choose(self) -> None:
        dialog = MarkingDialog(self.marking, self.what, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and (chosen := dialog.picker.portion()) \
                and chosen != self.marking:
            self.picked.emit(chosen)
