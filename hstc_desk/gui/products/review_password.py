"""Approve and sign: the supervisor types their password again before their signing key is used.

The dialog only collects the password and shows the verdict; ``attempt(password)`` (the review
view's) does the approval in the store, which checks the password itself, and returns "" on
success or the sentence saying why it was refused. A refusal keeps the dialog open, says why in
red, and empties the field; nothing is signed."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from hstc_desk.gui.products.review_text import escape
from hstc_desk.gui.widgets.banner import Banners
from hstc_desk.markings import Marking


class SignPasswordDialog(QDialog):
    def __init__(self, *, product_id: str, version: int, title: str, banner: Marking,
                 signer: str, attempt: Callable[[str], str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signPasswordDialog")
        self.setWindowTitle(f"Approve and sign {product_id} version {version}")
        self._attempt = attempt
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        what = QLabel(f"<b>{escape(title)}</b><br>{product_id}, version {version}")
        what.setTextFormat(Qt.TextFormat.RichText)
        what.setWordWrap(True)
        layout.addWidget(what)
        ask = QLabel(f"You are signing as <b>{signer}</b>. Your signing key is used only after "
                     "you type your password again. The signature covers this version's whole "
                     "content, every marking and the audit head; the version cannot change "
                     "after it.")
        ask.setWordWrap(True)
        layout.addWidget(ask)
        self.password = QLineEdit(objectName="signPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(f"password of {signer}")
        layout.addWidget(self.password)
        self.error = QLabel(objectName="signError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020; font-weight: bold;")
        self.error.hide()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.sign_button = self.buttons.addButton("Approve and sign",
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_button.setObjectName("signButton")
        self.sign_button.setDefault(True)
        self.buttons.accepted.connect(self.sign)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.banners = Banners(self, banner)
        self.setMinimumWidth(520)
        self.signed = False

    def sign(self) -> bool:
        """Try the password; True (and the dialog accepted) when the version was signed."""
        typed = self.password.text()
        self.password.clear()  # never kept longer than the attempt
        if not typed:
            return self._refused("type your password again")
        why = self._attempt(typed)
        if why:
            return self._refused(why)
        self.signed = True
        self.accept()
        return True

    def _refused(self, why: str) -> bool:
        self.error.setText(f"Refused: {why}. Nothing was signed." if not why.endswith(".")
                           else f"Refused: {why} Nothing was signed.")
        self.error.show()
        self.password.setFocus()
        return False

