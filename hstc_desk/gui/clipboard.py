"""Copying marked text: the portion mark goes with it, and the clipboard is cleared on a timer
if it still holds what this app put there (KeePassXC-style)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QGuiApplication

DEFAULT_CLEAR_SECONDS = 60


class ClipboardGuard(QObject):
    def __init__(self, seconds: int = DEFAULT_CLEAR_SECONDS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ours: str | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.clear_if_ours)
        self.set_seconds(seconds)

    def set_seconds(self, seconds: int) -> None:
        self.timer.setInterval(max(1, int(seconds * 1000)))

    def copy_marked(self, portion: str, text: str) -> str:
        """Put ``(S//NF) text`` on the clipboard and start the clearing timer."""
        value = f"{portion} {text}".strip()
        QGuiApplication.clipboard().setText(value)
        self._ours = value
        self.timer.start()
        return value

    def expect(self, value: str) -> None:
        """Qt is about to put ``value`` on the clipboard for us (a copy from a text view)."""
        self._ours = value
        self.timer.start()

    def clear_if_ours(self) -> None:
        clip = QGuiApplication.clipboard()
        if self._ours is not None and clip.text() == self._ours:
            clip.clear()
        self._ours = None
