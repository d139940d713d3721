"""Undo and redo: every change of the drafting window is one command holding the whole state
before and after (states are immutable, so this costs a tuple of references). A run of typing in
one field merges into one command."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QUndoCommand, QUndoStack

from hstc_desk.gui.products.portion_state import DraftState

MERGE_ID = 0x4853  # one id for every state change; the key decides what merges

Apply = Callable[[DraftState, int | None], None]  # (state, uid of the portion to select)


class StateChange(QUndoCommand):
    def __init__(self, apply: Apply, before: DraftState, after: DraftState, text: str,
                 key: str = "", select: int | None = None,
                 select_before: int | None = None) -> None:
        """``select``: the portion to select after the change; ``select_before``: the one
        selected before it (undo selects it again)."""
        super().__init__(text)
        self.apply = apply
        self.before = before
        self.after = after
        self.key = key
        self.select = select
        self.select_before = select_before

    def id(self) -> int:
        return MERGE_ID if self.key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, StateChange) or not self.key or other.key != self.key:
            return False
        self.after = other.after
        return True

    def redo(self) -> None:
        self.apply(self.after, self.select)

    def undo(self) -> None:
        self.apply(self.before, self.select_before)


class UndoKeys(QObject):
    """Takes Ctrl+Z / Ctrl+Shift+Z (and Ctrl+Y) from every field for the window's stack."""

    def __init__(self, stack: QUndoStack) -> None:
        super().__init__(stack)
        self.stack = stack

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        key: QKeyEvent = event  # type: ignore[assignment]
        undo = key.matches(QKeySequence.StandardKey.Undo)
        redo = key.matches(QKeySequence.StandardKey.Redo) or (
            key.key() == Qt.Key.Key_Z and key.modifiers() == (
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier))
        if not (undo or redo):
            return False
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()  # the key comes to us as a key press, not to a field's shortcut
            return True
        (self.stack.redo if redo else self.stack.undo)()
        return True
