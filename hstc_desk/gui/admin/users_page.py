"""The admin's Users page (issue 12, item 1): every user with role, clearance, state, signing
key and password status; add, reset, disable, enable, remove; the password policy.

Disabling and removing rekey the store (every page rewritten under a new key), which takes
about as long as reading the whole store once; the confirmations say so, and the rekey runs off
the GUI thread (widgets/tasks) while the page waits. Everything is done by
hstc_desk.store.user_lifecycle; this page only renders it. It lists the users table (a handful
of rows) under the system high's banners.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QAction, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hstc_desk.gui.session.app_lock import lock_holds
from hstc_desk.gui.session.password_change import OwnPasswordDialog
from hstc_desk.gui.widgets.banner import Banners, clearance_banner
from hstc_desk.gui.widgets.tasks import run_task
from hstc_desk.store import Store, StoreError, policy, user_lifecycle
from hstc_desk.store.store import ROLES

_Index = QModelIndex | QPersistentModelIndex
HEADERS = ("Name", "Role", "Clearance", "State", "Signing key", "Password")
_STATE_COLOURS = {"active": "#1b5e20", "disabled": "#8a6d00", "removed": "#6b6b6b"}


def rekey_estimate(store: Store) -> str:
    """How long a rekey of this store may take, for the confirmations (about 35 MB/s here)."""
    size = (store.path / "store.db").stat().st_size
    seconds = max(1, round(size / 35e6))
    return f"{size / 1e6:,.0f} MB, about {seconds} s" if size >= 1e6 else "a moment"


class UsersModel(QAbstractTableModel):
    """The users of the store (every one it ever had: removed users stay, marked so)."""

    def __init__(self, store: Store, parent: Any = None) -> None:
        super().__init__(parent)
        self.store = store
        self.rows: list[user_lifecycle.UserRecord] = []
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        self.rows = user_lifecycle.list_users(self.store)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def _text(self, u: user_lifecycle.UserRecord, col: int) -> str:
        if col == 4:
            return u.fingerprint[:16] + "…"
        if col == 5:
            if u.state == "removed":
                return "no key slot"
            if u.must_change:
                return "one-time: to change at first unlock"
            return "their own" if u.state == "active" else "their own (holds no key now)"
        return (u.name, u.role, u.clearance, u.state)[col]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        u, col = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(u, col)
        if role == Qt.ItemDataRole.ToolTipRole and col == 4:
            return f"Ed25519 signing key, SHA-256 fingerprint {u.fingerprint}"
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == 3:
                return QColor(_STATE_COLOURS.get(u.state, "#000000"))
            if u.state == "removed":
                return QColor("#6b6b6b")
        if role == Qt.ItemDataRole.FontRole and u.state == "removed" and col == 0:
            font = QFont()
            font.setStrikeOut(True)
            return font
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return None


class AddUserDialog(QDialog):
    """Name, role, clearance (at most the accreditation) and a first password, twice."""

    def __init__(self, store: Store, min_length: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add a user")
        self.setObjectName("addUserDialog")
        self.store = store
        self.min_length = min_length
        self.name = QLineEdit(self, objectName="addName")
        self.role = QComboBox(self, objectName="addRole")
        self.role.addItems(list(ROLES))
        self.role.setPlaceholderText("Choose a role")
        self.role.setCurrentIndex(-1)  # chosen by the admin, never preselected
        self.clearance = QLineEdit(store.meta("accreditation"), self, objectName="addClearance")
        self.password = QLineEdit(self, objectName="addPassword")
        self.confirm = QLineEdit(self, objectName="addConfirm")
        for edit in (self.password, self.confirm):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow("Name:", self.name)
        form.addRow("Role:", self.role)
        form.addRow("Clearance:", self.clearance)
        form.addRow(f"Password (at least {min_length}):", self.password)
        form.addRow("Again:", self.confirm)
        self.error = QLabel(self, objectName="addError")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add user")
        buttons.accepted.connect(self.add)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
        self.banners = Banners(self, clearance_banner(store.accreditation))

    def add(self) -> None:
        password, confirm = self.password.text(), self.confirm.text()
        self.password.clear()
        self.confirm.clear()
        if password != confirm:
            self.error.setText("The two passwords do not match.")
            return
        if self.role.currentIndex() < 0:
            self.error.setText("Choose the new user's role.")
            return
        try:
            user_lifecycle.add_user(self.store, self.name.text().strip(), password,
                                    self.role.currentText(),
                                    clearance=self.clearance.text().strip() or None)
        except (StoreError, ValueError) as exc:
            self.error.setText(_sentence(exc))
            return
        self.accept()


def _sentence(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


class UsersPage(QDialog):
    """The admin's page onto the users of the open store."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Users")
        self.setObjectName("usersPage")
        self.resize(980, 520)
        self.store = store
        self.model = UsersModel(store, self)
        self.view = QTableView(self, objectName="usersTable")
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(HEADERS) - 1, QHeaderView.ResizeMode.Stretch)
        self.intro = QLabel(
            "Disabling or removing a user rekeys the store: a new database key, every other "
            "user's key slot rewrapped, so their password, and any copy of the old key slot "
            "file, open nothing written afterwards. A reset gives a one-time password and a "
            "new signing key; the old key still verifies what it signed.", self)
        self.intro.setWordWrap(True)
        self.policy_label = QLabel(self, objectName="policyLabel")
        self.min_length = QSpinBox(self, objectName="minLength")
        limit = policy.LIMITS["password_min_length"]
        self.min_length.setRange(limit.low, limit.high)
        self.min_length.setSuffix(" characters")
        self.set_policy = QPushButton("Set", self, objectName="setPolicy")
        self.set_policy.clicked.connect(self.change_policy)
        self.message = QLabel(self, objectName="usersMessage")
        self.message.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for key, text, slot in (("add", "Add user…", self.add_user),
                                ("reset", "Reset password…", self.reset_user),
                                ("disable", "Disable…", lambda: self.change_state("disable")),
                                ("enable", "Enable", lambda: self.change_state("enable")),
                                ("remove", "Remove…", lambda: self.change_state("remove"))):
            b = QPushButton(text, self, objectName=f"{key}User")
            b.clicked.connect(slot)
            self.buttons[key] = b
            row.addWidget(b)
        row.addStretch(1)
        close = QPushButton("Close", self)
        close.clicked.connect(self.accept)
        row.addWidget(close)
        pol = QHBoxLayout()
        pol.addWidget(self.policy_label)
        pol.addWidget(self.min_length)
        pol.addWidget(self.set_policy)
        pol.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.view, 1)
        layout.addLayout(pol)
        layout.addWidget(self.message)
        layout.addLayout(row)
        self.banners = Banners(self, clearance_banner(store.accreditation))
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self._load_policy()
        self._enable()
        self.task: Any = None
        self.finished_message = ""  # what the last rekey came to

    # ---- state of the page ------------------------------------------------------------------

    def selected(self) -> user_lifecycle.UserRecord | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def select(self, name: str) -> None:
        for i, u in enumerate(self.model.rows):
            if u.name == name:
                self.view.selectRow(i)
                return

    def _enable(self) -> None:
        u = self.selected()
        other = u is not None and u.name != self.store.user.name
        busy = self.task is not None if hasattr(self, "task") else False
        self.buttons["add"].setEnabled(not busy)
        self.buttons["reset"].setEnabled(not busy and other and u.state == "active")
        self.buttons["disable"].setEnabled(not busy and other and u.state == "active")
        self.buttons["enable"].setEnabled(not busy and other and u.state == "disabled")
        self.buttons["remove"].setEnabled(not busy and other and u.state != "removed")

    def _load_policy(self) -> None:
        n = policy.load(self.store).password_min_length
        self.policy_label.setText(f"Passwords: at least {n} characters (the workstation "
                                  "policy, for every new password).  Minimum:")
        self.min_length.setValue(n)

    def _refresh(self, keep: str | None = None) -> None:
        self.model.refresh()
        if keep:
            self.select(keep)
        self._enable()

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet("color: #b00020;" if error else "color: #1b5e20;")
        self.message.setText(text)

    # ---- acts -----------------------------------------------------------------------------

    def change_policy(self) -> None:
        try:
            policy.update(self.store, password_min_length=self.min_length.value())
        except StoreError as exc:
            self._say(_sentence(exc), error=True)
            return
        self._load_policy()
        self._say(f"Passwords must now be at least {self.min_length.value()} characters.")

    def add_user(self) -> AddUserDialog:
        dialog = AddUserDialog(self.store, policy.load(self.store).password_min_length, self)
        dialog.accepted.connect(lambda: (self._refresh(dialog.name.text().strip()),
                                         self._say(f"Added {dialog.name.text().strip()}.")))
        dialog.open()
        return dialog

    def confirm(self, title: str, text: str, action: str) -> bool:
        """A question the admin answers; tests replace it."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, f"<b>{title}</b>", parent=self)
        box.setInformativeText(text.replace("\n\n", "<br><br>"))
        go = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is go

    def reset_user(self) -> None:
        u = self.selected()
        if u is None:
            return
        if not self.confirm(
                f"Reset the password of {u.name}?",
                f"{u.name} gets a one-time password, which you give them in person; they must "
                "choose their own at their first unlock. Their signing key is retired (it still "
                "verifies what they signed) and a new one is made. The store is not rekeyed.",
                "Reset password"):
            return
        try:
            result = user_lifecycle.reset(self.store, u.name)
        except StoreError as exc:
            self._say(_sentence(exc), error=True)
            return
        self._refresh(u.name)
        self.show_one_time(result)

    def show_one_time(self, result: user_lifecycle.ResetResult) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Information, "One-time password",
                          f"The one-time password of {result.name} is\n\n"
                          f"    {result.one_time_password}\n\n"
                          f"Give it to {result.name} in person. It opens nothing but the "
                          "change to a password of their own, at their first unlock.",
                          parent=self)
        box.setObjectName("oneTimeBox")
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._say(f"Reset {result.name}: new signing key {result.new_fingerprint[:16]}…; "
                  f"the old one ({result.old_fingerprint[:16]}…) is retired.")
        box.open()
        return box

    def change_state(self, verb: str) -> None:
        u = self.selected()
        if u is None:
            return
        if verb == "enable":
            self._act(verb, u.name, lambda: user_lifecycle.enable(self.store, u.name))
            return
        what = ("removes them for good: their key slot is deleted, their name stays in the "
                "records they made and is never given to anyone else" if verb == "remove" else
                "stops them logging in until an admin enables them again")
        if not self.confirm(
                f"{verb.capitalize()} {u.name}?",
                f"This {what}.\n\nThe store will be rekeyed: every page is rewritten under a "
                f"new database key ({rekey_estimate(self.store)}), and every other user's key "
                "slot is rewrapped. Nobody's password changes. Keep the window open until it "
                "is done; if it is interrupted, the next unlock finishes it.",
                f"{verb.capitalize()} and rekey"):
            return
        fn = user_lifecycle.remove if verb == "remove" else user_lifecycle.disable
        self._act(verb, u.name, lambda: fn(self.store, u.name))

    def _act(self, verb: str, name: str, work: Callable[[], Any]) -> None:
        if verb == "enable":
            try:
                work()
            except StoreError as exc:
                self._say(_sentence(exc), error=True)
                return
            self._refresh(name)
            self._say(f"Enabled {name}: they log in with their own password again.")
            return
        self.progress = QProgressDialog(f"Rekeying the store after {verb} {name}…", "", 0, 0,
                                        self)
        self.progress.setCancelButton(None)  # a rekey is not cut short by hand
        self.progress.setWindowTitle("Rekeying")
        self.progress.setMinimumDuration(0)
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.show()
        # A lock asked for meanwhile (Ctrl+L, idle) waits for the rekey, never closing the store
        # under it; it comes the moment the rekey ends.
        hold = lock_holds().hold()
        hold.__enter__()

        def over(say: str, error: bool) -> None:
            self.task = None
            self.progress.close()
            self._refresh(name)
            self._say(say, error=error)
            self.finished_message = say
            hold.__exit__(None, None, None)  # last: a lock waiting for it may close the store

        def done(change: user_lifecycle.StateChange) -> None:
            r = change.rekey
            took = f" in {r.seconds:.1f} s" if r is not None else ""
            over(f"{verb.capitalize()}d {name}. The store was rekeyed{took}: "
                 f"{r.slots if r else 0} key slots hold the new key; the old key slot "
                 "file and old passwords open nothing written from now on.", False)

        def failed(message: str) -> None:
            over(message.split(": ", 1)[-1], True)

        self.task = run_task(lambda _ctx: work(), on_done=done, on_error=failed)
        self._enable()


def install(window: Any, menu: Any) -> QAction | None:
    """File > Change my password… for everyone, and File > Users… for an admin;
    ``window.session`` is the session. Returns the Users action (None for a non-admin)."""
    own = menu.addAction("Change my &password…")
    own.setObjectName("changePassword")

    def change_own() -> OwnPasswordDialog:
        dialog = OwnPasswordDialog(window.session.store, window)
        dialog.open()
        window.own_password_dialog = dialog
        return dialog

    own.triggered.connect(change_own)
    if window.session.user.role != "admin":
        return None
    action = menu.addAction("&Users…")
    action.setObjectName("users")

    def show() -> UsersPage:
        page = UsersPage(window.session.store, window)
        page.show()
        window.users_page = page
        return page

    action.triggered.connect(show)
    return action
