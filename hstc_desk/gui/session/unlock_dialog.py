"""The unlock dialog (store chooser, user, password) and the new-store dialog; each renders a
headless flow from hstc_desk.gui.flows."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from hstc_desk.gui.forms.ui_new_store_dialog import Ui_NewStoreDialog
from hstc_desk.gui.forms.ui_unlock_dialog import Ui_UnlockDialog
from hstc_desk.gui.session.flows import CreateFlow, UnlockFlow
from hstc_desk.gui.session.password_change import PasswordChangeDialog
from hstc_desk.store import KdfParams, Store


class NewStoreDialog(QDialog):
    def __init__(self, kdf: KdfParams | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_NewStoreDialog()
        self.ui.setupUi(self)
        self.flow = CreateFlow(kdf=kdf)
        self.ui.browseButton.clicked.connect(self._browse)
        self.ui.buttonBox.accepted.connect(self.create)
        self.ui.buttonBox.rejected.connect(self.reject)

    def _browse(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Folder for the new store")
        if path:
            self.ui.pathEdit.setText(path)

    def create(self) -> None:
        ok = self.flow.create(self.ui.pathEdit.text(), self.ui.adminEdit.text(),
                              self.ui.passwordEdit.text(), self.ui.confirmEdit.text(),
                              self.ui.accreditationCombo.currentText())
        self.ui.passwordEdit.clear()
        self.ui.confirmEdit.clear()
        if ok:
            self.accept()
        else:
            self.ui.errorLabel.setText(self.flow.error)


class UnlockDialog(QDialog):
    """On accept, ``store`` is the unlocked Store."""

    def __init__(self, recent: list[str], *, store_path: str = "", user: str = "",
                 kdf: KdfParams | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_UnlockDialog()
        self.ui.setupUi(self)
        self.kdf = kdf
        self.flow = UnlockFlow(recent=list(recent))
        self.store: Store | None = None
        for path in ([store_path] if store_path else []) + [p for p in recent if p != store_path]:
            self.ui.storeCombo.addItem(path)
        self.ui.userEdit.setText(user)
        self.ui.unlockButton.clicked.connect(self.unlock)
        self.ui.cancelButton.clicked.connect(self.reject)
        self.ui.browseButton.clicked.connect(self._browse)
        self.ui.newStoreButton.clicked.connect(self._new_store)
        # Return in the password field presses the default Unlock button: one attempt. (A
        # returnPressed handler as well made two, the second on the emptied field.)
        (self.ui.passwordEdit if user else self.ui.userEdit).setFocus()

    def _browse(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Choose a store folder")
        if path:
            self.ui.storeCombo.setCurrentText(path)

    def _new_store(self) -> None:
        dialog = NewStoreDialog(self.kdf, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.flow.store is not None:
            self.store = dialog.flow.store
            self.flow.remember(str(self.store.path))
            self.accept()

    def unlock(self) -> None:
        ok = self.flow.unlock(self.ui.storeCombo.currentText(), self.ui.userEdit.text(),
                              self.ui.passwordEdit.text())
        self.ui.passwordEdit.clear()
        if not ok and self.flow.forced is not None:
            ok = self._forced_change()
        if ok:
            self.store = self.flow.store
            self.accept()
        else:
            self.ui.errorLabel.setText(self.flow.error)
            self.ui.passwordEdit.setFocus()

    def _forced_change(self) -> bool:
        """The first unlock after a reset: the new password, then the store (issue 12)."""
        forced, self.flow.forced = self.flow.forced, None
        assert forced is not None
        forced.kdf = self.kdf
        self.change_dialog = PasswordChangeDialog(forced, self)
        if self.change_dialog.exec() != QDialog.DialogCode.Accepted or forced.store is None:
            self.flow.error = "The password was not changed, so the store stays locked."
            return False
        self.flow.store = forced.store
        self.flow.remember(str(forced.path))
        return True
