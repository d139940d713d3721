"""The locked screen: content hidden, the store closed, a password field to resume."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget


class LockScreen(QWidget):
    """Emits ``resume_requested(password)``; ``fail()`` shows a calm inline error."""

    resume_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.title = QLabel("HSTC Desk is locked", self)
        self.title.setStyleSheet("font-size: 18pt; font-weight: bold;")
        self.who = QLabel(self)
        self.password = QLineEdit(self, objectName="lockPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("Password")
        self.password.setMinimumWidth(300)
        self.button = QPushButton("Unlock", self, objectName="resumeButton")
        self.error = QLabel(self, objectName="lockError")
        self.error.setStyleSheet("color: #b00020;")
        self.note = QLabel("The store is closed and its key has left memory. "
                           "Unsaved edits are kept.", self)
        self.note.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for w in (self.title, self.who, self.password, self.button, self.error, self.note):
            layout.addWidget(w, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.button.clicked.connect(self._submit)
        self.password.returnPressed.connect(self._submit)

    def show_for(self, user: str, store: str) -> None:
        self.who.setText(f"{user} on {store}")
        self.error.setText("")
        self.password.clear()
        self.password.setFocus()

    def _submit(self) -> None:
        password = self.password.text()
        self.password.clear()  # never keep a password in a widget longer than needed
        self.resume_requested.emit(password)

    def fail(self) -> None:
        self.error.setText("Wrong password.")
        self.password.setFocus()
