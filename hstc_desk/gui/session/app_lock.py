"""Locking from anywhere in the app: the lock key works in every window and dialog (modal ones
too), and locking puts every other window out of sight.

Qt's own shortcuts do not do this: a window shortcut works only while its window is active, and
an application shortcut is blocked by a modal dialog. So the key is caught by an event filter on
the QApplication, which sees every key press before any widget does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QDockWidget, QFileDialog, QToolTip, QWidget


class LockKey(QObject):
    """Install on the QApplication; emits ``pressed`` when ``sequence`` is pressed in any window.

    The key's ShortcutOverride is accepted, so no shortcut of the focused window can take it
    first, and its press is eaten, so no text field sees it."""

    pressed = Signal()

    def __init__(self, sequence: QKeySequence, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.sequence = sequence

    def matches(self, event: QKeyEvent) -> bool:
        return (not self.sequence.isEmpty()
                and QKeySequence(event.keyCombination()) == QKeySequence(self.sequence[0]))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        if not isinstance(event, QKeyEvent) or not self.matches(event):
            return False
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # a key press, not a shortcut: it comes back as KeyPress, below
            return True
        if not event.isAutoRepeat():
            self.pressed.emit()
        return True


def put_away(main: QWidget, keep: Iterable[QWidget] = ()) -> list[QWidget]:
    """Hide every top-level window but ``main``, for a lock.

    Windows in ``keep`` (editors: they hold unsaved work and read the store through the session)
    are hidden and returned, to be shown again after the unlock. Every other window and dialog is
    closed: they hold the store that the lock closes. A modal dialog is rejected, which ends its
    exec() loop with nothing done (no dialog gets to ask first). Menus, completer pop-ups and
    tool tips close too."""
    QToolTip.hideText()
    while (popup := QApplication.activePopupWidget()) is not None:
        popup.close()
        if popup.isVisible():
            popup.hide()
    kept = list(keep)
    hidden = []
    for w in kept:
        if w.isVisible():
            w.hide()
            hidden.append(w)
    for w in QApplication.topLevelWidgets():
        if w is main or any(w is k for k in kept) or isinstance(w, QDockWidget):
            continue  # the main window hides its own docks
        if not w.isVisible() and not isinstance(w, QFileDialog):
            continue  # a native file dialog is not a visible widget, but it is open
        if isinstance(w, QDialog):
            # QDialog's own done(), not an override of reject() that might stop to ask
            QDialog.done(w, int(QDialog.DialogCode.Rejected))
        else:
            w.close()
        if w.isVisible():  # a window that refused to close is hidden all the same
            w.hide()
    return hidden


class LockHolds(QObject):
    """Work over the store that keeps the event loop running while it goes (an export's
    progress) holds the lock off: a lock asked for meanwhile asks the work to stop, and comes
    the moment it ends (``released``), never with the store closed under it."""

    released = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self._stops: list[Callable[[], None]] = []

    @property
    def held(self) -> bool:
        return self.depth > 0

    @contextmanager
    def hold(self, stop: Callable[[], None] | None = None) -> Iterator[None]:
        """Around the work; ``stop`` asks it to stop at its next safe point."""
        self.depth += 1
        if stop is not None:
            self._stops.append(stop)
        try:
            yield
        finally:
            self.depth -= 1
            if stop is not None:
                self._stops.remove(stop)
            if self.depth == 0:
                self.released.emit()

    def ask_to_stop(self) -> None:
        for stop in list(self._stops):
            stop()


_HOLDS: list[LockHolds] = []


def lock_holds() -> LockHolds:
    """The one LockHolds of the app."""
    if not _HOLDS:
        _HOLDS.append(LockHolds())
    return _HOLDS[0]
