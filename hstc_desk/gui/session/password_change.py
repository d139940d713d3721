"""The forced password change at the first unlock after an admin's reset (issue 12, item 1).

``ForcedChangeFlow`` is the headless part: it holds the one-time password the user just typed
(only until the change is made or abandoned), checks the new one twice and against the
workstation's policy, and opens the store with the new slot. ``PasswordChangeDialog`` renders
it. Like the unlock dialog it shows nothing of the store, so it carries no banner.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from hstc_desk.store import KdfParams, Store, StoreError, user_lifecycle


@dataclass
class ForcedChangeFlow:
    path: Path
    user: str
    one_time: str = field(repr=False)
    min_length: int = 12
    kdf: KdfParams | None = None
    error: str = ""
    store: Store | None = None

    def change(self, new: str, confirm: str) -> bool:
        self.error = ""
        if new != confirm:
            self.error = "The two new passwords do not match."
            return False
        if len(new) < self.min_length:
            self.error = (f"Use at least {self.min_length} characters (the workstation "
                          f"policy); this has {len(new)}.")
            return False
        try:
            self.store = user_lifecycle.change_password_at(
                self.path, self.user, self.one_time, new, where="window", kdf=self.kdf)
        except (StoreError, OSError) as exc:
            self.error = f"{str(exc)[:1].upper()}{str(exc)[1:]}."
            return False
        self.one_time = ""
        return True

    def abandon(self) -> None:
        self.one_time = ""


class PasswordChangeDialog(QDialog):
    """On accept, ``flow.store`` is the store, open under the user's new password."""

    def __init__(self, flow: ForcedChangeFlow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.flow = flow
        self.setObjectName("passwordChangeDialog")
        self.setWindowTitle("Choose a new password")
        self.setMinimumWidth(480)
        title = QLabel(f"Choose a new password for {flow.user}", self)
        title.setStyleSheet("font-size: 13pt; font-weight: bold;")
        why = QLabel(
            "An admin has reset your password. The one you just used was for one use only: "
            "choose your own now to open the store. Nobody else, the admin included, will "
            f"know it. Use at least {flow.min_length} characters; a few unrelated words make "
            "a password that is long and easy to remember.", self)
        why.setWordWrap(True)
        self.new = QLineEdit(self, objectName="newPassword")
        self.confirm = QLineEdit(self, objectName="confirmPassword")
        for edit in (self.new, self.confirm):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setMinimumWidth(280)
        form = QFormLayout()
        form.addRow("New password:", self.new)
        form.addRow("Again:", self.confirm)
        self.error = QLabel(self, objectName="passwordChangeError")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Change and unlock")
        buttons.accepted.connect(self.change)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(why)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.new.setFocus()

    def change(self) -> None:
        ok = self.flow.change(self.new.text(), self.confirm.text())
        self.new.clear()  # never keep a password in a widget longer than needed
        self.confirm.clear()
        if ok:
            self.accept()
        else:
            self.error.setText(self.flow.error)
            self.adjustSize()  # room for the sentence, however many lines it takes
            self.new.setFocus()

    def reject(self) -> None:
        self.flow.abandon()
        super().reject()


class OwnPasswordDialog(QDialog):
    """File > Change my password…: the current password, the new one twice (the policy's
    length); only the user's own key slot is rewrapped."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from hstc_desk.store import policy

        self.store = store
        self.setObjectName("ownPasswordDialog")
        self.setWindowTitle("Change my password")
        self.setMinimumWidth(460)
        self.min_length = policy.load(store).password_min_length
        why = QLabel(f"A new password for {store.user.name}, at least {self.min_length} "
                     "characters. Only your key slot changes: your signing key, role and "
                     "everything in the store stay as they are.", self)
        why.setWordWrap(True)
        self.current = QLineEdit(self, objectName="currentPassword")
        self.new = QLineEdit(self, objectName="newPassword")
        self.confirm = QLineEdit(self, objectName="confirmPassword")
        form = QFormLayout()
        for label, edit in (("Current password:", self.current), ("New password:", self.new),
                            ("Again:", self.confirm)):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            form.addRow(label, edit)
        self.error = QLabel(self, objectName="ownPasswordError")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Change password")
        buttons.accepted.connect(self.change)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(why)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.current.setFocus()

    def change(self) -> None:
        current, new, confirm = self.current.text(), self.new.text(), self.confirm.text()
        for edit in (self.current, self.new, self.confirm):
            edit.clear()
        error = ""
        if new != confirm:
            error = "The two new passwords do not match."
        else:
            try:
                user_lifecycle.change_password(self.store, current, new)
            except (StoreError, OSError) as exc:
                error = f"{str(exc)[:1].upper()}{str(exc)[1:]}."
        if error:
            self.error.setText(error)
            self.adjustSize()
            self.current.setFocus()
            return
        self.accept()
