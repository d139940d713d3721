"""The analyst's session: the open store, locking (key dropped) and resuming (password again)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from hstc_desk.store import AuthError, Store


class Session(QObject):
    """Holds the unlocked Store. ``lock()`` closes it, which drops the database key from memory;
    ``resume(password)`` opens it again for the same user. Widgets read ``session.store`` when
    they need it and listen to ``locked`` / ``resumed`` to let go of it and pick it up again."""

    locked = Signal()
    resumed = Signal()

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store: Store | None = store
        self.path: Path = store.path
        self.user = store.user

    @property
    def store(self) -> Store:
        if self._store is None:
            raise RuntimeError("the session is locked")
        return self._store

    @property
    def is_locked(self) -> bool:
        return self._store is None

    def lock(self) -> None:
        if self._store is None:
            return
        self.locked.emit()  # widgets let go of the store first
        self._store.close()
        self._store = None

    def resume(self, password: str) -> bool:
        """True when the password opened the store again; a wrong one changes nothing."""
        if self._store is not None:
            return True
        try:
            self._store = Store.open(self.path, self.user.name, password, where="lock screen")
        except AuthError:
            return False
        self.resumed.emit()
        return True

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
