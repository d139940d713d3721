"""Idle detection: any keyboard or mouse input restarts the countdown to the lock."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

DEFAULT_IDLE_MINUTES = 10
_INPUT = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
          QEvent.Type.Wheel, QEvent.Type.TouchBegin}


class IdleMonitor(QObject):
    """Install on the QApplication; emits ``idle`` after ``seconds`` without input, and
    ``tick(remaining_seconds)`` once a second for the status bar."""

    idle = Signal()
    tick = Signal(int)

    def __init__(self, seconds: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.seconds = seconds
        self._last = time.monotonic()
        self.active = True
        self._timer = QTimer(self)
        self._timer.setInterval(1000 if seconds >= 5 else 100)
        self._timer.timeout.connect(self._check)
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT:
            self._last = time.monotonic()
        return False

    def reset(self) -> None:
        self._last = time.monotonic()

    def set_seconds(self, seconds: float) -> None:
        self.seconds = seconds
        self._timer.setInterval(1000 if seconds >= 5 else 100)
        self.reset()

    def remaining(self) -> int:
        return max(0, int(self.seconds - (time.monotonic() - self._last) + 0.999))

    def _check(self) -> None:
        if not self.active:
            return
        left = self.remaining()
        self.tick.emit(left)
        if left <= 0:
            self.active = False
            self.idle.emit()
