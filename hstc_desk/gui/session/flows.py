"""Headless flows the dialogs render: unlock an existing store, or create a new one.

Plain Python state machines (no widgets): a dialog feeds them what the analyst typed and shows
their ``state`` and ``error``. Tests drive them directly too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from hstc_desk import markings
from hstc_desk.domain import DomainError
from hstc_desk.gui.session.password_change import ForcedChangeFlow
from hstc_desk.store import AuthError, KdfParams, NotAStoreError, Store, StoreError
from hstc_desk.store.errors import CorruptStoreError
from hstc_desk.store.keyslots import PasswordChangeRequired


class State(Enum):
    ENTER = "enter"  # waiting for the analyst's input
    UNLOCKED = "unlocked"  # done: ``store`` is open
    MUST_CHANGE = "must change"  # a reset's one-time password: ``forced`` holds the change
    CANCELLED = "cancelled"


@dataclass
class UnlockFlow:
    """Choose a store, a user and a password; a wrong password is an error, never an exception."""

    recent: list[str] = field(default_factory=list)
    state: State = State.ENTER
    error: str = ""
    store: Store | None = None
    attempts: int = 0
    forced: ForcedChangeFlow | None = None  # after a one-time password (password_change.py)

    def unlock(self, path: str, user: str, password: str) -> bool:
        self.error = ""
        if not path.strip():
            self.error = "Choose a store."
            return False
        if not user.strip() or not password:
            self.error = "Enter your user name and password."
            return False
        self.attempts += 1
        try:
            self.store = Store.open(Path(path).expanduser(), user.strip(), password,
                                    where="window")
        except AuthError:
            self.error = "Wrong user name or password."
            return False
        except PasswordChangeRequired as exc:
            self.state = State.MUST_CHANGE
            self.forced = ForcedChangeFlow(Path(path).expanduser(), user.strip(), password,
                                           exc.min_length)
            self.error = "Your password was reset by an admin: choose a new one."
            return False
        except NotAStoreError:
            self.error = f"{path} is not an HSTC store."
            return False
        except (CorruptStoreError, StoreError, OSError) as exc:
            self.error = f"The store cannot be opened: {exc}"
            return False
        self.state = State.UNLOCKED
        self.remember(path)
        return True

    def remember(self, path: str) -> None:
        path = str(Path(path).expanduser())
        self.recent = [path, *(p for p in self.recent if p != path)][:8]

    def cancel(self) -> None:
        self.state = State.CANCELLED


@dataclass
class CreateFlow:
    """A new store with its first admin and the workstation's accreditation."""

    kdf: KdfParams | None = None
    state: State = State.ENTER
    error: str = ""
    store: Store | None = None

    def create(self, path: str, admin: str, password: str, confirm: str,
               accreditation: str) -> bool:
        self.error = ""
        if not path.strip():
            self.error = "Choose a folder for the new store."
            return False
        if password != confirm:
            self.error = "The passwords do not match."
            return False
        if len(password) < 8:
            self.error = "Use a password of at least 8 characters."
            return False
        try:
            markings.parse_clearance(accreditation)
            self.store = Store.create(Path(path).expanduser(), admin.strip(), password,
                                      role="admin", accreditation=accreditation, kdf=self.kdf)
        except (markings.MarkingError, DomainError, StoreError, ValueError, OSError) as exc:
            self.error = str(exc)
            return False
        self.state = State.UNLOCKED
        return True
